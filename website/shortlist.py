"""The reader's shortlist: case studies ticked on any page of results and across searches,
kept in the address as `pick=<slug>` (repeated). So it survives paging and filtering, can be
shared as a link, and every page stays cacheable (the page cache keys on `pick` too)."""

from django.utils.http import urlencode
from django.views.generic import TemplateView

from casestudies.models import Initiative
from casestudies.readiness import checklist

from .forms import MAX_COMPARE

PARAMETER = "pick"
MAX_PICKS = 20


class Shortlist:
    """The shortlist in a query: published case studies in the order picked, without repeats,
    at most MAX_PICKS; `unknown` holds what was asked for but is not published."""

    def __init__(self, query):
        # What cannot be a slug is counted with the picks that are not published.
        asked = query.getlist(PARAMETER)[:4 * MAX_PICKS]
        known = dict(Initiative.objects.published().with_slugs(asked)
                     .values_list("slug", "pk")) if asked else {}
        self.slugs, self.unknown = [], []
        for slug in query.getlist(PARAMETER):
            if slug in known:
                if slug not in self.slugs:
                    self.slugs.append(slug)
            elif slug not in self.unknown:
                self.unknown.append(slug)
        self.too_many = len(self.slugs) > MAX_PICKS
        self.slugs = self.slugs[:MAX_PICKS]
        self.ids = [known[slug] for slug in self.slugs]

    def __len__(self):
        return len(self.slugs)

    @property
    def query(self):
        """The shortlist alone, as a query string."""
        return urlencode([(PARAMETER, slug) for slug in self.slugs])

    def without(self, slug):
        return urlencode([(PARAMETER, s) for s in self.slugs if s != slug])


def shortlist_of(request):
    """The request's shortlist, read once. From then on the request's query carries only the
    shortlist's picks (published, each once, at most MAX_PICKS), so that no link or form on
    the page repeats a pick that is not on the shortlist."""
    if not hasattr(request, "shortlist"):
        request.shortlist = Shortlist(request.GET)
        if request.GET.getlist(PARAMETER) != request.shortlist.slugs:
            query = request.GET.copy()
            query.setlist(PARAMETER, request.shortlist.slugs)
            request.GET = query
            request.META["QUERY_STRING"] = query.urlencode()
    return request.shortlist


class ShortlistView(TemplateView):
    """The shortlist (/shortlist/?pick=...): its case studies, each with a way to remove it,
    and what to do with them: compare, download, share, print as a board pack."""

    template_name = "website/shortlist.html"
    query_parameters = frozenset([PARAMETER])

    def get_context_data(self, **kwargs):
        shortlist = shortlist_of(self.request)
        rows = {initiative.pk: initiative for initiative in
                Initiative.objects.filter(pk__in=shortlist.ids).select_related("area")
                .with_profile()}
        entries = [{"initiative": rows[pk], "remove_query": shortlist.without(slug),
                    "checklist": checklist(rows[pk])}
                   for slug, pk in zip(shortlist.slugs, shortlist.ids, strict=True)
                   if pk in rows]
        return super().get_context_data(
            shortlist=shortlist, entries=entries, max_picks=MAX_PICKS,
            compare_query=urlencode([("item", slug) for slug in shortlist.slugs[:MAX_COMPARE]]),
            max_compare=MAX_COMPARE, **kwargs)
