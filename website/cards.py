"""Result cards, the short form of a case study in lists of practice: what each shows, read
as plain values in two queries for a whole page (templates/includes/practice_card.html shows
them; the practice_cards template tag keeps each rendered card in the cache)."""

from django.db.models import Count, OuterRef, Subquery

from casestudies.models import (
    EXCERPT_TEXTS,
    Evaluation,
    EvidenceFinding,
    EvidenceStage,
    Initiative,
    State,
    Status,
)
from casestudies.readiness import EMMIE, annotations, emmie
from casestudies.search import excerpt

FIELDS = ["pk", "title", "slug", "summary", "status", "status_reported_in", "year_started",
          "evidence_stage", "evidence_finding", "area__name", "approach__name"]
LABELS = {"status": dict(Status.choices), "evidence_stage": dict(EvidenceStage.choices),
          "evidence_finding": dict(EvidenceFinding.choices)}


def read(ids, search=""):
    """What each card of `ids` shows, as dicts in the order of `ids` (published or not: the
    caller chose the ids). With `search`, each has an excerpt around the first match."""
    best_design = (Evaluation.objects.filter(initiative=OuterRef("pk"))
                   .order_by("-design").values("design")[:1])
    # Other areas with published practice of the same approach.
    elsewhere = (Initiative.objects.filter(state=State.PUBLISHED, approach=OuterRef("approach"))
                 .exclude(area=OuterRef("area")).order_by()
                 .values("approach").annotate(n=Count("area", distinct=True)).values("n"))
    profile = annotations(*EMMIE, "ripe")  # what a card shows
    fields = [*FIELDS, *profile, "best_design", "elsewhere"]
    if search:
        fields += EXCERPT_TEXTS
    rows = {row["pk"]: row for row in Initiative.objects.filter(pk__in=ids).annotate(
        **profile, best_design=Subquery(best_design), elsewhere=Subquery(elsewhere),
    ).values(*fields)}
    themes = {}
    pairs = (Initiative.themes.through.objects.filter(initiative_id__in=rows)
             .order_by("theme__display_order", "theme__name")
             .values_list("initiative_id", "theme__name"))
    for initiative_id, name in pairs:
        themes.setdefault(initiative_id, []).append(name)
    cards = []
    for pk in ids:
        if pk not in rows:
            continue
        card = rows[pk]
        card.update(
            area_name=card["area__name"], approach_name=card["approach__name"],
            theme_names=themes.get(pk, []),
            status_label=LABELS["status"].get(card["status"], card["status"]),
            stage_label=LABELS["evidence_stage"].get(card["evidence_stage"], ""),
            finding_label=LABELS["evidence_finding"].get(card["evidence_finding"], ""),
            emmie=emmie(card),
            area_in_title=card["area__name"].lower() in card["title"].lower(),
            has_evidence_labels=card["ripe"] or (card["evidence_stage"], card["evidence_finding"])
            != (EvidenceStage.NONE, EvidenceFinding.TOO_EARLY),
        )
        if search:
            card["excerpt"] = next(
                filter(None, (excerpt(card[name], search) for name in EXCERPT_TEXTS)), None
            )
        cards.append(card)
    return cards
