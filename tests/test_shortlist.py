"""The shortlist: kept in the address on every page of results, and what it leads to."""

import csv
import io
import sys

import pytest
from django.urls import reverse
from pypdf import PdfReader

from casestudies.models import Initiative
from casestudies.readiness import checklist
from tests import pages
from tests.pages import links, one, select, text_of

LIST = reverse("website:initiative-list")
SHORTLIST = reverse("website:shortlist")


def ticked(response):
    """The "Add to shortlist" boxes ticked on this page."""
    return [box["value"] for box in select(response, 'input[type="checkbox"][name="pick"]')
            if box.has_attr("checked")]


def hidden_picks(response, form):
    return [field["value"] for field in select(response, f'{form} input[name="pick"]')
            if field["type"] == "hidden"]


def carried(response):
    """The picks the shortlist form carries for other pages."""
    return hidden_picks(response, "form#shortlist-form")


@pytest.fixture
def many(make_initiative):
    """25 case studies: two pages of results, newest first."""
    return [make_initiative(f"Scheme {n:02d}", year_started=2000 + n) for n in range(25)]


def test_ticks_survive_paging_and_filtering(client, many):
    first, last = many[24].slug, many[0].slug  # on page 1 and on page 2
    page_one = client.get(LIST, {"pick": [first, last]})
    assert ticked(page_one) == [first]
    assert carried(page_one) == [last]
    assert text_of(page_one, "#shortlist-count") == "Your shortlist: 2 case studies"
    # Paging, the filter form and the active filters all keep the shortlist.
    next_page = one(page_one, 'a[rel="next"]')["href"]
    assert "page=2" in next_page
    page_two = client.get(LIST + next_page)
    assert ticked(page_two) == [last] and carried(page_two) == [first]
    filtered = client.get(LIST, {"pick": [first, last], "q": "Scheme"})
    assert first in hidden_picks(filtered, "form.app-filter")
    assert "pick=" not in one(filtered, 'a[href^="/practice/export.csv"]')["href"]


def test_the_shortlist_page_lists_picks_in_order_with_ways_to_act(client, many):
    a, b, c = many[3].slug, many[10].slug, many[7].slug
    response = client.get(SHORTLIST, {"pick": [a, b, c, a]})
    listed = [href for _, href in links(response, 'tbody th[scope="row"] a')]
    assert listed == [f"/practice/{slug}/" for slug in (a, b, c)], "in the order picked, once each"
    assert f'href="?pick={b}&amp;pick={c}">Remove' in response.text
    assert f'/compare/practice/?item={a}&amp;item={b}&amp;item={c}">Compare them' in \
        response.text
    assert f"/shortlist/board-pack.pdf?pick={a}&amp;pick={b}&amp;pick={c}" in response.text
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get(
        reverse("opendata:export-csv"), {"pick": [a, b, c]}).streaming_content)
        .decode()[1:])))
    assert sorted(r["Title"] for r in rows) == sorted(
        Initiative.objects.filter(slug__in=[a, b, c]).values_list("title", flat=True))


def test_a_shortlist_link_with_unpublished_or_bad_picks_says_so(client, many, make_initiative):
    make_initiative("Draft", is_published=False)
    response = client.get(SHORTLIST, {"pick": [many[0].slug, "draft", "<script>", "x" * 5000]})
    assert response.status_code == 200
    assert "3 case studies in this link are not published now" in response.text
    assert not select(response, "main script")


def test_an_empty_shortlist_explains_how_to_make_one(client, db):
    response = client.get(SHORTLIST)
    assert "Your shortlist is empty" in response.text
    assert client.get(reverse("website:board-pack")).status_code == 404


def test_each_set_of_picks_is_its_own_cached_page(client, many):
    a, b = many[24].slug, many[23].slug
    assert ticked(client.get(LIST, {"pick": a})) == [a]
    assert ticked(client.get(LIST, {"pick": b})) == [b]
    assert ticked(client.get(LIST, {"pick": a})) == [a]


def pdf(response):
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def outline_titles(reader):
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def test_a_board_pack_pdf_has_each_entry_as_a_heading_and_the_pages_text(client, seed, today):
    picks = ["cleveland-street-triage", "essex-street-triage"]
    reader = pdf(client.get(reverse("website:board-pack-pdf"), {"pick": picks}))
    headings = outline_titles(reader)
    assert headings[:2] == ["Shortlist of 2 case studies", "1. Street triage, Cleveland"]
    assert "2. Street triage, Essex" in headings
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    page = pages.text(pages.soup(client.get(reverse("website:board-pack"), {"pick": picks})))
    for slug in picks:
        initiative = Initiative.objects.get(slug=slug)
        for fact in [initiative.lead_organisation, initiative.get_cost_band_display(),
                     *[e.title for e in initiative.evaluations.all()]]:
            words = " ".join(fact.split())[:60]
            assert words in text, words
            assert words in page
        first_source = initiative.sources.order_by("title").first()
        assert first_source.url.split("//", 1)[1][:30] in text.replace(" ", "")
    assert "Open Government Licence v3.0" in text and "Produced on 7 December 2026" in text


def test_one_case_study_has_its_own_board_pack(client, seed, today):  # ripe: verified lately
    slug = "cleveland-street-triage"
    page = client.get(reverse("website:initiative-board-pack", args=[slug]))
    assert page.status_code == 200 and "download it as a PDF" in page.text
    reader = pdf(client.get(reverse("website:initiative-board-pack-pdf", args=[slug])))
    assert "Street triage, Cleveland" in outline_titles(reader)
    met = checklist(Initiative.objects.with_profile().get(slug=slug))["met"]
    assert f"Ripe for replication? {met} of 6 met" in outline_titles(reader)
    assert client.get("/practice/no-such/board-pack.pdf").status_code == 404


def test_without_weasyprint_the_pdf_link_says_to_print_the_page(client, seed, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    response = client.get(reverse("website:initiative-board-pack-pdf",
                                  args=["cleveland-street-triage"]))
    assert response.status_code == 503
    assert 'href="/practice/cleveland-street-triage/board-pack/">Open the print-ready page' \
        in response.text


@pytest.mark.parametrize("address", [LIST, SHORTLIST, reverse("website:board-pack")])
def test_picks_that_are_not_on_the_shortlist_are_not_repeated_in_the_page(client, many,
                                                                         address):
    junk = [f"not-a-case-study-{n:03d}" for n in range(40)]
    response = client.get(address, {"pick": [many[0].slug, *junk, many[0].slug]})
    assert response.status_code == 200
    assert "not-a-case-study" not in response.text
    assert response.text.count(f"pick={many[0].slug}&amp;pick={many[0].slug}") == 0


def test_each_shortlist_box_names_its_case_study_and_area_once(client, seed):
    named = next(entry for entry in Initiative.objects.published().select_related("area")
                 if entry.area_in_title)
    page = client.get(LIST, {"area": named.area.slug})
    label = one(page, f'label[for="pick-{named.slug}"]').get_text(" ", strip=True)
    assert label == f"Add to shortlist {named.title}"
    other = next(entry for entry in Initiative.objects.published().select_related("area")
                 if not entry.area_in_title)
    label = one(client.get(LIST, {"area": other.area.slug}),
                f'label[for="pick-{other.slug}"]').get_text(" ", strip=True)
    assert label == f"Add to shortlist {other.title}, {other.area.name}"
