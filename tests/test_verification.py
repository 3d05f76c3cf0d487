"""Asking an area to confirm its entry: a signed link by email (through a real SMTP server on
loopback), a form that works once and expires, and an editor's decision on the answer."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casestudies.models import (
    Initiative,
    SourceKind,
    Status,
    VerificationRequest,
    VerifiedHow,
)
from workbench import verification

CHANGELIST = reverse("admin:casestudies_verificationrequest_changelist")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def verify_url(initiative):
    return reverse("admin:casestudies_initiative_verify", args=[initiative.pk])


def link_in(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://testserver(/confirm-entry/[^/\s]+/)", text).group(1)


@pytest.fixture
def entry(make_initiative):
    return make_initiative("Street triage", contact="The commissioner's office",
                           contact_email="office@pcc.example.org", status=Status.OPERATING,
                           status_reported_in=2019)


def test_the_round_trip_from_request_to_accepted_answer(client, editor, entry, inbox, today):
    editors = Client()
    editors.force_login(editor)
    page = editors.get(verify_url(entry))
    assert "office@pcc.example.org" in page.text
    response = editors.post(verify_url(entry))
    assert response.status_code == 302
    assert len(inbox) == 1 and inbox[0]["To"] == "office@pcc.example.org"
    assert "Street triage" in inbox[0]["Subject"]
    link = link_in(inbox[0])

    form = client.get(link)
    assert form.status_code == 200 and "Is this entry still right?" in form.text
    sent = client.post(link, {"answer": "ended", "what_changed": "It ended in March 2025 when "
                              "the funding stopped.", "answered_by": "Policy officer"})
    assert sent.status_code == 302
    assert "already been used" in client.get(link).text  # the link works once
    assert client.post(link, {"answer": "running"}).status_code == 410
    request = VerificationRequest.objects.get()
    assert (request.state, request.answer) == ("answered", "ended")
    entry.refresh_from_db()
    assert entry.status == Status.OPERATING  # nothing changes until an editor accepts

    listing = editors.get(CHANGELIST)
    assert "Answered, waiting for an editor" in listing.text
    review = reverse("admin:casestudies_verificationrequest_review", args=[request.pk])
    page = editors.get(review)
    assert "It ended in March 2025" in page.text
    assert '<option value="ended" selected>' in page.text  # the status the answer implies
    assert editors.post(review, {"status": "ended", "accept": "1"}).status_code == 302

    entry.refresh_from_db()
    assert (entry.status, entry.status_reported_in) == (Status.ENDED, today.year)
    assert (entry.last_verified, entry.verified_how) == (today, VerifiedHow.AREA)
    source = entry.sources.get(kind=SourceKind.CONFIRMATION)
    assert source.title.startswith(f"Confirmed by The commissioner's office on {today.day} ")
    assert source.title.endswith(": ended") and source.published_on == today
    assert source.url == ""
    request.refresh_from_db()
    assert (request.state, request.reviewed_by, request.source) == ("accepted", editor, source)

    public = client.get(entry.get_absolute_url())
    assert source.title in public.text and "(not published)" in public.text


def test_an_entry_without_a_contact_email_says_the_request_cannot_be_sent(
        editor_client, make_initiative, inbox):
    entry = make_initiative("Street triage", contact_email="")
    page = editor_client.get(verify_url(entry))
    assert "The request cannot be sent: this entry has no contact email." in page.text
    assert "Add a contact email" in page.text
    assert editor_client.post(verify_url(entry)).status_code == 200
    assert not inbox and not VerificationRequest.objects.exists()


def test_a_declined_answer_leaves_the_entry_as_it_was(editor_client, entry):
    request = VerificationRequest.objects.create(
        initiative=entry, email=entry.contact_email, state="answered", answer="ended",
        answered=timezone.now())
    review = reverse("admin:casestudies_verificationrequest_review", args=[request.pk])
    editor_client.post(review, {"status": "ended", "decline": "1"})
    entry.refresh_from_db()
    request.refresh_from_db()
    assert entry.status == Status.OPERATING and request.state == "declined"
    assert not entry.sources.filter(kind=SourceKind.CONFIRMATION).exists()


def after_the_link_expires(settings):
    """The clock a minute past the time a link sent now may be used for."""
    return time_machine.travel(
        timezone.now() + timedelta(days=settings.VERIFY_LINK_DAYS, minutes=1), tick=True)


def test_expired_forged_and_altered_links_are_refused(client, entry, settings, today):
    request = VerificationRequest.objects.create(initiative=entry, email=entry.contact_email)
    token = verification.token_for(request)
    assert client.get(f"/confirm-entry/{token}x/").status_code == 404
    forged = signing.dumps(request.pk, salt="another purpose")
    assert client.get(f"/confirm-entry/{forged}/").status_code == 404
    assert client.get("/confirm-entry/%00/").status_code == 404
    assert client.get(f"/confirm-entry/{token}/").status_code == 200
    with after_the_link_expires(settings):
        expired = client.get(f"/confirm-entry/{token}/")
    assert expired.status_code == 410 and "This link has expired" in expired.text


@pytest.mark.parametrize("answer, error", [
    ({}, "Choose whether the practice is still running"),
    ({"answer": "elsewhere"}, "Choose whether the practice is still running"),
    ({"answer": "changed", "what_changed": " "}, "Tell us what has changed"),
])
def test_the_answer_form_explains_mistakes_and_keeps_the_link_open(client, entry, answer,
                                                                    error):
    request = VerificationRequest.objects.create(initiative=entry, email=entry.contact_email)
    link = f"/confirm-entry/{verification.token_for(request)}/"
    response = client.post(link, {"answered_by": "Policy officer", **answer})
    assert response.status_code == 200 and error in response.text
    assert 'value="Policy officer"' in response.text
    request.refresh_from_db()
    assert request.state == "sent"


def test_the_answer_form_has_the_public_forms_protections(client, entry, settings):
    request = VerificationRequest.objects.create(initiative=entry, email=entry.contact_email)
    link = f"/confirm-entry/{verification.token_for(request)}/"
    assert Client(enforce_csrf_checks=True).post(link, {"answer": "running"}).status_code == 403
    client.post(link, {"answer": "running", "website": "http://spam.example"})
    request.refresh_from_db()
    assert request.state == "sent"  # the honeypot dropped it
    refused = client.post(link, {"answer": "running", "what_changed": "A\x00B"})
    assert refused.status_code == 200 and "Null characters are not allowed." in refused.text
    request.refresh_from_db()
    assert request.state == "sent"
    settings.FORM_RATE_LIMIT = (0, 3600)
    assert client.post(link, {"answer": "running"}).status_code == 429
    request.refresh_from_db()
    assert request.state == "sent"


def test_only_editors_send_requests_and_review_answers(client, entry, db):
    request = VerificationRequest.objects.create(initiative=entry, email=entry.contact_email,
                                                 state="answered", answer="running",
                                                 answered=timezone.now())
    review = reverse("admin:casestudies_verificationrequest_review", args=[request.pk])
    for url in (verify_url(entry), review):
        assert client.post(url).status_code == 302  # to the login page
    assert Initiative.objects.get(pk=entry.pk).last_verified is None


def test_a_request_about_a_draft_does_not_link_to_a_page_the_public_cannot_see(
        client, make_initiative):
    draft = make_initiative("Scheme", state="draft", contact_email="office@example.org")
    request = VerificationRequest.objects.create(initiative=draft, email=draft.contact_email)
    page = client.get(f"/confirm-entry/{verification.token_for(request)}/").text
    assert draft.get_absolute_url() not in page
    assert "The entry is not published yet" in page


def test_editors_see_when_a_link_expired_unanswered(editor_client, entry, settings, today):
    VerificationRequest.objects.create(initiative=entry, email=entry.contact_email)
    listing = editor_client.get(CHANGELIST).text
    assert "Sent, waiting for the area" in listing
    VerificationRequest.objects.update(  # sent as long ago as a link may be used, and a minute
        sent=timezone.now() - timedelta(days=settings.VERIFY_LINK_DAYS, minutes=1))
    listing = editor_client.get(CHANGELIST).text
    assert "No answer; the link has expired" in listing
    assert "No answer; the link has expired" in editor_client.get(verify_url(entry)).text


def test_when_the_mail_server_cannot_be_reached_the_editor_is_told_and_nothing_is_recorded(
        editor_client, entry, settings):
    from tests.mail import free_port

    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2}}}
    response = editor_client.post(verify_url(entry), follow=True)
    assert "The email could not be sent" in response.text
    assert "Nothing was recorded" in response.text
    assert not VerificationRequest.objects.exists()
