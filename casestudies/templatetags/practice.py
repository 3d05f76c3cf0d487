import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.defaultfilters import linebreaks_filter
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from casestudies.glossary import link_terms
from casestudies.models import Initiative
from casestudies.search import excerpt
from pcc_practice.cache import content_version, kept_until_content_changes
from themes.models import Theme

register = template.Library()


def add_theme_names(initiatives):
    """Sets each initiative's `theme_names`, in the themes' order, for its card: one query of
    the themes each has, and names from a list kept until content changes."""
    themes = kept_until_content_changes(
        "theme-names", lambda: list(Theme.objects.values_list("pk", "name")), in_process=True
    )
    position = {pk: index for index, (pk, _) in enumerate(themes)}
    chosen = {}
    pairs = Initiative.themes.through.objects.filter(
        initiative_id__in=[i.pk for i in initiatives]
    ).values_list("initiative_id", "theme_id")
    for initiative_id, theme_id in pairs:
        chosen.setdefault(initiative_id, []).append(position[theme_id])
    for initiative in initiatives:
        positions = sorted(chosen.get(initiative.pk, []))
        initiative.theme_names = [themes[index][1] for index in positions]


@register.simple_tag
def practice_cards(initiatives, heading="h3", compare=False, search=""):
    """The result cards (includes/initiative_card.html) of `initiatives`, a CardRows.

    Each card is rendered once per content version and kept in the cache, fetched in one
    call, so lists, area, theme and home pages that show the same case study share it. Cards
    with a search excerpt vary with the query, so they are kept for each query.
    """
    card = get_template("includes/initiative_card.html")

    def render(initiative):
        return card.render({"initiative": initiative, "heading": heading,
                            "compare": compare, "search": search})

    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        initiatives = list(initiatives)
        add_theme_names(initiatives)
        return mark_safe("".join(render(i) for i in initiatives))  # noqa: S308 - template output
    # CardRows gives the ids, and reads rows only for the cards that are not cached.
    ids = initiatives.ids
    kind = f"{content_version()}:{heading}:{int(bool(compare))}"
    if search:
        kind += ":" + hashlib.sha256(search.encode()).hexdigest()[:32]
    keys = {pk: f"card:{kind}:{pk}" for pk in ids}
    found = cache.get_many(list(keys.values()))
    missing_ids = [pk for pk in ids if keys[pk] not in found]
    if missing_ids:
        missing = initiatives.fetch(missing_ids)
        # One query for the themes of every card still to render, none when all are cached.
        add_theme_names(missing)
        rendered = {keys[i.pk]: render(i) for i in missing}
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


@register.simple_tag
def checkbox_options(group):
    """The checkboxes of one filter group (see filter_groups in views.py), each with its
    result count. Built here rather than in a template loop: the filter panel has about 80
    options, and rendering each through a dozen template nodes cost more than the rest of the
    page."""
    options = []
    for option in group["options"]:
        count = option["count"]
        counted = "" if count is None else format_html(
            ' <span class="app-count">({}<span class="govuk-visually-hidden"> result{}</span>)'
            "</span>", count, "" if count == 1 else "s",
        )
        options.append(format_html(
            '<div class="govuk-checkboxes__item">\n'
            '  <input class="govuk-checkboxes__input" id="{}" name="{}" type="checkbox"'
            ' value="{}"{}>\n'
            '  <label class="govuk-label govuk-checkboxes__label" for="{}">{}{}</label>\n'
            "</div>",
            option["id"], group["name"], option["value"], " checked" if option["checked"] else "",
            option["id"], option["label"], counted,
        ))
    return mark_safe("\n".join(options))  # noqa: S308 - each part escaped by format_html


@register.simple_tag
def evidence_labels(initiative):
    """The two evidence labels and the replication mark of an initiative, in words.

    A tag rather than an included template, because every result card shows them and an
    include costs more than the rest of a card."""
    ripe = ' <strong class="govuk-tag govuk-tag--green">Ripe for replication</strong>'
    return format_html(
        '<p class="app-labels"><strong class="govuk-tag govuk-tag--grey">Evidence: {}</strong>'
        ' <strong class="govuk-tag govuk-tag--blue">Found: {}</strong>{}</p>',
        initiative.get_evidence_stage_display().lower(),
        initiative.get_evidence_finding_display().lower(),
        mark_safe(ripe) if initiative.ripe_for_replication else "",  # noqa: S308 - a constant
    )


@register.filter
def without_nulls(value):
    """Typed text shown back in a form, less any null character, which HTML cannot carry
    (the form says that null characters are not allowed)."""
    return str(value).replace("\x00", "")


@register.simple_tag
def search_excerpt(initiative, query):
    """The part of an initiative's longer text that matches a search, if any, marked up."""
    if not query:
        return ""
    return excerpt(initiative.description, query) or excerpt(initiative.outcomes, query)


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
