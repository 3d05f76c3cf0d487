"""The publishing rules hold on every write path, not only the admin's change form: a
published entry keeps a source whoever edits it and however (form, import, the shell, either
side of the relation), and an area's confirmation link answers once even when sent twice at
once."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from casestudies.models import State
from tests.test_admin import form_data  # noqa: F401 (a fixture)
from tests.test_spreadsheet import confirm, dry_run


def change_url(initiative):
    return reverse("admin:casestudies_initiative_change", args=[initiative.pk])


def test_an_editor_cannot_take_every_source_from_a_published_entry_in_admin(
        editor_client, make_initiative, form_data):  # noqa: F811
    published = make_initiative("Street triage")
    before = list(published.sources.all())
    response = editor_client.post(change_url(published),
                                  {**form_data, "slug": published.slug, "sources": []})
    assert response.status_code == 200
    assert "Add at least one source before publishing." in response.text
    published.refresh_from_db()
    assert published.state == State.PUBLISHED and list(published.sources.all()) == before


def test_an_editor_may_replace_the_only_source_of_a_published_entry(
        editor_client, make_initiative, make_source, form_data):  # noqa: F811
    published = make_initiative("Street triage")
    replacement = make_source(title="Annual report")
    response = editor_client.post(change_url(published), {
        **form_data, "slug": published.slug, "sources": [replacement.pk]})
    assert response.status_code == 302
    assert list(published.sources.all()) == [replacement]


def test_an_import_cannot_take_every_source_from_a_published_entry(editor_client,
                                                                   make_initiative):
    published = make_initiative("Street triage")
    row = {"Title": published.title, "Slug": published.slug, "Area": published.area.slug,
           "Themes": "; ".join(t.name for t in published.themes.all()),
           "Summary": "New summary.", "Practice status": published.get_status_display(),
           "What was done": published.description,
           "Lead organisation": published.lead_organisation,
           "Stage of evidence": "No evaluation yet",
           "What the evidence found": "Too early to say", "Cost band": "Not known",
           "Sources": ""}
    response = dry_run(editor_client, [row])
    assert "Add at least one source before publishing." in response.text
    assert not response.context.get("confirm_form")
    assert published.sources.exists()


def test_an_import_may_replace_the_only_source_of_a_published_entry(editor_client,
                                                                    make_initiative,
                                                                    make_source):
    published = make_initiative("Street triage")
    replacement = make_source(title="Annual report")
    row = {"Title": published.title, "Slug": published.slug, "Area": published.area.slug,
           "Themes": "; ".join(t.name for t in published.themes.all()),
           "Summary": published.summary, "Practice status": published.get_status_display(),
           "What was done": published.description,
           "Lead organisation": published.lead_organisation,
           "Stage of evidence": "No evaluation yet",
           "What the evidence found": "Too early to say", "Cost band": "Not known",
           "Sources": replacement.slug}
    assert confirm(editor_client, dry_run(editor_client, [row])).status_code == 302
    assert list(published.sources.all()) == [replacement]


def test_the_shell_cannot_take_every_source_from_a_published_entry(make_initiative,
                                                                   make_source):
    published = make_initiative("Street triage")
    only = published.sources.get()
    for take_away in (lambda: published.sources.clear(),
                      lambda: published.sources.remove(only),
                      lambda: only.initiatives.remove(published),
                      lambda: only.initiatives.clear()):
        with pytest.raises(ValidationError, match="cites at least one source"), \
                transaction.atomic():  # as the shell's own transaction would end
            take_away()
        assert list(published.sources.all()) == [only]
    other = make_source()
    published.sources.add(other)
    published.sources.remove(only)  # one is left
    assert list(published.sources.all()) == [other]
    draft = make_initiative("A draft", state=State.DRAFT)
    draft.sources.clear()  # drafts need none
    assert not draft.sources.exists()


def test_of_two_answers_to_one_confirmation_link_sent_at_once_only_one_is_kept(
        client, make_initiative, editor, monkeypatch):
    from casestudies.models import VerificationRequest
    from workbench import verification

    entry = make_initiative("Street triage", contact_email="office@example.org")
    request = VerificationRequest.objects.create(initiative=entry, email="office@example.org",
                                                 sent_by=editor)
    link = f"/confirm-entry/{verification.token_for(request)}/"
    # The second answer's request read the link as unused, as the first was being saved.
    read_before_the_first_answer = VerificationRequest.objects.get(pk=request.pk)
    assert client.post(link, {"answer": "ended", "what_changed": "Ended in March.",
                              "answered_by": "Policy officer"}).status_code == 302
    monkeypatch.setattr(verification, "request_from",
                        lambda token: read_before_the_first_answer)
    late = client.post(link, {"answer": "running", "answered_by": "Someone else"})
    assert late.status_code == 410 and "already been used" in late.text
    request.refresh_from_db()
    assert (request.answer, request.answered_by) == ("ended", "Policy officer")


def test_the_only_source_of_a_published_entry_cannot_be_deleted(editor_client, editor,
                                                                 make_initiative, make_source):
    from django.contrib.auth.models import Permission
    from django.db.models import ProtectedError

    published = make_initiative("Street triage")
    only = published.sources.get()
    editor.user_permissions.add(Permission.objects.get(codename="delete_source"))
    delete = reverse("admin:casestudies_source_delete", args=[only.pk])
    page = editor_client.post(delete, {"post": "yes"})
    assert page.status_code == 200 and "Street triage (published; this is its only source)" \
        in page.text
    with pytest.raises(ProtectedError), transaction.atomic():
        only.delete()
    assert list(published.sources.all()) == [only]
    spare = make_source()
    published.sources.add(spare)
    spare.delete()  # another remains
    assert list(published.sources.all()) == [only]
