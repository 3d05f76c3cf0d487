"""Editors manage content in Django admin without being superusers."""

import pytest
from django.urls import reverse

from casestudies.models import Initiative
from tests.pages import texts_of
from tests.test_editing import INLINES

ADD = reverse("admin:casestudies_initiative_add")
CHANGELIST = reverse("admin:casestudies_initiative_changelist")


@pytest.fixture
def form_data(make_area, make_theme, make_source):
    area, theme, source = make_area("Kent"), make_theme(), make_source()
    return {
        "title": "Crisis cafe", "slug": "crisis-cafe", "area": area.pk, "themes": [theme.pk],
        "summary": "A cafe.", "description": "Opened a cafe.", "status": "operating",
        "year_started": "2016", "outcomes": "", "replication_preconditions": "",
        "replication_partners": "", "replication_first_steps": "",
        "lead_organisation": "Kent PCC", "contact": "", "contact_email": "",
        "partners": [], "sources": [source.pk], "state": "published",
        "last_verified": "", "verified_how": "", "status_reported_in": "",
        "evidence_stage": "none", "evidence_finding": "too-early", "cost_band": "not-known",
        # the inlines, such as readers' problem reports
        **{f"{prefix}-{count}": "0" for prefix in INLINES
           for count in ("TOTAL_FORMS", "INITIAL_FORMS")},
    }


@pytest.mark.parametrize("url", [CHANGELIST, ADD, reverse("admin:index")])
def test_anonymous_users_are_sent_to_log_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_publisher_can_add_and_publish_an_initiative(publisher_client, form_data):
    response = publisher_client.post(ADD, form_data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    initiative = Initiative.objects.get(slug="crisis-cafe")
    assert initiative.is_published
    assert publisher_client.get("/practice/crisis-cafe/").status_code == 200


def test_publishing_without_a_source_is_refused_and_keeps_the_input(publisher_client,
                                                                   form_data):
    form_data["sources"] = []
    response = publisher_client.post(ADD, form_data)
    assert response.status_code == 200
    assert "Add at least one source before publishing." in response.text
    assert 'value="Crisis cafe"' in response.text
    assert not Initiative.objects.exists()


def test_a_draft_may_be_saved_without_a_source(editor_client, form_data):
    form_data["sources"] = []
    form_data["state"] = "draft"
    assert editor_client.post(ADD, form_data).status_code == 302
    assert not Initiative.objects.get(slug="crisis-cafe").is_published


def test_editor_can_edit_an_initiative(editor_client, make_initiative, form_data):
    initiative = make_initiative("Old title")
    url = reverse("admin:casestudies_initiative_change", args=[initiative.pk])
    form_data.update(title="New title", slug=initiative.slug)
    response = editor_client.post(url, form_data)
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "New title"


def test_editors_type_and_read_dates_the_british_way(editor_client, make_initiative,
                                                     form_data):
    """Day first, as in the UK: 01/02/2026 is 1 February, in the form and in the list."""
    initiative = make_initiative("Old title")
    url = reverse("admin:casestudies_initiative_change", args=[initiative.pk])
    form_data.update(slug=initiative.slug, last_verified="01/02/2026", verified_how="sources")
    assert editor_client.post(url, form_data).status_code == 302
    initiative.refresh_from_db()
    assert initiative.last_verified.isoformat() == "2026-02-01"
    assert "1 Feb 2026" in editor_client.get(CHANGELIST).text


def test_publish_action_skips_initiatives_without_sources(publisher_client, make_initiative):
    sourced = make_initiative("Sourced", is_published=False)
    unsourced = make_initiative("Unsourced", is_published=False, sources=[])
    response = publisher_client.post(CHANGELIST, {
        "action": "publish", "_selected_action": [sourced.pk, unsourced.pk],
    }, follow=True)
    sourced.refresh_from_db()
    unsourced.refresh_from_db()
    assert sourced.is_published and not unsourced.is_published
    assert "Not published: Unsourced. Add at least one source before publishing." in response.text


def test_a_duplicate_title_in_the_same_area_is_a_form_error(editor_client, make_initiative,
                                                            form_data):
    existing = make_initiative("Crisis cafe", slug="other-slug")
    form_data["area"] = existing.area.pk
    response = editor_client.post(ADD, form_data)
    assert response.status_code == 200
    assert "already exists" in response.text


def test_changelist_search_and_filters_work(editor_client, seed):
    response = editor_client.get(CHANGELIST, {"q": "triage", "area__region": "north-east"})
    assert response.status_code == 200
    results = response.context["cl"].result_list
    assert {i.area.region for i in results} == {"north-east"}
    assert {i.title for i in results} >= {"Street triage", "Street Triage Team and custody nurses"}


def test_changelist_query_count_does_not_grow(editor_client, make_initiative,
                                              django_assert_max_num_queries):
    make_initiative()
    for _ in range(30):
        make_initiative()
    with django_assert_max_num_queries(15):
        assert editor_client.get(CHANGELIST).status_code == 200


@pytest.mark.parametrize("model", ["area", "partner", "source"])
def test_reference_data_is_editable(editor_client, seed, model):
    assert editor_client.get(reverse(f"admin:casestudies_{model}_changelist")).status_code == 200
    assert editor_client.get(reverse(f"admin:casestudies_{model}_add")).status_code == 200


def test_themes_are_editable(editor_client, seed):
    assert editor_client.get(reverse("admin:themes_theme_changelist")).status_code == 200


def test_autocomplete_finds_areas(editor_client, seed):
    response = editor_client.get(reverse("admin:autocomplete"), {
        "term": "norf", "app_label": "casestudies", "model_name": "initiative",
        "field_name": "area",
    })
    assert [r["text"] for r in response.json()["results"]] == ["Norfolk"]


def test_the_change_form_says_how_much_of_the_checklist_is_met(editor_client, make_ripe,
                                                              make_initiative):
    ripe = make_ripe()
    html = editor_client.get(reverse("admin:casestudies_initiative_change",
                                     args=[ripe.pk])).text
    assert "Checklist met: 6 of 6." in html
    bare = make_initiative("Bare")
    html = editor_client.get(reverse("admin:casestudies_initiative_change",
                                     args=[bare.pk])).text
    assert "Checklist met: 0 of 6. Still missing: replication checklist not complete;" in html
    assert 'id="checklist-rule"' in html  # the rule the page's script keeps it current with
    assert "js/admin-checklist.js" in html


def test_the_change_form_is_grouped_like_a_case_study(editor_client, make_initiative):
    html = editor_client.get(reverse("admin:casestudies_initiative_change",
                                     args=[make_initiative().pk])).text
    headings = ["The practice in brief", "What was done and how it works",
                "Evidence and evaluations", "Evaluations", "Costs and funders",
                "The commissioner's role", "Replication checklist", "Contacts", "Sources",
                "Publishing and verification"]
    shown = texts_of(html, "h2")
    assert [heading for heading in shown if heading in headings] == headings
    assert "Publication state" in html and "Practice status" in html
    assert ">State:<" not in html and ">Status:<" not in html


def test_a_publication_source_needs_its_address(editor_client, db):
    from casestudies.models import Source

    add = reverse("admin:casestudies_source_add")
    data = {"kind": "publication", "title": "A report", "slug": "a-report",
            "publisher": "A council", "published_on": "", "url": ""}
    response = editor_client.post(add, data)
    assert response.status_code == 200
    assert "Enter the address of the publication or web page." in response.text
    assert not Source.objects.exists()
    assert editor_client.post(add, {**data, "kind": "confirmation"}).status_code == 302
