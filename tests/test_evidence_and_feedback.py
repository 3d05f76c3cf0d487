"""Evidence labels, replication readiness, suggestions, problem reports, about and glossary."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape

from casestudies.models import Initiative, ProblemReport, State, Suggestion
from tests.pages import card_titles

LIST = reverse("website:initiative-list")
SUGGEST = reverse("website:suggest")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def titles(response):
    return set(card_titles(response))


def test_evidence_labels_filter_the_list_and_show_in_words(client, make_initiative):
    make_initiative("Measured", evidence_stage="monitored", evidence_finding="promising")
    make_initiative("Unmeasured")
    assert titles(client.get(LIST, {"evidence_stage": "monitored"})) == {"Measured"}
    assert titles(client.get(LIST, {"evidence_finding": "too-early"})) == {"Unmeasured"}
    html = client.get(LIST).text
    assert "Evidence: monitored locally" in html and "Found: promising" in html
    detail = client.get(reverse("website:initiative-detail", args=["measured"])).text
    assert "Stage: Monitored locally" in detail and "Found: Promising" in detail


def test_seed_evidence_labels_are_explained(seed):
    """Every label above "no evaluation yet" says why, with the outcomes it rests on."""
    published = Initiative.objects.published()
    for initiative in published.exclude(evidence_stage="none"):
        assert initiative.outcomes and initiative.evidence_note, initiative.slug


def test_ripe_is_worked_out_and_the_checklist_says_what_is_missing(client, make_ripe):
    """Nobody sets "ripe" by hand: an entry is ripe when it meets every item, and its page
    lists the items met and missing (rule changed from the hand-set mark of issue 5)."""
    ready = make_ripe("Ready")
    html = client.get(ready.get_absolute_url()).text
    assert "Ripe for replication</strong> All 6 items below are met." in html
    ready.replication_funding = ""
    ready.cost_band = "not-known"
    ready.save()
    html = client.get(ready.get_absolute_url()).text
    assert "Not yet ripe for replication: 4 of 6 met; replication checklist not complete, " \
           "no cost band." in html
    assert not Initiative.objects.ripe().exists()


def test_an_entry_stops_being_ripe_when_its_verification_lapses(client, make_ripe, today):
    from datetime import timedelta

    lapsed = make_ripe("Lapsed", last_verified=today - timedelta(days=400))
    make_ripe("Fresh")
    assert titles(client.get(LIST, {"ripe": "yes"})) == {"Fresh"}
    html = client.get(lapsed.get_absolute_url()).text
    assert "5 of 6 met; not verified since 2025." in html


def test_ripe_needs_an_evaluation_that_found_it_promising_or_working(make_ripe):
    make_ripe("Unclear", evidence_finding="mixed")
    make_ripe("Monitored only", evidence_stage="monitored")
    make_ripe("Ready")
    assert [i.title for i in Initiative.objects.ripe()] == ["Ready"]


def test_ripe_practice_can_be_filtered_and_shows_its_checklist(client, make_ripe,
                                                              make_initiative):
    make_ripe("Ready")
    make_initiative("Not ready")
    assert titles(client.get(LIST, {"ripe": "yes"})) == {"Ready"}
    html = client.get(reverse("website:initiative-detail", args=["ready"])).text
    assert "Ripe for replication" in html
    assert "<li>Find funding</li>" in html
    for heading in ("What must be in place first", "Data sharing needed", "Funding routes",
                    "What did not work, or would be done differently"):
        assert heading in html


def test_evidence_page_explains_each_label_with_examples(client, seed):
    html = client.get(reverse("website:evidence")).text
    for label in ("No evaluation yet", "Monitored locally", "Evaluated locally",
                  "Independently evaluated", "Too early to say", "Promising", "Worked",
                  "Mixed", "Did not work"):
        assert f">{label}</dt>" in html
    shown = Initiative.objects.published().filter(evidence_stage="independent").order_by(
        "title").first()
    assert escape(shown.title) in html


SUGGESTION = {
    "title": "Crisis cafe", "area": "", "summary": "A cafe for people in crisis.",
    "description": "Opened in 2016 with the NHS.", "status": "operating", "year_started": "2016",
    "outcomes": "", "lead_organisation": "Kent OPCC", "partners": "Mind",
    "sources": "https://example.org/news\nhttps://example.org/report",
    "submitter_name": "", "submitter_email": "", "submitter_organisation": "",
}


@pytest.fixture
def suggestion_data(make_area, make_theme):
    area, theme = make_area("Kent"), make_theme("Earlier")
    return {**SUGGESTION, "area": area.slug, "themes": [theme.slug]}


def test_a_suggestion_lands_in_the_moderation_queue(client, suggestion_data):
    response = client.post(SUGGEST, suggestion_data)
    assert response.status_code == 302
    assert response["Location"] == reverse("website:suggest-thanks")
    suggestion = Suggestion.objects.get()
    assert suggestion.state == Suggestion.Review.NEW
    assert suggestion.themes.count() == 1
    assert "Suggestion sent" in client.get(response["Location"]).text


def test_suggestion_errors_show_next_to_the_fields_and_keep_the_input(client, suggestion_data):
    data = {**suggestion_data, "title": "", "sources": "not a web address", "year_started": "x"}
    response = client.post(SUGGEST, data)
    html = response.text
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_title">Enter the name of the practice</a>' in html
    assert "is not a web address" in html
    assert "govuk-form-group--error" in html
    assert "Opened in 2016 with the NHS." in html
    assert not Suggestion.objects.exists()


def test_the_suggestion_form_needs_a_csrf_token(suggestion_data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(SUGGEST, suggestion_data)
    assert response.status_code == 403
    assert not Suggestion.objects.exists()


def test_the_honeypot_quietly_drops_bots(client, suggestion_data):
    response = client.post(SUGGEST, {**suggestion_data, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Suggestion.objects.exists()


def test_suggestions_are_rate_limited_per_address(client, suggestion_data, settings):
    settings.FORM_RATE_LIMIT = (2, 3600)
    for _ in range(2):
        assert client.post(SUGGEST, suggestion_data).status_code == 302
    response = client.post(SUGGEST, suggestion_data)
    assert response.status_code == 429
    assert "Wait an hour" in response.text
    assert Suggestion.objects.count() == 2
    other = client.post(SUGGEST, suggestion_data, REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 302, "another address has its own allowance"


def test_an_editor_turns_a_suggestion_into_a_draft(client, editor_client, suggestion_data):
    client.post(SUGGEST, suggestion_data)
    suggestion = Suggestion.objects.get()
    changelist = reverse("admin:casestudies_suggestion_changelist")
    editor_client.post(changelist, {"action": "make_drafts",
                                    "_selected_action": [suggestion.pk]})
    suggestion.refresh_from_db()
    draft = suggestion.initiative
    assert suggestion.state == Suggestion.Review.ACCEPTED
    assert draft.state == State.DRAFT
    assert (draft.title, draft.area, draft.summary, draft.year_started) == (
        "Crisis cafe", suggestion.area, "A cafe for people in crisis.", 2016)
    assert list(draft.themes.all()) == list(suggestion.themes.all())
    assert "https://example.org/report" in draft.evidence_note
    from django.test import Client

    assert Client().get(draft.get_absolute_url()).status_code == 404, "drafts are not public"


def test_suggestion_to_published_initiative(client, editor_client, publisher, suggestion_data,
                                            make_source):
    client.post(SUGGEST, suggestion_data)
    suggestion = Suggestion.objects.get()
    editor_client.post(reverse("admin:casestudies_suggestion_changelist"),
                       {"action": "make_drafts", "_selected_action": [suggestion.pk]})
    draft = Suggestion.objects.get().initiative
    draft.sources.add(make_source())
    from django.test import Client

    publisher_client = Client()
    publisher_client.force_login(publisher)
    publisher_client.post(reverse("admin:casestudies_initiative_changelist"),
                          {"action": "publish", "_selected_action": [draft.pk]})

    response = Client().get(draft.get_absolute_url())
    assert response.status_code == 200 and "Crisis cafe" in response.text


def test_declining_needs_a_reason(editor_client, client, suggestion_data):
    client.post(SUGGEST, suggestion_data)
    suggestion = Suggestion.objects.get()
    url = reverse("admin:casestudies_suggestion_change", args=[suggestion.pk])
    data = {**suggestion_data, "area": suggestion.area_id,  # the admin form takes ids
            "themes": [t.pk for t in suggestion.themes.all()],
            "state": "declined", "decline_reason": ""}
    response = editor_client.post(url, data)
    assert "Give a reason for declining the suggestion." in response.text
    response = editor_client.post(url, {**data, "decline_reason": "Not PCC-led."})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == "declined"


def test_readers_report_a_problem_and_editors_resolve_it(client, editor_client,
                                                         make_initiative):
    initiative = make_initiative("Street triage")
    page = client.get(initiative.get_absolute_url()).text
    report_url = reverse("website:report-problem", args=[initiative.slug])
    assert f'href="{report_url}"' in page
    assert "Tell us what is wrong" in client.post(report_url, {"problem": ""}).text
    response = client.post(report_url, {"problem": "The 2015 figure is wrong.",
                                        "email": "reader@example.org"})
    assert response.status_code == 302
    report = ProblemReport.objects.get()
    assert report.initiative == initiative and report.state == "new"
    assert report.email == "reader@example.org"  # kept while an editor may need to reply
    change = editor_client.get(
        reverse("admin:casestudies_initiative_change", args=[initiative.pk])).text
    assert "The 2015 figure is wrong." in change
    editor_client.post(reverse("admin:casestudies_problemreport_changelist"),
                       {"action": "mark_resolved", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.state == "resolved"
    assert report.email == "", "the form promises to delete the address once resolved"


def test_resolving_a_report_on_its_own_page_deletes_the_address_too(editor_client,
                                                                     make_initiative):
    report = ProblemReport.objects.create(initiative=make_initiative(), problem="A typo.",
                                          email="reader@example.org")
    url = reverse("admin:casestudies_problemreport_change", args=[report.pk])
    assert "deletes the reader" in editor_client.get(url).text
    editor_client.post(url, {"state": "resolved", "editor_note": "Fixed."})
    report.refresh_from_db()
    assert (report.state, report.email) == ("resolved", "")


def test_problem_reports_only_for_published_case_studies(client, make_initiative):
    draft = make_initiative("Secret", is_published=False)
    assert client.get(reverse("website:report-problem", args=[draft.slug])).status_code == 404


def test_about_and_glossary(client, seed):
    about = client.get(reverse("website:about")).text
    assert "Revolving Doors Agency" in about and "How entries are chosen" in about
    glossary = client.get(reverse("website:glossary")).text
    for term in ("PCC", "PFCC", "OPCC", "Section 136", "Street triage", "Liaison and diversion",
                 "Crisis Care Concordat", "Health and wellbeing board",
                 "Clinical commissioning group"):
        assert term in glossary


def test_case_studies_link_the_terms_they_use_once(client, seed):
    html = client.get("/practice/leicestershire-triage-car/").text
    assert html.count('href="/glossary/#street-triage"') == 1
    html = client.get("/practice/norfolk-offender-health-group-health-and-wellbeing-board/").text
    assert 'href="/glossary/#health-and-wellbeing-board"' in html


def test_glossary_links_escape_editor_text(client, make_initiative):
    initiative = make_initiative(description="<b>Street triage</b> & more")
    html = client.get(initiative.get_absolute_url()).text
    assert "&lt;b&gt;<a class=\"govuk-link\" href=\"/glossary/#street-triage\">" in html
    assert "<b>Street" not in html
