"""What alerts send and when: the confirmation of a new subscription, and digests of newly
published practice matching each confirmed search (run by `manage.py send_alerts`)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from casestudies.filters import InitiativeFilter
from casestudies.models import Initiative

from .models import Sent, Subscription
from .tokens import confirm_token, unsubscribe_token

# The list's own parameters that say what practice a search is about (not its order or page).
FILTERS = [name for name in InitiativeFilter.base_filters if name != "sort"]


def canonical(query):
    """The filters of a list's query, in a fixed order and each value once: one subscription
    per search."""
    return urlencode(sorted({(name, value) for name in FILTERS
                             for value in query.getlist(name) if value}))


def filters_of(subscription):
    return InitiativeFilter(QueryDict(subscription.query),
                            queryset=Initiative.objects.published())


def matching(subscription):
    filterset = filters_of(subscription)
    return filterset.qs if filterset.is_valid() else Initiative.objects.none()


def link(site, name, *args):
    return site.rstrip("/") + reverse(name, args=args)


def send_confirmation(site, subscription):
    site = site.rstrip("/")
    context = {"subscription": subscription, "site": site,
               "confirm": link(site, "alerts:confirm", confirm_token(subscription)),
               "hours": settings.ALERTS_CONFIRM_SECONDS // 3600,
               "list": list_address(site, subscription)}
    EmailMessage(
        subject="Confirm your email alerts from PCC Practice",
        body=render_to_string("alerts/email_confirm.txt", context),
        to=[subscription.email],
    ).send()


def list_address(site, subscription):
    address = link(site, "website:initiative-list")
    return f"{address}?{subscription.query}" if subscription.query else address


@transaction.atomic
def confirm(subscription):
    """Confirms a subscription: what matches now is known, so only what is published later
    is news."""
    subscription.confirmed = timezone.now()
    subscription.last_sent = subscription.confirmed
    subscription.save(update_fields=["confirmed", "last_sent"])
    Sent.objects.bulk_create(
        [Sent(subscription=subscription, initiative_id=pk)
         for pk in matching(subscription).values_list("pk", flat=True)],
        ignore_conflicts=True)


def forget_unconfirmed():
    """Deletes subscriptions whose confirmation link has expired: nothing stays of them."""
    expired = timezone.now() - timezone.timedelta(seconds=settings.ALERTS_CONFIRM_SECONDS)
    return Subscription.objects.filter(confirmed=None, created__lt=expired).delete()[0]


def send_digests(site, limit):
    """Sends each due subscription its news, at most `limit` emails. Practice is recorded as
    sent before the email goes (and the record undone if sending fails), so a crash and a
    rerun never send the same practice twice. An address the mail server refuses (or that
    cannot be encoded) is skipped until its next turn. Gives how many emails were sent, and
    the (subscription, error) of each that could not be."""
    sent, failed = 0, []
    for subscription in Subscription.objects.exclude(confirmed=None).order_by("last_sent",
                                                                             "pk"):
        if sent >= limit:
            break
        if not subscription.is_due:
            continue
        with transaction.atomic():
            locked = Subscription.objects.select_for_update().filter(pk=subscription.pk).first()
            if locked is None or not locked.is_due:
                continue
            news = list(matching(locked).exclude(pk__in=locked.sent.values("initiative"))
                        .select_related("area").order_by("title"))
            records = Sent.objects.bulk_create(
                [Sent(subscription=locked, initiative=initiative) for initiative in news])
            locked.last_sent = timezone.now()
            locked.save(update_fields=["last_sent"])
        if not news:
            continue
        try:
            digest(site, locked, news).send()
        except (OSError, ValueError) as error:
            Sent.objects.filter(pk__in=[record.pk for record in records]).delete()
            failed.append((locked, error))
            continue
        except BaseException:
            Sent.objects.filter(pk__in=[record.pk for record in records]).delete()
            raise
        sent += 1
    return sent, failed


def digest(site, subscription, news):
    site = site.rstrip("/")
    unsubscribe = link(site, "alerts:unsubscribe", unsubscribe_token(subscription))
    context = {"subscription": subscription, "news": news, "site": site,
               "unsubscribe": unsubscribe, "list": list_address(site, subscription)}
    return EmailMessage(
        subject=f"New practice on PCC Practice: {len(news)} case "
                f"stud{'y' if len(news) == 1 else 'ies'}",
        body=render_to_string("alerts/email_digest.txt", context),
        to=[subscription.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
