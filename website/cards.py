"""Result cards, the short form of a case study in lists of practice: the initiatives of a page,
read as model instances with what a card shows (templates/includes/practice_cards.html, kept
for the page in one {% cache %} fragment: 10.7 ms a home page with it, 16.5 ms without, at
10,000; docs/performance.md, "The cache tiers kept")."""

import hashlib

from casestudies.models import EXCERPT_TEXTS, Initiative
from casestudies.readiness import emmie
from casestudies.search import excerpt


def cards(ids, search="", picked=()):
    """The initiatives `ids` (published or not: the caller chose them), in that order. Each
    carries `theme_names`, `documents` (its EMMIE headings), `picked` (on the reader's
    shortlist) and, with `search`, an `excerpt` around the first match."""
    texts = EXCERPT_TEXTS if search else ()
    found = Initiative.objects.filter(pk__in=ids).for_cards(texts).in_bulk()
    themes = theme_names(found)
    shown = []
    for pk in ids:
        if pk not in found:
            continue
        initiative = found[pk]
        initiative.theme_names = themes.get(pk, [])
        initiative.documents = emmie(initiative)
        initiative.picked = pk in picked
        if search:
            texts = (getattr(initiative, name) for name in EXCERPT_TEXTS)
            initiative.excerpt = next(filter(None, (excerpt(text, search) for text in texts)),
                                      None)
        shown.append(initiative)
    return shown


def theme_names(ids):
    """{initiative id: its themes' names, in the themes' order} for `ids`: one query of names
    rather than a prefetch of theme instances (0.8 ms against 1.7 for twenty cards at
    10,000)."""
    names = {}
    rows = (Initiative.themes.through.objects.filter(initiative_id__in=list(ids))
            .order_by("theme__display_order", "theme__name")
            .values_list("initiative_id", "theme__name"))
    for pk, name in rows:
        names.setdefault(pk, []).append(name)
    return names


def cards_key(ids, search="", picked=()):
    """The key of a page's cards in the fragment cache: what they show depends on these."""
    shown = {pk for pk in picked if pk in set(ids)}
    text = f"{list(ids)}:{search}:{sorted(shown)}"
    return hashlib.sha256(text.encode()).hexdigest()


def card_context(ids, search="", picked=()):
    """What includes/practice_cards.html needs in a fragment: `cards` (read only when the
    fragment is not in the cache) and `cards_key`."""
    return {"cards": lambda: cards(ids, search, picked),
            "cards_key": cards_key(ids, search, picked)}
