"""The "Related practice" of a case study: other published initiatives that share its themes."""

import heapq
from collections import Counter
from typing import NamedTuple

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from casestudies.models import LINK_REVERSE, Initiative, ReplicationLink, State
from pcc_practice.cache.version import cached

# Candidates are each theme's newest initiatives, so that the cost does not grow with the
# library.
CANDIDATES = 200


class RelatedPractice(NamedTuple):
    pk: int
    title: str
    slug: str
    area_name: str

    def get_absolute_url(self):
        return reverse("website:initiative-detail", args=[self.slug])


def newest_by_theme():
    """Each theme's CANDIDATES newest published initiatives: {theme id: [RelatedPractice]}."""
    ranked = (
        Initiative.themes.through.objects.filter(initiative__state=State.PUBLISHED)
        .annotate(rank=Window(RowNumber(), partition_by=F("theme_id"),
                              order_by=F("initiative_id").desc()))
        .filter(rank__lte=CANDIDATES)
        .values_list("theme_id", "initiative_id")
    )
    by_theme = {}
    for theme_id, initiative_id in ranked:
        by_theme.setdefault(theme_id, []).append(initiative_id)
    details = {
        row[0]: RelatedPractice(*row)
        for row in Initiative.objects.filter(
            pk__in={pk for ids in by_theme.values() for pk in ids}
        ).values_list("pk", "title", "slug", "area__name")
    }
    return {theme_id: [details[pk] for pk in ids] for theme_id, ids in by_theme.items()}


def related_practice(initiative_id, theme_ids, size=4):
    """Up to `size` others among the CANDIDATES newest sharing any of the themes, those
    sharing most themes first, then by title. Those are the newest of each theme's newest,
    and each is among the newest of every theme it shares, so the lists give both."""
    newest = cached("newest-by-theme", newest_by_theme)
    shared = Counter()
    for theme_id in set(theme_ids):
        shared.update(other for other in newest.get(theme_id, ()) if other.pk != initiative_id)
    candidates = heapq.nlargest(CANDIDATES, shared, key=lambda other: other.pk)
    return sorted(candidates, key=lambda other: (-shared[other], other.title.casefold()))[:size]


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
