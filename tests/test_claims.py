"""Quoted claims and the evidence rules: no label says more than its evidence, and a reader can
check each material statement against its source's own words."""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from casestudies.models import (
    CHECKLIST_FIELDS,
    Claim,
    CommissionerRole,
    Evaluation,
    Initiative,
)
from casestudies.quoted import unquoted
from tests.pages import select, text
from tests.test_editing import admin_form_data, change_url
from tests.test_spreadsheet import as_csv, new_row  # noqa: F401 - a fixture
from website.boardpack import QUOTE_WORDS


def evaluation(initiative, **kwargs):
    fields = {"title": "A study", "evaluator": "A university", "year": 2020,
              "findings": "Fewer detentions.", "url": "https://example.org/study", **kwargs}
    return Evaluation(initiative=initiative, **fields)


def test_every_material_statement_of_a_published_entry_is_quoted(seed):
    missing = {}
    for initiative in Initiative.objects.published().prefetch_related(
            "claims", "evaluations", "costs", "funders__partner", "commissioner_roles"):
        if unquoted(initiative):
            missing[initiative.slug] = unquoted(initiative)
    assert not missing, f"Statements with no quoted claim: {missing}"


def test_a_design_level_belongs_to_impact_evaluations_only(make_initiative):
    initiative = make_initiative("Triage car")
    process = evaluation(initiative, kind="process", design=1)
    with pytest.raises(ValidationError, match="belongs to an impact evaluation only"):
        process.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        process.save()
    evaluation(initiative, kind="process").full_clean()
    evaluation(initiative, kind="impact", design=1).full_clean()


def test_an_effect_finding_needs_an_impact_evaluation_or_quoted_figures(make_initiative):
    initiative = make_initiative("Triage car", evidence_finding="promising",
                                 evidence_stage="evaluated")
    with pytest.raises(ValidationError, match="needs an impact evaluation"):
        initiative.full_clean()
    evaluation(initiative, kind="process").save()
    with pytest.raises(ValidationError, match="needs an impact evaluation"):
        initiative.full_clean()
    Claim.objects.create(initiative=initiative, statement="outcomes",
                         source=initiative.sources.get(), quote="Detentions fell by 30%.",
                         place="paragraph 2")
    initiative.full_clean()
    Initiative.objects.filter(pk=initiative.pk).update(evidence_finding="not-known")
    Claim.objects.all().delete()
    Initiative.objects.get(pk=initiative.pk).full_clean()  # "not known" rates no effect


def test_admin_refuses_an_effect_finding_in_words_and_takes_it_with_an_impact_evaluation(
        editor_client, make_initiative):
    initiative = make_initiative("Triage car")
    data = admin_form_data(initiative, evidence_stage="evaluated", evidence_finding="worked")
    study = {"evaluations-TOTAL_FORMS": "1", "evaluations-0-title": "Local review",
             "evaluations-0-evaluator": "The NHS trust", "evaluations-0-year": "2016",
             "evaluations-0-findings": "Staff liked it.",
             "evaluations-0-url": "https://example.org/review", "evaluations-0-kind": "process"}
    response = editor_client.post(change_url(initiative), {**data, **study})
    assert response.status_code == 200
    assert "“Worked” rates an effect, which needs an impact evaluation" in response.text
    response = editor_client.post(change_url(initiative), {
        **data, **study, "evaluations-0-design": "1"})
    assert response.status_code == 200
    assert "A design level belongs to an impact evaluation only" in response.text
    response = editor_client.post(change_url(initiative), {
        **data, **study, "evaluations-0-kind": "impact", "evaluations-0-design": "1"})
    assert response.status_code == 302
    assert Initiative.objects.get(pk=initiative.pk).evidence_finding == "worked"


def test_a_role_needs_a_quote_from_outside_the_office_or_is_shown_as_the_offices(
        client, editor_client, make_initiative):
    initiative = make_initiative("Triage car")
    source = initiative.sources.get()
    role = {"commissioner_roles-TOTAL_FORMS": "1", "commissioner_roles-0-role": "funded"}
    data = admin_form_data(initiative)
    response = editor_client.post(change_url(initiative), {**data, **role})
    assert response.status_code == 200
    assert "a role of the commissioner needs a quote from a source that is not" in response.text
    quote = {"claims-TOTAL_FORMS": "1", "claims-0-statement": "commissioner_role",
             "claims-0-row": "funded", "claims-0-source": source.pk,
             "claims-0-quote": "The commissioner paid for it.", "claims-0-place": "page 3",
             "claims-0-said_by_office": "on"}
    response = editor_client.post(change_url(initiative), {**data, **role, **quote})
    assert response.status_code == 200, "the office's own words are not enough"
    response = editor_client.post(change_url(initiative), {
        **data, **role, **quote, "claims-0-said_by_office": ""})
    assert response.status_code == 302
    CommissionerRole.objects.update(claimed_by_office=True)
    html = client.get(initiative.get_absolute_url()).text
    assert "The commissioner's office says it funded it (no other source confirms it)" in html


def test_the_spreadsheet_import_refuses_an_effect_finding_with_the_rule(editor_client,
                                                                       new_row):  # noqa: F811
    response = editor_client.post(reverse("admin:casestudies_initiative_import"), {
        "import_file": as_csv([{**new_row, "What the evidence found": "Promising"}]),
        "format": "1"})
    assert "needs an impact evaluation" in response.text
    assert not Initiative.objects.filter(title="Crisis cafe").exists()


def test_the_seed_is_refused_when_a_label_says_more_than_its_evidence(seed):
    call_command("seed", verbosity=0)  # the seed itself obeys every rule
    unmeasured = Initiative.objects.filter(evidence_finding="too-early").exclude(
        evaluations__kind="impact").exclude(
        claims__statement__in=["outcomes", "headline_result"]).first()
    unmeasured.evidence_finding = "worked"
    unmeasured.save()  # as a shell would, without full_clean
    with pytest.raises(CommandError, match=f"{unmeasured.slug}: “Worked” rates an effect"):
        call_command("seed", verbosity=0)


def test_the_case_study_opens_each_quote_its_source_and_place_without_script(client, seed):
    initiative = Initiative.objects.get(slug="northumbria-street-triage-team")
    html = client.get(initiative.get_absolute_url()).text
    lead = initiative.claims.get(statement="lead_organisation",
                                 source__slug="sunderland-echo-street-triage")
    markers = select(html, "details.app-quoted")
    assert len(markers) >= initiative.claims.values("statement", "row").distinct().count() - 2
    opened = [marker for marker in markers if lead.quote in text(marker)]
    assert opened, "the lead organisation's quote is in a marker"
    assert "paragraph 2" in text(opened[0])
    assert opened[0].select_one("summary") is not None
    assert opened[0].select_one(f'a[href="{lead.source.url}"]') is not None


def test_board_packs_print_the_quotes_as_numbered_notes(client, seed):
    initiative = Initiative.objects.get(slug="cleveland-street-triage")
    html = client.get(reverse("website:initiative-board-pack", args=[initiative.slug])).text
    notes = select(html, ".pack__notes li")
    # One note for each quote of a source, however many statements it supports.
    assert len(notes) == initiative.claims.values("source", "quote").distinct().count()
    assert [note["value"] for note in notes] == [str(n) for n in range(1, len(notes) + 1)]
    band = initiative.claims.filter(statement="cost_band").first()
    start = " ".join(band.quote.split()[:QUOTE_WORDS - 1])  # a long quote is cut short
    assert any(start in text(note) and band.place in text(note) for note in notes)
    assert select(html, ".pack__ref")


def test_the_api_and_the_downloads_carry_the_quotes(client, seed):
    initiative = Initiative.objects.get(slug="cleveland-street-triage")
    claim = initiative.claims.filter(statement="cost_band").first()
    record = client.get(f"/api/v1/practice/{initiative.slug}/").json()
    assert {"quote": claim.quote, "place": claim.place, "source": claim.source.title} \
        .items() <= next(c for c in record["claims"] if c["quote"] == claim.quote).items()
    exported = json.loads(b"".join(client.get(reverse("opendata:export-json"),
                                              {"q": "Cleveland"}).streaming_content))
    assert any(c["quote"] == claim.quote for r in exported["results"] for c in r["claims"])
    rows = csv.DictReader(io.StringIO(b"".join(client.get(
        reverse("opendata:export-csv"), {"q": "Cleveland"}).streaming_content).decode()))
    assert any(claim.quote in row["Quoted claims: the sources' own words"] for row in rows)


def test_ripe_needs_every_checklist_item_quoted(client, make_ripe):
    ripe = make_ripe("Street triage")
    assert Initiative.objects.ripe().filter(pk=ripe.pk).exists()
    ripe.claims.filter(statement=CHECKLIST_FIELDS[0]).delete()
    assert not Initiative.objects.ripe().filter(pk=ripe.pk).exists()
    html = client.get(ripe.get_absolute_url()).text
    assert "replication checklist not every item quoted from a source" in html


def test_readings_become_claims_and_a_fixture(tmp_path, make_initiative):
    initiative = make_initiative("Triage car", lead_organisation="Kent Police")
    source = initiative.sources.get()
    reading = {"slug": initiative.slug, "claims": [
        {"field": "lead_organisation", "row": None, "verdict": "confirmed",
         "quote": "Kent Police runs the car.", "source_url": source.url, "where": "paragraph 1",
         "said_by_office": False, "new_source": None},
        {"field": "status", "row": None, "verdict": "unsupported", "quote": "",
         "source_url": source.url, "where": "", "said_by_office": False},
        {"field": "summary", "row": None, "verdict": "office-only", "quote": "We began it.",
         "source_url": "https://example.org/new", "where": "page 2", "said_by_office": True,
         "new_source": {"title": "A new page", "publisher": "The office", "date": "2019-05-01",
                        "url": "https://example.org/new"}},
        {"field": "commissioner_role", "row": "funded", "verdict": "confirmed",
         "quote": "Paid.", "source_url": source.url, "where": "p. 1"},
    ]}
    (tmp_path / f"{initiative.slug}.json").write_text(json.dumps(reading))
    fixture = tmp_path / "claims.json"
    call_command("import_readings", str(tmp_path), fixture=str(fixture), verbosity=0,
                 stderr=io.StringIO())
    kept = {(c.statement, c.source.title, c.said_by_office) for c in initiative.claims.all()}
    assert kept == {("lead_organisation", source.title, False),
                    ("summary", "A new page", True)}, "unsupported and row-less claims left out"
    written = json.loads(fixture.read_text())
    assert [item["model"] for item in written] == ["casestudies.source", "casestudies.claim",
                                                   "casestudies.claim"]
