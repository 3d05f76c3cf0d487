"""Reading pages as a reader's browser does: parsed as HTML (Beautiful Soup with Python's own
html.parser), text with its white space collapsed, links followed by their address."""

import functools
import json

from bs4 import BeautifulSoup, SoupStrainer
from django.urls import Resolver404, resolve


def soup(page, only=None):
    """The parsed page: a test client's response, HTML as text, or an element already parsed.
    With `only` ({attribute: value, or True for any}), just the elements that match and all
    they hold: quicker, for helpers that read one part of a page. The same page is parsed
    once; what is parsed must not be changed."""
    if hasattr(page, "select"):
        return page
    key = tuple(sorted(only.items())) if only else ()
    if isinstance(page, str | bytes):
        return _parse(page, key)
    parsed = page.__dict__.setdefault("_parsed_html", {})
    if key not in parsed:
        parsed[key] = _parse(page.text, key)
    return parsed[key]


@functools.lru_cache(maxsize=16)
def _parse(html, only):
    return BeautifulSoup(html, "html.parser",
                         parse_only=SoupStrainer(attrs=dict(only)) if only else None)


def text(element):
    """An element's text as a browser shows it: runs of white space as one space, trimmed."""
    return " ".join(element.get_text().split())


def select(page, selector):
    return soup(page).select(selector)


def one(page, selector):
    """The single element that `selector` finds; fails unless there is exactly one."""
    found = select(page, selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}"
    return found[0]


def text_of(page, selector):
    """The text of the single element that `selector` finds."""
    return text(one(page, selector))


def texts_of(page, selector):
    return [text(element) for element in select(page, selector)]


def links(page, selector="a"):
    """(text, href) of each link that `selector` finds, in order."""
    return [(text(a), a["href"]) for a in select(page, selector) if a.has_attr("href")]


def rows(page, selector="table"):
    """Each body row of the single table `selector` finds, as the text of its cells (header
    cells too), with the row's first link, if any, as the last item."""
    table = one(page, selector)
    body = table.find_all("tbody") or [table]
    found = []
    for tr in (tr for part in body for tr in part.find_all("tr")):
        link = tr.find("a", href=True)
        found.append([*(text(cell) for cell in tr.find_all(["th", "td"])),
                      link["href"] if link else None])
    return found


JSON_LD = {"type": "application/ld+json"}


def json_ld(page):
    """Each block of schema.org JSON-LD on the page, parsed."""
    return [json.loads(script.string)
            for script in select(soup(page, JSON_LD), 'script[type="application/ld+json"]')]


def checkbox(page, name, value):
    """(ticked, label text) of the checkbox `name` with `value`."""
    box = one(page, f'input[type="checkbox"][name="{name}"][value="{value}"]')
    label = one(page, f'label[for="{box["id"]}"]')
    return box.has_attr("checked"), text(label)


def field_value(page, name):
    """The value of the single form field called `name`."""
    return one(page, f'[name="{name}"]').get("value", "")


# Result cards (templates/includes/practice_cards.html: each card's <li> is marked data-card).
CARDS = {"data-card": True}

def _card_link(card):
    heading = card.find(["h2", "h3"])
    assert heading is not None, "a card without a heading"
    link = heading.find("a", href=True)
    try:
        match = resolve(link["href"])
    except Resolver404:
        match = None
    assert match and match.view_name == "website:initiative-detail", link["href"]
    return match.kwargs["slug"], link


def cards(page):
    """(slug, title) of each result card on the page, in order: the slug from the address its
    heading links to, the title as the editor wrote it, without the area that the card adds
    after it."""
    found = []
    for card in select(soup(page, CARDS), "[data-card]"):
        slug, link = _card_link(card)
        found.append((slug, "".join(link.find_all(string=True, recursive=False))))
    return found


def card_headings(page):
    """Each card's heading as a reader sees it: the title, then the area unless it names it."""
    return [text(_card_link(card)[1]) for card in select(soup(page, CARDS), "[data-card]")]


def card_titles(page):
    return [title for _, title in cards(page)]


def card_slugs(page):
    return [slug for slug, _ in cards(page)]
