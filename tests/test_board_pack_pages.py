"""Board packs fit a board paper: at most two A4 pages a case study, for every published entry;
a shortlist opens with a one-page summary table; an area's next steps fit two pages. The PDFs
are made here as the site makes them (website/pdf.py, from the same template), in this process
rather than one per PDF."""

import io

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from casestudies.models import Area, Initiative
from tests.pages import select, text
from website.boardpack import context, packed
from website.myarea import next_steps

pdf = pytest.importorskip("website.pdf", reason="WeasyPrint needs Pango (make system-deps)")

SITE = "http://testserver/"


def made(template, values):
    """The pages' text of the PDF that `template` with `values` makes."""
    html = render_to_string(template, values)
    reader = PdfReader(io.BytesIO(pdf.render(html, SITE)))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def squeezed(text):
    """`text` without spaces, as a PDF's text may break a line anywhere."""
    return "".join(text.split())


def pack(ids, title):
    request = RequestFactory().get("/")
    return made("website/board_pack_document.html", context(request, packed(ids), title))


def test_every_published_case_study_fits_two_pages_with_its_title_once(seed, today):
    published = Initiative.objects.published().select_related("area")
    assert published.count() >= 50
    over, titles = {}, {}
    for initiative in published:
        pages = pack([initiative.pk], initiative.title_with_area)
        if len(pages) > 2:
            over[initiative.slug] = len(pages)
        text = squeezed(" ".join(pages))
        if text.count(squeezed(initiative.title_with_area)) != 1:
            titles[initiative.slug] = text[:300]
        assert squeezed(initiative.lead_organisation[:40]) in text, initiative.slug
    assert not over, f"board packs over two pages: {over}"
    assert not titles, f"the title is not printed once: {titles}"


def test_a_pack_keeps_its_bullets_numbers_and_lettered_sources(seed, today):
    initiative = Initiative.objects.get(slug="cleveland-street-triage")
    text = " ".join(pack([initiative.pk], initiative.title_with_area))
    assert text.count("•") >= 6  # the checklist's bullets
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:initiative.sources.count()]
    assert all(f"{letter}." in text for letter in letters)  # the sources' letters
    claims = list(initiative.claims.select_related("source"))
    first = sorted(claims, key=lambda claim: claim.pk)[0]
    assert f"“{' '.join(first.quote.split())[:30]}" in text
    assert "(A, " in text  # a note names its source's letter
    for source in initiative.sources.all():
        assert source.url.split("//", 1)[1][:25] in text.replace(" ", ""), source.url


def test_a_shortlist_pack_opens_with_its_summary_then_two_pages_at_most_an_entry(seed, today):
    chosen = list(Initiative.objects.published().select_related("area", "approach")
                  .with_profile().order_by("-readiness", "title")[:5])
    pages = pack([entry.pk for entry in chosen], "Shortlist of 5 case studies")
    assert len(pages) <= 11
    summary = pages[0]
    assert "The shortlist at a glance" in summary
    for number, entry in enumerate(chosen, 1):
        assert f"{number}. {entry.title_with_area}" in summary
        assert entry.get_cost_band_display() in summary
    # Each entry starts on a page of its own after the summary, in the shortlist's order.
    starts = [next(index for index, page in enumerate(pages[1:], 1)
                   if page.startswith(f"{number}. {entry.title_with_area}"))
              for number, entry in enumerate(chosen, 1)]
    assert starts == sorted(set(starts))


def test_the_case_study_page_tells_who_paid_apart_from_who_delivered(client, seed):
    initiative = (Initiative.objects.published().filter(funders__role="delivers")
                  .filter(funders__role__in=["funder", "co-funder", "commissions"]).first())
    assert initiative is not None, "the seed has an entry with both kinds of part"
    rows = {text(row.select_one("dt")): text(row.select_one("dd"))
            for row in select(client.get(initiative.get_absolute_url()),
                              ".govuk-summary-list__row")}
    for funder in initiative.funders.select_related("partner"):
        words = f"{funder.partner.name}: {funder.get_role_display().lower()}"
        where = "Partners" if funder.role == "delivers" else "Cost"
        assert words in rows[where], (where, words)
        assert words not in rows["Cost" if where == "Partners" else "Partners"]


def test_every_area_has_next_steps_as_a_board_pack_of_two_pages_at_most(client, seed, today,
                                                                        settings):
    request = RequestFactory().get("/")
    for area in Area.objects.order_by("name"):
        values = {"area": area, **next_steps(area), "produced": today, "licence": "",
                  "site": request.build_absolute_uri("/").rstrip("/")}
        pages = made("website/area_next_document.html", values)
        assert len(pages) <= 2, (area.slug, len(pages))
        assert f"What {area.name} could do next" in pages[0]
    # Served as a PDF, linked from the page.
    settings.BOARD_PACK_RATE_LIMIT = (100, 600)
    page = client.get(reverse("website:area-next", args=["kent"])).text
    link = reverse("website:area-next-pdf", args=["kent"])
    assert f'href="{link}"' in page
    response = client.get(link)
    assert response["Content-Type"] == "application/pdf"
    assert "kent-next-steps" in response["Content-Disposition"]
    assert client.get(reverse("website:area-next-pdf", args=["no-such-area"])).status_code == 404
