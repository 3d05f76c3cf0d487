import heapq
from collections import Counter
from collections.abc import Sequence
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject, cached_property
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_filters.views import FilterView

from pcc_practice.cache import kept_until_content_changes
from themes.models import Theme

from . import glossary
from .filters import FACETS, InitiativeFilter
from .forms import CompareAreasForm, ComparePracticeForm, ProblemReportForm, SuggestionForm
from .models import (
    REVIEW_INTERVAL_DAYS,
    Area,
    EvidenceFinding,
    EvidenceStage,
    Initiative,
    Region,
    State,
)
from .ratelimit import over_limit

# Pages other than the full list show this many initiatives, then link to the filtered list.
PREVIEW_SIZE = 20
RELATED_CANDIDATES = 200


class AccessibilityView(TemplateView):
    template_name = "pages/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact_email=settings.CONTACT_EMAIL, **kwargs)


class HomeView(TemplateView):
    template_name = "casestudies/home.html"

    def get_context_data(self, **kwargs):
        def summary():
            published = Initiative.objects.published()
            return {
                "themes": list(Theme.objects.all()),
                "featured_areas": list(
                    Area.objects.filter(is_featured=True).with_practice_count()
                ),
                "latest": list(
                    published.order_by("-created", "title").values_list("pk", flat=True)[:6]
                ),
                "practice_count": published.count(),
                "area_count": published.values("area").distinct().count(),
            }

        context = kept_until_content_changes("home", summary)
        return super().get_context_data(
            **{**context, "latest": CardRows(context["latest"])}, **kwargs
        )


def active_filters(filterset, query):
    """Describes each active filter value with a link to the same list without it."""
    form = filterset.form
    if not form.is_valid():
        return []
    chips = []
    for name in ["q", *FACETS]:
        value = form.cleaned_data.get(name)
        if not value:
            continue
        field = form.fields[name]
        if name == "q":
            values = [(value, value)]
        elif hasattr(field, "queryset"):
            values = [(obj.slug, str(obj)) for obj in value]
        else:
            labels = dict(field.choices)
            values = [(v, labels[v]) for v in value]
        for raw, label in values:
            remaining = query.copy()
            remaining.setlist(name, [v for v in query.getlist(name) if v != raw])
            remaining.pop("page", None)
            chips.append({
                "filter": name, "name": field.label, "value": raw, "label": label,
                "remove_query": remaining.urlencode(),
            })
    return chips


def filter_groups(filterset, facets):
    """The checkbox groups of the filter form, each option with its result count.

    Built from each field's choices rather than its widget's subwidgets, which cost several
    milliseconds a page; the ids are those the widget would give (id_<name>_<index>).
    """
    form = filterset.form
    groups = []
    for name in FACETS:
        bound = form[name]
        field = form.fields[name]
        chosen = {str(v) for v in (bound.value() or [])}
        counts = facets.get(name)
        options = []
        for index, (value, label) in enumerate(field.choices):
            value = str(getattr(value, "value", value))
            options.append({
                "id": f"id_{name}_{index}", "value": value, "label": label,
                "checked": value in chosen,
                "count": None if counts is None else counts.get(value, 0),
            })
        groups.append({"name": name, "label": bound.label, "errors": bound.errors,
                       "options": options})
    return groups


class IdsFirstPaginator(Paginator):
    """Finds a page's ids first; the page's rows are read only for cards not in the cache.

    Sorting and skipping to a deep page then handle narrow rows (an id and the sort keys)
    rather than whole case studies with their long texts. In the "area A to Z" order, which
    no index gives, `area_counts` (each area's id and number of results, in name order) tells
    which areas a page spans, so that only their rows are sorted.
    """

    area_counts = None
    excerpts = False  # whether the cards show search excerpts
    results_key = ""  # names the filters and order, to keep each page's ids until content changes

    def page(self, number):
        number = self.validate_number(number)
        if self.results_key:  # the same results, order and page show the same ids
            ids = kept_until_content_changes("page-ids", lambda: self.page_ids(number),
                                             self.results_key, number)
        else:
            ids = self.page_ids(number)
        return self._get_page(CardRows(ids, excerpts=self.excerpts), number, self)

    def page_ids(self, number):
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values_list("pk", flat=True)
        if self.area_counts is not None:
            spanned, first, seen = [], None, 0
            for area_id, count in self.area_counts:
                if count and seen + count > bottom and seen < top:
                    spanned.append(area_id)
                    first = seen if first is None else first
                seen += count
            if spanned:
                ids = ids.filter(area_id__in=spanned)
                bottom, top = bottom - first, top - first
        return list(ids[bottom:top])


class CardRows(Sequence):
    """A page's initiatives, in order, read from the database only when first used.

    The practice_cards template tag takes the ids and reads only the values of the cards
    that are not in the cache (casestudies/cards.py), so a page whose cards are all cached
    reads no rows at all. `excerpts` says whether the cards show search excerpts.
    """

    def __init__(self, ids, excerpts=False):
        self.ids = ids
        self.excerpts = excerpts

    def fetch(self, ids):
        rows = Initiative.objects.for_cards(excerpts=self.excerpts).in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]

    @cached_property
    def rows(self):
        return self.fetch(self.ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        return self.rows[index]


class InitiativeListView(FilterView):
    filterset_class = InitiativeFilter
    queryset = Initiative.objects.published().for_cards()
    paginate_by = 20
    paginator_class = IdsFirstPaginator
    template_name = "casestudies/initiative_list.html"

    def get_filterset_kwargs(self, filterset_class):
        # Always bound, even to an empty query, so the bare list gets facet counts too.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            raise Http404("There is no such page of results.") from None

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        filterset = self.filterset
        if filterset.is_valid():  # then the facets are counted, with the total
            paginator.count = filterset.total  # saves a query
            paginator.excerpts = bool(filterset.form.cleaned_data["q"])
            paginator.results_key = f"{filterset.digest()}:{filterset.order}"
            if filterset.order == "area":
                paginator.area_counts = self.area_counts()
        return paginator

    def area_counts(self):
        """Each area's id and number of results under every filter, in name order."""
        by_area = self.facets.get("area", {})
        chosen = {area.slug for area in self.filterset.form.cleaned_data.get("area") or []}
        areas = kept_until_content_changes(
            "areas-by-name",
            lambda: list(Area.objects.order_by("name").values_list("pk", "slug")),
            in_process=True,
        )
        return [(pk, by_area.get(slug, 0) if not chosen or slug in chosen else 0)
                for pk, slug in areas]

    def get_context_data(self, **kwargs):
        filterset = self.filterset
        facets = self.facets = filterset.facet_counts()  # before paginating, which uses them
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        chips = active_filters(filterset, self.request.GET)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            active_filters=chips,
            # Called by the template only when the filter panel is not in the cache.
            filter_groups=partial(filter_groups, filterset, facets),
            # With the content version, the key of the cached filter panel (valid filters only).
            filter_panel_key=(
                f"{filterset.digest()}:{filterset.order}:{self.request.GET.get('q', '')}"
                if filterset.is_valid() else ""
            ),
            sort=filterset.order,
            search_text=filterset.form.cleaned_data["q"] if filterset.is_valid() else "",
            filter_query=query.urlencode(),
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=1,
                                                            on_ends=1),
        )
        if not page.paginator.count and chips:
            context["suggestions"] = removal_suggestions(filterset, chips)
        return context


def removal_suggestions(filterset, chips):
    """For an empty result, what removing each active filter value would give (six at most)."""
    suggestions = []
    for chip in chips[:6]:
        count = filterset.count_without(chip["filter"], chip["value"])
        if count:
            suggestions.append({**chip, "count": count})
    return suggestions


class InitiativeDetailView(DetailView):
    template_name = "casestudies/initiative_detail.html"
    context_object_name = "initiative"

    @cached_property
    def may_preview(self):
        """Editors who may view initiatives in admin may also preview drafts."""
        return self.request.user.has_perm("casestudies.view_initiative")

    def get_queryset(self):
        # Themes, partners and sources are read by the page body, only when it is not cached.
        queryset = Initiative.objects.select_related("area")
        return queryset if self.may_preview else queryset.published()

    def get_object(self, queryset=None):
        """For readers, the published case study is kept until content changes: with its body
        in the cache too, reading it was a third of the page's time."""
        if self.may_preview:
            return super().get_object(queryset)
        slug = self.kwargs["slug"]
        initiative = None
        if len(slug) <= Initiative._meta.get_field("slug").max_length:
            initiative = kept_until_content_changes(
                "case-study-object",
                lambda: self.get_queryset().filter(slug=slug).first(),
                slug,
            )
        if initiative is None:  # not kept: only found initiatives are
            raise Http404("No published initiative has this address.")
        return initiative

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            archived = Initiative.objects.archived().select_related("area").filter(
                slug=kwargs["slug"]
            ).first()
            if archived is None:
                raise
            return TemplateResponse(
                request, "casestudies/initiative_archived.html", {"initiative": archived},
                status=410,
            )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        initiative = self.object
        # Read only when the page body is rendered, that is, when it is not in the cache.
        themes = SimpleLazyObject(lambda: list(initiative.themes.all()))
        related = SimpleLazyObject(
            lambda: related_practice(initiative.pk, [theme.pk for theme in themes])
        )
        return super().get_context_data(themes=themes, related=related, **kwargs)


class RelatedPractice(NamedTuple):
    """What the case study's "Related practice" list shows of another initiative."""

    pk: int
    title: str
    slug: str
    area_name: str

    def get_absolute_url(self):
        return reverse("casestudies:initiative-detail", args=[self.slug])


def newest_by_theme():
    """Each theme's newest published initiatives, newest first, at most RELATED_CANDIDATES:
    {theme id: [RelatedPractice, ...]}. Two queries, kept until content changes."""
    through = Initiative.themes.through.objects
    ranked = (
        through.filter(initiative__state=State.PUBLISHED)
        .annotate(rank=Window(RowNumber(), partition_by=F("theme_id"),
                              order_by=F("initiative_id").desc()))
        .filter(rank__lte=RELATED_CANDIDATES)
        .values_list("theme_id", "initiative_id")
    )
    by_theme = {}
    for theme_id, initiative_id in ranked:
        by_theme.setdefault(theme_id, []).append(initiative_id)
    details = {
        row[0]: RelatedPractice(*row)
        for row in Initiative.objects.filter(
            pk__in={pk for ids in by_theme.values() for pk in ids}
        ).values_list("pk", "title", "slug", "area__name")
    }
    return {theme_id: [details[pk] for pk in sorted(ids, reverse=True)]
            for theme_id, ids in by_theme.items()}


def related_practice(initiative_id, theme_ids, size=4):
    """Up to `size` other published initiatives that share most of the given themes, by title.

    Candidates are the RELATED_CANDIDATES newest initiatives sharing any of the themes, so
    that the cost does not grow with the library. Those are the newest of each theme's own
    newest, and each candidate is among the newest of every theme it shares; so each theme's
    list, kept until content changes, gives both the candidates and their shared themes.
    """
    newest = kept_until_content_changes("newest-by-theme", newest_by_theme, in_process=True)
    shared = Counter()
    for theme_id in set(theme_ids):
        shared.update(newest.get(theme_id, ()))
    candidates = heapq.nlargest(
        RELATED_CANDIDATES, (other for other in shared if other.pk != initiative_id),
        key=lambda other: other.pk,
    )
    return sorted(candidates, key=lambda other: (-shared[other], other.title.casefold()))[:size]


class AreaListView(ListView):
    queryset = Area.objects.with_practice_count()
    template_name = "casestudies/area_list.html"

    def get_context_data(self, **kwargs):
        by_region = {region: [] for region in Region}
        for area in self.object_list:
            by_region[area.region].append(area)
        regions = [(region.label, areas) for region, areas in by_region.items() if areas]
        return super().get_context_data(regions=regions, **kwargs)


class AreaDetailView(DetailView):
    model = Area
    template_name = "casestudies/area_detail.html"

    def get_context_data(self, **kwargs):
        def preview():
            practice = self.object.initiatives.published()
            return list(practice.values_list("pk", flat=True)[:PREVIEW_SIZE]), practice.count()

        ids, count = kept_until_content_changes("area-preview", preview, self.object.pk)
        return super().get_context_data(practice=CardRows(ids), practice_count=count, **kwargs)


class CompareAreasView(TemplateView):
    """Areas (rows, by region) against themes (columns): how much practice each has."""

    template_name = "casestudies/compare_areas.html"

    def get_context_data(self, **kwargs):
        form = CompareAreasForm(self.request.GET)
        show_empty = form.is_valid() and form.cleaned_data["empty"] == "show"
        def grid():
            counts = (
                Initiative.themes.through.objects.filter(initiative__state=State.PUBLISHED)
                .values("initiative__area_id", "theme_id").annotate(n=Count("initiative_id"))
            )
            return (
                list(Theme.objects.all()),
                {(row["initiative__area_id"], row["theme_id"]): row["n"] for row in counts},
                list(Area.objects.with_practice_count()),
            )

        themes, cells, areas = kept_until_content_changes("area-grid", grid)
        by_region = {region: [] for region in Region}
        for area in areas:
            if area.practice_count or show_empty:
                area.cells = [(theme, cells.get((area.pk, theme.pk), 0)) for theme in themes]
                by_region[area.region].append(area)
        regions = [(region.label, areas) for region, areas in by_region.items() if areas]
        return super().get_context_data(
            form=form, themes=themes, regions=regions, show_empty=show_empty, **kwargs
        )


class ComparePracticeView(TemplateView):
    """Two to four case studies side by side, chosen with ?item=<slug>&item=<slug>."""

    template_name = "casestudies/compare_practice.html"

    def get_context_data(self, **kwargs):
        form = ComparePracticeForm(self.request.GET or None)
        chosen = form.cleaned_data["item"] if form.is_valid() else []
        query = self.request.GET
        columns = []
        for initiative in chosen:
            remaining = query.copy()
            remaining.setlist("item", [s for s in query.getlist("item") if s != initiative.slug])
            columns.append({"initiative": initiative, "remove_query": remaining.urlencode()})
        return super().get_context_data(form=form, columns=columns, **kwargs)


def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = JsonResponse({"status": "unavailable", "database": False}, status=503)
    else:
        response = JsonResponse({"status": "ok", "database": True})
    add_never_cache_headers(response)
    return response


class PublicFormView(FormView):
    """A public form with CSRF (Django's), a honeypot and a per-address rate limit."""

    rate_scope = "form"

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if over_limit(request, self.rate_scope):
            form.add_error(None, "You have sent several forms in a short time. Wait an hour "
                                 "and try again; nothing you entered has been saved.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if form.is_spam:
            return redirect(self.get_success_url())
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)


class SuggestView(PublicFormView):
    form_class = SuggestionForm
    template_name = "casestudies/suggest.html"
    rate_scope = "suggest"

    def form_valid(self, form):
        form.save()
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("casestudies:suggest-thanks")


class ReportProblemView(PublicFormView):
    form_class = ProblemReportForm
    template_name = "casestudies/report_problem.html"
    rate_scope = "report"

    def dispatch(self, request, *args, **kwargs):
        self.initiative = get_object_or_404(
            Initiative.objects.published().select_related("area"), slug=kwargs["slug"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(initiative=self.initiative, **kwargs)

    def form_valid(self, form):
        form.instance.initiative = self.initiative
        form.save()
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("casestudies:report-thanks", args=[self.initiative.slug])


class EvidenceView(TemplateView):
    """Explains the two evidence labels, each with examples from the library."""

    template_name = "pages/evidence.html"
    EXAMPLES = 3

    def get_context_data(self, **kwargs):
        published = Initiative.objects.published().select_related("area").order_by("title")
        labels = []
        for field, choices in [("evidence_stage", EvidenceStage),
                               ("evidence_finding", EvidenceFinding)]:
            counts = dict(published.values_list(field).annotate(n=Count("pk")).order_by())
            labels.append([
                {"value": choice.value, "label": choice.label,
                 "count": counts.get(choice.value, 0), "field": field}
                for choice in choices
            ])
        examples = {}
        for group in labels:
            for label in group:
                if label["count"]:
                    examples[label["value"]] = list(
                        published.filter(**{label["field"]: label["value"]})[:self.EXAMPLES]
                    )
        for group in labels:
            for label in group:
                label["examples"] = examples.get(label["value"], [])
        return super().get_context_data(stages=labels[0], findings=labels[1], **kwargs)


class GlossaryView(TemplateView):
    template_name = "pages/glossary.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(terms=glossary.TERMS, **kwargs)


class AboutView(TemplateView):
    template_name = "pages/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            practice_count=Initiative.objects.published().count(),
            review_interval=REVIEW_INTERVAL_DAYS // 30, **kwargs,
        )
