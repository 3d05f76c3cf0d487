"""A quoted claim: a statement on an entry tied to a source's own words and where they stand."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .choices import CHECKLIST_FIELDS
from .initiatives import Initiative
from .places import Source


class Statement(models.TextChoices):
    """What a claim supports: one of the entry's fields, or one of the rows it records (in the
    order of the case study)."""

    LEAD_ORGANISATION = "lead_organisation", "Lead organisation"
    SUMMARY = "summary", "Summary"
    STATUS = "status", "Status and the year it was reported"
    YEAR_STARTED = "year_started", "Year started"
    DESCRIPTION = "description", "What was done"
    MECHANISM = "mechanism", "How it is meant to work"
    CONTEXT = "context", "Where and for whom"
    EVIDENCE_STAGE = "evidence_stage", "Stage of evidence"
    EVIDENCE_FINDING = "evidence_finding", "What the evidence found"
    EVIDENCE_NOTE = "evidence_note", "About the evidence"
    OUTCOMES = "outcomes", "Outcomes and evidence"
    HEADLINE_RESULT = "headline_result", "Headline result"
    HARMS = "harms", "Harms, risks and what did not work"
    EVALUATION = "evaluation", "An evaluation (its kind, design and finding)"
    COST_BAND = "cost_band", "Cost band"
    COST_NOTE = "cost_note", "About the costs"
    COST = "cost", "A cost figure"
    FUNDER = "funder", "A funder, commissioner or deliverer"
    PCC_ROLE = "pcc_role", "What the commissioner did, in words"
    COMMISSIONER_ROLE = "commissioner_role", "A role of the commissioner"
    REPLICATION_PRECONDITIONS = "replication_preconditions", "What needs to be in place"
    REPLICATION_PARTNERS = "replication_partners", "Partners to bring in"
    REPLICATION_DATA_SHARING = "replication_data_sharing", "Data sharing needed"
    REPLICATION_FUNDING = "replication_funding", "Funding routes"
    REPLICATION_FIRST_STEPS = "replication_first_steps", "First steps"
    REPLICATION_LESSONS = "replication_lessons", "What did not work or would be done differently"
    CONTACT = "contact", "Contact"


# The statements about one row the entry records; the claim's `row` names which.
ROW_STATEMENTS = [Statement.EVALUATION, Statement.COST, Statement.FUNDER,
                  Statement.COMMISSIONER_ROLE]
# The model field each other statement is about, where its name differs.
STATEMENT_FIELD = {Statement.PCC_ROLE: "pcc_role_note"}
assert set(CHECKLIST_FIELDS) <= set(Statement.values)


class ClaimManager(models.Manager):
    def get_by_natural_key(self, initiative_slug, statement, row, source_slug, quote):
        return self.get(initiative__slug=initiative_slug, statement=statement, row=row,
                        source__slug=source_slug, quote=quote)


class Claim(models.Model):
    """The words of a source that support one statement on an entry, and where they stand."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="claims")
    statement = models.CharField(
        "what it supports", max_length=30, choices=Statement,
        help_text="A field of the entry, or one of the rows it records.",
    )
    row = models.CharField(
        max_length=300, blank=True,
        help_text="Only for a row: the evaluation's title, the partner's slug (a funder), the "
                  "role's value (such as “funded”), or a cost as “amount year kind” "
                  "(“170000 2013 running”).",
    )
    wording = models.CharField(
        "words on the entry", max_length=500, blank=True,
        help_text="The entry's words that the quote supports, where the statement is long.",
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    quote = models.CharField(
        "the source's own words", max_length=1000,
        help_text="Copied exactly: a short quote, a few sentences at most.",
    )
    place = models.CharField(
        "where they stand", max_length=200, help_text="Page, section or paragraph.",
    )
    said_by_office = models.BooleanField(
        "the source is the commissioner's office", default=False,
        help_text="Tick when the source is the commissioner's own office (its website, a press "
                  "release): the page shows the statement as the office's.",
    )
    history = HistoricalRecords()

    objects = ClaimManager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "statement", "row", "source", "quote"],
                                    name="unique_claim"),
            models.CheckConstraint(condition=Q(statement__in=Statement.values),
                                   name="claim_statement_valid"),
            models.CheckConstraint(
                condition=(Q(statement__in=ROW_STATEMENTS) & ~Q(row=""))
                | (~Q(statement__in=ROW_STATEMENTS) & Q(row="")),
                name="claim_row_only_for_rows", violation_error_code="row",
                violation_error_message="Name the row (the evaluation's title, the partner, the "
                                        "role or the cost) for a claim about a row, and only "
                                        "then."),
            models.CheckConstraint(condition=~Q(quote="") & ~Q(place=""),
                                   name="claim_quoted_and_placed"),
        ]

    def __str__(self):
        about = f"{self.get_statement_display()}: {self.row}" if self.row else \
            self.get_statement_display()
        return f"{about} ({self.source.publisher}, {self.place})"

    def natural_key(self):
        return (self.initiative.slug, self.statement, self.row, self.source.slug, self.quote)

    natural_key.dependencies = ["casestudies.initiative", "casestudies.source"]
