from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from themes.models import Theme


class Region(models.TextChoices):
    NORTH_EAST = "north-east", "North East"
    NORTH_WEST = "north-west", "North West"
    YORKSHIRE = "yorkshire-and-the-humber", "Yorkshire and The Humber"
    EAST_MIDLANDS = "east-midlands", "East Midlands"
    WEST_MIDLANDS = "west-midlands", "West Midlands"
    EAST = "east-of-england", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south-east", "South East"
    SOUTH_WEST = "south-west", "South West"
    WALES = "wales", "Wales"


class OfficeType(models.TextChoices):
    PCC = "pcc", "Police and crime commissioner (PCC)"
    PFCC = "pfcc", "Police, fire and crime commissioner (PFCC)"
    MAYOR = "mayor", "Mayor"
    MOPAC = "mopac", "Mayor of London (MOPAC)"
    NONE = "none", "No elected commissioner"


class PartnerType(models.TextChoices):
    POLICE = "police-force", "Police force"
    NHS = "nhs-provider", "NHS provider"
    CCG = "clinical-commissioning-group", "Clinical commissioning group"
    LOCAL_AUTHORITY = "local-authority", "Local authority"
    HWB = "health-and-wellbeing-board", "Health and wellbeing board"
    VOLUNTARY = "voluntary-sector", "Voluntary sector"
    NATIONAL = "national-body", "National body"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    PLANNED = "planned", "Planned"
    PILOTING = "piloting", "Piloting"
    OPERATING = "operating", "Operating"
    EVALUATED = "evaluated", "Evaluated"
    MAINSTREAMED = "mainstreamed", "Mainstreamed"
    ENDED = "ended", "Ended or completed"


class EvidenceStage(models.TextChoices):
    """How far the practice has been evaluated (the first of the two evidence labels)."""

    NONE = "none", "No evaluation yet"
    MONITORED = "monitored", "Monitored locally"
    EVALUATED = "evaluated", "Evaluated locally"
    INDEPENDENT = "independent", "Independently evaluated"


class EvidenceFinding(models.TextChoices):
    """What the evidence found so far (the second evidence label)."""

    TOO_EARLY = "too-early", "Too early to say"
    PROMISING = "promising", "Promising"
    WORKED = "worked", "Worked"
    MIXED = "mixed", "Mixed"
    DID_NOT_WORK = "did-not-work", "Did not work"


# Stages at which practice may be marked ripe for replication.
RIPE_STAGES = [EvidenceStage.MONITORED, EvidenceStage.EVALUATED, EvidenceStage.INDEPENDENT]
# The parts of the replication checklist that must all be filled in (a cost band is given
# only where the sources give one).
CHECKLIST_FIELDS = [
    "replication_preconditions", "replication_partners", "replication_data_sharing",
    "replication_funding", "replication_first_steps", "replication_lessons",
]


class State(models.TextChoices):
    """Where an initiative is in the editorial workflow; only published ones are public."""

    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


# Entries whose last review is older than this are flagged to editors.
REVIEW_INTERVAL_DAYS = 365
PUBLISHED_INITIATIVES = Q(initiatives__state=State.PUBLISHED)


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class AreaQuerySet(models.QuerySet):
    def with_practice_count(self):
        """Annotates each area with `practice_count`, its number of published initiatives."""
        return self.annotate(
            practice_count=models.Count("initiatives", filter=PUBLISHED_INITIATIVES)
        ).order_by("name")  # Meta.ordering does not apply to aggregate queries


class AreaManager(models.Manager.from_queryset(AreaQuerySet)):
    def get_by_natural_key(self, ons_code):
        return self.get(ons_code=ons_code)


class Area(models.Model):
    """A police force area of England and Wales and the office that holds the PCC role there."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    ons_code = models.CharField(
        "ONS code", max_length=9, unique=True,
        help_text="ONS Police Force Area code, for example E23000005.",
    )
    force = models.CharField(max_length=100, help_text="The territorial police force.")
    police_uk_id = models.SlugField("police.uk force id", max_length=50, blank=True)
    region = models.CharField(max_length=30, choices=Region)
    office_type = models.CharField(
        max_length=10, choices=OfficeType, help_text="Who holds the PCC role in this area."
    )
    website = models.URLField(
        "office website", max_length=300, blank=True,
        help_text="Leave blank unless the address has been checked.",
    )
    is_featured = models.BooleanField(
        "featured", default=False, help_text="Featured areas are shown on the home page."
    )
    history = HistoricalRecords()

    objects = AreaManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__in=Region.values), name="area_region_valid"
            ),
            models.CheckConstraint(
                condition=Q(office_type__in=OfficeType.values), name="area_office_type_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("casestudies:area-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.ons_code,)


class Partner(models.Model):
    """An organisation that takes part in one or more initiatives."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    partner_type = models.CharField("type", max_length=30, choices=PartnerType)
    history = HistoricalRecords()

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner_type__in=PartnerType.values), name="partner_type_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Source(models.Model):
    """A publication or web page that an initiative's facts come from."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    publisher = models.CharField(max_length=200)
    published_on = models.DateField(
        "date", null=True, blank=True, help_text="Only when the source gives the exact date."
    )
    url = models.URLField("address", max_length=500)
    history = HistoricalRecords()

    objects = SlugManager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return f"{self.title} ({self.publisher})"

    def natural_key(self):
        return (self.slug,)


# The long texts of a case study, which only its own page shows (and search excerpts).
CASE_STUDY_TEXTS = [
    "description", "outcomes", "evidence_note", "replication_preconditions",
    "replication_partners", "replication_data_sharing", "replication_funding",
    "replication_first_steps", "replication_lessons",
]
EXCERPT_TEXTS = ["description", "outcomes"]


class InitiativeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=State.PUBLISHED)

    def archived(self):
        return self.filter(state=State.ARCHIVED)

    def for_cards(self, excerpts=False):
        """For lists of practice: the area, and not the long texts that only a case study's
        own page shows; with `excerpts`, the texts that search excerpts come from are read
        too."""
        deferred = [name for name in CASE_STUDY_TEXTS
                    if not (excerpts and name in EXCERPT_TEXTS)]
        return self.select_related("area").defer(*deferred)

    def search(self, text):
        """Initiatives matching `text`, annotated with a relevance `rank` (see search.py)."""
        from .search import search

        return search(self, text)


class Initiative(models.Model):
    """A case study: one piece of practice in one area."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Part of the page's address; keep it stable."
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="initiatives")
    themes = models.ManyToManyField(Theme, related_name="initiatives")
    partners = models.ManyToManyField(Partner, related_name="initiatives", blank=True)
    summary = models.TextField(help_text="A sentence or two, shown in lists of practice.")
    description = models.TextField("what was done")
    status = models.CharField(
        max_length=20, choices=Status, default=Status.OPERATING,
        help_text="As last reported by the sources.",
    )
    year_started = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    outcomes = models.TextField(
        "outcomes and evidence", blank=True,
        help_text="Only what the sources say, with figures as they give them.",
    )
    evidence_stage = models.CharField(
        "stage of evidence", max_length=12, choices=EvidenceStage, default=EvidenceStage.NONE,
        help_text="How far the practice has been evaluated, as the sources show.",
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
    replication_preconditions = models.TextField("what needs to be in place", blank=True)
    replication_partners = models.TextField("partners to bring in", blank=True)
    replication_data_sharing = models.TextField("data sharing needed", blank=True)
    replication_funding = models.TextField("funding routes", blank=True)
    replication_cost_band = models.CharField(
        "cost band", max_length=200, blank=True, help_text="Only where the sources give one."
    )
    replication_first_steps = models.TextField(
        "first steps", blank=True, help_text="The first three steps, one a line."
    )
    replication_lessons = models.TextField(
        "what did not work or would be done differently", blank=True
    )
    ripe_for_replication = models.BooleanField(
        "ripe for replication", default=False,
        help_text="Only when every part of the replication checklist is filled in and the "
                  "practice is at least monitored locally.",
    )
    lead_organisation = models.CharField(max_length=200)
    contact = models.CharField(
        max_length=200, blank=True,
        help_text="An organisation, team or role; never a private person.",
    )
    contact_email = models.EmailField(blank=True)
    sources = models.ManyToManyField(
        Source, related_name="initiatives", blank=True,
        help_text="At least one is needed before the initiative can be published.",
    )
    state = models.CharField(
        max_length=10, choices=State, default=State.DRAFT,
        help_text="Only published initiatives appear on the public site; archived ones say "
                  "that they have been withdrawn.",
    )
    last_reviewed = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[themes, partners, sources])

    objects = SlugManager.from_queryset(InitiativeQuerySet)()

    class Meta:
        ordering = ["title"]
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
                condition=Q(ripe_for_replication=False) | (
                    Q(evidence_stage__in=RIPE_STAGES)
                    & Q(*[~Q(**{field: ""}) for field in CHECKLIST_FIELDS])
                ),
                name="initiative_ripe_needs_checklist_and_evidence",
            ),
            models.CheckConstraint(
                condition=Q(year_started__isnull=True)
                | Q(year_started__gte=1990, year_started__lte=2100),
                name="initiative_year_started_plausible",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "title", "id"], name="initiative_state_title_id_idx"),
            models.Index(fields=["state", "-year_started"], name="initiative_state_year_idx"),
            models.Index(fields=["state", "-created"], name="initiative_state_created_idx"),
            models.Index(fields=["ripe_for_replication", "state"],
                         name="initiative_ripe_state_idx"),
            # Every single-valued facet, so that facet counts read this index alone.
            models.Index(fields=["state", "area", "status", "evidence_stage", "evidence_finding",
                                 "ripe_for_replication", "id"], name="initiative_facets_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("casestudies:initiative-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def is_published(self):
        return self.state == State.PUBLISHED

    @property
    def review_overdue(self):
        if not self.last_reviewed:
            return True
        age = timezone.localdate() - self.last_reviewed
        return age.days > REVIEW_INTERVAL_DAYS

    @property
    def has_replication_notes(self):
        return any(getattr(self, f) for f in [*CHECKLIST_FIELDS, "replication_cost_band"])

    @property
    def checklist_complete(self):
        return all(getattr(self, field).strip() for field in CHECKLIST_FIELDS)

    def clean(self):
        super().clean()
        if self.ripe_for_replication:
            problems = []
            if not self.checklist_complete:
                missing = [str(self._meta.get_field(f).verbose_name) for f in CHECKLIST_FIELDS
                           if not getattr(self, f).strip()]
                problems.append("fill in every part of the replication checklist (missing: "
                                + ", ".join(missing) + ")")
            if self.evidence_stage not in RIPE_STAGES:
                problems.append("the stage of evidence must be at least “monitored locally”")
            if problems:
                raise ValidationError({
                    "ripe_for_replication": "To mark this ripe for replication, "
                    + " and ".join(problems) + ".",
                })


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


class ProblemReport(models.Model):
    """A report from a reader that something on a case study is wrong or out of date."""

    class Review(models.TextChoices):
        NEW = "new", "Open"
        RESOLVED = "resolved", "Resolved"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="problem_reports")
    problem = models.TextField("what is wrong", max_length=2000)
    email = models.EmailField("your email address", blank=True)
    state = models.CharField(max_length=10, choices=Review, default=Review.NEW)
    editor_note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"Problem with “{self.initiative}”"
