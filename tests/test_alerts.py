"""Email alerts on a saved search, through a real SMTP server on loopback."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alerts.models import Subscription
from casestudies.models import Initiative, State
from tests.mail import free_port
from tests.pages import field_value, links

SUBSCRIBE = reverse("alerts:subscribe")


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message, name):
    return re.search(rf"http://testserver(/alerts/{name}/[^/\s]+/)", body(message)).group(1)


def subscribe(client, query="area=norfolk", address="reader@example.org", frequency="daily"):
    page = client.get(f"{SUBSCRIBE}?{query}")
    return client.post(SUBSCRIBE, {"search": field_value(page, "search"), "email": address,
                                   "frequency": frequency})


def test_a_subscription_round_trip(client, seed, inbox, editor_client, today):
    assert "Check your email" in subscribe(client).text
    assert len(inbox) == 1 and inbox[0]["To"] == "reader@example.org"
    confirm = link_in(inbox[0], "confirm")
    assert "Your email alerts are on" in client.post(confirm).text

    call_command("send_alerts", verbosity=0)
    assert len(inbox) == 1, "what matched before confirming is not news"

    new = Initiative.objects.filter(area__slug="norfolk").first()
    new.pk, new.slug, new.title, new.state = None, "norfolk-new", "A new Norfolk scheme", \
        State.DRAFT
    new.save()
    Initiative.objects.filter(slug="norfolk-new").update(state=State.PUBLISHED)
    Subscription.objects.update(last_sent=timezone.now() - timezone.timedelta(days=2))
    call_command("send_alerts", verbosity=0)
    assert len(inbox) == 2
    digest = inbox[1]
    assert "A new Norfolk scheme" in body(digest)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(r"<http://testserver(/alerts/unsubscribe/[^>]+)>",
                            digest["List-Unsubscribe"]).group(1)

    Subscription.objects.update(last_sent=timezone.now() - timezone.timedelta(days=2))
    call_command("send_alerts", verbosity=0)
    assert len(inbox) == 2, "nothing is sent twice"

    # One click, as a mail client does it: a POST with no form token.
    response = client.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "You have unsubscribed" in response.text
    assert not Subscription.objects.exists()


def test_an_unconfirmed_subscription_is_forgotten_when_its_link_expires(client, seed, inbox,
                                                                        settings, today):
    subscribe(client)
    confirm = link_in(inbox[0], "confirm")
    Subscription.objects.update(created=timezone.now() - timezone.timedelta(days=4))
    settings.ALERTS_CONFIRM_SECONDS = 3600
    call_command("send_alerts", verbosity=0)
    assert not Subscription.objects.exists()
    assert client.get(confirm).status_code == 410


def test_forged_and_altered_links_do_nothing(client, seed, inbox):
    subscribe(client)
    confirm = link_in(inbox[0], "confirm")
    assert client.get(confirm[:-3] + "xx/").status_code == 410
    assert client.get("/alerts/confirm/nonsense/").status_code == 410
    assert client.post("/alerts/unsubscribe/nonsense/").status_code == 200
    assert Subscription.objects.count() == 1 and Subscription.objects.get().confirmed is None


@pytest.mark.parametrize("data", [
    {"email": "", "frequency": "daily"},
    {"email": "not an address", "frequency": "daily"},
    {"email": "a@example.org", "frequency": "hourly"},
    {"email": "a@example.org\x00", "frequency": "daily"},
    {"email": "x" * 300 + "@example.org", "frequency": "daily"},
])
def test_bad_input_gets_a_message_and_stores_nothing(client, seed, inbox, data):
    response = client.post(SUBSCRIBE, {"search": "area=norfolk", **data})
    assert response.status_code == 200 and "There is a problem" in response.text
    assert not Subscription.objects.exists() and not inbox


def test_invalid_filters_cannot_be_followed(client, seed, inbox):
    assert "cannot be followed" in client.get(f"{SUBSCRIBE}?area=atlantis").text
    response = client.post(SUBSCRIBE, {"search": "area=atlantis", "email": "a@example.org",
                                       "frequency": "daily"})
    assert "cannot be followed" in response.text and not Subscription.objects.exists()


def test_the_list_links_to_alerts_without_a_form_of_its_own(client, seed):
    html = client.get("/practice/?area=norfolk").text
    assert 'href="/alerts/?area=norfolk">Get emails about new practice like this' in html
    assert "csrfmiddlewaretoken" not in html


def test_when_mail_cannot_be_sent_the_reader_is_told_and_nothing_is_kept(client, seed,
                                                                         settings):
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2}}}
    response = subscribe(client)
    assert "We could not send the email just now" in response.text
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("url", ["/alerts/?area=%00", "/alerts/?search=%00&q=%00",
                                 "/alerts/confirm/%00/", "/alerts/unsubscribe/%00/"])
def test_null_characters_in_alert_addresses_get_a_page_not_an_error(client, seed, url):
    assert client.get(url).status_code in (200, 410)
    assert client.post(url, {"search": "q=\x00", "email": "a@example.org\x00",
                             "frequency": "daily"}).status_code in (200, 405, 410)


def test_a_run_sends_no_more_than_its_limit_and_the_rest_go_next_time(client, seed, inbox,
                                                                       today):
    for address in ("one@example.org", "two@example.org"):
        subscribe(client, address=address)
    for message in list(inbox):
        client.post(link_in(message, "confirm"))
    inbox.clear()
    new = Initiative.objects.filter(area__slug="norfolk").first()
    new.pk, new.slug, new.title = None, "norfolk-new", "A new Norfolk scheme"
    new.save()
    Subscription.objects.update(last_sent=timezone.now() - timezone.timedelta(days=2))
    call_command("send_alerts", "--limit", "1", verbosity=0)
    assert len(inbox) == 1
    call_command("send_alerts", verbosity=0)
    assert sorted(m["To"] for m in inbox) == ["one@example.org", "two@example.org"]


def test_the_privacy_notice_names_the_controller_the_basis_the_time_and_the_ico(client, settings,
                                                                               db):
    settings.DATA_CONTROLLER = "The Example Office of the Police and Crime Commissioner"
    settings.ALERTS_CONFIRM_SECONDS = 72 * 3600
    page = client.get("/alerts/privacy/").text
    assert "The data controller is The Example Office of the Police and Crime Commissioner" in page
    assert "Article 6(1)(a)" in page and "https://ico.org.uk/make-a-complaint/" in page
    assert "after 72 hours" in page and "few days" not in page


def test_the_way_back_from_subscribing_keeps_the_search(client, seed, inbox):
    page = subscribe(client, query="area=norfolk&theme=intervening-earlier")
    back = next(href for label, href in links(page)
                if label.startswith("Back to the practice list"))
    assert back.startswith(reverse("website:initiative-list") + "?")
    assert sorted(back.split("?", 1)[1].split("&")) == ["area=norfolk", "theme=intervening-earlier"]
