import hashlib
from html import escape

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.defaultfilters import linebreaks_filter
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from casestudies import cards
from casestudies.glossary import link_terms
from pcc_practice.cache import content_version

register = template.Library()


@register.simple_tag
def practice_cards(initiatives, heading="h3", compare=False, search=""):
    """The result cards (see casestudies/cards.py) of `initiatives`, a CardRows.

    Each card is rendered once per content version and kept in the cache, fetched in one
    call, so lists, area, theme and home pages that show the same case study share it. Cards
    with a search excerpt vary with the query, so they are kept for each query.
    """
    def render(ids):
        return {card["pk"]: cards.render(card, heading, compare, search)
                for card in cards.read(ids, excerpts=initiatives.excerpts)}

    ids = initiatives.ids
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        rendered = render(ids)
        return mark_safe("".join(rendered[pk] for pk in ids if pk in rendered))  # noqa: S308
    # CardRows gives the ids; rows are read only for the cards that are not cached.
    kind = f"{content_version()}:{heading}:{int(bool(compare))}"
    if search:
        kind += ":" + hashlib.sha256(search.encode()).hexdigest()[:32]
    keys = {pk: f"card:{kind}:{pk}" for pk in ids}
    found = cache.get_many(list(keys.values()))
    missing_ids = [pk for pk in ids if keys[pk] not in found]
    if missing_ids:
        # One query for the cards still to render and one for their themes, none when all
        # are cached.
        rendered = {keys[pk]: html for pk, html in render(missing_ids).items()}
        cache.set_many(rendered, timeout=seconds)
        found.update(rendered)
    return mark_safe("".join(found[keys[pk]] for pk in ids if keys[pk] in found))  # noqa: S308


_unchanging = {}


@register.simple_tag
def unchanging(template_name, **context):
    """`template_name` rendered with `context` alone, such as the site's header and footer.

    Its output changes only with the code and `context`, so each process renders it once for
    each context (every time with DEBUG on, so that template edits show at once).
    """
    key = (template_name, *sorted(context.items()))
    html = _unchanging.get(key)
    if html is None or settings.DEBUG:
        html = _unchanging[key] = mark_safe(get_template(template_name).render(context))  # noqa: S308
    return html


OPTION = """<div class="govuk-checkboxes__item">
  <input class="govuk-checkboxes__input" id="{id}" name="{name}" type="checkbox"
    value="{value}"{checked}>
  <label class="govuk-label govuk-checkboxes__label" for="{id}">{label}{count}</label>
</div>"""
COUNT = ' <span class="app-count">({}<span class="govuk-visually-hidden"> result{}</span>)</span>'


@register.simple_tag
def checkbox_options(group):
    """The checkboxes of one filter group (see filter_groups in views.py), each with its
    result count. Built here with escaped format strings, as the result cards are
    (casestudies/cards.py), rather than in a template loop or with format_html: the filter
    panel has about 80 options, and either cost several milliseconds a new panel."""
    name = escape(str(group["name"]))
    options = []
    for option in group["options"]:
        count = option["count"]
        options.append(OPTION.format(
            id=escape(str(option["id"])), name=name, value=escape(str(option["value"])),
            checked=" checked" if option["checked"] else "", label=escape(str(option["label"])),
            count="" if count is None else COUNT.format(int(count), "" if count == 1 else "s"),
        ))
    return mark_safe("\n".join(options))  # noqa: S308 - every value above is escaped


@register.simple_tag
def evidence_labels(initiative):
    """The two evidence labels and the replication mark of an initiative, in words."""
    return cards.evidence_labels(initiative.evidence_stage, initiative.evidence_finding,
                                 initiative.ripe_for_replication)


@register.filter
def without_nulls(value):
    """Typed text shown back in a form, less any null character, which HTML cannot carry
    (the form says that null characters are not allowed)."""
    return str(value).replace("\x00", "")


@register.simple_tag(takes_context=True)
def glossary_prose(context, text):
    """Paragraphs of editor text with the first use of each glossary term linked (once per
    page)."""
    seen = context.render_context.setdefault("glossary_terms_linked", set())
    return linebreaks_filter(link_terms(text, seen))


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
