"""Approaches: kinds of practice that many areas have tried, and where each has been tried."""

from django.db.models import Case, Count, F, IntegerField, Value, When
from django.views.generic import DetailView, ListView

from casestudies.models import PUBLISHED_INITIATIVES, Approach, CostBand, Initiative


class ApproachListView(ListView):
    template_name = "website/approach_list.html"
    query_parameters = frozenset()

    def get_queryset(self):
        return Approach.objects.annotate(
            practice_count=Count("initiatives", filter=PUBLISHED_INITIATIVES),
            area_count=Count("initiatives__area", filter=PUBLISHED_INITIATIVES, distinct=True),
        ).order_by("display_order", "name")  # Meta.ordering does not apply to aggregates


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
            Initiative.objects.published().filter(approach=self.object).with_profile()
            .annotate(cost_band_order=cost_order).select_related("area")
            .prefetch_related("commissioner_roles").order_by(*ORDERS[sort])
        )
        return super().get_context_data(
            tried=tried, area_count=len({initiative.area_id for initiative in tried}),
            sources=list(self.object.sources.all()), sort=sort,
            sorts=[("area", "Area"), ("started", "Started"), ("cost", "Cost band"),
                   ("readiness", "Replication checks")], **kwargs,
        )
