"""Facet counts for the practice list: for each filter, how many results each option gives.

The single-valued filters (area, region, status, the evidence labels, cost band and
readiness) come from one grouped query: each row is a combination of their values with its
number of initiatives, so each facet's counts, and the total, are sums over the rows that match
the other active filters. The many-valued ones (approach, main or also included; theme, what
the commissioner did, partner type) take one or two queries each.
"""

from django.db.models import Count, F

from casestudies.models import ROLE_NOT_KNOWN, Area, CommissionerRole, Initiative
from casestudies.readiness import annotations
from pcc_practice.cache.version import cached

# Filters on a field with one value per initiative, in the order of each grouped row.
SINGLE_VALUED = ["area", "region", "status", "evidence_stage", "evidence_finding",
                 "cost_band", "ripe"]
# The columns their facet counts are grouped by (an area gives its region).
GROUPED_BY = ["area_id", "status", "evidence_stage", "evidence_finding", "cost_band", "ripe"]


def grouped_rows(queryset):
    """Each combination of SINGLE_VALUED values in `queryset`, with its count."""
    areas = {pk: (slug, region)
             for pk, slug, region in Area.objects.values_list("pk", "slug", "region")}
    query = (queryset.annotate(ripe=annotations("ripe")["ripe"])
             .values_list(*GROUPED_BY).annotate(n=Count("pk")))
    return [((*areas[area_id], *labels, "yes" if ripe else "no"), n)
            for area_id, *labels, ripe, n in query]


def approach_counts(matching):
    """{approach slug: how many of `matching` take part in it, as their main approach or as
    one they also include} (an entry's main approach is never among its others)."""
    counts = {}
    also = Initiative.also_approaches.through.objects.filter(
        initiative__in=matching.values("pk")).exclude(approach=F("initiative__approach"))
    for rows in (matching.exclude(approach=None).values_list("approach__slug")
                 .annotate(n=Count("pk")).order_by(),
                 also.values_list("approach__slug").annotate(n=Count("initiative_id"))
                 .order_by()):
        for slug, n in rows:
            counts[slug] = counts.get(slug, 0) + n
    return counts


def count_facets(filterset):
    """({filter name: {option value: count}}, total) for a valid InitiativeFilter."""
    data = filterset.form.cleaned_data
    active = [(index, {getattr(v, "slug", v) for v in data[name]})
              for index, name in enumerate(SINGLE_VALUED) if data.get(name)]
    tallies = [{} for _ in SINGLE_VALUED]
    total = 0
    for values, n in grouped_rows(filterset.queryset_without(*SINGLE_VALUED)):
        # A row counts towards the total and every facet if it matches every active filter,
        # and towards one facet alone if it misses that facet's filter only.
        missed = None
        for index, allowed in active:
            if values[index] not in allowed:
                if missed is not None:
                    break
                missed = index
        else:
            if missed is None:
                total += n
                for tally, value in zip(tallies, values, strict=True):
                    tally[value] = tally.get(value, 0) + n
            else:
                tally = tallies[missed]
                tally[values[missed]] = tally.get(values[missed], 0) + n
    counts = dict(zip(SINGLE_VALUED, tallies, strict=True))
    # An initiative has each theme and role once, but may have two partners of one type.
    for name, relation, key, distinct in [
        ("theme", Initiative.themes.through, "theme__slug", False),
        ("pcc_role", CommissionerRole, "role", False),
        ("partner_type", Initiative.partners.through, "partner__partner_type", True),
    ]:
        matching = filterset.queryset_without(name)
        rows = (relation.objects.filter(initiative__in=matching.values("pk"))
                .values(key).annotate(n=Count("initiative_id", distinct=distinct)))
        counts[name] = {row[key]: row["n"] for row in rows}
        if name == "pcc_role":
            counts[name][ROLE_NOT_KNOWN] = matching.exclude(
                pk__in=relation.objects.values("initiative_id")).count()
    counts["approach"] = approach_counts(filterset.queryset_without("approach"))
    counts["ripe"] = {"yes": counts["ripe"].get("yes", 0)}
    return counts, total


def facet_counts(filterset):
    """For each filter, how many results each of its options would give, and the total
    ({}, None for filters that are not valid). Kept for each combination of filters until
    content changes, so the pages and sort orders of one set of results count only once: 38 ms
    a list page with it, 375 ms without, at 10,000 (docs/performance.md, "The cache tiers kept")."""
    if not filterset.form.is_valid():
        return {}, None
    return cached("facets", lambda: count_facets(filterset), filterset.digest())
