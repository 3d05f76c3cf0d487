"""Asking an area whether its entry is still true: a signed link by email, the area's answer,
and an editor's decision on it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .initiatives import Initiative
from .places import Source


class VerificationAnswer(models.TextChoices):
    RUNNING = "running", "Still running as described"
    CHANGED = "changed", "Still running, but something has changed"
    ENDED = "ended", "Ended"


class VerificationState(models.TextChoices):
    SENT = "sent", "Sent, waiting for the area"
    ANSWERED = "answered", "Answered, waiting for an editor"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Not accepted"


class VerificationRequest(models.Model):
    """One request to an entry's contact to confirm it, and the answer that came back."""

    Review = VerificationState

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="verification_requests")
    email = models.EmailField("sent to", help_text="The entry's contact email when it was sent.")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    sent = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=VerificationState,
                             default=VerificationState.SENT)
    answer = models.CharField(max_length=10, choices=VerificationAnswer, blank=True)
    what_changed = models.TextField("what has changed", max_length=5000, blank=True)
    answered_by = models.CharField("who answered", max_length=200, blank=True,
                                   help_text="The name or role the person answering gave.")
    answered = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed = models.DateTimeField(null=True, blank=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The source recording the area's answer, made when an editor accepts it.",
    )

    class Meta:
        ordering = ["-sent"]
        constraints = [
            models.CheckConstraint(condition=Q(answer="") | Q(answer__in=VerificationAnswer.values),
                                   name="verification_answer_valid"),
            models.CheckConstraint(condition=Q(state__in=VerificationState.values),
                                   name="verification_state_valid"),
        ]

    def __str__(self):
        return f"Request to confirm “{self.initiative}”"

    @property
    def link_expired(self):
        """True once the link sent can no longer be used, unanswered."""
        expiry = self.sent + timezone.timedelta(days=settings.VERIFY_LINK_DAYS)
        return self.state == VerificationState.SENT and expiry < timezone.now()

    @property
    def progress(self):
        """Where the request stands, in words."""
        if self.link_expired:
            return "No answer; the link has expired"
        return self.get_state_display()
