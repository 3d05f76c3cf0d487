"""Board packs: one case study, or a shortlist, laid out as a briefing for a Police and Crime
Panel or partnership board, as a print-ready page and as a PDF (WeasyPrint, from the same
template, with static/css/board-pack.css)."""

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.generic import TemplateView

from casestudies.models import Initiative
from casestudies.quoted import notes
from casestudies.readiness import checklist, emmie

from .shortlist import PARAMETER, Shortlist

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "board-pack.css"
LICENCE = ("Text written by PCC Practice may be reused under the Open Government Licence "
           "v3.0. Sources keep their own terms; check them before you rely on a figure.")


def packed(ids):
    """The case studies `ids`, in that order, with everything a board pack shows."""
    rows = {initiative.pk: initiative for initiative in Initiative.objects.published()
            .filter(pk__in=ids).select_related("area", "approach").with_profile()
            .prefetch_related("evaluations", "costs", "funders__partner",
                              "commissioner_roles", "sources", "partners", "claims__source")}
    return [{"initiative": rows[pk], "checklist": checklist(rows[pk]),
             "emmie": emmie(rows[pk]), "notes": notes(rows[pk])} for pk in ids if pk in rows]


def chosen(request, slug=None):
    """The entries of a pack: the case study `slug`, or the shortlist in the query."""
    if slug is not None:
        initiative = get_object_or_404(Initiative.objects.published().select_related("area"),
                                       slug=slug)
        return packed([initiative.pk]), initiative.title_with_area
    entries = packed(Shortlist(request.GET).ids)
    if not entries:
        raise Http404("There is nothing on this shortlist to put in a board pack.")
    return entries, f"Shortlist of {len(entries)} case stud{'y' if len(entries) == 1 else 'ies'}"


def context(request, entries, title):
    return {"entries": entries, "pack_title": title, "produced": timezone.localdate(),
            "licence": LICENCE, "site": request.build_absolute_uri("/").rstrip("/")}


class BoardPackView(TemplateView):
    """The print-ready page of a board pack."""

    template_name = "website/board_pack.html"
    query_parameters = frozenset([PARAMETER])

    def get(self, request, slug=None):
        entries, title = chosen(request, slug)
        pdf = f"{request.path.rstrip('/')}.pdf"  # board-pack/ beside board-pack.pdf
        return self.render_to_response({**context(request, entries, title), "pdf_url": pdf,
                                        "query": request.GET.urlencode()})


def board_pack_pdf(request, slug=None):
    """The same board pack as a PDF. Where WeasyPrint's system libraries are missing, a page
    says so and points to the print-ready page instead."""
    entries, title = chosen(request, slug)
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError):  # OSError: Pango, which WeasyPrint loads, is missing
        return TemplateResponse(request, "website/board_pack_unavailable.html",
                                {"query": request.GET.urlencode(), "slug": slug}, status=503)
    html = render_to_string("website/board_pack_document.html",
                            context(request, entries, title), request=request)
    document = HTML(string=html, base_url=request.build_absolute_uri("/"))
    pdf = document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slug or "shortlist"
    response["Content-Disposition"] = (
        f'attachment; filename="pcc-practice-{name}-{timezone.localdate().isoformat()}.pdf"')
    return response
