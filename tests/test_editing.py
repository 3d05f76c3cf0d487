"""Every edit kept: history, conflicts between editors, workflow, seed and backups."""

import importlib
import json
from datetime import date

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from casestudies.models import Area, Cost, Initiative, Source, State
from themes.models import Theme

ADD = reverse("admin:casestudies_initiative_add")
# The change form's inline formsets, by prefix.
INLINES = ["commissioner_roles", "funders", "costs", "evaluations", "links", "claims",
           "problem_reports"]


def change_url(initiative):
    return reverse("admin:casestudies_initiative_change", args=[initiative.pk])


def admin_form_data(initiative, **changes):
    data = {
        "title": initiative.title, "slug": initiative.slug, "area": initiative.area_id,
        "themes": [t.pk for t in initiative.themes.all()], "summary": initiative.summary,
        "description": initiative.description, "status": initiative.status,
        "year_started": initiative.year_started or "", "outcomes": initiative.outcomes,
        "replication_preconditions": "", "replication_partners": "",
        "replication_first_steps": "", "lead_organisation": initiative.lead_organisation,
        "contact": "", "contact_email": "", "partners": [],
        "sources": [s.pk for s in initiative.sources.all()], "state": initiative.state,
        "loaded_version": initiative.updated.isoformat(),
        "evidence_stage": "none", "evidence_finding": "too-early", "cost_band": "not-known",
        "status_reported_in": "", "last_verified": "", "verified_how": "",
        **{f"{prefix}-{count}": "0" for prefix in INLINES
           for count in ("TOTAL_FORMS", "INITIAL_FORMS")},
    }
    data.update(changes)
    return data


def test_admin_edits_are_recorded_with_who_when_and_the_values(editor_client, editor,
                                                               make_initiative):
    initiative = make_initiative("Old title")
    response = editor_client.post(change_url(initiative),
                                  admin_form_data(initiative, title="New title"))
    assert response.status_code == 302
    latest = initiative.history.first()
    assert latest.history_user == editor
    assert latest.history_type == "~"
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("title", "Old title", "New title")
    ]


def test_history_page_shows_the_changes(editor_client, make_initiative):
    initiative = make_initiative("Old title")
    editor_client.post(change_url(initiative), admin_form_data(initiative, title="New title"))
    url = reverse("admin:casestudies_initiative_history", args=[initiative.pk])
    html = editor_client.get(url).text
    assert "Old title" in html and "New title" in html
    assert "editor" in html


def test_history_reads_in_words(editor_client, make_initiative, make_source):
    """Field labels, choice labels, a word diff for text and names for relations; no raw
    values such as None or ids."""
    initiative = make_initiative("Scheme", description="Officers and nurses answer calls "
                                 "together in one car across the county.")
    added = make_source(title="An evaluation report")
    editor_client.post(change_url(initiative), admin_form_data(
        initiative, description="Officers and nurses answer calls together in two cars "
                                "across the county.",
        status="ended", year_started="2019",
        sources=[*[s.pk for s in initiative.sources.all()], added.pk]))
    url = reverse("admin:casestudies_initiative_history", args=[initiative.pk])
    html = editor_client.get(url).text
    assert "<dt>Practice status</dt>" in html
    assert "Operating" in html and "Ended or completed" in html
    assert "(empty)" in html and "2019" in html and "None" not in html
    assert '<ins><span class="visually-hidden">[added: </span>two cars ' in html
    assert '<del><span class="visually-hidden">[removed: </span>one car ' in html
    assert "Added: An evaluation report (" in html
    assert "by editor" in html


def test_history_of_a_long_text_change_cuts_the_words_far_from_it(editor_client, make_initiative):
    text = " ".join(f"word{n}" for n in range(40))
    initiative = make_initiative("Scheme", description=text)
    editor_client.post(change_url(initiative), admin_form_data(
        initiative, description=text.replace("word20", "changed")))
    html = editor_client.get(
        reverse("admin:casestudies_initiative_history", args=[initiative.pk])).text
    assert '<p class="app-word-diff">… word12 ' in html
    assert '<ins><span class="visually-hidden">[added: </span>changed ' in html
    assert "word28 … </p>" in html


def test_a_long_text_change_shows_only_the_words_around_it():
    from pcc_practice.history import word_diff

    old = " ".join(f"word{n}" for n in range(100))
    new = old.replace("word50", "changed")
    parts = word_diff(old, new)
    assert ("removed", "word50 ") in parts and ("added", "changed ") in parts
    shown = "".join(text for _, text in parts)
    assert "word0 " not in shown and "word99" not in shown and shown.count("…") == 2


def test_a_publisher_restores_an_old_version_after_confirming(publisher_client, publisher,
                                                              make_initiative, make_theme):
    initiative = make_initiative("Old title")
    original = initiative.history.first()
    old_themes = set(initiative.themes.all())
    other = make_theme("Another theme")
    publisher_client.post(change_url(initiative), admin_form_data(
        initiative, title="New title", themes=[other.pk]))
    restore = reverse("admin:casestudies_initiative_restore",
                      args=[initiative.pk, original.history_id])
    confirm = publisher_client.get(restore)
    assert "New title" in confirm.text and "Old title" in confirm.text
    assert "Yes, restore this version" in confirm.text
    history_url = reverse("admin:casestudies_initiative_history", args=[initiative.pk])
    assert f'<li><a href="{history_url}">History</a></li>' in confirm.text  # the way back
    assert '<li aria-current="page">Restore</li>' in confirm.text
    initiative.refresh_from_db()
    assert initiative.title == "New title"  # nothing changes until confirmed
    response = publisher_client.post(restore)
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Old title"
    assert set(initiative.themes.all()) == old_themes
    assert initiative.is_published
    latest = initiative.history.first()
    assert latest.history_user == publisher
    assert latest.history_change_reason.startswith("Restored the version of")


def test_editors_see_history_but_cannot_restore(editor_client, make_initiative):
    initiative = make_initiative("Old title")
    original = initiative.history.first()
    editor_client.post(change_url(initiative), admin_form_data(initiative, title="New title"))
    history = editor_client.get(reverse("admin:casestudies_initiative_history",
                                        args=[initiative.pk]))
    assert "Restore this version" not in history.text
    restore = reverse("admin:casestudies_initiative_restore",
                      args=[initiative.pk, original.history_id])
    assert editor_client.post(restore).status_code == 403
    initiative.refresh_from_db()
    assert initiative.title == "New title"


@pytest.mark.parametrize("model, make", [
    (Area, lambda f: f["make_area"]()), (Theme, lambda f: f["make_theme"]()),
    (Source, lambda f: f["make_source"]()),
])
def test_reference_data_keeps_history_too(make_area, make_theme, make_source, model, make):
    obj = make({"make_area": make_area, "make_theme": make_theme, "make_source": make_source})
    obj.save()
    assert obj.history.count() == 2


def test_a_deleted_initiative_can_be_restored_with_its_relations(publisher_client,
                                                                 make_initiative, make_partner):
    editor_client = publisher_client
    initiative = make_initiative("Street triage", partners=[make_partner()])
    themes = set(initiative.themes.values_list("pk", flat=True))
    sources = set(initiative.sources.values_list("pk", flat=True))
    pk = initiative.pk
    initiative.delete()
    deleted_url = reverse("admin:casestudies_initiative_deleted")
    listing = editor_client.get(deleted_url)
    assert "Street triage" in listing.text
    record = listing.context["records"][0]
    response = editor_client.post(deleted_url, {"history_id": record.history_id})
    assert response.status_code == 302
    restored = Initiative.objects.get(pk=pk)
    assert restored.title == "Street triage"
    assert set(restored.themes.values_list("pk", flat=True)) == themes
    assert set(restored.sources.values_list("pk", flat=True)) == sources
    assert restored.partners.count() == 1
    assert not editor_client.get(deleted_url).context["records"]


def test_second_editor_is_told_of_the_first_editors_save(client, editor, make_initiative):
    from django.contrib.auth.models import User

    initiative = make_initiative("Street triage")
    opened_by_both = admin_form_data(initiative)
    first = User.objects.create_user("first", is_staff=True, is_superuser=True)
    client.force_login(first)
    client.post(change_url(initiative), {**opened_by_both, "summary": "First editor's summary."})
    client.force_login(editor)
    response = client.post(change_url(initiative),
                           {**opened_by_both, "description": "Second editor's description."})
    assert response.status_code == 200, "the second save must not go through silently"
    html = response.text
    assert "Someone else saved this initiative after you opened it (first," in html
    assert "First editor&#x27;s summary." in html or "First editor's summary." in html
    assert "Second editor&#x27;s description." in html, "the second editor's input is kept"
    initiative.refresh_from_db()
    assert initiative.summary == "First editor's summary."
    # Having seen the other edit, the second editor can save on purpose.
    retry = dict(opened_by_both, description="Second editor's description.",
                 summary="First editor's summary.",
                 loaded_version=response.context["adminform"].form.data["loaded_version"])
    assert client.post(change_url(initiative), retry).status_code == 302
    initiative.refresh_from_db()
    assert initiative.description == "Second editor's description."


@pytest.mark.parametrize("state", [State.DRAFT, State.REVIEW])
def test_only_published_entries_are_public(client, make_initiative, state):
    initiative = make_initiative("Hidden", state=state)
    assert client.get(initiative.get_absolute_url()).status_code == 404
    assert "Hidden" not in client.get(reverse("website:initiative-list")).text


def test_archived_entries_answer_410_with_a_page_saying_so(client, make_initiative):
    initiative = make_initiative("Old scheme", state=State.ARCHIVED)
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 410
    assert "This case study has been archived" in response.text
    assert "Old scheme" not in client.get(reverse("website:initiative-list")).text


def test_workflow_actions_move_entries_between_states(publisher_client, make_initiative):
    initiative = make_initiative("Scheme", state=State.DRAFT)
    records = initiative.history.count()
    changelist = reverse("admin:casestudies_initiative_changelist")
    for action, state in [("send_to_review", State.REVIEW), ("publish", State.PUBLISHED),
                          ("archive", State.ARCHIVED)]:
        publisher_client.post(changelist, {"action": action,
                                           "_selected_action": [initiative.pk]})
        initiative.refresh_from_db()
        assert initiative.state == state
    assert initiative.history.count() == records + 3


def test_entries_not_verified_for_a_year_are_flagged(editor_client, make_initiative, today):
    from datetime import timedelta

    make_initiative("Stale", last_verified=today - timedelta(days=400), verified_how="sources")
    make_initiative("Fresh", last_verified=today - timedelta(days=30), verified_how="area")
    make_initiative("Never", last_verified=None)
    changelist = reverse("admin:casestudies_initiative_changelist")
    response = editor_client.get(changelist, {"review": "overdue"})
    assert {i.title for i in response.context["cl"].result_list} == {"Stale", "Never"}
    assert "Overdue" in response.text


def seed_initiative_count():
    path = settings.FIXTURE_DIRS[0] / "initiatives.json"
    return len(json.loads(path.read_text()))


def test_seed_command_adds_what_is_missing_and_never_overwrites(db):
    call_command("seed", verbosity=0)
    assert Initiative.objects.count() == seed_initiative_count()
    edited = Initiative.objects.get(slug="cleveland-street-triage")
    edited.summary = "An editor's better summary."
    edited.save()
    Initiative.objects.get(slug="essex-street-triage").delete()
    call_command("seed", verbosity=0)
    assert Initiative.objects.count() == seed_initiative_count()
    assert Initiative.objects.get(slug="cleveland-street-triage").summary == (
        "An editor's better summary."
    )
    restored = Initiative.objects.get(slug="essex-street-triage")
    assert restored.sources.exists() and restored.themes.exists()


def test_seed_update_corrects_only_what_no_editor_changed(db, editor):
    """A database loaded with an older seed gains the corrections, and keeps every edit."""
    call_command("seed", verbosity=0)
    fixture = {o["fields"]["slug"]: o["fields"] for o in json.loads(
        (settings.FIXTURE_DIRS[0] / "initiatives.json").read_text())}
    old = Initiative.objects.get(slug="essex-street-triage")
    old.summary = "What an older seed said."  # saved by no one: as an older seed load
    old.save()
    mine = Initiative.objects.get(slug="cleveland-street-triage")
    mine.summary = "An editor's better summary."
    mine._history_user = editor  # as an edit in admin records it
    mine.save()
    call_command("seed", verbosity=0)
    assert Initiative.objects.get(slug="essex-street-triage").summary == "What an older seed said."
    call_command("seed", "--update", verbosity=0)
    assert Initiative.objects.get(slug="essex-street-triage").summary == (
        fixture["essex-street-triage"]["summary"])
    assert Initiative.objects.get(slug="cleveland-street-triage").summary == (
        "An editor's better summary.")


def test_a_reworded_seed_cost_is_updated_in_place_not_added_again(db):
    """Migration 0021 rewords the old row, so that seed --update finds it by its new key."""
    from django.apps import apps

    reword = importlib.import_module("casestudies.migrations.0021_reword_seed_cost")
    call_command("seed", verbosity=0)
    costs = Cost.objects.filter(initiative__slug=reword.SLUG)
    costs.filter(covers=reword.NEW).update(covers=reword.OLD)  # as the earlier seed had it
    reword.reword(reword.OLD, reword.NEW)(apps, None)
    call_command("seed", "--update", verbosity=0)
    assert list(costs.values_list("covers", flat=True)) == [reword.NEW]


def dump(path):
    call_command("backup", "--output", str(path), verbosity=0)
    return json.loads(path.read_text())


def test_backup_keeps_times_to_the_microsecond(transactional_db, seed, tmp_path):
    """Times with a fraction under a millisecond came back rounded, so a restored backup
    differed from the saved one."""
    exact = timezone.now().replace(microsecond=500)
    Initiative.objects.filter(slug="cleveland-street-triage").update(updated=exact)
    dump(tmp_path / "backup.json")
    call_command("flush", "--noinput", verbosity=0)
    call_command("restore", str(tmp_path / "backup.json"), "--noinput", verbosity=0)
    assert Initiative.objects.get(slug="cleveland-street-triage").updated == exact


def test_backup_and_restore_round_trip_keeps_content_and_history(transactional_db, seed,
                                                                 editor, tmp_path):
    initiative = Initiative.objects.get(slug="cleveland-street-triage")
    initiative.summary = "Edited once."
    initiative.save()
    initiative.delete()
    before = dump(tmp_path / "before.json")
    models = {o["model"] for o in before}
    assert {"casestudies.historicalinitiative", "casestudies.initiative", "auth.user",
            "auth.group"} <= models
    call_command("flush", "--noinput", verbosity=0)
    assert not Initiative.objects.exists()
    call_command("restore", str(tmp_path / "before.json"), "--noinput", verbosity=0)
    after = dump(tmp_path / "after.json")

    def keyed(objects):
        return {(o["model"], json.dumps(o.get("pk"))): o for o in objects}

    before_by_key, after_by_key = keyed(before), keyed(after)
    assert set(after_by_key) == set(before_by_key)
    changed = [k for k in before_by_key if before_by_key[k] != after_by_key[k]]
    assert not changed, (changed[:3], [before_by_key[k] for k in changed[:1]],
                         [after_by_key[k] for k in changed[:1]])
    assert len(after) == len(before)
    assert Initiative.history.filter(slug="cleveland-street-triage", history_type="-").exists()


@pytest.mark.parametrize("admin_name", ["area", "source"])
def test_reference_data_history_reads_in_words_too(editor_client, make_area, make_source,
                                                   admin_name):
    if admin_name == "area":
        obj = make_area("Kent", region="south-east")
        obj.region = "london"
        obj.save()
        expected = ["<dt>Region</dt>", "South East", "London"]
    else:
        obj = make_source(title="Old title", published_on=None)
        obj.published_on = date(2019, 3, 1)
        obj.save()
        expected = ["<dt>Date</dt>", "(empty)", "1 March 2019"]
    page = editor_client.get(reverse(f"admin:casestudies_{admin_name}_history", args=[obj.pk]))
    assert page.status_code == 200
    for text in expected:
        assert text in page.text
    assert "None" not in page.text
    assert "Restore this version" not in page.text  # only initiatives are restored


def test_theme_history_reads_in_words(editor_client, make_theme):
    theme = make_theme("Early help")
    theme.name = "Earlier help"
    theme.save()
    page = editor_client.get(reverse("admin:themes_theme_history", args=[theme.pk])).text
    assert "<dt>Name</dt>" in page and "Early help" in page and "Earlier help" in page
