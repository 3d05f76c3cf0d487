from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from themes.models import Theme

from .choices import (
    CHECKLIST_FIELDS,
    REVIEW_INTERVAL_DAYS,
    STATUS_STALE_YEARS,
    CostBand,
    EvidenceFinding,
    EvidenceStage,
    State,
    Status,
    VerifiedHow,
)
from .places import Area, Partner, SlugManager, SlugQuerySet, Source
from .validators import organisation_address

# The values worked out from an entry and stored on it (casestudies/profile.py).
DERIVED = ["ready_checklist", "ready_evaluated", "ready_found", "ready_cost", "ready_contact",
           "ripe_until", "emmie_effect", "emmie_mechanism", "emmie_moderators",
           "emmie_implementation", "emmie_cost", "best_design", "elsewhere", "search_terms",
           "theme_slugs", "partner_types"]
# The long texts of a case study, which only its own page shows (and search excerpts).
CASE_STUDY_TEXTS = ["description", "outcomes", "evidence_note", "mechanism", "context", "harms",
                    "pcc_role_note", "cost_note", *CHECKLIST_FIELDS]
EXCERPT_TEXTS = ["description", "outcomes", "mechanism", "context", "harms"]
# What a result card reads of an initiative, besides what it documents (EMMIE).
CARD_FIELDS = ["slug", "title", "summary", "status", "status_reported_in", "year_started",
               "evidence_stage", "evidence_finding", "best_design", "elsewhere", "area__name",
               "area__slug", "approach__name", "approach__slug"]
YEAR = [MinValueValidator(1990), MaxValueValidator(2100)]


class Approach(models.Model):
    """A kind of practice that many areas have tried, such as street triage."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    summary = models.TextField("what it is")
    mechanism = models.TextField("how it is meant to work", blank=True)
    national_evidence = models.TextField(
        blank=True, help_text="What systematic reviews and national evaluations found, in "
                              "words, with figures as the sources give them.",
    )
    national_context = models.TextField(
        blank=True, help_text="Agreements, legislation and national programmes."
    )
    sources = models.ManyToManyField(Source, related_name="approaches", blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(m2m_fields=[sources])

    objects = SlugManager()

    class Meta:
        ordering = ["display_order", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


def verified_since(days=REVIEW_INTERVAL_DAYS):
    """The oldest verification still current: an entry last verified before it, or never, is
    overdue for review."""
    return timezone.localdate() - timezone.timedelta(days=days)


def overdue_condition():
    return Q(last_verified__isnull=True) | Q(last_verified__lt=verified_since())


class InitiativeQuerySet(SlugQuerySet):
    def published(self):
        return self.filter(state=State.PUBLISHED)

    def archived(self):
        return self.filter(state=State.ARCHIVED)

    def of_approach(self, approaches):
        """Initiatives whose main approach is one of `approaches`, or that also include one."""
        also = Initiative.also_approaches.through.objects.filter(approach__in=approaches)
        return self.filter(Q(approach__in=approaches) | Q(pk__in=also.values("initiative_id")))

    def overdue(self):
        """Entries not verified within the review interval, or never."""
        return self.filter(overdue_condition())

    def up_to_date(self):
        """Entries verified within the review interval."""
        return self.exclude(overdue_condition())

    def ripe(self):
        """The initiatives that meet every item of the readiness checklist today."""
        from ..readiness import ripe_condition

        return self.filter(ripe_condition())

    def with_profile(self, *names):
        """Annotates `ready_verified`, `readiness` and `ripe` (readiness.py), or only `names`."""
        from ..readiness import annotations

        return self.annotate(**annotations(*names))

    def for_cards(self, texts=()):
        """A card's fields only (20 in 4.9 ms, not 6.1), and a search excerpt's `texts`; the
        themes' names are read apart, in one query a page (website/cards.py)."""
        from ..readiness import EMMIE, annotations

        return self.select_related("area", "approach").only(
            *CARD_FIELDS, *EMMIE, *texts).annotate(**annotations("ripe"))

    def for_records(self):
        """Everything a record of each initiative holds (casestudies/fields.py), its relations
        read in one query each."""
        from ..readiness import annotations
        from .claims import Claim
        from .evidence import Funder

        missing = {name: value for name, value in annotations().items()
                   if name not in self.query.annotations}  # the "ready" sort has one
        return self.select_related("area", "approach").annotate(**missing).prefetch_related(
            "themes", "partners", "sources", "also_approaches", "evaluations", "costs",
            "commissioner_roles",
            models.Prefetch("funders", Funder.objects.select_related("partner")),
            models.Prefetch("claims", Claim.objects.select_related("source")))

    def search(self, text):
        """Initiatives matching `text`, annotated with a relevance `rank` (see search.py)."""
        from ..search import search

        return search(self, text)


class Initiative(models.Model):
    """A case study: one piece of practice in one area."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Part of the page's address; keep it stable."
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="initiatives")
    approach = models.ForeignKey(
        Approach, null=True, blank=True, on_delete=models.PROTECT, related_name="initiatives",
        help_text="The main kind of practice, where one fits.",
    )
    also_approaches = models.ManyToManyField(
        Approach, related_name="also_in", blank=True, verbose_name="also includes",
        help_text="Other approaches the practice takes part in, as its sources describe it.")
    themes = models.ManyToManyField(Theme, related_name="initiatives")
    partners = models.ManyToManyField(Partner, related_name="initiatives", blank=True)
    summary = models.TextField(help_text="A sentence or two, shown in lists of practice.")
    description = models.TextField("what was done")
    mechanism = models.TextField("how it is meant to work", blank=True)
    context = models.TextField(
        "context: where and for whom", blank=True,
        help_text="Where it ran, for whom, and what it depended on locally.",
    )
    status = models.CharField(
        "practice status", max_length=20, choices=Status, default=Status.OPERATING,
        help_text="As last reported by the sources.",
    )
    why_stopped = models.TextField(
        "why it was withdrawn or stopped", blank=True,
        help_text="For practice withdrawn or stopped: why, as the sources say.",
    )
    status_reported_in = models.PositiveSmallIntegerField(
        "status as last reported in", null=True, blank=True, validators=YEAR,
        help_text="The year of the latest source that gives this status.",
    )
    year_started = models.PositiveSmallIntegerField(null=True, blank=True, validators=YEAR)
    outcomes = models.TextField(
        "outcomes and evidence", blank=True,
        help_text="Only what the sources say, with figures as they give them.",
    )
    headline_result = models.CharField(
        max_length=300, blank=True,
        help_text="One line for the approach page, with figures as the source gives them.",
    )
    harms = models.TextField("harms, risks and what did not work", blank=True)
    evidence_stage = models.CharField(
        "stage of evidence", max_length=12, choices=EvidenceStage, default=EvidenceStage.NONE,
        help_text="“Evaluated locally” needs an evaluation below; “independently evaluated” "
                  "needs an independent one.",
    )
    evidence_finding = models.CharField(
        "what the evidence found", max_length=12, choices=EvidenceFinding,
        default=EvidenceFinding.TOO_EARLY,
        help_text="Say “too early to say” where the sources say nothing about results.",
    )
    evidence_note = models.TextField(
        "about the evidence", blank=True,
        help_text="Why the labels were chosen, and any evaluation the sources mention.",
    )
    cost_band = models.CharField(
        max_length=12, choices=CostBand, default=CostBand.NOT_KNOWN,
        help_text="What it costs a year to run, only where the sources give it.",
    )
    cost_note = models.TextField("about the costs", blank=True)
    pcc_role_note = models.TextField(
        "what the commissioner did", blank=True,
        help_text="In words, as the sources describe it.",
    )
    pcc_role_claimed = models.BooleanField(
        "only the commissioner's office says so", default=False,
        help_text="Tick when the commissioner's role rests only on their own office's words: "
                  "the page then shows it as their claim.",
    )
    replication_preconditions = models.TextField("what needs to be in place", blank=True)
    replication_partners = models.TextField("partners to bring in", blank=True)
    replication_data_sharing = models.TextField("data sharing needed", blank=True)
    replication_funding = models.TextField("funding routes", blank=True)
    replication_first_steps = models.TextField(
        "first steps", blank=True, help_text="The first three steps, one a line."
    )
    replication_lessons = models.TextField(
        "what did not work or would be done differently", blank=True
    )
    lead_organisation = models.CharField(
        max_length=200, help_text="As it was then (offices and bodies change)."
    )
    contact = models.CharField(
        max_length=200, blank=True,
        help_text="An organisation, team or role; never a private person.",
    )
    contact_email = models.EmailField(
        "enquiries address", blank=True, validators=[organisation_address],
        help_text="The organisation's published enquiries address, never a private mailbox.",
    )
    contact_url = models.URLField(
        "contact page", max_length=500, blank=True,
        help_text="The organisation's published contact page.",
    )
    sources = models.ManyToManyField(
        Source, related_name="initiatives", blank=True,
        help_text="At least one is needed before the initiative can be published.",
    )
    state = models.CharField(
        "publication state", max_length=10, choices=State, default=State.DRAFT,
        help_text="Only published initiatives appear on the public site; archived ones say "
                  "that they have been withdrawn.",
    )
    last_verified = models.DateField(null=True, blank=True, help_text=(
        "When someone last checked the entry against its sources or with the area."))
    verified_how = models.CharField("how it was verified", max_length=10, choices=VerifiedHow,
                                    blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # What cards, lists and filters show of the entry, worked out by the rules of readiness.py
    # whenever the entry or what it records changes, and stored (casestudies/profile.py).
    ready_checklist = models.BooleanField(default=False, editable=False)
    ready_evaluated = models.BooleanField(default=False, editable=False)
    ready_found = models.BooleanField(default=False, editable=False)
    ready_cost = models.BooleanField(default=False, editable=False)
    ready_contact = models.BooleanField(default=False, editable=False)
    ripe_until = models.DateField(null=True, editable=False, help_text=(
        "The last day it is ripe for replication unless verified again; empty when another "
        "item of the checklist is not met."))
    emmie_effect = models.BooleanField(default=False, editable=False)
    emmie_mechanism = models.BooleanField(default=False, editable=False)
    emmie_moderators = models.BooleanField(default=False, editable=False)
    emmie_implementation = models.BooleanField(default=False, editable=False)
    emmie_cost = models.BooleanField(default=False, editable=False)
    best_design = models.PositiveSmallIntegerField(
        null=True, editable=False, help_text="The strongest design of its evaluations.")
    elsewhere = models.PositiveIntegerField(default=0, editable=False, help_text=(
        "How many other areas have published practice of its approach."))
    search_terms = models.TextField(blank=True, default="", editable=False, help_text=(
        "Its area's and approaches' names, which search finds it by (casestudies/profile.py)."))
    theme_slugs = models.TextField(blank=True, default="", editable=False, help_text=(
        "Its themes' slugs, space-separated, which the list's theme counts read."))
    partner_types = models.TextField(blank=True, default="", editable=False, help_text=(
        "Its partners' types, each once, space-separated, which the list's counts read."))
    history = HistoricalRecords(m2m_fields=[themes, partners, sources, also_approaches],
                                excluded_fields=DERIVED)

    objects = SlugManager.from_queryset(InitiativeQuerySet)()

    class Meta:
        ordering = ["title"]
        # Editors write; publishers (the Publishers group) decide what the public sees.
        permissions = [("publish_initiative", "Can publish, archive and restore initiatives")]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "title"], name="unique_initiative_title_per_area"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="initiative_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="initiative_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(evidence_stage__in=EvidenceStage.values)
                & Q(evidence_finding__in=EvidenceFinding.values),
                name="initiative_evidence_labels_valid",
            ),
            models.CheckConstraint(
                condition=Q(cost_band__in=CostBand.values), name="initiative_cost_band_valid"
            ),
            models.CheckConstraint(
                condition=Q(year_started__isnull=True)
                | Q(year_started__gte=1990, year_started__lte=2100),
                name="initiative_year_started_plausible",
            ),
            models.CheckConstraint(
                condition=Q(last_verified__isnull=True, verified_how="")
                | (Q(last_verified__isnull=False) & Q(verified_how__in=VerifiedHow.values)),
                name="initiative_verification_says_how",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "title", "id"], name="initiative_state_title_id_idx"),
            models.Index(fields=["state", "-year_started"], name="initiative_state_year_idx"),
            models.Index(fields=["state", "-created"], name="initiative_state_created_idx"),
            # The "area" sort: each area's rows in title order (see 0037 for "reviewed").
            models.Index(fields=["area", "state", "title", "id"], name="initiative_area_title_idx"),
            # Every single-valued facet, so that facet counts read this index alone.
            models.Index(fields=["state", "area", "approach", "status", "evidence_stage",
                                 "evidence_finding", "cost_band", "ripe_until", "id"],
                         name="initiative_facets_idx"),
            models.Index(fields=["state", "ripe_until"], name="initiative_state_ripe_idx"),
            models.Index(fields=["state", "best_design"], name="initiative_state_design_idx"),
            # The first of an approach in each area, for "also tried in" on a case study.
            models.Index(fields=["approach", "area", "state", "title"],
                         name="initiative_approach_area_idx"),
        ]

    def __str__(self):
        return self.title


    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        """Keeps the approach it was read with: when it changes, the practice of both
        approaches counts its areas again (casestudies/profile.py)."""
        instance = super().from_db(db, field_names, values, **kwargs)
        instance.loaded_approach_id = dict(zip(field_names, values, strict=True)).get(
            "approach_id")
        return instance

    def clean(self):
        """The rules that span the entry and what it records (casestudies/labels.py), against
        the rows stored; the admin's inlines check them against the rows saved with it."""
        from ..labels import problems

        if found := ({} if getattr(self, "rows_checked_with_form", False) else problems(self)):
            raise ValidationError({field or NON_FIELD_ERRORS: messages
                                   for field, messages in found.items()})

    def natural_key(self):
        return (self.slug,)

    @property
    def area_in_title(self):
        """Whether the title names the area ("Cleveland street triage")."""
        return self.area.name.lower() in self.title.lower()

    @property
    def title_with_area(self):
        """The title, then the area unless the title names it ("Street triage, Cleveland"),
        as cards and board packs head it."""
        return self.title if self.area_in_title else f"{self.title}, {self.area.name}"

    @property
    def is_published(self):
        return self.state == State.PUBLISHED

    @property
    def review_due(self):
        """When the entry is next due to be checked (None until it has been): the day it stops
        being verified_since()."""
        if self.last_verified:
            return self.last_verified + timezone.timedelta(days=REVIEW_INTERVAL_DAYS)
        return None

    @property
    def status_may_be_stale(self):
        """True when the status rests on a source more than STATUS_STALE_YEARS years old, or
        on no dated source at all."""
        if self.status_reported_in is None:
            return True
        return timezone.localdate().year - self.status_reported_in > STATUS_STALE_YEARS

    @property
    def has_evidence(self):
        """Whether its evidence labels say more than "no evaluation yet, too early to say"."""
        return (self.evidence_stage, self.evidence_finding) != (EvidenceStage.NONE,
                                                                 EvidenceFinding.TOO_EARLY)

    @property
    def has_replication_notes(self):
        return any(getattr(self, f) for f in CHECKLIST_FIELDS)
