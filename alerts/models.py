"""Email alerts on a saved search: an address, the filters it follows and how often, and which
case studies it has been told about (so no practice is ever sent twice)."""

from django.db import models
from django.utils import timezone

from casestudies.models import Initiative


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


INTERVALS = {Frequency.DAILY: timezone.timedelta(days=1),
             Frequency.WEEKLY: timezone.timedelta(days=7)}


class Subscription(models.Model):
    """One address following one search. Unconfirmed ones are deleted when their link
    expires; unsubscribing deletes the row, and with it the address."""

    email = models.EmailField(max_length=254)
    query = models.CharField(
        max_length=2000, blank=True,
        help_text="The practice list's filters, as a query string in a canonical order.")
    frequency = models.CharField(max_length=6, choices=Frequency, default=Frequency.WEEKLY)
    created = models.DateTimeField(default=timezone.now)
    confirmed = models.DateTimeField(null=True, blank=True)
    last_sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "query"],
                                               name="one_subscription_per_search")]

    def __str__(self):
        return f"{self.email}: {self.query or 'all practice'} ({self.frequency})"

    @property
    def is_due(self):
        return self.last_sent is None or (
            timezone.now() - self.last_sent >= INTERVALS[self.frequency])


class Sent(models.Model):
    """A case study that a subscription has been told about (or that matched when it was
    confirmed, so only practice published after that is news)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE,
                                     related_name="sent")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "initiative"],
                                               name="each_practice_once")]

    def __str__(self):
        return f"{self.initiative_id} to subscription {self.subscription_id}"
