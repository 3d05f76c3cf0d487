from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from themes.models import Theme

from .choices import Status
from .initiatives import Initiative
from .places import Area


class Suggestion(models.Model):
    """A practice suggested by a member of the public, waiting for an editor."""

    class Review(models.TextChoices):
        NEW = "new", "Waiting for review"
        ACCEPTED = "accepted", "Turned into a draft"
        DECLINED = "declined", "Declined"

    title = models.CharField("name of the practice", max_length=200)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="suggestions")
    themes = models.ManyToManyField(Theme, related_name="suggestions", blank=True)
    summary = models.TextField("summary", max_length=1000)
    description = models.TextField("what was done", max_length=5000)
    status = models.CharField(max_length=20, choices=Status, default=Status.OPERATING)
    year_started = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    outcomes = models.TextField("outcomes and evidence", max_length=5000, blank=True)
    lead_organisation = models.CharField(max_length=200)
    partners = models.TextField("other organisations involved", max_length=1000, blank=True)
    sources = models.TextField(
        "where we can check the facts", max_length=2000,
        help_text="Web addresses of reports, evaluations or news items, one a line.",
    )
    submitter_name = models.CharField("your name", max_length=200, blank=True)
    submitter_email = models.EmailField("your email address", blank=True)
    submitter_organisation = models.CharField("your organisation", max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=Review, default=Review.NEW)
    decline_reason = models.TextField(blank=True)
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions",
        help_text="The draft made from this suggestion.",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""),
                name="suggestion_decline_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.area})"


class FromReaderQuerySet(models.QuerySet):
    def resolve(self):
        """Marks these resolved, deleting the readers' details; gives how many."""
        return self.update(state=FromReader.Review.RESOLVED,
                           **dict.fromkeys(self.model.FORGOTTEN, ""))


class FromReader(models.Model):
    """Something a reader sent the editors, open until an editor resolves it. The reader's
    details (FORGOTTEN) are kept only until then, as the forms promise."""

    class Review(models.TextChoices):
        NEW = "new", "Open"
        RESOLVED = "resolved", "Resolved"

    FORGOTTEN = ["email"]

    state = models.CharField(
        max_length=10, choices=Review, default=Review.NEW,
        help_text="Reply first if a reply is needed: marking it resolved deletes the reader's "
                  "name and email address, as the form promises.",
    )
    editor_note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = FromReaderQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created"]

    def save(self, *args, **kwargs):
        if self.state == self.Review.RESOLVED:
            for name in self.FORGOTTEN:
                setattr(self, name, "")
        super().save(*args, **kwargs)


class ProblemReport(FromReader):
    """A report from a reader that something on a case study is wrong or out of date."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="problem_reports")
    problem = models.TextField("what is wrong", max_length=2000)
    email = models.EmailField("your email address", blank=True)

    def __str__(self):
        return f"Problem with “{self.initiative}”"


class ContactKind(models.TextChoices):
    SITE = "site", "A problem with the site"
    ACCESSIBILITY = "accessibility", "An accessibility problem"
    FORMAT = "format", "A request for content in another format"
    OTHER = "other", "Something else"


class ContactMessage(FromReader):
    """A message to the editors from the site's contact form."""

    FORGOTTEN = ["name", "email"]

    kind = models.CharField("what it is about", max_length=15, choices=ContactKind)
    message = models.TextField("your message", max_length=5000)
    page = models.CharField("the page it is about", max_length=500, blank=True)
    name = models.CharField("your name", max_length=200, blank=True)
    email = models.EmailField("your email address", blank=True)

    class Meta(FromReader.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ContactKind.values),
                                   name="contact_message_kind_valid"),
        ]

    def __str__(self):
        return self.get_kind_display()
