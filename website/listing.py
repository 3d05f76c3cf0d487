"""The practice list (/practice/): filters with counts, active filters, a page of cards."""

import hashlib

from django.http import Http404
from django_filters.views import FilterView

from casestudies.filters import FACETS, InitiativeFilter
from casestudies.models import Area, Initiative
from casestudies.search import did_you_mean
from pcc_practice.cache.version import cached

from .cards import card_context
from .facets import facet_counts
from .shortlist import PARAMETER, shortlist_of
from .tilemap import tile_map


class InitiativeListView(FilterView):
    filterset_class = InitiativeFilter
    queryset = Initiative.objects.published()
    paginate_by = 20
    template_name = "website/initiative_list.html"
    # What the page depends on: the page cache keeps one copy per combination of these.
    query_parameters = frozenset([*InitiativeFilter.base_filters, "page", PARAMETER])

    def get(self, request, *args, **kwargs):
        shortlist_of(request)  # before anything reads the query's picks
        return super().get(request, *args, **kwargs)

    def get_filterset_kwargs(self, filterset_class):
        # Always bound, even to an empty query, so the bare list gets facet counts too.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def paginate_queryset(self, queryset, page_size):
        # A page holds ids: its cards are read only when their fragment is not in the cache.
        try:
            paginator, page, ids, has_other_pages = super().paginate_queryset(
                queryset.values_list("pk", flat=True), page_size
            )
        except Http404:
            raise Http404("There is no such page of results.") from None
        if self.filterset.is_valid():
            # Kept until content changes: 26 ms a repeated search with it, 38 ms without, at
            # 10,000 (docs/performance.md, "The cache tiers kept").
            key = f"{self.filterset.digest()}:{self.filterset.order}:{page.number}"
            page.object_list = cached("page-ids", lambda: list(page.object_list), key)
        return paginator, page, page.object_list, has_other_pages

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if self.filterset.is_valid():
            paginator.count = self.total  # counted with the facets
        return paginator

    def get_context_data(self, **kwargs):
        filterset = self.filterset
        facets, self.total = facet_counts(filterset)  # before paginating
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        chips = filterset.active_filters(self.request.GET)
        query = self.request.GET.copy()  # the filters alone, for the downloads and the feed
        query.pop("page", None)
        query.pop(PARAMETER, None)
        valid = filterset.is_valid()
        context.update(
            active_filters=chips,
            filter_groups=lambda: filter_groups(filterset, facets),  # only if not cached
            # With the content version, the key of the cached filter panel.
            filter_panel_key=(f"{filterset.digest()}:{filterset.order}:"
                              f"{filterset.form.cleaned_data['q']}" if valid else ""),
            sort=filterset.order,
            search_text=filterset.form.cleaned_data["q"] if valid else "",
            filter_query=query.urlencode(),
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=1,
                                                            on_ends=1),
        )
        if not page.paginator.count and chips:
            context["suggestions"] = removal_suggestions(filterset, chips)
        if not page.paginator.count and context["search_text"]:
            context["did_you_mean"] = spelling_suggestion(filterset, self.request.GET)
        if valid:
            # Read only when the map's fragment is not in the cache (a repeated list 4.5 ms
            # with it, 9.1 ms without, at 10,000; docs/performance.md, "Cold pages"). The map
            # depends on the filters, the sort and the picks (its links keep them), not on the
            # page.
            context["map"] = lambda: results_map(facets["area"], self.request.GET)
            context["map_key"] = hashlib.sha256(
                f"{query.urlencode()}:{self.request.GET.getlist(PARAMETER)}".encode()
            ).hexdigest()
        context.update(shortlist_context(self.request, page.object_list))
        context.update(card_context(page.object_list, context["search_text"],
                                    context["shortlist"].ids))
        if context["shortlist"] and context["filter_panel_key"]:
            context["filter_panel_key"] += f":{context['shortlist'].query}"
        return context


def shortlist_context(request, page_ids):
    """The shortlist, and what its form carries: every other parameter of the page, and the
    picks that are not on this page (the page's own come from its boxes)."""
    shortlist = shortlist_of(request)
    query = request.GET
    on_page = set(page_ids)
    return {
        "shortlist": shortlist,
        "shortlist_carry": [(name, value) for name, values in query.lists()
                            if name != PARAMETER for value in values],
        "shortlist_elsewhere": [slug for slug, pk in zip(shortlist.slugs, shortlist.ids,
                                                          strict=True) if pk not in on_page],
    }


def spelling_suggestion(filterset, query):
    """For a search that found nothing: {"text", "query"} of the same search with its
    misspelt words corrected, when there is a correction."""
    text = filterset.form.cleaned_data["q"]
    corrected = did_you_mean(Initiative.objects.published(), text)
    if not corrected:
        return None
    query = query.copy()
    query["q"] = corrected
    query.pop("page", None)
    return {"text": corrected, "query": query.urlencode()}


def results_map(counts, query):
    """The tile map of the results by area (with every other filter applied), each tile
    linking to the results in that area alone."""
    def href(area):
        narrowed = query.copy()
        narrowed.setlist("area", [area.slug])
        narrowed.pop("page", None)
        return f"?{narrowed.urlencode()}"

    areas = Area.objects.only("slug", "name")
    return tile_map(areas, counts, href)


def filter_groups(filterset, facets):
    """The checkbox groups of the filter form, each option with its result count. A group is
    open when it has a chosen option or an error; options that would give no results (and
    are not chosen) are set apart as `empty`, shown behind "show all"."""
    form = filterset.form
    groups = []
    for name in FACETS:
        bound = form[name]
        chosen = {str(v) for v in (bound.value() or [])}
        counts = facets.get(name)
        options, empty = [], []
        for index, (value, label) in enumerate(choices(form.fields[name])):
            value = str(value)
            option = {
                "id": f"id_{name}_{index}", "value": value, "label": label,
                "checked": value in chosen,
                "count": None if counts is None else counts.get(value, 0),
            }
            (empty if option["count"] == 0 and not option["checked"] else options).append(
                option)
        groups.append({"name": name, "label": bound.label, "errors": bound.errors,
                       "options": options, "empty": empty,
                       "chosen": sum(option["checked"] for option in options),
                       "open": bool(chosen or bound.errors)})
    return groups


def choices(field):
    """(value, label) of each of a filter field's options. A field of model instances is read
    with one plain query, not the server-side cursor its choices open on PostgreSQL (the
    panel's options gathered in 2.0 ms instead of 3.9 at 10,000)."""
    if hasattr(field, "queryset"):
        return [(getattr(obj, field.to_field_name), field.label_from_instance(obj))
                for obj in field.queryset]
    return field.choices


def removal_suggestions(filterset, chips):
    """For an empty result, what removing each active filter value would give (six at most)."""
    suggestions = []
    for chip in chips[:6]:
        count = filterset.count_without(chip["filter"], chip["value"])
        if count:
            suggestions.append({**chip, "count": count})
    return suggestions
