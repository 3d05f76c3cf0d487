"""The "Related practice" of a case study: other published initiatives that share its themes."""

import heapq
from collections import Counter

from django.db.models import OuterRef, Q, Subquery

from casestudies.models import LINK_REVERSE, Area, Initiative, ReplicationLink, State

# Candidates are each theme's newest initiatives, so that the cost does not grow with the
# library.
CANDIDATES = 200


def related_practice(initiative_id, theme_ids, size=4):
    """Up to `size` other published initiatives among the CANDIDATES newest of each theme's
    CANDIDATES newest, those sharing most of the themes first, then by title."""
    through = Initiative.themes.through.objects.filter(initiative__state=State.PUBLISHED)
    shared = Counter()
    for theme_id in set(theme_ids):
        newest = (through.filter(theme_id=theme_id).exclude(initiative_id=initiative_id)
                  .order_by("-initiative_id").values_list("initiative_id", flat=True))
        shared.update(newest[:CANDIDATES])
    candidates = Initiative.objects.filter(pk__in=heapq.nlargest(CANDIDATES, shared))
    chosen = sorted(candidates.values_list("pk", "title", "slug", "area__name"),
                    key=lambda row: (-shared[row[0]], row[1].casefold(), row[0]))[:size]
    return [Initiative(pk=pk, title=title, slug=slug, area=Area(name=area))
            for pk, title, slug, area in chosen]


def elsewhere(initiative):
    """One published initiative of the same approach in each other area that has one, by
    area name (the approach page lists them all): a look-up per area on the approach's index,
    and none at all where the stored count says there are none."""
    if initiative.approach_id is None or not initiative.elsewhere:
        return []
    first = (Initiative.objects.published()
             .filter(approach_id=initiative.approach_id, area_id=OuterRef("pk"))
             .order_by("title"))
    areas = (Area.objects.exclude(pk=initiative.area_id)
             .annotate(first_slug=Subquery(first.values("slug")[:1]),
                       first_title=Subquery(first.values("title")[:1]))
             .filter(first_slug__isnull=False).order_by("name")
             .values_list("first_slug", "first_title", "name"))
    return [Initiative(slug=slug, title=title, area=Area(name=name))
            for slug, title, name in areas]


def replication_links(initiative):
    """Links to and from other published initiatives, each read from this one's side, those
    from it first: [{"label", "initiative"}]. One query for both directions."""
    shown = ("kind", "initiative__title", "initiative__slug", "initiative__area__name",
             "other__title", "other__slug", "other__area__name")
    links = (ReplicationLink.objects
             .filter(Q(initiative=initiative, other__state=State.PUBLISHED)
                     | Q(other=initiative, initiative__state=State.PUBLISHED))
             .select_related("initiative__area", "other__area").only(*shown))
    return [
        {"label": link.get_kind_display(), "initiative": link.other}
        if link.initiative_id == initiative.pk else
        {"label": LINK_REVERSE[link.kind], "initiative": link.initiative}
        for link in sorted(links, key=lambda link: link.initiative_id != initiative.pk)
    ]
