"""The editors' workbench in a real browser: adding an entry with a new source and an
evaluation, importing a spreadsheet, restoring a version, the dashboard, and axe-core on every
admin page the workbench builds or changes."""

import csv
import re

import pytest
from playwright.sync_api import expect

from casestudies.models import (
    ContactMessage,
    Initiative,
    ProblemReport,
    State,
    Suggestion,
    VerificationRequest,
)
from tests.test_e2e_accessibility import AXE, WCAG_AA
from workbench.admin.dashboard import overdue
from workbench.spreadsheet import InitiativeResource

pytestmark = pytest.mark.e2e
PASSWORD = "a long publisher password"


@pytest.fixture
def publisher_page(site, page, publisher):
    publisher.set_password(PASSWORD)
    publisher.save()
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("publisher")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("table", name="Needs attention")).to_be_visible()
    return page


def choose(page, select_id, text):
    """Picks `text` in an admin autocomplete (select2) box."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def serious(page):
    """axe-core's serious and critical violations on the page, as a report (empty if none)."""
    result = AXE.run(page, options=WCAG_AA)
    found = [v for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}: "
                     + "; ".join(n["target"][0] for n in v["nodes"][:5]) for v in found)


def test_add_an_entry_with_a_new_source_and_an_evaluation(site, publisher_page):
    page = publisher_page
    page.goto(f"{site}/admin/casestudies/initiative/add/")
    page.locator("#id_title").fill("Crisis cafe")
    choose(page, "id_area", "Kent")
    choose(page, "id_themes", "Intervening earlier")
    page.locator("#id_summary").fill("An evening cafe for people in crisis.")
    page.locator("#id_description").fill("Opened a cafe run by a mental-health charity.")
    page.locator("#id_lead_organisation").fill("Kent PCC")
    hint = page.locator("#checklist-count")
    expect(hint).to_have_text(re.compile(r"^Checklist met: 0 of 6\."))
    page.locator("#id_contact_email").fill("office@kent.example.org")
    expect(hint).to_have_text(re.compile(r"^Checklist met: 1 of 6\."))

    # A new source, in a window of its own, chosen here when saved.
    with page.expect_popup() as opened:
        page.locator("#add_id_sources").click()
    popup = opened.value
    popup.locator("#id_title").fill("Crisis cafe opens")
    popup.locator("#id_publisher").fill("Kent PCC")
    popup.locator("#id_url").fill("https://www.kent-pcc.gov.uk/news/crisis-cafe")
    popup.get_by_role("button", name=re.compile("^Save$")).click()
    popup.wait_for_event("close")
    expect(page.locator("#id_sources + .select2")).to_contain_text("Crisis cafe opens")

    # An evaluation, inline under "Evidence and evaluations".
    page.get_by_text("Evidence and evaluations", exact=True).click()
    page.locator("#id_evidence_stage").select_option("evaluated")
    page.locator("#evaluations-group summary").click()
    page.locator("#evaluations-group .add-row a").click()
    evaluation = page.locator("#evaluations-0")
    evaluation.locator("#id_evaluations-0-title").fill("Evaluation of the crisis cafe")
    evaluation.locator("#id_evaluations-0-evaluator").fill("A university")
    evaluation.locator("#id_evaluations-0-year").fill("2024")
    evaluation.locator("#id_evaluations-0-kind").select_option("impact")  # a design needs it
    evaluation.locator("#id_evaluations-0-design").select_option("1")
    evaluation.locator("#id_evaluations-0-findings").fill("Fewer people went to A&E at night.")
    evaluation.locator("#id_evaluations-0-url").fill("https://example.org/evaluation")
    expect(hint).to_have_text(re.compile(r"^Checklist met: 2 of 6\."))
    page.get_by_role("button", name=re.compile("^Save$")).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    cafe = Initiative.objects.get(title="Crisis cafe")
    assert cafe.state == State.DRAFT and cafe.area.name == "Kent"
    assert [s.title for s in cafe.sources.all()] == ["Crisis cafe opens"]
    assert [e.title for e in cafe.evaluations.all()] == ["Evaluation of the crisis cafe"]
    assert cafe.evidence_stage == "evaluated"


def write_csv(path, rows):
    headers = InitiativeResource().get_export_headers()
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=headers)
        writer.writeheader()
        for row in rows:
            writer.writerow({header: row.get(header, "") for header in headers})
    return path


def test_import_a_spreadsheet_with_a_bad_row_then_fixed(site, publisher_page, tmp_path):
    page = publisher_page
    good = {"Title": "Crisis cafe", "Area": "Kent", "Themes": "intervening-earlier",
            "Summary": "A cafe.", "Practice status": "Operating", "What was done": "A cafe.",
            "Stage of evidence": "No evaluation yet", "What the evidence found":
            "Too early to say", "Cost band": "Not known", "Lead organisation": "Kent PCC"}
    bad = {**good, "Title": "Night bus", "Area": "Atlantis"}
    page.goto(f"{site}/admin/casestudies/initiative/")
    page.get_by_role("link", name="Import").click()
    page.get_by_label("File to import").set_input_files(
        str(write_csv(tmp_path / "bad.csv", [good, bad])))
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Nothing was imported: some rows have errors")
           ).to_be_visible()
    row = page.locator("tr.app-import-error")
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text("3")
    expect(row).to_contain_text("There is no area called “Atlantis”")
    assert serious(page) == ""
    assert not Initiative.objects.filter(title__in=["Crisis cafe", "Night bus"]).exists()

    page.get_by_label("File to import").set_input_files(
        str(write_csv(tmp_path / "fixed.csv", [good, {**bad, "Area": "Norfolk"}])))
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="What the import would do")).to_be_visible()
    assert serious(page) == ""
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist")).to_contain_text("Import finished")
    imported = Initiative.objects.filter(title__in=["Crisis cafe", "Night bus"])
    assert {(i.title, i.area.name, i.state) for i in imported} == {
        ("Crisis cafe", "Kent", State.DRAFT), ("Night bus", "Norfolk", State.DRAFT)}


def test_restore_an_old_version_from_the_history(site, publisher_page):
    page = publisher_page
    entry = Initiative.objects.get(slug="cleveland-street-triage")
    original = entry.summary
    page.goto(f"{site}/admin/casestudies/initiative/{entry.pk}/change/")
    page.locator("#id_summary").fill("A summary written by mistake.")
    page.get_by_role("button", name=re.compile("^Save and continue editing$")).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="History").click()
    latest = page.locator(".app-version").first
    expect(latest.locator("ins", has_text="written by mistake")).to_have_count(1)
    assert serious(page) == ""
    page.locator(".app-version").nth(1).get_by_role("link", name=re.compile(
        "^Restore this version")).click()
    expect(page.get_by_role("heading", name="Restore this version?")).to_be_visible()
    assert serious(page) == ""
    page.get_by_role("button", name="Yes, restore this version").click()
    expect(page.locator(".messagelist")).to_contain_text("Restored the version of")
    entry.refresh_from_db()
    assert entry.summary == original and entry.state == State.PUBLISHED


def test_the_dashboard_counts_match_the_data(site, publisher_page):
    page = publisher_page
    Initiative.objects.filter(slug="cleveland-street-triage").update(state=State.REVIEW)
    ProblemReport.objects.create(initiative=Initiative.objects.first(), problem="A typo.")
    ContactMessage.objects.create(kind="format", message="Large print, please.",
                                  email="a@example.org")
    page.goto(f"{site}/admin/")
    table = page.get_by_role("table", name="Needs attention")
    expected = {
        "Published entries overdue for verification": overdue().count(),
        "Drafts": Initiative.objects.filter(state=State.DRAFT).count(),
        "Entries in review": 1,
        "Areas' answers waiting for an editor":
            VerificationRequest.objects.filter(state="answered").count(),
        "Open problem reports from readers": ProblemReport.objects.filter(state="new").count(),
        "Open messages from the contact form": 1,
        "Suggestions waiting for review": Suggestion.objects.filter(state="new").count(),
    }
    for label, count in expected.items():
        row = table.get_by_role("row", name=re.compile(f"^{re.escape(label)}"))
        expect(row.locator("td")).to_have_text(str(count))
    assert serious(page) == ""
    table.get_by_role("link", name="Entries in review").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("Street triage")


def test_the_workbench_admin_pages_have_no_serious_accessibility_problems(site, publisher_page):
    page = publisher_page
    entry = Initiative.objects.get(slug="cleveland-street-triage")
    answer = VerificationRequest.objects.create(initiative=entry, email="a@example.org",
                                                state="answered", answer="running",
                                                answered=entry.updated)
    ContactMessage.objects.create(kind="site", message="A broken link.")
    record = entry.history.last()
    addresses = {
        "change form": f"/admin/casestudies/initiative/{entry.pk}/change/",
        "add form": "/admin/casestudies/initiative/add/",
        "list": "/admin/casestudies/initiative/",
        "history": f"/admin/casestudies/initiative/{entry.pk}/history/",
        "restore": f"/admin/casestudies/initiative/{entry.pk}/history/{record.history_id}"
                   "/restore/",
        "ask the area": f"/admin/casestudies/initiative/{entry.pk}/verify/",
        "import": "/admin/casestudies/initiative/import/",
        "export": "/admin/casestudies/initiative/export/",
        "restore deleted": "/admin/casestudies/initiative/deleted/",
        "add a source": "/admin/casestudies/source/add/?_popup=1",
        "sources": "/admin/casestudies/source/",
        "problem reports": "/admin/casestudies/problemreport/",
        "answers": "/admin/casestudies/verificationrequest/",
        "review an answer": f"/admin/casestudies/verificationrequest/{answer.pk}/review/",
        "contact messages": "/admin/casestudies/contactmessage/",
        "dashboard": "/admin/",
    }
    reports = []
    for name, address in addresses.items():
        page.goto(f"{site}{address}")
        found = serious(page)
        if found:
            reports.append(f"{name} ({address}):\n{found}")
    assert not reports, "\n\n".join(reports)
