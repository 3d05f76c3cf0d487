"""Template tags for every page of the site, whatever app renders it ({% load site %})."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

register = template.Library()

# What json_script escapes, so that no text can close a <script> block.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """`data` (a dict) as JSON for a <script type="application/ld+json"> block: with <, > and &
    escaped as Django's json_script does, so that no text can close the block."""
    # dict() also evaluates a lazy object (the view's are read only when not cached).
    text = json.dumps(dict(data), cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(SCRIPT_ESCAPES))  # noqa: S308


@register.filter
def without_nulls(value):
    """Typed text shown back in a form, less any null character, which HTML cannot carry
    (the form says that null characters are not allowed)."""
    return str(value).replace("\x00", "")


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
