"""Facet counts for the practice list: for each filter, how many results each option gives.

Each facet is counted over the results of every other active filter. The single-valued ones
(area, region, status, the evidence labels, cost band, ripe) that are not filtered on are
counted from one read of the results' narrow columns (the covering index holds them; the
areas' and approaches' slugs come from a join with those small tables), and each that is
filtered on from a grouped query of its own. Themes and partner types, which each entry keeps
on its row (casestudies/profile.py), are counted from the same read unless filtered on; the
other many-valued ones (approach, main or also included; what the commissioner did) take one
or two queries each.
"""

from collections import Counter

from django.db.models import Count, F

from casestudies.models import ROLE_NOT_KNOWN, CommissionerRole, Initiative
from casestudies.readiness import annotations
from pcc_practice.cache.version import cached

# Filters on a column with one value per initiative, with the column they are counted by.
SINGLE_VALUED = {"status": "status", "evidence_stage": "evidence_stage",
                 "evidence_finding": "evidence_finding", "cost_band": "cost_band"}
# Many-valued filters whose values each entry keeps on its row, space-separated, each once.
LISTED = {"theme": "theme_slugs", "partner_type": "partner_types"}


def grouped(queryset, column):
    """{value of `column`: how many of `queryset` have it}."""
    return dict(queryset.values_list(column).annotate(n=Count("pk")).order_by())


def place_counts(filterset):
    """The area and region facets: each area's count without the area filter, and each
    region's without the region filter."""
    return (grouped(filterset.queryset_without("area"), "area__slug"),
            grouped(filterset.queryset_without("region"), "area__region"))


def approach_counts(matching, main=None):
    """{approach slug: how many of `matching` take part in it, as their main approach or as
    one they also include} (an entry's main approach is never among its others). `main`, the
    main approaches' counts if they are known already, saves a query."""
    also = Initiative.also_approaches.through.objects.filter(
        initiative__in=matching.values("pk")).exclude(approach=F("initiative__approach"))
    if main is None:
        main = grouped(matching.exclude(approach=None), "approach__slug")
    counts = Counter(main)
    counts.update(grouped(also, "approach__slug"))
    return dict(counts)


def results_counts(filterset):
    """The total and the facets that are not filtered on, all counted over the results
    themselves: one read of their narrow columns, with their area's slug and region, their
    main approach's slug, their themes and their partners' types, however many facets share
    it (a search is matched once rather than once a facet): (counts, {main approach's slug:
    count}, total)."""
    columns = ["area__slug", "area__region", *SINGLE_VALUED.values(), "approach__slug", "ripe",
               *LISTED.values()]
    rows = list(filterset.queryset_without().annotate(**annotations("ripe"))
                .values_list(*columns))
    values = dict(zip(columns, zip(*rows, strict=True) if rows else [()] * len(columns),
                      strict=True))
    counts = {name: Counter(values[column]) for name, column in SINGLE_VALUED.items()}
    counts["area"] = Counter(values["area__slug"])
    counts["region"] = Counter(values["area__region"])
    counts["ripe"] = {"yes": sum(1 for ripe in values["ripe"] if ripe)}
    for name, column in LISTED.items():
        counts[name] = Counter(value for listed in values[column] for value in listed.split())
    main = Counter(slug for slug in values["approach__slug"] if slug)
    return counts, main, len(rows)


def count_facets(filterset):
    """({filter name: {option value: count}}, total) for a valid InitiativeFilter."""
    counts, main, total = results_counts(filterset)
    data = filterset.form.cleaned_data
    for name, column in SINGLE_VALUED.items():  # a filter in force is counted without itself
        if data.get(name):
            counts[name] = grouped(filterset.queryset_without(name), column)
    if data.get("area") or data.get("region"):
        counts["area"], counts["region"] = place_counts(filterset)
    if data.get("ripe"):
        counts["ripe"] = {"yes": filterset.queryset_without("ripe").ripe().count()}
    # An initiative has each theme and role once, but may have two partners of one type.
    for name, relation, key, distinct in [
        ("theme", Initiative.themes.through, "theme__slug", False),
        ("pcc_role", CommissionerRole, "role", False),
        ("partner_type", Initiative.partners.through, "partner__partner_type", True),
    ]:
        if name in LISTED and not data.get(name):
            continue  # counted from the results' read
        matching = filterset.queryset_without(name)
        rows = (relation.objects.filter(initiative__in=matching.values("pk"))
                .values(key).annotate(n=Count("initiative_id", distinct=distinct)))
        counts[name] = {row[key]: row["n"] for row in rows}
    # "Not known": the entries with no role recorded, counted from the total where the total
    # is of the same entries (a search matched again took 14 ms at 10,000).
    matching = filterset.queryset_without("pcc_role")
    roles = CommissionerRole.objects
    if data.get("pcc_role"):
        not_known = matching.exclude(pk__in=roles.values("initiative_id")).count()
    else:
        with_role = roles.filter(initiative__in=matching.values("pk")).values("initiative_id")
        not_known = total - with_role.distinct().count()
    counts["pcc_role"][ROLE_NOT_KNOWN] = not_known
    counts["approach"] = approach_counts(filterset.queryset_without("approach"),
                                         None if data.get("approach") else main)
    return counts, total


def facet_counts(filterset):
    """For each filter, how many results each of its options would give, and the total
    ({}, None for filters that are not valid). Kept for each combination of filters until
    content changes, so the pages and sort orders of one set of results count only once: 38 ms
    a list page with it, 375 ms without, at 10,000 (docs/performance.md, "The cache tiers kept")."""
    if not filterset.form.is_valid():
        return {}, None
    return cached("facets", lambda: count_facets(filterset), filterset.digest())
