"""Approaches: kinds of practice that many areas have tried, and where each has been tried."""

from django.db.models import Case, F, IntegerField, Value, When
from django.views.generic import DetailView, ListView

from casestudies.models import Approach, CostBand, Initiative


def practice_by_approach():
    """{approach pk: {initiative pk: area pk}} of published practice: each approach's main
    practice and the practice that also includes it (two queries)."""
    published = Initiative.objects.published()
    found = {}
    rows = [*published.exclude(approach=None).values_list("approach_id", "pk", "area_id"),
            *Initiative.also_approaches.through.objects.filter(initiative__in=published)
            .values_list("approach_id", "initiative_id", "initiative__area_id")]
    for approach, initiative, area in rows:
        found.setdefault(approach, {})[initiative] = area
    return found


class ApproachListView(ListView):
    template_name = "website/approach_list.html"
    query_parameters = frozenset()

    def get_queryset(self):
        practice = practice_by_approach()
        approaches = list(Approach.objects.order_by("display_order", "name"))
        for approach in approaches:
            found = practice.get(approach.pk, {})
            approach.practice_count, approach.area_count = len(found), len(set(found.values()))
        return approaches


# The where-tried table's orders, each a column a reader can sort by without JavaScript.
ORDERS = {
    "area": ("area__name", "year_started", "title"),
    "started": (F("year_started").desc(nulls_last=True), "area__name", "title"),
    "readiness": ("-readiness", "area__name", "title"),
    "cost": ("cost_band_order", "area__name", "title"),
}
COST_ORDER = [CostBand.UNDER_50K, CostBand.TO_250K, CostBand.TO_1M, CostBand.OVER_1M,
              CostBand.NOT_KNOWN]


class ApproachDetailView(DetailView):
    model = Approach
    template_name = "website/approach_detail.html"
    query_parameters = frozenset({"sort"})

    def get_context_data(self, **kwargs):
        sort = self.request.GET.get("sort", "area")
        sort = sort if sort in ORDERS else "area"
        cost_order = Case(*(When(cost_band=band, then=Value(index))
                            for index, band in enumerate(COST_ORDER)),
                          default=Value(len(COST_ORDER)), output_field=IntegerField())
        tried = list(
            Initiative.objects.published().of_approach([self.object]).with_profile()
            .annotate(cost_band_order=cost_order).select_related("area")
            .prefetch_related("commissioner_roles").order_by(*ORDERS[sort])
        )
        return super().get_context_data(
            tried=tried, area_count=len({initiative.area_id for initiative in tried}),
            sources=list(self.object.sources.all()), sort=sort,
            sorts=[("area", "Area"), ("started", "Started"), ("cost", "Cost band"),
                   ("readiness", "Replication checks")], **kwargs,
        )
