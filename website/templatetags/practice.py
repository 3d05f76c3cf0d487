import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from pcc_practice.cache.version import content_version
from website import cards
from website.glossary import link_terms

register = template.Library()


@register.simple_tag
def practice_cards(ids, heading="h3", shortlist=None, search=""):
    """The result cards of the initiatives `ids`, in order, through
    templates/includes/practice_card.html.

    Each card is kept in the cache until content changes, and a page's cards are fetched in one
    call, so lists, area, theme and home pages that show the same case study share it, and
    rows are read only for the cards not kept. Cards with a search excerpt vary with the query,
    so they are kept for each query. This is the one cache of rendered markup outside
    {% cache %}: a fragment cache cannot share one card between pages (docs/performance.md).
    """
    card_template = get_template("includes/practice_card.html")
    # With `shortlist` (the ids on the reader's shortlist), each card has its "Add to
    # shortlist" box, ticked when on it: each card is kept both ways.
    boxes = shortlist is not None
    picked = set(shortlist or ())

    def render(missing):
        return {card["pk"]: card_template.render(
                    {"card": card, "heading": heading, "shortlist": boxes,
                     "picked": card["pk"] in picked})
                for card in cards.read(missing, search=search)}

    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        found = render(ids)
        keys = {pk: pk for pk in ids}
    else:
        kind = f"{content_version()}:{heading}:{int(boxes)}"
        if search:
            kind += ":" + hashlib.sha256(search.encode()).hexdigest()[:32]
        keys = {pk: f"card:{kind}:{pk}:{int(pk in picked)}" for pk in ids}
        found = cache.get_many(list(keys.values()))
        missing = [pk for pk in ids if keys[pk] not in found]
        if missing:
            rendered = {keys[pk]: html for pk, html in render(missing).items()}
            cache.set_many(rendered, timeout=seconds)
            found.update(rendered)
    # Template output, already escaped.
    return mark_safe("".join(found[keys[pk]] for pk in ids if keys[pk] in found))  # noqa: S308


@register.inclusion_tag("includes/prose.html", takes_context=True)
def glossary_prose(context, text):
    """Paragraphs of editor text with the first use of each glossary term linked (once per
    page)."""
    seen = context.render_context.setdefault("glossary_terms_linked", set())
    return {"paragraphs": link_terms(text, seen)}
