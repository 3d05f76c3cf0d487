"""Taking results away: CSV and JSON exports, the Atom feed, the sitemap and robots.txt."""

import csv
import gzip
import io
import json
from xml.etree import ElementTree

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from casestudies.models import Approach, Initiative
from tests.pages import one

LIST = reverse("website:initiative-list")
CSV = reverse("opendata:export-csv")
JSON = reverse("opendata:export-json")
FEED = reverse("opendata:practice-feed")
ATOM = "{http://www.w3.org/2005/Atom}"
XLSX = reverse("opendata:export-xlsx")


def body(response):
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response):
    text = body(response)
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_exports_are_compressed_as_they_stream_for_browsers_that_accept_gzip(client, seed):
    for address in (CSV, JSON):
        plain = b"".join(client.get(address).streaming_content)
        packed = client.get(address, headers={"accept-encoding": "gzip"})
        assert packed.streaming and packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(b"".join(packed.streaming_content)) == plain


def test_csv_export_follows_the_filters_and_streams(client, seed):
    response = client.get(CSV, {"area": "norfolk"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    expected = Initiative.objects.published().filter(area__slug="norfolk")
    assert sorted(r["Title"] for r in rows) == sorted(expected.values_list("title", flat=True))
    assert rows[0]["Address"].startswith("http://testserver/practice/")
    assert rows[0]["Sources"] and "http" in rows[0]["Sources"]


def test_csv_export_includes_every_public_field(client, seed):
    rows = csv_rows(client.get(CSV, {"q": "Scarborough"}))
    row = rows[0]
    assert row["Area"] == "North Yorkshire" and row["Region"] == "Yorkshire and The Humber"
    scarborough = Initiative.objects.get(slug="north-yorkshire-scarborough-street-triage-pilot")
    assert row["Year started"] == "2013"
    assert row["Status"] == scarborough.get_status_display()
    assert row["Status as last reported in"] == str(scarborough.status_reported_in)
    assert "£200,000" in row["What was done"] + row["Cost figures"]
    assert row["Partners"].startswith("Department of Health")


def test_csv_cells_cannot_become_formulas(client, make_initiative):
    make_initiative("=HYPERLINK(\"http://evil\")", slug="evil", summary="+1", description="@x")
    row = csv_rows(client.get(CSV))[0]
    assert row["Title"] == "'=HYPERLINK(\"http://evil\")"
    assert row["Summary"] == "'+1" and row["What was done"] == "'@x"


def test_exports_leave_out_drafts(client, make_initiative):
    make_initiative("Live")
    make_initiative("Draft", is_published=False)
    assert [r["Title"] for r in csv_rows(client.get(CSV))] == ["Live"]
    assert [r["title"] for r in json.loads(body(client.get(JSON)))["results"]] == ["Live"]


def test_json_export_follows_the_filters_and_search(client, seed):
    response = client.get(JSON, {"q": "triage", "region": "north-east"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(body(response))
    expected = Initiative.objects.published().search("triage").filter(area__region="north-east")
    assert {r["title"] for r in data["results"]} == set(expected.values_list("title", flat=True))
    first = data["results"][0]
    assert first["url"].startswith("http://testserver/practice/")
    assert {"title", "publisher", "date", "url"} <= set(first["sources"][0])
    assert "q=triage" in data["source"]


@pytest.mark.parametrize("url", [CSV, JSON, XLSX, FEED])
def test_exports_and_feed_say_why_they_refuse_invalid_filters(client, seed, url):
    response = client.get(url, {"area": "atlantis", "status": "operating"})
    assert response.status_code == 400
    assert "There is a problem with the filters" in response.text
    assert "Area: Select a valid choice. atlantis is not one of the available choices." \
        in response.text
    assert f'href="{LIST}?area=atlantis&amp;status=operating">Go back to the list' \
        in response.text


def test_the_list_offers_no_downloads_until_its_filters_are_corrected(client, seed):
    html = client.get(LIST, {"area": "atlantis"}).text
    assert "not available until the filters above are corrected" in html
    assert f'href="{CSV}' not in html


def test_csv_headings_are_words_and_rows_follow_rfc_4180(client, seed):
    text = body(client.get(CSV, {"area": "cleveland"}))
    heading = text[1:].split("\r\n", 1)[0]
    assert heading.startswith(
        "Title,Slug,Area,ONS code,Region,Approach,Also includes,Themes,Summary,Status,")
    for words in ("Evidence stage", "Strongest evaluation design (1 to 5)", "Cost band",
                  "What the commissioner did", "Readiness checklist",
                  "Status as last reported in", "Address"):
        assert words in heading
    assert "_" not in heading
    # Records end in CRLF, and every record parses strictly to as many fields as headings.
    assert text.endswith("\r\n")
    records = list(csv.reader(io.StringIO(text[1:], newline=""), strict=True))
    assert {len(record) for record in records} == {len(records[0])}
    row = csv_rows(client.get(CSV, {"area": "cleveland"}))[0]
    street = Initiative.objects.get(slug="cleveland-street-triage")
    assert row["Evidence stage"] == street.get_evidence_stage_display()
    assert row["ONS code"] == street.area.ons_code


def test_the_spreadsheet_has_the_same_columns_and_rows_as_the_csv(client, seed):
    from openpyxl import load_workbook

    response = client.get(XLSX, {"approach": "street-triage"})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [["" if v is None else str(v) for v in row]
            for row in sheet.iter_rows(values_only=True)]
    csv_text = body(client.get(CSV, {"approach": "street-triage"}))[1:]
    from_csv = list(csv.reader(io.StringIO(csv_text, newline="")))
    assert rows[0] == from_csv[0]
    assert sorted(r[0] for r in rows[1:]) == sorted(r[0] for r in from_csv[1:])
    assert len(rows) - 1 == Initiative.objects.published().of_approach(
        Approach.objects.filter(slug="street-triage")).count()


def test_spreadsheet_text_never_becomes_a_formula(client, make_initiative):
    from openpyxl import load_workbook

    make_initiative("=HYPERLINK(\"http://evil\")", slug="evil", summary="+1")
    sheet = load_workbook(io.BytesIO(client.get(XLSX).content)).active
    headings = [cell.value for cell in sheet[1]]
    title, summary = (sheet.cell(row=2, column=headings.index(name) + 1)
                      for name in ("Title", "Summary"))
    assert title.value == "=HYPERLINK(\"http://evil\")" and title.data_type == "s"
    assert summary.value == "+1" and summary.data_type == "s"


def test_the_list_links_to_exports_and_feed_with_its_filters(client, seed):
    html = client.get(LIST, {"area": "norfolk", "page": "1"}).text
    assert f'href="{CSV}?area=norfolk"' in html
    assert f'href="{JSON}?area=norfolk"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'href="{FEED}?area=norfolk"' in html


def test_feed_is_atom_and_honours_the_filters(client, seed):
    response = client.get(FEED, {"area": "staffordshire"})
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    count = Initiative.objects.published().filter(area__slug="staffordshire").count()
    assert xml.count("<entry>") == count
    assert "(Staffordshire)</title>" in xml and "(Norfolk)</title>" not in xml
    assert "<updated>" in xml and "<published>" in xml


def test_sitemap_lists_every_public_page_with_its_last_change(client, seed, make_initiative):
    make_initiative("Hidden draft", slug="hidden-draft", is_published=False)
    index = client.get("/sitemap.xml").content.decode()
    pages = "".join(
        client.get(f"/sitemap-{section}.xml").content.decode()
        for section in ("pages", "practice", "areas", "themes", "approaches")
    )
    assert "/sitemap-practice.xml" in index
    for initiative in Initiative.objects.published():
        assert f"http://testserver{initiative.get_absolute_url()}</loc><lastmod>" in pages
    assert "hidden-draft" not in pages
    assert "http://testserver/areas/norfolk/</loc><lastmod>" in pages
    assert "http://testserver/areas/lancashire/</loc>" in pages
    assert "http://testserver/compare/areas/</loc>" in pages
    for address in ["/approaches/", "/approaches/street-triage/", "/about/", "/glossary/",
                    "/picture/", "/data/"]:
        assert f"http://testserver{address}</loc>" in pages, address


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


@pytest.mark.parametrize("url", [
    "/", LIST, "/practice/cleveland-street-triage/", "/areas/", "/areas/norfolk/", "/themes/",
    "/themes/intervening-earlier/", "/compare/areas/", "/accessibility/",
])
def test_every_page_has_a_description_and_open_graph_tags(client, seed, url):
    response = client.get(url)
    for selector in ('meta[name="description"]', 'meta[property="og:title"]',
                     'meta[property="og:description"]'):
        assert one(response, selector)["content"].strip(), f"{selector} is empty on {url}"


def test_json_export_matches_each_case_study_as_its_page_shows_it(client, seed):
    """Every field of every seeded case study, in the list's order, with relations in the
    order the case study page gives them."""
    results = json.loads(body(client.get(JSON, {"sort": "title"})))["results"]
    initiatives = list(
        Initiative.objects.published().order_by("title", "pk").select_related("area")
    )
    assert [r["title"] for r in results] == [i.title for i in initiatives]
    for result, initiative in zip(results, initiatives, strict=True):
        assert result["url"] == "http://testserver" + initiative.get_absolute_url()
        assert result["region"] == initiative.area.get_region_display()
        assert result["status"] == initiative.get_status_display()
        assert result["themes"] == [t.name for t in initiative.themes.all()]
        assert result["partners"] == [
            {"name": p.name, "type": p.get_partner_type_display()}
            for p in initiative.partners.all()
        ]
        assert [s["title"] for s in result["sources"]] == [
            s.title for s in initiative.sources.all()
        ]
        assert result["what_was_done"] == initiative.description
        assert result["updated"] == initiative.updated.isoformat()


def feed_links(response):
    """{rel: href} of the Atom feed's own links."""
    feed = ElementTree.fromstring(response.content)  # noqa: S314 (the site's own feed)
    return {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}


def test_a_filtered_feed_names_itself_with_its_filters(client, seed):
    links = feed_links(client.get(FEED, {"area": "norfolk", "theme": "strategic-leadership"}))
    assert links["self"] == ("http://testserver/feeds/practice/"
                             "?area=norfolk&theme=strategic-leadership")
    assert links["alternate"] == ("http://testserver/practice/"
                                  "?area=norfolk&theme=strategic-leadership")
    assert feed_links(client.get(FEED))["self"] == "http://testserver/feeds/practice/"


def test_an_evaluations_kind_reaches_every_place_its_declaration_names(client, editor_client,
                                                                       make_initiative):
    """Declared once (casestudies/fields.py), an evaluation's kind is edited in admin and
    shown on the case study, in the downloads and in the API."""
    from casestudies.models import Evaluation

    initiative = make_initiative("Street triage")
    evaluation = Evaluation.objects.create(
        initiative=initiative, title="A process study", evaluator="A university", year=2020,
        design=None, findings="Staff valued it.", url="https://example.org/study", kind="process")
    change = reverse("admin:casestudies_initiative_change", args=[initiative.pk])
    assert 'name="evaluations-0-kind"' in editor_client.get(change).text
    kind = evaluation.get_kind_display()
    assert kind in client.get(initiative.get_absolute_url()).text
    assert kind in body(client.get(CSV))
    record = json.loads(body(client.get(JSON)))["results"][0]
    assert record["evaluations"][0]["kind"] == kind
    api = client.get(f"/api/v1/practice/{initiative.slug}/").json()
    assert api["evaluations"][0]["kind"] == kind
