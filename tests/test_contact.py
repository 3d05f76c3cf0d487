"""The contact form: readers reach the editors, who see the messages in admin."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from casestudies.models import ContactMessage
from pcc_practice.cache.models import Counter

CONTACT = reverse("website:contact")
MESSAGE = {"kind": "accessibility", "message": "The map cannot be used with a screen reader.",
           "page": "/picture/", "name": "A reader", "email": "reader@example.org"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_the_footer_and_the_accessibility_statement_lead_to_the_form(client, db):
    home = client.get("/")
    assert f'href="{CONTACT}"' in home.text
    statement = client.get(reverse("website:accessibility")).text
    assert f'href="{CONTACT}?about=accessibility"' in statement
    assert "none has been set here yet" not in statement
    form = client.get(f"{CONTACT}?about=accessibility")
    assert 'value="accessibility" checked' in form.text


def test_a_message_reaches_the_editors_in_admin(client, db, editor):
    response = client.post(CONTACT, MESSAGE)
    assert response.status_code == 302 and response.url == reverse("website:contact-thanks")
    message = ContactMessage.objects.get()
    assert (message.kind, message.page, message.state) == ("accessibility", "/picture/", "new")
    editors = Client()
    editors.force_login(editor)
    listing = editors.get(reverse("admin:casestudies_contactmessage_changelist"))
    assert listing.status_code == 200
    assert "An accessibility problem" in listing.text
    assert "The map cannot be used with a screen reader." in listing.text
    editors.post(reverse("admin:casestudies_contactmessage_changelist"),
                 {"action": "mark_resolved", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert (message.state, message.name, message.email) == ("resolved", "", ""), \
        "the form promises to delete the name and address once dealt with"


@pytest.mark.parametrize("changes, field, error", [
    ({"kind": ""}, "kind", "Choose what your message is about"),
    ({"kind": "nonsense"}, "kind", "Choose what your message is about"),
    ({"message": ""}, "message", "Enter your message"),
    ({"email": "not an address"}, "email", "Enter an email address in the correct format"),
    ({"kind": "format", "email": ""}, "email", "Enter the email address to send the content"),
])
def test_mistakes_are_explained_and_the_input_kept(client, db, changes, field, error):
    response = client.post(CONTACT, {**MESSAGE, **changes})
    assert response.status_code == 200
    assert error in response.text
    assert f'href="#id_{field}"' in response.text  # the error summary links to the field
    if changes.get("message") != "":
        assert "The map cannot be used with a screen reader." in response.text
    assert not ContactMessage.objects.exists()


def test_the_form_has_the_protections_of_the_other_public_forms(client, db, settings):
    assert Client(enforce_csrf_checks=True).post(CONTACT, MESSAGE).status_code == 403
    assert client.post(CONTACT, {**MESSAGE, "website": "http://spam.example"}).status_code == 302
    assert not ContactMessage.objects.exists()  # the honeypot drops bots quietly
    Counter.objects.all().delete()  # counts are kept in the database
    settings.FORM_RATE_LIMIT = (1, 3600)
    assert client.post(CONTACT, MESSAGE).status_code == 302
    limited = client.post(CONTACT, MESSAGE)
    assert limited.status_code == 429 and "Wait an hour" in limited.text
    assert ContactMessage.objects.count() == 1
