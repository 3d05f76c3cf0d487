"""The national picture (/picture/): published practice counted by theme, status, year started,
evidence, evaluation design, the commissioner's role, cost band and approach. Each count links
to the practice list filtered to it; templates/includes/bar_chart.html draws each as bars."""

from django.db.models import Count
from django.utils.http import urlencode

from casestudies.models import (
    ROLE_NOT_KNOWN,
    Approach,
    CommissionerRole,
    CommissionerRoleKind,
    CostBand,
    DesignLevel,
    EvidenceFinding,
    EvidenceStage,
    Initiative,
    Status,
)
from themes.models import Theme

from .approaches import practice_by_approach

BAR_WIDTH = 480  # the longest bar, in SVG units; the count is written after it
ROW_HEIGHT = 52


def row(label, count, **query):
    """One bar: its label, count and, when the list can filter to it, the list's query."""
    return {"label": label, "count": count, "query": urlencode(query) if query else ""}


def by_choice(published, field, choices):
    counts = dict(published.values_list(field).annotate(n=Count("pk")).order_by())
    return [row(label, counts.get(value, 0), **{field: value}) for value, label in choices]


def by_year(published):
    counts = dict(published.values_list("year_started").annotate(n=Count("pk")).order_by())
    rows = [row(str(year), counts[year], started=year)
            for year in sorted(year for year in counts if year is not None)]
    if counts.get(None):
        rows.append(row("Year not known", counts[None]))
    return rows


def by_design(published):
    """Cumulative, as the list's design filter is: evaluated to at least each level."""
    counts = dict(published.values_list("best_design").annotate(n=Count("pk")).order_by())
    rows = [row(f"At least level {level}: {label.split(': ', 1)[1]}",
                sum(n for best, n in counts.items() if best and best >= level), design=level)
            for level, label in DesignLevel.choices]
    rows.append(row("No evaluation recorded", counts.get(None, 0)))
    return rows


def by_role(published):
    roles = CommissionerRole.objects.filter(initiative__in=published)
    counts = dict(roles.values_list("role").annotate(n=Count("initiative", distinct=True))
                  .order_by())
    rows = [row(label, counts.get(value, 0), pcc_role=value)
            for value, label in CommissionerRoleKind.choices]
    unknown = published.exclude(pk__in=roles.values("initiative")).count()
    return [*rows, row("Not known", unknown, pcc_role=ROLE_NOT_KNOWN)]


def by_related(published, model, relation, field):
    counts = dict(published.values_list(relation).annotate(n=Count("pk", distinct=True))
                  .order_by())
    rows = [row(obj.name, counts.get(obj.pk, 0), **{field: obj.slug})
            for obj in model.objects.all()]
    return rows


def by_approach(published):
    practice = practice_by_approach()
    rows = [row(approach.name, len(practice.get(approach.pk, {})), approach=approach.slug)
            for approach in Approach.objects.all()]
    unnamed = published.filter(approach=None).count()
    return [*rows, row("No named approach", unnamed)] if unnamed else rows


def charts():
    """Every chart of the page: [{"id", "title", "note", "rows", "total"}], with each row's
    bar length and position for the SVG."""
    published = Initiative.objects.published()
    total = published.count()
    specs = [
        ("theme", "By theme", "An initiative can have more than one theme.",
         by_related(published, Theme, "themes", "theme")),
        ("status", "By status", "As last reported by each initiative's sources.",
         by_choice(published, "status", Status.choices)),
        ("year", "By year started", "Where the sources give a year.", by_year(published)),
        ("stage", "By stage of evidence", "", by_choice(published, "evidence_stage",
                                                        EvidenceStage.choices)),
        ("finding", "By what the evidence found", "",
         by_choice(published, "evidence_finding", EvidenceFinding.choices)),
        ("design", "By evaluation design", "The strongest design of each initiative's "
         "recorded evaluations, on the Maryland Scientific Methods Scale (level 1 is weakest).",
         by_design(published)),
        ("role", "By what the commissioner did", "An initiative can have more than one role.",
         by_role(published)),
        ("cost", "By cost a year", "As the sources give it.",
         by_choice(published, "cost_band", CostBand.choices)),
        ("approach", "By approach", "Practice counts under its main approach and under each it "
         "also includes.", by_approach(published)),
    ]
    return [{"id": key, "title": title, "note": note, "total": total, "rows": place(rows),
             "height": len(rows) * ROW_HEIGHT} for key, title, note, rows in specs]


def place(rows):
    """Adds where each row's label, bar and count go: a label above each bar, the count
    after it. An empty bar keeps a sliver, so that the row still shows where its bar is."""
    longest = max((r["count"] for r in rows), default=0) or 1
    for index, r in enumerate(rows):
        top = index * ROW_HEIGHT
        r.update(label_y=top + 16, bar_y=top + 22, count_y=top + 38,
                 width=max(1, round(BAR_WIDTH * r["count"] / longest)))
        r["count_x"] = r["width"] + 8
    return rows
