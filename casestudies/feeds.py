from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .filters import valid_filterset_or_404
from .models import Initiative

FEED_SIZE = 50


class PracticeFeed(Feed):
    """Newly published and updated practice, honouring the practice list's filters."""

    feed_type = Atom1Feed
    title = "PCC Practice: new and updated practice"
    subtitle = "Mental-health practice led by police and crime commissioners."

    def get_object(self, request):
        filterset = valid_filterset_or_404(
            request.GET, Initiative.objects.published().select_related("area")
        )
        self.query = request.GET.urlencode()
        return filterset

    def link(self, filterset):
        url = reverse("casestudies:initiative-list")
        return f"{url}?{self.query}" if self.query else url

    def items(self, filterset):
        return filterset.qs.order_by("-updated", "pk")[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.title} ({item.area.name})"

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated
