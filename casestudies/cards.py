"""Result cards: the short form of a case study that lists of practice show.

A card is built here from a few plain values rather than from a model instance and a template.
A page of practice shows 20 of them, and making 20 model instances and rendering 20 cards
through the template engine cost about 5 ms, more than the rest of the page; reading the values
and filling in the markup below costs about a third of that. The practice_cards
template tag keeps each card in the cache, so this runs only for cards not shown since content
last changed.
"""

from html import escape

from django.urls import reverse
from django.utils.safestring import mark_safe

from pcc_practice.cache import kept_until_content_changes
from themes.models import Theme

from .models import EXCERPT_TEXTS, EvidenceFinding, EvidenceStage, Initiative, Status
from .search import excerpt

FIELDS = ["pk", "title", "slug", "summary", "status", "year_started", "evidence_stage",
          "evidence_finding", "ripe_for_replication", "area__name"]

STATUS = dict(Status.choices)
STAGE = dict(EvidenceStage.choices)
FINDING = dict(EvidenceFinding.choices)
RIPE = ' <strong class="govuk-tag govuk-tag--green">Ripe for replication</strong>'


def theme_names(ids):
    """Each initiative's theme names, in the themes' order: {id: [name, ...]}. One query of
    the themes each has, and names from a list kept until content changes."""
    themes = kept_until_content_changes(
        "theme-names", lambda: list(Theme.objects.values_list("pk", "name")), in_process=True
    )
    position = {pk: index for index, (pk, _) in enumerate(themes)}
    chosen = {}
    pairs = Initiative.themes.through.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", "theme_id"
    )
    for initiative_id, theme_id in pairs:
        chosen.setdefault(initiative_id, []).append(position[theme_id])
    return {pk: [themes[index][1] for index in sorted(positions)]
            for pk, positions in chosen.items()}


def read(ids, excerpts=False):
    """The values each card shows, as dicts in the order of `ids` (published or not: the
    caller chose the ids), with each one's `theme_names`. With `excerpts`, the texts that
    search excerpts come from are read too."""
    fields = FIELDS + EXCERPT_TEXTS if excerpts else FIELDS
    rows = {row["pk"]: row for row in Initiative.objects.filter(pk__in=ids).values(*fields)}
    names = theme_names([pk for pk in ids if pk in rows])
    cards = []
    for pk in ids:
        if pk in rows:
            rows[pk]["theme_names"] = names.get(pk, [])
            cards.append(rows[pk])
    return cards


def evidence_labels(stage, finding, ripe):
    """The two evidence labels and the replication mark, in words (the values of
    EvidenceStage and EvidenceFinding, and whether the practice is ripe for replication)."""
    return mark_safe(  # noqa: S308 - the labels are escaped, RIPE is a constant
        '<p class="app-labels"><strong class="govuk-tag govuk-tag--grey">Evidence: '
        f"{escape(STAGE.get(stage, stage).lower())}</strong>"
        ' <strong class="govuk-tag govuk-tag--blue">Found: '
        f"{escape(FINDING.get(finding, finding).lower())}</strong>{RIPE if ripe else ''}</p>"
    )


CARD = """<li class="app-result">
  <{heading} class="govuk-heading-m govuk-!-margin-bottom-2">
    <a class="govuk-link"
      href="{url}">{title}<span class="govuk-visually-hidden"> in {area}</span></a>
  </{heading}>
  <dl class="app-meta">
    <dt>Area:</dt> <dd>{area}</dd>
    <dt>Status:</dt> <dd>{status}</dd>{started}
    <dt>Themes:</dt> <dd>{themes}</dd>
  </dl>
  {labels}
  <p class="govuk-body govuk-!-margin-bottom-2">{summary}</p>{excerpt}{compare}
</li>
"""
STARTED = """
    <dt>Started:</dt> <dd>{}</dd>"""
EXCERPT = """
  <p class="govuk-body-s app-excerpt">{}</p>"""
COMPARE = """
  <div class="govuk-checkboxes govuk-checkboxes--small">
    <div class="govuk-checkboxes__item">
      <input class="govuk-checkboxes__input" id="compare-{slug}" name="item" type="checkbox"
        value="{slug}" form="compare-form">
      <label class="govuk-label govuk-checkboxes__label"
        for="compare-{slug}">Compare<span
          class="govuk-visually-hidden"> {title} in {area}</span></label>
    </div>
  </div>"""


def render(card, heading="h3", compare=False, search=""):
    """One card's markup: a list item for a list of practice.

    `heading` is the card title's element ("h2" or "h3"); `search`, the query that found it,
    adds an excerpt of its text around the first match; `compare` adds a checkbox for the
    form "compare-form". Every value is escaped here (`escape` is what Django's does, without
    the lazy-string handling that these plain values do not need).
    """
    if heading not in ("h2", "h3"):
        raise ValueError(f"A card's heading is h2 or h3, not {heading!r}")
    title, area, slug = escape(card["title"]), escape(card["area__name"]), escape(card["slug"])
    snippet = ""
    if search:
        # excerpt() escapes the text and marks the matches.
        found = next(filter(None, (excerpt(card[name], search) for name in EXCERPT_TEXTS)), "")
        snippet = EXCERPT.format(found) if found else ""
    html = CARD.format(
        heading=heading,
        url=escape(reverse("casestudies:initiative-detail", args=[card["slug"]])),
        title=title, area=area,
        status=escape(STATUS.get(card["status"], card["status"])),
        started=STARTED.format(int(card["year_started"])) if card["year_started"] else "",
        themes="; ".join(escape(name) for name in card["theme_names"]),
        labels=evidence_labels(card["evidence_stage"], card["evidence_finding"],
                               card["ripe_for_replication"]),
        summary=escape(card["summary"]),
        excerpt=snippet,
        compare=COMPARE.format(slug=slug, title=title, area=area) if compare else "",
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped
