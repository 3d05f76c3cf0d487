"""Spreadsheet import and export of initiatives in admin: a dry run first, nothing saved while
any row has an error, new entries as drafts, the same columns both ways."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casestudies.models import Area, Initiative, State
from workbench.spreadsheet import InitiativeResource

IMPORT = reverse("admin:casestudies_initiative_import")
PROCESS = reverse("admin:casestudies_initiative_process_import")
CHANGELIST = reverse("admin:casestudies_initiative_changelist")
HEADERS = InitiativeResource().get_export_headers()
CSV_FORMAT = "1"  # the second of the import formats (XLSX, then CSV)


def as_csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS)
    writer.writeheader()
    for row in rows:
        writer.writerow({header: row.get(header, "") for header in HEADERS})
    return SimpleUploadedFile("initiatives.csv", out.getvalue().encode(), "text/csv")


@pytest.fixture
def new_row(make_area, make_theme, make_partner, make_source):
    area, theme = make_area("Kent"), make_theme("Intervening earlier")
    partner, source = make_partner(name="Kent and Medway NHS Trust"), make_source(
        title="Crisis cafe report")
    return {
        "Title": "Crisis cafe", "Area": area.name, "Themes": theme.name,
        "Summary": "A cafe for people in crisis.", "Practice status": "Operating",
        "Year started": "2016", "What was done": "Opened a cafe in the evenings.",
        "Stage of evidence": "No evaluation yet", "What the evidence found": "Too early to say",
        "Cost band": "Not known", "Only the commissioner's office says so": "No",
        "Lead organisation": "Kent PCC", "Partners": partner.slug,
        "Sources": source.title,
    }


def dry_run(client, rows):
    return client.post(IMPORT, {"import_file": as_csv(rows), "format": CSV_FORMAT})


def confirm(client, response):
    return client.post(PROCESS, {**response.context["confirm_form"].initial, "confirm": "1"})


def test_a_dry_run_lists_every_row_then_confirming_imports_drafts(editor_client, new_row,
                                                                  make_initiative):
    existing = make_initiative("Street triage", summary="Old summary.")
    change = {"Title": existing.title, "Slug": existing.slug, "Area": existing.area.slug,
              "Themes": "; ".join(t.name for t in existing.themes.all()),
              "Summary": "New summary.", "Practice status": existing.get_status_display(),
              "What was done": existing.description, "Lead organisation":
              existing.lead_organisation, "Stage of evidence": "No evaluation yet",
              "What the evidence found": "Too early to say", "Cost band": "Not known",
              "Sources": "; ".join(s.slug for s in existing.sources.all())}
    response = dry_run(editor_client, [new_row, change])
    assert response.status_code == 200
    html = response.text
    assert "What the import would do" in html
    assert "New entry (a draft)" in html and "Crisis cafe" in html
    assert "<td>Change</td>" in html and "<dt>Summary</dt>" in html
    assert "<dt>Title</dt>" not in html  # only the fields that change
    assert not Initiative.objects.filter(title="Crisis cafe").exists()  # a dry run
    existing.refresh_from_db()
    assert existing.summary == "Old summary."

    assert confirm(editor_client, response).status_code == 302
    cafe = Initiative.objects.get(title="Crisis cafe")
    assert (cafe.slug, cafe.state, cafe.area.name, cafe.year_started) == (
        "crisis-cafe", State.DRAFT, "Kent", 2016)
    assert [t.name for t in cafe.themes.all()] == ["Intervening earlier"]
    assert [p.name for p in cafe.partners.all()] == ["Kent and Medway NHS Trust"]
    assert [s.title for s in cafe.sources.all()] == ["Crisis cafe report"]
    assert cafe.history.first().history_user.username == "editor"
    existing.refresh_from_db()
    assert existing.summary == "New summary." and existing.state == State.PUBLISHED


def test_one_bad_row_stops_the_whole_import_and_is_named_with_its_row(editor_client, new_row):
    bad = {**new_row, "Title": "Another cafe", "Area": "Atlantis", "Practice status": "Thriving",
           "Themes": "Intervening earlier; Nonsense"}
    response = dry_run(editor_client, [new_row, bad])
    html = response.text
    assert "Nothing was imported: some rows have errors" in html
    assert "confirm_form" not in response.context or not response.context["confirm_form"]
    assert "<td>3</td>" in html  # the spreadsheet's row: headings are row 1
    assert "Area: There is no area called “Atlantis”." in html
    assert "Practice status: “Thriving” is not one of:" in html
    assert "Themes: There is no theme called “Nonsense”." in html
    assert not Initiative.objects.exists()


def test_a_duplicate_title_in_an_area_is_a_row_error(editor_client, new_row, make_initiative):
    make_initiative("Crisis cafe", slug="kent-crisis-cafe", area=Area.objects.get(name="Kent"))
    html = dry_run(editor_client, [new_row]).text
    assert "already exists" in html
    assert Initiative.objects.filter(title="Crisis cafe").count() == 1


def test_the_same_columns_export_and_a_template_downloads(editor_client, make_initiative):
    make_initiative("Street triage")
    template = editor_client.get(reverse("admin:casestudies_initiative_import_template"))
    assert template.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(template.content)).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.max_row == 1
    exported = editor_client.post(reverse("admin:casestudies_initiative_export"),
                                  {"format": CSV_FORMAT, "resource": "0"})
    assert exported.status_code == 200, exported.content[:300]
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert list(rows[0]) == HEADERS
    assert rows[0]["Title"] == "Street triage" and rows[0]["Publication state"] == "Published"


def test_importing_needs_permission(client, db):
    assert client.get(IMPORT).status_code == 302  # to the login page


def test_text_that_looks_like_a_formula_is_never_run_and_comes_back_as_it_was(
        editor_client, make_initiative):
    entry = make_initiative("Street triage", summary="=HYPERLINK(\"http://evil\")",
                            description="- first, a phone line")
    exported = editor_client.post(reverse("admin:casestudies_initiative_export"),
                                  {"format": "0", "resource": "0"})
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    row = {header.value: cell.value for header, cell in zip(sheet[1], sheet[2], strict=True)}
    assert row["Summary"] == "'=HYPERLINK(\"http://evil\")"  # text, not a formula
    assert row["What was done"] == "'- first, a phone line"
    back = InitiativeResource().fields["summary"].clean(row)
    assert back == entry.summary


@pytest.mark.parametrize("content, fmt", [
    (b"\x00\xff\xfe garbage \x89PNG", CSV_FORMAT),
    (b"Title,Area\nCrisis cafe,Kent\n", "0"),  # a CSV sent as XLSX
    (b"", CSV_FORMAT),
    (b"Nothing,We,Know\n1,2,3\n", CSV_FORMAT),
])
def test_a_file_that_cannot_be_read_gets_a_message_not_an_error(editor_client, db, content,
                                                                fmt):
    upload = SimpleUploadedFile("initiatives.csv", content, "text/csv")
    response = editor_client.post(IMPORT, {"import_file": upload, "format": fmt})
    assert response.status_code == 200
    assert "errorlist" in response.text or "errornote" in response.text
    assert "Confirm import" not in response.text
    assert not Initiative.objects.exists()


def test_a_row_without_a_slug_never_changes_another_entry_of_the_same_name(
        editor_client, new_row, make_initiative, make_area):
    elsewhere = make_initiative("Crisis cafe", area=make_area("Essex"),
                                summary="Essex's own cafe.")
    assert elsewhere.slug == "crisis-cafe"
    response = dry_run(editor_client, [new_row])  # Kent's "Crisis cafe", no slug
    assert "New entry (a draft)" in response.text and "<td>Change</td>" not in response.text
    confirm(editor_client, response)
    elsewhere.refresh_from_db()
    assert elsewhere.summary == "Essex's own cafe." and elsewhere.area.name == "Essex"
    kent = Initiative.objects.get(title="Crisis cafe", area__name="Kent")
    assert kent.slug == "crisis-cafe-2" and kent.state == State.DRAFT


def test_a_file_with_more_rows_than_an_import_takes_is_refused_before_any_is_read(
        editor_client, new_row, settings):
    settings.IMPORT_MAX_ROWS = 2
    rows = [{**new_row, "Title": f"Crisis cafe {n}"} for n in range(3)]
    response = dry_run(editor_client, rows)
    assert "more than 2 rows of initiatives, the most one import takes" in response.text
    assert "result" not in response.context and "confirm_form" not in response.context
    assert "Split it into smaller files" in dry_run(editor_client, rows).text
    response = dry_run(editor_client, rows[:2])  # at the limit: read as usual
    assert "confirm_form" in response.context


def test_an_xlsx_file_with_too_many_rows_is_refused_too(editor_client, new_row, settings):
    settings.IMPORT_MAX_ROWS = 1
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    for n in range(2):
        book.active.append([{**new_row, "Title": f"Cafe {n}"}.get(h, "") for h in HEADERS])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("initiatives.xlsx", out.getvalue(),
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = editor_client.post(IMPORT, {"import_file": upload, "format": "0"})
    assert "more than 1 rows of initiatives" in response.text
    assert not Initiative.objects.filter(title__startswith="Cafe").exists()


def test_a_file_larger_than_an_import_takes_is_refused(editor_client, new_row, settings):
    settings.IMPORT_MAX_BYTES = 200
    response = dry_run(editor_client, [new_row])
    assert "the most one import takes is 200\xa0bytes" in response.text
    assert "result" not in response.context
