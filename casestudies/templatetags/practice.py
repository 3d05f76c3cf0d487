import hashlib
import json

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from casestudies import cards
from casestudies.glossary import link_terms
from pcc_practice.cache.version import content_version

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


@register.filter
def json_ld(data):
    """`data` (a dict) as JSON for a <script type="application/ld+json"> block: with <, > and &
    escaped as Django's json_script does, so that no text can close the block."""
    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils.html import _json_script_escapes

    # dict() also evaluates a lazy object (the view's are read only when not cached).
    text = json.dumps(dict(data), cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_json_script_escapes))  # noqa: S308


@register.filter
def without_nulls(value):
    """Typed text shown back in a form, less any null character, which HTML cannot carry
    (the form says that null characters are not allowed)."""
    return str(value).replace("\x00", "")


@register.inclusion_tag("includes/prose.html", takes_context=True)
def glossary_prose(context, text):
    """Paragraphs of editor text with the first use of each glossary term linked (once per
    page)."""
    seen = context.render_context.setdefault("glossary_terms_linked", set())
    return {"paragraphs": link_terms(text, seen)}


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # The content is template output, so it is already escaped.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}...{% endcapture %} renders its content once into `name`.

    Lets the base template use a block (such as the page title) in several places.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
