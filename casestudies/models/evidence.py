"""What an entry records about its evidence, costs, people and links to other practice."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .choices import CommissionerRoleKind, CostKind, DesignLevel, FunderRole, LinkKind
from .initiatives import YEAR, Initiative
from .places import Partner


class ByInitiativeManager(models.Manager):
    """Natural keys that start with the initiative's slug."""

    def get_by_natural_key(self, initiative_slug, *rest):
        return self.get(initiative__slug=initiative_slug, **dict(zip(self.model.KEY, rest,
                                                                       strict=True)))


class EvaluationKind(models.TextChoices):
    """What an evaluation measured."""

    IMPACT = "impact", "Impact: what changed for people or services (outcomes)"
    PROCESS = "process", "Process: how it was set up and run, and what people thought of it"
    ECONOMIC = "economic", "Economic: its costs, and what they bought or saved"


DESIGN_ONLY_FOR_IMPACT = (
    "A design level belongs to an impact evaluation only (one that measured outcomes): a "
    "process or economic evaluation rates no effect. Clear the design level, or choose "
    "“Impact” if the evaluation measured outcomes.")


class Evaluation(models.Model):
    """A published evaluation of an initiative."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="evaluations")
    title = models.CharField(max_length=300)
    kind = models.CharField(
        max_length=10, choices=EvaluationKind, blank=True,
        help_text="What it measured, as the evaluation itself says. Leave empty until someone "
                  "has read it.",
    )
    evaluator = models.CharField(max_length=300, help_text="Who carried out the evaluation.")
    independent = models.BooleanField(
        "independent of the delivering partners", default=False,
        help_text="Tick only when the evaluator was not one of the partners that ran it.",
    )
    year = models.PositiveSmallIntegerField(validators=YEAR)
    design = models.PositiveSmallIntegerField(
        "design level", choices=DesignLevel, null=True, blank=True,
        help_text="On the Maryland Scientific Methods Scale; only for an impact evaluation.",
    )
    findings = models.TextField(
        "what it found", help_text="In words, with figures as the source gives them."
    )
    url = models.URLField("address", max_length=500)
    history = HistoricalRecords()

    KEY = ("title",)
    objects = ByInitiativeManager()

    class Meta:
        ordering = [models.F("design").desc(nulls_last=True), "-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "title"],
                                    name="unique_evaluation_title_per_initiative"),
            models.CheckConstraint(condition=Q(design__gte=1, design__lte=5),
                                   name="evaluation_design_level_valid"),
            models.CheckConstraint(condition=Q(kind="") | Q(kind__in=EvaluationKind.values),
                                   name="evaluation_kind_valid"),
            models.CheckConstraint(
                condition=Q(design__isnull=True) | Q(kind=EvaluationKind.IMPACT),
                name="evaluation_design_only_for_impact", violation_error_code="design",
                violation_error_message=DESIGN_ONLY_FOR_IMPACT),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.initiative.slug, self.title)

    natural_key.dependencies = ["casestudies.initiative"]


class Cost(models.Model):
    """A cost figure that a source gives for an initiative."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="costs")
    kind = models.CharField(max_length=10, choices=CostKind)
    amount = models.PositiveIntegerField("amount (£)")
    year = models.PositiveSmallIntegerField(
        validators=YEAR, help_text="The year (or first year of the financial year) it is for."
    )
    covers = models.CharField("what it covers", max_length=300)
    url = models.URLField("source address", max_length=500)
    history = HistoricalRecords()

    KEY = ("kind", "year", "covers")
    objects = ByInitiativeManager()

    class Meta:
        ordering = ["year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "kind", "year", "covers"],
                                    name="unique_cost_per_initiative"),
            models.CheckConstraint(condition=Q(kind__in=CostKind.values),
                                   name="cost_kind_valid"),
        ]

    def __str__(self):
        return f"£{self.amount:,} ({self.get_kind_display().lower()}, {self.year})"

    def natural_key(self):
        return (self.initiative.slug, self.kind, self.year, self.covers)

    natural_key.dependencies = ["casestudies.initiative"]


class Funder(models.Model):
    """A partner's part in paying for, commissioning or delivering an initiative."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="funders")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(max_length=12, choices=FunderRole)
    history = HistoricalRecords()

    KEY = ("partner__slug", "role")
    objects = ByInitiativeManager()

    class Meta:
        ordering = ["role", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "partner", "role"],
                                    name="unique_funder_role"),
            models.CheckConstraint(condition=Q(role__in=FunderRole.values),
                                   name="funder_role_valid"),
        ]

    def __str__(self):
        return f"{self.partner}: {self.get_role_display().lower()}"

    @property
    def pays(self):
        """Whether this part is paying for the practice (funding or commissioning it), as
        against delivering it: what a page shows under cost rather than partners."""
        return self.role != FunderRole.DELIVERS

    @staticmethod
    def split(funders):
        """`funders` as (those who pay, those who deliver), each in the order given: the
        case study and its board pack show the first under cost, the second under partners."""
        paid = [funder for funder in funders if funder.pays]
        return paid, [funder for funder in funders if not funder.pays]

    def natural_key(self):
        return (self.initiative.slug, self.partner.slug, self.role)

    natural_key.dependencies = ["casestudies.initiative", "casestudies.partner"]


class CommissionerRole(models.Model):
    """One thing the police and crime commissioner did for an initiative."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="commissioner_roles")
    role = models.CharField(max_length=20, choices=CommissionerRoleKind)
    claimed_by_office = models.BooleanField(
        "only the commissioner's office says so", default=False,
        help_text="Tick when only the commissioner's own office says it: the page shows it as "
                  "their claim. Otherwise the role needs a quote from a source that is not the "
                  "office (under “Quoted claims”).",
    )
    history = HistoricalRecords()

    KEY = ("role",)
    objects = ByInitiativeManager()

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "role"],
                                    name="unique_commissioner_role"),
            models.CheckConstraint(condition=Q(role__in=CommissionerRoleKind.values),
                                   name="commissioner_role_valid"),
        ]

    def __str__(self):
        return self.get_role_display()

    def natural_key(self):
        return (self.initiative.slug, self.role)

    natural_key.dependencies = ["casestudies.initiative"]


class ReplicationLink(models.Model):
    """How one initiative led to another (shown on both)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="links")
    other = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="links_in",
                              verbose_name="other initiative")
    kind = models.CharField(max_length=15, choices=LinkKind)
    history = HistoricalRecords()

    KEY = ("other__slug", "kind")
    objects = ByInitiativeManager()

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "other", "kind"],
                                    name="unique_replication_link"),
            models.CheckConstraint(condition=~Q(initiative=models.F("other")),
                                   name="replication_link_not_to_itself"),
            models.CheckConstraint(condition=Q(kind__in=LinkKind.values),
                                   name="replication_link_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.other}"

    def natural_key(self):
        return (self.initiative.slug, self.other.slug, self.kind)

    natural_key.dependencies = ["casestudies.initiative"]
