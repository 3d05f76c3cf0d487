"""Reading result cards off a page, as a reader sees them."""

import re
from html import unescape

CARD = re.compile(r'<li class="app-result"[^>]*>\s*<h[23][^>]*>\s*<a class="govuk-link" '
                  r'href="/practice/([^/"]+)/">(.*?)(<span\s+class="app-result__area">, '
                  r'(.*?)</span>)?</a>', re.S)


def cards(response):
    """(slug, title) of each result card on the page, in order; the title as the editor
    wrote it, without the area that the card adds after it."""
    return [(slug, unescape(title)) for slug, title, _, _ in CARD.findall(response.text)]


def card_headings(response):
    """Each card's heading as a reader sees it: the title, then the area unless it names it."""
    return [unescape(title + (f", {area}" if suffix else ""))
            for _, title, suffix, area in CARD.findall(response.text)]


def card_titles(response):
    return [title for _, title in cards(response)]


def card_slugs(response):
    return [slug for slug, _ in cards(response)]
