from django.conf import settings
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView, TemplateView

from casestudies.models import (
    PUBLISHED_INITIATIVES,
    REVIEW_INTERVAL_DAYS,
    Area,
    EvidenceFinding,
    EvidenceStage,
    Funder,
    Initiative,
    Region,
    State,
    Statement,
)
from casestudies.quoted import Notes
from casestudies.readiness import checklist, emmie
from pcc_practice.cache.version import cached
from pcc_practice.forms import PublicFormView
from themes.models import Theme

from . import comparison, glossary, picture, structured
from .cards import card_context
from .forms import (
    CompareAreasForm,
    ComparePracticeForm,
    ContactForm,
    ProblemReportForm,
    SuggestionForm,
)
from .related import elsewhere, related_practice, replication_links
from .tilemap import tile_map

# Pages other than the full list show this many initiatives, then link to the filtered list.
PREVIEW_SIZE = 20


class AccessibilityView(TemplateView):
    template_name = "pages/accessibility.html"
    query_parameters = frozenset()

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact_email=settings.CONTACT_EMAIL, **kwargs)


class HomeView(TemplateView):
    template_name = "website/home.html"
    query_parameters = frozenset()

    def get_context_data(self, **kwargs):
        def summary():
            published = Initiative.objects.published()
            return {
                "themes": list(Theme.objects.all()),
                "areas": list(Area.objects.with_practice_count()),
                "latest": list(
                    published.order_by("-created", "title").values_list("pk", flat=True)[:6]
                ),
                "practice_count": published.count(),
                "area_count": published.values("area").distinct().count(),
            }

        # Kept until content changes: 10.7 ms a home page with it, 38.5 ms without, at 10,000
        # (docs/performance.md, "The cache tiers kept").
        context = super().get_context_data(**cached("home", summary), **kwargs)
        context.update(card_context(context["latest"]))
        areas = context.pop("areas")
        context["featured_areas"] = [area for area in areas if area.is_featured]
        context["map"] = area_map(areas)
        return context


def area_map(areas):
    """The tile map of areas annotated with practice_count, each tile linking to its area."""
    return tile_map(areas, {area.slug: area.practice_count for area in areas},
                    href=Area.get_absolute_url)


class InitiativeDetailView(DetailView):
    template_name = "website/initiative_detail.html"
    context_object_name = "initiative"
    query_parameters = frozenset()

    @cached_property
    def may_preview(self):
        """Editors who may view initiatives in admin may also preview drafts."""
        return self.request.user.has_perm("casestudies.view_initiative")

    def get_queryset(self):
        # Partners are read by the page body as it renders. The checklist needs no count of
        # the items met (2.0 ms a cold case study's row without it, 3.0 with, at 10,000).
        queryset = Initiative.objects.select_related("area", "approach").with_profile(
            "ready_verified", "ripe")
        return queryset if self.may_preview else queryset.published()

    def get_object(self, queryset=None):
        if self.may_preview:
            return super().get_object(queryset)
        # Readers' case studies are kept until content changes: 3.3 ms a case study with it,
        # 19.4 ms without, at 10,000 (docs/performance.md, "The cache tiers kept").
        slug = self.kwargs["slug"]
        initiative = None
        if len(slug) <= Initiative._meta.get_field("slug").max_length:
            initiative = cached(
                "case-study", lambda: self.get_queryset().filter(slug=slug).first(), slug
            )
        if initiative is None:
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
                request, "website/initiative_archived.html", {"initiative": archived},
                status=410,
            )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        initiative = self.object
        themes = list(initiative.themes.all())
        notes = Notes(initiative.claims.select_related("source"))
        funders = notes.quote_rows(Statement.FUNDER, initiative.funders.select_related("partner"))
        paid, delivered = Funder.split(funders)
        sources = list(initiative.sources.all())  # for the page and its structured data
        return super().get_context_data(
            themes=themes,
            related=related_practice(initiative.pk, [theme.pk for theme in themes]),
            evaluations=notes.quote_rows(Statement.EVALUATION, initiative.evaluations.all()),
            funders=funders, notes=notes, quoted=notes.by_statement,
            paid=paid, delivered=delivered,
            also=list(initiative.also_approaches.all()),
            costs=notes.quote_rows(Statement.COST, initiative.costs.all()),
            roles=notes.quote_rows(Statement.COMMISSIONER_ROLE,
                                   initiative.commissioner_roles.all()),
            elsewhere=elsewhere(initiative), links=replication_links(initiative),
            checklist=checklist(initiative), emmie=emmie(initiative),
            sources=sources,
            structured=structured.case_study(self.request, initiative, funders, sources),
            **kwargs,
        )


class PictureView(TemplateView):
    """The national picture: the map and a chart for each way practice is described."""

    template_name = "website/picture.html"
    query_parameters = frozenset()

    def get_context_data(self, **kwargs):
        areas = list(Area.objects.with_practice_count())
        return super().get_context_data(charts=picture.charts(),
                                        map=area_map(areas), **kwargs)


class AreaListView(ListView):
    queryset = Area.objects.with_practice_count()
    template_name = "website/area_list.html"
    query_parameters = frozenset()

    def get_context_data(self, **kwargs):
        by_region = {region: [] for region in Region}
        for area in self.object_list:
            by_region[area.region].append(area)
        regions = [(region.label, areas, sum(area.practice_count for area in areas))
                   for region, areas in by_region.items() if areas]
        return super().get_context_data(regions=regions, map=area_map(self.object_list),
                                        **kwargs)


class PracticePreviewMixin:
    """The first PREVIEW_SIZE published initiatives of an area or theme, and their number."""

    query_parameters = frozenset()
    preview_order = ()

    def get_context_data(self, **kwargs):
        def preview():
            practice = self.object.initiatives.published().order_by(*self.preview_order)
            return list(practice.values_list("pk", flat=True)[:PREVIEW_SIZE]), practice.count()

        # Kept until content changes: 5.0 ms a theme page with it, 32.6 ms without, at 10,000
        # (docs/performance.md, "The cache tiers kept").
        name = f"preview:{self.object._meta.label}"
        ids, count = cached(name, preview, self.object.pk)
        return super().get_context_data(practice=ids, practice_count=count,
                                        **card_context(ids), **kwargs)


class AreaDetailView(PracticePreviewMixin, DetailView):
    model = Area
    template_name = "website/area_detail.html"
    preview_order = ("title",)


class ThemeListView(ListView):
    queryset = Theme.objects.annotate(
        practice_count=Count("initiatives", filter=PUBLISHED_INITIATIVES)
    ).order_by("display_order", "name")  # Meta.ordering does not apply to aggregates
    template_name = "website/theme_list.html"
    query_parameters = frozenset()


class ThemeDetailView(PracticePreviewMixin, DetailView):
    model = Theme
    template_name = "website/theme_detail.html"
    preview_order = ("area__name", "title")


class CompareAreasView(TemplateView):
    """Areas (rows, by region) against themes (columns): how much practice each has."""

    template_name = "website/compare_areas.html"
    query_parameters = frozenset(CompareAreasForm.base_fields)

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

        # Kept until content changes: 3.8 ms a grid page with it, 68 ms without, at 10,000
        # (docs/performance.md, "The cache tiers kept").
        themes, cells, areas = cached("area-grid", grid)
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

    template_name = "website/compare_practice.html"
    query_parameters = frozenset(ComparePracticeForm.base_fields)

    def get_context_data(self, **kwargs):
        form = ComparePracticeForm(self.request.GET or None)
        chosen = form.cleaned_data["item"] if form.is_valid() else []
        query = self.request.GET
        columns = []
        for initiative in chosen:
            remaining = query.copy()
            remaining.setlist("item", [s for s in query.getlist("item") if s != initiative.slug])
            columns.append({"initiative": initiative, "remove_query": remaining.urlencode(),
                            "checklist": checklist(initiative), "emmie": emmie(initiative)})
        return super().get_context_data(form=form, columns=columns,
                                        rows=comparison.rows(columns), **kwargs)


class SuggestView(PublicFormView):
    form_class = SuggestionForm
    template_name = "website/suggest.html"
    rate_scope = "suggest"

    def get_initial(self):
        # From an area's page: the area chosen already (an unknown one is left unchosen).
        area = Area.objects.with_slug(self.request.GET.get("area", ""))
        return {"area": area} if area else {}

    def form_valid(self, form):
        form.save()
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("website:suggest-thanks")


class ReportProblemView(PublicFormView):
    form_class = ProblemReportForm
    template_name = "website/report_problem.html"
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
        return reverse("website:report-thanks", args=[self.initiative.slug])


class ContactView(PublicFormView):
    """Messages to the editors: a problem with the site, an accessibility problem or a request
    for another format. They arrive in admin beside readers' problem reports."""

    form_class = ContactForm
    template_name = "website/contact.html"
    rate_scope = "contact"

    def get_initial(self):
        return {"kind": self.request.GET.get("about"), "page": self.request.GET.get("page", "")}

    def form_valid(self, form):
        form.save()
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("website:contact-thanks")


class EvidenceView(TemplateView):
    """Explains the two evidence labels, each with examples from the library."""

    template_name = "pages/evidence.html"
    query_parameters = frozenset()
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
    query_parameters = frozenset()

    def get_context_data(self, **kwargs):
        return super().get_context_data(terms=glossary.TERMS, **kwargs)


class AboutView(TemplateView):
    template_name = "pages/about.html"
    query_parameters = frozenset()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            practice_count=Initiative.objects.published().count(),
            review_interval=REVIEW_INTERVAL_DAYS // 30, **kwargs,
        )
