"""The review dashboard, the admin's front page for editors: what needs attention, each with
its count and a link to the admin list that shows it (templates/admin/index.html)."""

from django.db.models import F
from django.urls import reverse
from django.utils.http import urlencode

from alerts.models import Subscription
from casestudies.models import (
    ContactMessage,
    Initiative,
    ProblemReport,
    State,
    Suggestion,
    VerificationRequest,
)

from .initiatives import InitiativeAdmin

# How many of the entries overdue for verification the dashboard names.
OVERDUE_SHOWN = 10
# The initiatives list sorted by when last verified, never-verified first: the admin's "o"
# counts the list's columns from 1 after the checkbox column.
OLDEST_FIRST = InitiativeAdmin.list_display.index("verified_on") + 1


def overdue():
    """Published entries not verified within the review interval (or never), oldest first."""
    return (Initiative.objects.published().overdue().select_related("area")
            .order_by(F("last_verified").asc(nulls_first=True), "title"))


def changelist(model, **filters):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def queues(user):
    """[{"label", "count", "url"}] of what waits for an editor, those `user` may see. Each
    waiting state is counted, and linked to the list filtered by it."""
    by_state = [
        (Initiative, "Drafts", State.DRAFT),
        (Initiative, "Entries in review", State.REVIEW),
        (VerificationRequest, "Areas' answers waiting for an editor",
         VerificationRequest.Review.ANSWERED),
        (ProblemReport, "Open problem reports from readers", ProblemReport.Review.NEW),
        (ContactMessage, "Open messages from the contact form", ContactMessage.Review.NEW),
        (Suggestion, "Suggestions waiting for review", Suggestion.Review.NEW),
    ]
    rows = [
        (Initiative, "Published entries overdue for verification", overdue(),
         {"state__exact": State.PUBLISHED, "review": "overdue", "o": OLDEST_FIRST}),
        *[(model, label, model.objects.filter(state=state), {"state__exact": state})
          for model, label, state in by_state],
    ]
    rows.append((Subscription, "Alert subscriptions waiting for confirmation",
                 Subscription.objects.filter(confirmed=None), {"confirmed__isempty": "1"}))
    return [
        {"label": label, "count": queryset.count(), "url": changelist(model, **filters)}
        for model, label, queryset, filters in rows
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    ]
