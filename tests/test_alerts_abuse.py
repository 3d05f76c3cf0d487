"""Alert sign-up cannot be turned on someone else: few confirmation emails to one address,
none twice for a pending search, nothing confirmed by a mail scanner following the link; an
address the mail server refuses is a form error that keeps nothing, and stops no run."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from alerts.models import Sent, Subscription
from tests.mail import Inbox, smtp_on_loopback
from tests.pages import soup
from tests.test_alerts import link_in, subscribe


class Refusing(Inbox):
    """A mail server that refuses every address with "refused" in it."""

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if "refused" in address:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing_inbox(settings):
    with smtp_on_loopback(settings, Refusing()) as messages:
        yield messages


def test_following_the_link_shows_a_button_and_only_the_button_confirms(client, seed, inbox):
    subscribe(client)
    confirm = link_in(inbox[0], "confirm")
    page = client.get(confirm)
    client.head(confirm)
    assert Subscription.objects.get().confirmed is None  # as a mail scanner leaves it
    form = soup(page).select_one(f'form[method="post"][action="{confirm}"]')
    assert form.select_one("button").get_text(strip=True) == "Confirm email alerts"
    assert "Your email alerts are on" in client.post(confirm).text
    assert Subscription.objects.get().confirmed is not None


def test_no_second_confirmation_is_sent_while_one_is_pending(client, seed, inbox):
    subscribe(client)
    again = subscribe(client)
    assert "We have already sent a link for this search" in again.text
    assert len(inbox) == 1 and Subscription.objects.count() == 1


def test_one_address_is_sent_few_confirmations_whoever_asks(client, seed, inbox, settings):
    settings.ALERTS_RECIPIENT_LIMIT = (2, 24 * 3600)
    for n, area in enumerate(["norfolk", "essex", "cleveland"]):
        client.defaults["REMOTE_ADDR"] = f"203.0.113.{n}"  # three senders, one victim
        response = subscribe(client, query=f"area={area}", address="victim@example.org")
    assert len(inbox) == 2 and Subscription.objects.count() == 2
    assert "We have sent several confirmation emails to this address" in response.text
    assert 'href="#id_email"' in response.text


@pytest.mark.parametrize("address", ["refused@example.org", "a@" + "ä" * 62 + ".org"])
def test_an_address_that_cannot_be_sent_to_is_a_form_error_and_keeps_nothing(
        client, seed, refusing_inbox, address):
    response = subscribe(client, address=address)
    assert response.status_code == 200
    assert "We could not send an email to this address" in response.text
    assert not Subscription.objects.exists() and refusing_inbox == []


def test_a_run_skips_a_refused_address_reports_it_and_goes_on(seed, refusing_inbox):
    long_ago = timezone.now() - timezone.timedelta(days=8)
    for email in ("refused@example.org", "reader@example.org"):
        Subscription.objects.create(email=email, query="area=norfolk", confirmed=long_ago,
                                    last_sent=long_ago)
    out, err = io.StringIO(), io.StringIO()
    call_command("send_alerts", stdout=out, stderr=err)
    assert [message["To"] for message in refusing_inbox] == ["reader@example.org"]
    assert "Could not send to refused@example.org" in err.getvalue()
    assert "Sent 1 digest(s); could not send 1" in out.getvalue()
    # What the refused address was not told stays news for its next turn.
    assert not Sent.objects.filter(subscription__email="refused@example.org").exists()


def test_a_search_too_long_to_keep_is_refused_in_words(client, seed, inbox):
    from django.http import QueryDict

    from alerts.mailing import FILTERS, canonical
    from casestudies.filters import InitiativeFilter
    from casestudies.models import Approach, Area
    from themes.models import Theme

    query = QueryDict(mutable=True)
    query.setlist("area", list(Area.objects.values_list("slug", flat=True)))
    query.setlist("theme", list(Theme.objects.values_list("slug", flat=True)))
    query.setlist("approach", list(Approach.objects.values_list("slug", flat=True)))
    for name in FILTERS:
        choices = getattr(InitiativeFilter.base_filters[name], "extra", {}).get("choices")
        if name not in query and isinstance(choices, list) and name != "design":
            query.setlist(name, [value for value, _ in choices])
    query["q"] = "mental health " * 14
    assert len(canonical(query)) > 2000  # what the column holds
    response = subscribe(client, query=query.urlencode())
    assert "This search has too many filters to be followed by email" in response.text
    assert not Subscription.objects.exists() and inbox == []


def test_a_value_repeated_in_a_search_is_kept_once(client, seed, inbox):
    subscribe(client, query="area=norfolk&" + "&".join(["area=norfolk"] * 300))
    assert Subscription.objects.get().query == "area=norfolk"
