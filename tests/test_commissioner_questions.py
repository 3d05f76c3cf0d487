"""What a commissioner asks first: approaches and where they were tried, evaluations and their
design, costs and who paid, the commissioner's role, what the entry documents, how current it
is, links to other practice, and how close it is to ripe for replication."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse

from casestudies.models import (
    Approach,
    CommissionerRole,
    Cost,
    Evaluation,
    Funder,
    Initiative,
    ReplicationLink,
)
from tests.pages import card_titles, rows, text_of
from tests.test_editing import admin_form_data, change_url
from tests.test_facets_and_compare import facets

LIST = reverse("website:initiative-list")


@pytest.fixture
def triage(db):
    return Approach.objects.create(
        name="Street triage", slug="street-triage", summary="Police and nurses together.",
        national_evidence="A national review found weak but promising evidence.",
    )




def test_an_approach_page_shows_where_it_has_been_tried(client, triage, make_area,
                                                        make_initiative):
    make_initiative("Triage car", approach=triage, area=make_area("Kent"), year_started=2014,
                    status_reported_in=2015, headline_result="Detentions fell by half.")
    make_initiative("Nurse in the car", approach=triage, area=make_area("Essex"))
    make_initiative("Draft triage", approach=triage, is_published=False)
    html = client.get(triage.get_absolute_url()).text
    assert "2 case studies in 2 areas" in html
    assert "Kent: <a" in html and "Operating, as last reported in 2015" in html
    assert "Detentions fell by half." in html and "Draft triage" not in html
    assert "A national review found weak but promising evidence." in html
    listing = client.get(reverse("website:approach-list")).text
    assert "Street triage" in listing
    assert client.get("/approaches/no-such-approach/").status_code == 404


def test_the_where_tried_table_says_what_each_commissioner_did_and_sorts_without_script(
        client, triage, make_area, make_initiative):
    from casestudies.models import CommissionerRole

    kent = make_initiative("Triage car", approach=triage, area=make_area("Kent"),
                           year_started=2014, cost_band="50k-250k", pcc_role_claimed=True)
    CommissionerRole.objects.create(initiative=kent, role="funded")
    essex = make_initiative("Nurse in the car", approach=triage, area=make_area("Essex"),
                            year_started=2016, cost_band="under-50k",
                            contact_url="https://example.org/contact")
    CommissionerRole.objects.create(initiative=essex, role="championed")
    make_initiative("Street nurses", approach=triage, area=make_area("Dorset"))

    page = client.get(triage.get_absolute_url())
    table = rows(page, "#tried ~ div table")
    assert [row[0] for row in table] == ["Dorset: Street nurses", "Essex: Nurse in the car",
                                         "Kent: Triage car"]
    assert table[2][1] == "Funded it (the office's own account)"
    assert table[1][1] == "Championed it" and table[0][1] == "Not known"
    assert table[1][5] == "Under £50,000 a year" and table[1][6].startswith("2 of 6")
    assert "recorded in this library" in text_of(page, "#tried + p")

    by_start = rows(client.get(triage.get_absolute_url(), {"sort": "started"}),
                    "#tried ~ div table")
    assert [row[0] for row in by_start][:2] == ["Essex: Nurse in the car", "Kent: Triage car"]
    by_cost = rows(client.get(triage.get_absolute_url(), {"sort": "cost"}), "#tried ~ div table")
    assert [row[0] for row in by_cost] == ["Essex: Nurse in the car", "Kent: Triage car",
                                           "Dorset: Street nurses"]
    ready = rows(client.get(triage.get_absolute_url(), {"sort": "readiness"}),
                 "#tried ~ div table")
    assert ready[0][0] == "Essex: Nurse in the car"
    assert client.get(triage.get_absolute_url(), {"sort": "<x>"}).status_code == 200


def test_approach_is_a_filter_with_counts_that_combines_with_the_others(client, triage,
                                                                       make_area,
                                                                       make_initiative):
    kent = make_area("Kent")
    make_initiative("Triage car", approach=triage, area=kent)
    make_initiative("Board", area=kent)
    make_initiative("Elsewhere", approach=triage)
    assert set(card_titles(client.get(LIST, {"approach": "street-triage"}))) == {
        "Triage car", "Elsewhere"}
    response = client.get(LIST, {"approach": "street-triage", "area": "kent"})
    assert card_titles(response) == ["Triage car"]
    assert facets(client.get(LIST, {"area": "kent"}))["approach"] == {"street-triage": 1}
    assert "not one of the available choices" in client.get(
        LIST, {"approach": "nothing"}).text


def test_a_card_says_where_else_an_approach_was_tried(client, triage, make_area,
                                                      make_initiative):
    kent = make_initiative("Triage car", approach=triage, area=make_area("Kent"))
    essex = make_area("Essex")
    make_initiative("Other car", approach=triage, area=essex)
    make_initiative("Second Essex car", approach=triage, area=essex)
    make_initiative("Third car", approach=triage, area=make_area("Dorset"))
    html = client.get(LIST, {"q": "", "sort": "title"}).text
    assert "Street triage, also tried in 2 other areas" in html
    # The case study names each other area once.
    html = client.get(kent.get_absolute_url()).text
    assert "also tried in 2 other areas<span class=\"app-no-print\">: " in html
    assert html.count(">Essex</a>") == 1


def test_the_case_study_shows_each_evaluation_and_its_design(client, make_initiative):
    initiative = make_initiative("Triage car", evidence_stage="independent")
    Evaluation.objects.create(
        initiative=initiative, title="Street triage in Kent", evaluator="A university",
        independent=True, year=2016, design=3, kind="impact",
        findings="Section 136 use fell by 30%.",
        url="https://example.org/eval")
    html = client.get(initiative.get_absolute_url()).text
    assert "Street triage in Kent" in html and "A university" in html
    assert "Level 3: a comparison group" in html and "Section 136 use fell by 30%." in html
    assert "independent of the partners that ran it" in html
    assert "Strongest design: level 3 of 5" in html
    cards = client.get(LIST).text
    assert "best design level 3 of 5" in cards


def test_filter_by_evaluation_design_at_least_a_level(client, make_initiative):
    strong, weak = make_initiative("Strong"), make_initiative("Weak")
    make_initiative("None")
    for initiative, design in ((strong, 3), (weak, 1)):
        Evaluation.objects.create(initiative=initiative, title="E", evaluator="X", year=2020,
                                  design=design, kind="impact", findings="F", url="https://example.org/e")
    assert card_titles(client.get(LIST, {"design": "3"})) == ["Strong"]
    assert set(card_titles(client.get(LIST, {"design": "1"}))) == {"Strong", "Weak"}
    response = client.get(LIST, {"design": "9"})
    assert response.status_code == 200 and "Evaluation design" in response.text
    assert "Select a valid choice" in response.text


def test_the_stage_of_evidence_must_fit_the_evaluations(editor_client, make_initiative):
    """"Independently evaluated" needs an independent evaluation, "evaluated locally" at
    least one: the admin refuses otherwise and keeps what the editor typed."""
    initiative = make_initiative("Triage car")
    data = admin_form_data(initiative, evidence_stage="independent", summary="Kept summary.")
    response = editor_client.post(change_url(initiative), data)
    assert response.status_code == 200
    assert "needs an evaluation by someone independent" in response.text
    assert "Kept summary." in response.text
    initiative.refresh_from_db()
    assert initiative.evidence_stage == "none"

    evaluation = {
        "evaluations-TOTAL_FORMS": "1", "evaluations-0-title": "Local review",
        "evaluations-0-evaluator": "The NHS trust", "evaluations-0-year": "2016",
        "evaluations-0-design": "1", "evaluations-0-kind": "impact",
        "evaluations-0-findings": "Fewer detentions.",
        "evaluations-0-url": "https://example.org/review",
    }
    response = editor_client.post(change_url(initiative), {**data, **evaluation})
    assert response.status_code == 200, "a local evaluation is not independent"
    response = editor_client.post(change_url(initiative), {
        **data, **evaluation, "evidence_stage": "evaluated"})
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.evidence_stage == "evaluated" and initiative.evaluations.count() == 1


def test_costs_funders_and_the_commissioners_role_are_shown(client, make_initiative,
                                                            make_partner):
    initiative = make_initiative("Triage car", cost_band="50k-250k",
                                 pcc_role_note="Paid for the first year.")
    trust = make_partner("Kent NHS Trust")
    Funder.objects.create(initiative=initiative, partner=trust, role="co-funder")
    Cost.objects.create(initiative=initiative, kind="running", amount=120000, year=2016,
                        covers="Two nurses", url="https://example.org/cost")
    CommissionerRole.objects.create(initiative=initiative, role="co-funded")
    html = client.get(initiative.get_absolute_url()).text
    assert "£50,000 to £250,000 a year" in html
    assert "Kent NHS Trust: co-funded it" in html
    assert "£120,000" in html and "Two nurses" in html
    assert "Co-funded it" in html and "Paid for the first year." in html


def test_a_role_that_only_the_commissioner_claims_is_shown_as_theirs(client, make_initiative):
    initiative = make_initiative("Triage car", pcc_role_claimed=True)
    CommissionerRole.objects.create(initiative=initiative, role="funded", claimed_by_office=True)
    html = client.get(initiative.get_absolute_url()).text
    assert "The commissioner's office says it funded it (no other source confirms it)" in html


def test_not_known_is_said_never_left_blank(client, make_initiative):
    initiative = make_initiative("Triage car")
    html = client.get(initiative.get_absolute_url()).text
    assert "Not known from the sources" in html  # the commissioner's role
    assert "Not known<br>Who paid: not known from the sources" in html  # the cost band
    assert "No evaluation is recorded." in html


def test_role_and_cost_band_are_filters_with_counts(client, make_initiative):
    funded = make_initiative("Funded", cost_band="under-50k")
    CommissionerRole.objects.create(initiative=funded, role="funded")
    make_initiative("Unknown")
    counts = facets(client.get(LIST))
    assert counts["pcc_role"]["funded"] == 1 and counts["pcc_role"]["not-known"] == 1
    assert counts["cost_band"]["under-50k"] == 1 and counts["cost_band"]["not-known"] == 1
    assert card_titles(client.get(LIST, {"pcc_role": "funded"})) == ["Funded"]
    assert card_titles(client.get(LIST, {"pcc_role": "not-known"})) == ["Unknown"]
    assert set(card_titles(client.get(LIST, {"pcc_role": ["funded", "not-known"]}))) == {
        "Funded", "Unknown"}
    assert card_titles(client.get(LIST, {"cost_band": "under-50k"})) == ["Funded"]


def test_what_an_entry_documents_is_said_in_words(client, make_initiative):
    initiative = make_initiative("Triage car", outcomes="Fewer detentions.",
                                 mechanism="Nurses advise officers.")
    expected = ("Documents effect, mechanism; not where and for whom (moderators), "
                "implementation, economic cost.")
    assert expected in client.get(initiative.get_absolute_url()).text
    # The card says it briefly.
    assert ("2 of 5 EMMIE headings (not where and for whom (moderators), implementation, "
            "economic cost)") in client.get(LIST).text


def test_a_status_carries_its_date_and_an_old_one_says_it_may_be_out_of_date(
        client, make_initiative, today):
    year = today.year
    old = make_initiative("Old", status_reported_in=2015)
    new = make_initiative("New", status_reported_in=year)
    html = client.get(old.get_absolute_url()).text
    assert "Operating, as last reported in 2015" in html
    assert "This information may be out of date" in html
    assert "Tell us if it has changed" in html
    html = client.get(new.get_absolute_url()).text
    assert f"Operating, as last reported in {year}" in html
    assert "may be out of date" not in html


def test_information_last_checked_is_told_truthfully(client, make_initiative, today):
    never = make_initiative("Never checked")
    html = client.get(never.get_absolute_url()).text
    assert "Not yet checked against its sources or with the area" in html
    assert "Next check due" not in html
    checked = make_initiative("Checked", last_verified=today - timedelta(days=10),
                              verified_how="area")
    html = client.get(checked.get_absolute_url()).text
    day = today - timedelta(days=10)
    assert f"{day.day} {day:%B %Y}</time> (confirmed by the area)" in html
    due = day + timedelta(days=365)
    assert f"Next check due <time datetime=\"{due:%Y-%m-%d}\">" in html


def test_replication_links_show_on_both_entries(client, make_initiative):
    first = make_initiative("Pilot")
    second = make_initiative("County-wide service")
    ReplicationLink.objects.create(initiative=first, other=second, kind="scaled-up-as")
    assert "Scaled up as: <a" in client.get(first.get_absolute_url()).text
    assert "Scaled up from: <a" in client.get(second.get_absolute_url()).text
    assert "Pilot" in client.get(second.get_absolute_url()).text


def test_a_case_study_lists_its_links_out_then_in_and_only_to_published_entries(
        client, make_initiative):
    entry = make_initiative("Hub")
    later, earlier = make_initiative("Later service"), make_initiative("Earlier pilot")
    draft = make_initiative("Draft scheme", is_published=False)
    ReplicationLink.objects.create(initiative=earlier, other=entry, kind="scaled-up-as")
    ReplicationLink.objects.create(initiative=entry, other=later, kind="replaced-by")
    ReplicationLink.objects.create(initiative=entry, other=draft, kind="spread-to")
    ReplicationLink.objects.create(initiative=draft, other=entry, kind="adapted-from")
    links = client.get(entry.get_absolute_url()).context["links"]
    assert [(link["label"], link["initiative"].title) for link in links] == [
        ("Replaced by", "Later service"), ("Scaled up from", "Earlier pilot")]


def test_closest_to_ready_sorts_by_items_met(client, make_ripe, make_initiative):
    make_initiative("Far")
    make_ripe("Close", contact_url="")
    make_ripe("Ready")
    assert card_titles(client.get(LIST, {"sort": "ready"})) == ["Ready", "Close", "Far"]


def test_the_comparison_shows_cost_role_evidence_and_readiness(client, make_ripe,
                                                                make_initiative):
    ready, other = make_ripe("Ready"), make_initiative("Other")
    html = client.get(reverse("website:compare-practice"),
                      {"item": [ready.slug, other.slug]}).text
    for label in ("What the commissioner did", "Cost and who paid", "Evidence",
                  "What the entry documents", "Ripe for replication?",
                  "Information last checked"):
        assert label in html
    assert "£50,000 to £250,000 a year" in html and "Not known" in html
    assert "Ripe for replication</td>" not in html  # the row's label is a th
    assert ("0 of 6 met; replication checklist not complete, not yet evaluated, not found "
            "promising or working, no cost band, no published contact route, never "
            "verified") in html


def test_exports_carry_the_new_fields_in_words(client, make_ripe, today):
    ready = make_ripe("Ready")
    CommissionerRole.objects.create(initiative=ready, role="commissioned")
    text = b"".join(client.get(reverse("opendata:export-csv")).streaming_content)
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    row = rows[0]
    assert row["Ripe for replication"] == "Yes"
    assert row["Cost band"] == "£50,000 to £250,000 a year"
    assert row["What the commissioner did"] == "Commissioned it"
    assert "A university - independent - 2024" in row["Evaluations"]
    assert row["Readiness checklist"] == "6 of 6 met"
    data = json.loads(b"".join(
        client.get(reverse("opendata:export-json")).streaming_content))
    result = data["results"][0]
    assert result["evaluations"][0]["independent"] is True
    assert result["best_evaluation_design"] == 2
    assert result["last_verified"] == today.isoformat()


def test_the_area_page_says_who_holds_the_role_now(client, make_area):
    area = make_area("Kent", role_note="The government has announced that the role ends in "
                                       "2028.")
    html = client.get(area.get_absolute_url()).text
    assert "Who holds the commissioner's role now" in html
    assert "the role ends in 2028" in html


def test_new_texts_are_searched(client, make_initiative):
    make_initiative("Triage car", mechanism="Clinicians read the patient record at the scene.")
    make_initiative("Board")
    assert card_titles(client.get(LIST, {"q": "clinicians"})) == ["Triage car"]


def test_seed_links_existing_practice_to_its_approach(seed):
    for slug in ("street-triage", "control-room-triage", "crisis-care-concordat",
                 "strategic-partnership-boards", "liaison-and-diversion"):
        approach = Approach.objects.get(slug=slug)
        assert approach.national_evidence and approach.sources.exists(), slug
    assert Initiative.objects.filter(approach__slug="street-triage").count() >= 10
    assert Initiative.objects.get(slug="cleveland-street-triage").approach.slug == \
        "street-triage"


def test_the_data_migration_keeps_what_editors_entered(transactional_db):
    """The free-text cost band moves into "about the costs"; a "last reviewed" date set by an
    editor becomes "last verified"; the seed's load day does not."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    old = [("casestudies", "0016_commissioner_questions")]
    executor = MigrationExecutor(connection)
    executor.migrate(old)
    apps = executor.loader.project_state(old).apps
    Area = apps.get_model("casestudies", "Area")
    Initiative = apps.get_model("casestudies", "Initiative")
    area = Area.objects.create(name="Kent", slug="kent", ons_code="E23000032", force="Kent",
                               region="south-east", office_type="pcc")
    common = {"area": area, "summary": "S", "description": "D", "lead_organisation": "L"}
    Initiative.objects.create(title="Edited", slug="edited", replication_cost_band="£59,000",
                              last_reviewed="2026-03-01", **common)
    Initiative.objects.create(title="Seed", slug="seed", last_reviewed="2026-11-26", **common)
    call_command("migrate", verbosity=0)
    from casestudies.models import Initiative as Current

    edited, seeded = Current.objects.get(slug="edited"), Current.objects.get(slug="seed")
    assert edited.cost_note == "£59,000"
    assert edited.last_verified.isoformat() == "2026-03-01" and edited.verified_how == "sources"
    assert seeded.last_verified is None and seeded.verified_how == ""
