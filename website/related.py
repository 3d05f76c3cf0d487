"""The "Related practice" of a case study: other published initiatives that share its themes."""

import heapq
from collections import Counter

from django.db.models import OuterRef, Q, Subquery

from casestudies.models import LINK_REVERSE, Area, Initiative, ReplicationLink, State
from pcc_practice.cache.version import cached

# Candidates are each theme's newest initiatives, so that the cost does not grow with the
# library.
CANDIDATES = 200


def related_practice(initiative_id, theme_ids, size=4):
    """Up to `size` other published initiatives among the CANDIDATES newest of each theme's
    CANDIDATES newest, those sharing most of the themes first, then by title."""
    shared, shown = Counter(), {}
    for theme_id in set(theme_ids):
        newest = [row for row in newest_of_theme(theme_id) if row[0] != initiative_id]
        shared.update(row[0] for row in newest[:CANDIDATES])
        shown.update((row[0], row) for row in newest[:CANDIDATES])
    chosen = sorted((shown[pk] for pk in heapq.nlargest(CANDIDATES, shared)),
                    key=lambda row: (-shared[row[0]], row[1].casefold(), row[0]))[:size]
    return [Initiative(pk=pk, title=title, slug=slug, area=Area(name=area))
            for pk, title, slug, area in chosen]


def newest_of_theme(theme_id):
    """(pk, title, slug, area's name) of the CANDIDATES + 1 newest published initiatives of a
    theme (one more, for a case study among them), kept until content changes: every case
    study of the theme shares them, and a case study not yet shown took 5.2 ms for related
    practice without them at 10,000 (docs/performance.md, "Cold pages, a fourth pass")."""
    def read():
        rows = (Initiative.themes.through.objects
                .filter(theme_id=theme_id, initiative__state=State.PUBLISHED)
                .order_by("-initiative_id")
                .values_list("initiative_id", "initiative__title", "initiative__slug",
                             "initiative__area__name"))
        return list(rows[:CANDIDATES + 1])

    return cached("theme-newest", read, theme_id, CANDIDATES)


def elsewhere(initiative):
    """One published initiative of the same approach in each other area that has one, by
    area name (the approach page lists them all), and none at all where the stored count
    says there are none."""
    if initiative.approach_id is None or not initiative.elsewhere:
        return []
    return [Initiative(slug=slug, title=title, area=Area(name=name))
            for area_id, slug, title, name in first_in_each_area(initiative.approach_id)
            if area_id != initiative.area_id]


def first_in_each_area(approach_id):
    """(area id, slug, title, area's name) of the first published initiative of an approach
    in each area that has one, by area name: a look-up per area on the approach's index, kept
    until content changes, as every case study of the approach shows them (4.2 ms a case
    study not yet shown without it at 10,000; docs/performance.md, "Cold pages, a fourth
    pass")."""
    def read():
        first = (Initiative.objects.published()
                 .filter(approach_id=approach_id, area_id=OuterRef("pk")).order_by("title"))
        areas = (Area.objects.annotate(first_slug=Subquery(first.values("slug")[:1]),
                                       first_title=Subquery(first.values("title")[:1]))
                 .filter(first_slug__isnull=False).order_by("name")
                 .values_list("pk", "first_slug", "first_title", "name"))
        return list(areas)

    return cached("approach-areas", read, approach_id)


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
