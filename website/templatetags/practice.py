
from django import template

from website.glossary import link_terms

register = template.Library()


@register.inclusion_tag("includes/prose.html", takes_context=True)
def glossary_prose(context, text):
    """Paragraphs of editor text with the first use of each glossary term linked (once per
    page)."""
    seen = context.render_context.setdefault("glossary_terms_linked", set())
    return {"paragraphs": link_terms(text, seen)}


@register.inclusion_tag("includes/note_refs.html")
def note_refs(claims):
    """The board pack's superscript numbers of the notes behind one statement."""
    return {"claims": claims}
