from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from casestudies.models import Initiative

from .exports import checked_filters

FEED_SIZE = 50


class PracticeFeed(Feed):
    """Newly published and updated practice, honouring the practice list's filters."""

    feed_type = Atom1Feed
    title = "PCC Practice: new and updated practice"
    subtitle = "Mental-health practice led by police and crime commissioners."

    def __call__(self, request, *args, **kwargs):
        # Filters that are not valid get the page that says why, as the exports do. (The feed
        # object serves every request, so what is checked travels on the request.)
        request.practice_filters, refusal = checked_filters(
            request, Initiative.objects.published().select_related("area"))
        return refusal or super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        return request.practice_filters

    def link(self, filterset):
        url = reverse("website:initiative-list")
        query = filterset.data.urlencode()
        return f"{url}?{query}" if query else url

    def feed_url(self, filterset):
        """The feed's own address (its `self` link) with the filters it was made from."""
        url = reverse("opendata:practice-feed")
        query = filterset.data.urlencode()
        return f"{url}?{query}" if query else url

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
