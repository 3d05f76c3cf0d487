from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.safestring import mark_safe

from casestudies.glossary import link_terms
from casestudies.search import excerpt

register = template.Library()


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
