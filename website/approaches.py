"""Approaches: kinds of practice that many areas have tried, and where each has been tried."""

from django.views.generic import DetailView, ListView

from casestudies.models import Approach, Initiative


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


class ApproachDetailView(DetailView):
    model = Approach
    template_name = "website/approach_detail.html"
    query_parameters = frozenset()

    def get_context_data(self, **kwargs):
        tried = list(
            Initiative.objects.published().of_approach([self.object]).with_profile()
            .select_related("area").order_by("area__name", "year_started", "title")
        )
        return super().get_context_data(
            tried=tried, area_count=len({initiative.area_id for initiative in tried}),
            sources=list(self.object.sources.all()), **kwargs,
        )
