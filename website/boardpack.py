"""Board packs: one case study, or a shortlist, laid out as a briefing for a Police and Crime
Panel or partnership board, as a print-ready page and as a PDF (WeasyPrint, from the same
template, with static/css/board-pack.css)."""

import hashlib
import importlib.util
import logging
import string
import subprocess
import sys

from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.generic import TemplateView

from casestudies.models import Funder, Initiative
from casestudies.quoted import notes
from casestudies.readiness import checklist
from pcc_practice.cache.version import content_version
from pcc_practice.ratelimit import over_limit, slot

from .shortlist import PARAMETER, shortlist_of

logger = logging.getLogger(__name__)
# A render slot held longer than gunicorn's timeout belongs to a killed worker: free again.
RENDER_SECONDS = 120
BUSY_RETRY_SECONDS = 10
# A note's quote is cut to this many words, so that a case study fits two pages.
QUOTE_WORDS = 10
PDF_CACHE_SECONDS = 24 * 3600  # keyed by content version and day besides
LICENCE = ("Text written by PCC Practice may be reused under the Open Government Licence "
           "v3.0. Sources keep their own terms; check them before you rely on a figure.")


def lettered(initiative, found):
    """The sources of `initiative`, lettered A, B, C ... with any that only a quoted claim
    cites after them; each claim of `found` gets its source's letter, so a note need not
    repeat the source's title and address."""
    sources = {source.pk: source for source in initiative.sources.all()}
    for claim in found:
        sources.setdefault(claim.source_id, claim.source)
    for index, source in enumerate(sources.values()):
        source.letter = string.ascii_uppercase[index % 26] * (index // 26 + 1)
    for claim in found:
        claim.letter = sources[claim.source_id].letter
    return list(sources.values())


def packed(ids):
    """The case studies `ids`, in that order, with everything a board pack shows."""
    rows = {initiative.pk: initiative for initiative in Initiative.objects.published()
            .filter(pk__in=ids).select_related("area", "approach").with_profile()
            .prefetch_related("evaluations", "costs", "funders__partner",
                              "commissioner_roles", "sources", "partners", "claims__source")}
    entries = []
    for initiative in (rows[pk] for pk in ids if pk in rows):
        found = notes(initiative)
        paid, delivers = Funder.split(initiative.funders.all())
        # Each partner once, with its part in delivering the practice where it has one.
        delivering = {funder.partner_id: funder for funder in delivers}
        partners = [(partner.name, delivering.pop(partner.pk, None))
                    for partner in initiative.partners.all()]
        partners += [(funder.partner.name, funder) for funder in delivering.values()]
        entries.append({
            "initiative": initiative, "checklist": checklist(initiative), "notes": found,
            "sources": lettered(initiative, found), "partners": partners,
            "paid": paid})
    return entries


def chosen(request, slug=None):
    """The entries of a pack: the case study `slug`, or the shortlist in the query."""
    shortlist = shortlist_of(request)
    if slug is not None:
        initiative = get_object_or_404(Initiative.objects.published().select_related("area"),
                                       slug=slug)
        return packed([initiative.pk]), initiative.title_with_area
    entries = packed(shortlist.ids)
    if not entries:
        raise Http404("There is nothing on this shortlist to put in a board pack.")
    return entries, f"Shortlist of {len(entries)} case stud{'y' if len(entries) == 1 else 'ies'}"


def context(request, entries, title):
    return {"entries": entries, "pack_title": title, "produced": timezone.localdate(),
            "licence": LICENCE, "site": request.build_absolute_uri("/").rstrip("/"),
            "quote_words": QUOTE_WORDS}


class BoardPackView(TemplateView):
    """The print-ready page of a board pack."""

    template_name = "website/board_pack.html"
    query_parameters = frozenset([PARAMETER])

    def get(self, request, slug=None):
        entries, title = chosen(request, slug)
        pdf = f"{request.path.rstrip('/')}.pdf"  # board-pack/ beside board-pack.pdf
        return self.render_to_response({**context(request, entries, title), "pdf_url": pdf,
                                        "query": request.GET.urlencode()})


def pdf_key(request, parts):
    """What a PDF depends on: `parts` (a pack's entries in order, after a shortlist's repeats
    and unknown picks are gone), the content version, the day it shows and the site's
    address."""
    parts = f"{parts}|{timezone.localdate()}|{request.build_absolute_uri('/')}"
    return f"pdf:{content_version()}:{hashlib.sha256(parts.encode()).hexdigest()}"


def refused(request, page_url, status, reason, retry_after):
    response = TemplateResponse(request, "website/board_pack_busy.html",
                                {"page_url": page_url, "reason": reason,
                                 "retry_after": retry_after}, status=status)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def render_elsewhere(html, base_url):
    """The PDF of `html`, made by website/pdf.py in a process of its own: WeasyPrint and what a
    render takes (some tens of MB) never stay in the worker, and a render that runs past
    RENDER_SECONDS is stopped."""
    done = subprocess.run(  # noqa: S603 (this interpreter, a module of the site)
        [sys.executable, "-m", "website.pdf", base_url], input=html.encode(),
        capture_output=True, timeout=RENDER_SECONDS, cwd=settings.BASE_DIR, check=False)
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        raise subprocess.SubprocessError(done.stderr.decode("utf-8", "replace")[-2000:])
    return done.stdout


def unavailable(request, page_url):
    return TemplateResponse(request, "website/board_pack_unavailable.html",
                            {"page_url": page_url}, status=503)


def pdf_response(request, *, parts, template, context, page_url, name):
    """`template` with `context` as a PDF named for `name`, kept once made until content
    changes. Making one takes seconds, so few are made at once across all workers and each
    address may ask for few: a request past either limit is answered at once with a page
    saying when to try again (and pointing to `page_url`, the print-ready page), never kept
    waiting. Where WeasyPrint's system libraries are missing, a page says so."""
    key = pdf_key(request, parts)
    pdf = caches["boardpacks"].get(key)
    if pdf is None:
        if importlib.util.find_spec("weasyprint") is None:
            return unavailable(request, page_url)
        limit, window = settings.BOARD_PACK_RATE_LIMIT
        if over_limit(request, "board-pack", limit, window):
            return refused(request, page_url, 429, "many", window)
        with slot("board-pack", settings.BOARD_PACK_RENDERS, RENDER_SECONDS) as free:
            if not free:
                return refused(request, page_url, 503, "busy", BUSY_RETRY_SECONDS)
            html = render_to_string(template, context, request=request)
            try:
                pdf = render_elsewhere(html, request.build_absolute_uri("/"))
            except (OSError, subprocess.SubprocessError) as failed:
                logger.error("A PDF could not be made: %s", failed)
                return unavailable(request, page_url)
        caches["boardpacks"].set(key, pdf, timeout=PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="pcc-practice-{name}-{timezone.localdate().isoformat()}.pdf"')
    return response


def board_pack_pdf(request, slug=None):
    """A case study's or a shortlist's board pack as a PDF."""
    entries, title = chosen(request, slug)
    ids = ",".join(str(entry["initiative"].pk) for entry in entries)
    page_url = request.path.removesuffix(".pdf") + "/"  # board-pack.pdf beside board-pack/
    if request.GET:
        page_url += f"?{request.GET.urlencode()}"
    return pdf_response(request, parts=f"{slug or ''}|{ids}",
                        template="website/board_pack_document.html",
                        context=context(request, entries, title), page_url=page_url,
                        name=slug or "shortlist")
