"""Roles, tested by permission: editors write and send requests; publishers (the Publishers
group) also publish, archive and restore; administrators manage users."""

import importlib

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from casestudies.models import Initiative, State
from tests.test_editing import admin_form_data, change_url

CHANGELIST = reverse("admin:casestudies_initiative_changelist")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_groups_hold_the_permissions(editor, publisher):
    assert not editor.has_perm("casestudies.publish_initiative")
    assert editor.has_perm("casestudies.change_initiative")
    assert editor.has_perm("casestudies.view_verificationrequest")
    assert editor.has_perm("casestudies.change_contactmessage")
    assert publisher.has_perm("casestudies.publish_initiative")
    editors = set(Group.objects.get(name="Editors").permissions.all())
    assert editors < set(Group.objects.get(name="Publishers").permissions.all())
    for user in (editor, publisher):
        assert not user.has_perm("auth.change_user") and not user.has_perm("auth.add_user")


def test_an_editor_may_save_a_draft_or_send_it_to_review_but_not_publish(editor,
                                                                         make_initiative):
    client = logged_in(editor)
    draft = make_initiative("Scheme", state=State.DRAFT)
    form = client.get(change_url(draft)).text
    assert '<option value="review">In review</option>' in form
    assert 'value="published"' not in form and 'value="archived"' not in form
    refused = client.post(change_url(draft), admin_form_data(draft, state="published"))
    assert refused.status_code == 200
    assert "Only publishers can publish or archive an entry." in refused.text
    assert client.post(change_url(draft), admin_form_data(draft, state="review")
                       ).status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.REVIEW


def test_an_editor_edits_a_published_entry_but_cannot_unpublish_it(editor, make_initiative):
    client = logged_in(editor)
    entry = make_initiative("Scheme")
    response = client.post(change_url(entry), admin_form_data(entry, title="Scheme, renamed",
                                                               state="draft"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.state) == ("Scheme, renamed", State.PUBLISHED)


@pytest.mark.parametrize("action", ["publish", "archive"])
def test_only_publishers_have_the_publish_and_archive_actions(editor, publisher,
                                                              make_initiative, action):
    entry = make_initiative("Scheme", state=State.REVIEW)
    editors = logged_in(editor)
    assert f'value="{action}"' not in editors.get(CHANGELIST).text
    editors.post(CHANGELIST, {"action": action, "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert entry.state == State.REVIEW
    publishers = logged_in(publisher)
    assert f'value="{action}"' in publishers.get(CHANGELIST).text
    publishers.post(CHANGELIST, {"action": action, "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert entry.state == {"publish": State.PUBLISHED, "archive": State.ARCHIVED}[action]


def test_only_publishers_restore_deleted_entries(editor, publisher, make_initiative):
    deleted = reverse("admin:casestudies_initiative_deleted")
    assert "Restore deleted initiatives" not in logged_in(editor).get(CHANGELIST).text
    assert logged_in(editor).get(deleted).status_code == 403
    assert "Restore deleted initiatives" in logged_in(publisher).get(CHANGELIST).text
    assert logged_in(publisher).get(deleted).status_code == 200


def test_editors_send_requests_to_confirm(editor, make_initiative):
    entry = make_initiative("Scheme", contact_email="office@example.org")
    page = logged_in(editor).get(change_url(entry))
    assert "Ask the area to confirm" in page.text
    assert logged_in(editor).get(
        reverse("admin:casestudies_initiative_verify", args=[entry.pk])).status_code == 200


def test_only_administrators_manage_users(editor, publisher):
    users = reverse("admin:auth_user_changelist")
    for user in (editor, publisher):
        assert logged_in(user).get(users).status_code == 403
    chief = User.objects.create_superuser("chief")
    assert logged_in(chief).get(users).status_code == 200


def test_view_on_site_previews_a_draft_for_editors_only(editor, make_initiative):
    draft = make_initiative("Scheme", state=State.DRAFT)
    client = logged_in(editor)
    form = client.get(change_url(draft)).text
    view_on_site = reverse("admin:view_on_site",
                           args=[ContentType.objects.get_for_model(Initiative).pk, draft.pk])
    assert f'href="{view_on_site}"' in form
    preview = client.get(view_on_site, follow=True)
    assert preview.status_code == 200
    assert "Draft preview: this initiative is not published" in preview.text
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_editors_made_again_after_a_flush_still_cannot_publish(transactional_db):
    """The browser tests empty the database; the groups made again from the migrations must
    hold the same permissions as the migrations gave them."""
    Group.objects.all().delete()
    from django.apps import apps

    importlib.import_module("casestudies.migrations.0002_editors_group") \
        .create_editors_group(apps, None)
    importlib.import_module("casestudies.migrations.0024_publishers_group") \
        .create_publishers(apps, None)
    editors = Group.objects.get(name="Editors").permissions
    assert not editors.filter(codename="publish_initiative").exists()
    assert editors.filter(codename="change_initiative").exists()
    assert Group.objects.get(name="Publishers").permissions.filter(
        codename="publish_initiative").exists()
