"""Approaches: kinds of practice that many areas have tried, and where each has been tried."""

from django.db.models import Count
from django.views.generic import DetailView, ListView

from casestudies.models import PUBLISHED_INITIATIVES, Approach, Initiative


class ApproachListView(ListView):
    template_name = "website/approach_list.html"
    query_parameters = frozenset()

    def get_queryset(self):
        return Approach.objects.annotate(
            practice_count=Count("initiatives", filter=PUBLISHED_INITIATIVES),
            area_count=Count("initiatives__area", filter=PUBLISHED_INITIATIVES, distinct=True),
        ).order_by("display_order", "name")  # Meta.ordering does not apply to aggregates


class ApproachDetailView(DetailView):
    model = Approach
    template_name = "website/approach_detail.html"
    query_parameters = frozenset()

    def get_context_data(self, **kwargs):
        tried = list(
            Initiative.objects.published().filter(approach=self.object).with_profile()
            .select_related("area").order_by("area__name", "year_started", "title")
        )
        return super().get_context_data(
            tried=tried, area_count=len({initiative.area_id for initiative in tried}),
            sources=list(self.object.sources.all()), **kwargs,
        )
