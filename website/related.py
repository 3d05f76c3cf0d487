"""The "Related practice" of a case study: other published initiatives that share its themes."""

import heapq
from collections import Counter

from casestudies.models import LINK_REVERSE, Initiative, ReplicationLink, State

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
    newest = heapq.nlargest(CANDIDATES, shared)
    others = Initiative.objects.filter(pk__in=newest).select_related("area").only(
        "title", "slug", "area__name")
    return sorted(others, key=lambda other: (-shared[other.pk], other.title.casefold()))[:size]


def elsewhere(initiative):
    """One published initiative of the same approach in each other area that has one, by
    area name (the approach page lists them all)."""
    if initiative.approach_id is None:
        return []
    others = (Initiative.objects.published().filter(approach_id=initiative.approach_id)
              .exclude(area_id=initiative.area_id).select_related("area")
              .order_by("area__name", "title"))
    first = {}
    for other in others:
        first.setdefault(other.area_id, other)
    return list(first.values())


def replication_links(initiative):
    """Links to and from other published initiatives, each read from this one's side:
    [{"label", "initiative"}]."""
    links = ReplicationLink.objects.filter(other__state=State.PUBLISHED, initiative=initiative)
    back = ReplicationLink.objects.filter(initiative__state=State.PUBLISHED, other=initiative)
    return [
        *({"label": link.get_kind_display(), "initiative": link.other}
          for link in links.select_related("other__area")),
        *({"label": LINK_REVERSE[link.kind], "initiative": link.initiative}
          for link in back.select_related("initiative__area")),
    ]
