"""Asking an area whether its entry is still true. An editor sends the entry's contact a signed
link (no account needed); it opens a short form that works once and expires after
VERIFY_LINK_DAYS; the answer waits in admin until an editor accepts it, which updates the
entry and records the answer as a dated source of its own kind, so every fact stays sourced.
Email goes out through the same settings as the alerts (MAILERS)."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from casestudies.models import (
    Source,
    SourceKind,
    Status,
    VerificationAnswer,
    VerificationRequest,
    VerificationState,
    VerifiedHow,
)

SALT = "casestudies.verify"


def token_for(request):
    return signing.dumps(request.pk, salt=SALT)


def request_from(token):
    """The request a token stands for, or None when the token is forged or altered; raises
    signing.SignatureExpired when it is genuine but too old."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=settings.VERIFY_LINK_DAYS * 24 * 3600)
    except (signing.BadSignature, ValueError, TypeError) as refused:
        if isinstance(refused, signing.SignatureExpired):
            raise
        return None
    return (VerificationRequest.objects.select_related("initiative__area")
            .filter(pk=pk).first() if isinstance(pk, int) else None)


@transaction.atomic
def send(initiative, site, user):
    """Sends `initiative`'s contact the link, and records the request (not, if sending
    fails)."""
    request = VerificationRequest.objects.create(initiative=initiative,
                                                 email=initiative.contact_email, sent_by=user)
    address = site.rstrip("/") + reverse("workbench:confirm-entry", args=[token_for(request)])
    context = {"initiative": initiative, "link": address, "days": settings.VERIFY_LINK_DAYS,
               "page": site.rstrip("/") + initiative.get_absolute_url()}
    EmailMessage(
        subject=f"Is this still right? {initiative.title_with_area} on PCC Practice",
        body=render_to_string("workbench/email_verify.txt", context),
        to=[initiative.contact_email],
    ).send()
    return request


def status_after(request):
    """The practice status an accepted answer implies (an editor may choose another)."""
    if request.answer == VerificationAnswer.ENDED:
        return Status.ENDED
    return request.initiative.status


@transaction.atomic
def accept(request, user, status):
    """Records the area's answer as a source and updates the entry: its status, the year of
    that status, and "last verified: confirmed by the area" on the day it answered."""
    initiative = request.initiative
    answered = timezone.localtime(request.answered).date()
    office = initiative.contact or initiative.lead_organisation
    source = Source.objects.create(
        kind=SourceKind.CONFIRMATION, publisher=office, published_on=answered, url="",
        title=f"Confirmed by {office} on {date_format(answered, 'j F Y')}: "
              f"{request.get_answer_display().lower()}",
        slug=Source.objects.unique_slug(f"confirmed-{initiative.slug}-{answered.isoformat()}",
                                        "confirmed"),
    )
    initiative.sources.add(source)
    initiative.status = status
    initiative.status_reported_in = answered.year
    initiative.last_verified = answered
    initiative.verified_how = VerifiedHow.AREA
    initiative._change_reason = f"Accepted the area's answer of {date_format(answered, 'j F Y')}"
    initiative._history_user = user
    initiative.save()
    request.state = VerificationState.ACCEPTED
    request.reviewed_by, request.reviewed, request.source = user, timezone.now(), source
    request.save(update_fields=["state", "reviewed_by", "reviewed", "source"])
    return source


def decline(request, user):
    request.state = VerificationState.DECLINED
    request.reviewed_by, request.reviewed = user, timezone.now()
    request.save(update_fields=["state", "reviewed_by", "reviewed"])
