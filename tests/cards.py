"""Reading result cards off a page, as a reader sees them."""

import re
from html import unescape

CARD = re.compile(r'<li class="app-result">\s*<h[23][^>]*>\s*<a class="govuk-link" '
                  r'href="/practice/([^/"]+)/">(.*?)<span class="govuk-visually-hidden">', re.S)


def cards(response):
    """(slug, title) of each result card on the page, in order."""
    return [(slug, unescape(title)) for slug, title in CARD.findall(response.text)]


def card_titles(response):
    return [title for _, title in cards(response)]


def card_slugs(response):
    return [slug for slug, _ in cards(response)]
