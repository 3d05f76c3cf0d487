from django.db import models
from django.db.models import Q


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
    MAINSTREAMED = "mainstreamed", "Mainstreamed"
    ENDED = "ended", "Ended or completed"
    WITHDRAWN = "withdrawn", "Withdrawn or stopped"


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
    NOT_KNOWN = "not-known", "Not known"


# The findings that rate an effect: each needs an impact evaluation, or monitored figures quoted
# from a source (casestudies/labels.py).
EFFECT_FINDINGS = [EvidenceFinding.PROMISING, EvidenceFinding.WORKED, EvidenceFinding.MIXED,
                   EvidenceFinding.DID_NOT_WORK]


# The parts of the replication checklist that must all be filled in.
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


# An entry is due to be checked again this long after it was last verified.
REVIEW_INTERVAL_DAYS = 365
# A status that rests on a source older than this many years may be out of date.
STATUS_STALE_YEARS = 3
PUBLISHED_INITIATIVES = Q(initiatives__state=State.PUBLISHED)




class CostBand(models.TextChoices):
    """What the practice costs a year to run, as its sources give it."""

    NOT_KNOWN = "not-known", "Not known"
    UNDER_50K = "under-50k", "Under £50,000 a year"
    TO_250K = "50k-250k", "£50,000 to £250,000 a year"
    TO_1M = "250k-1m", "£250,000 to £1 million a year"
    OVER_1M = "over-1m", "Over £1 million a year"


class CostKind(models.TextChoices):
    SET_UP = "set-up", "Set-up"
    RUNNING = "running", "Running, a year"
    TOTAL = "total", "Total over the period"


class CommissionerRoleKind(models.TextChoices):
    """What the police and crime commissioner (or the office holding that role) did."""

    FUNDED = "funded", "Funded it"
    CO_FUNDED = "co-funded", "Co-funded it"
    COMMISSIONED = "commissioned", "Commissioned it"
    LED = "led-or-convened", "Led or convened it"
    CHAIRED = "chaired", "Chaired the partnership"
    CHAMPIONED = "championed", "Championed it"


# The filter value for entries whose sources do not say what the commissioner did.
ROLE_NOT_KNOWN = "not-known"


class FunderRole(models.TextChoices):
    FUNDER = "funder", "Funded it"
    CO_FUNDER = "co-funder", "Co-funded it"
    DELIVERS = "delivers", "Delivers it"
    COMMISSIONS = "commissions", "Commissions it"


class DesignLevel(models.IntegerChoices):
    """An evaluation's design on the Maryland Scientific Methods Scale."""

    BEFORE_AFTER = 1, "Level 1: before and after, no comparison"
    CONTROLS = 2, "Level 2: before and after, with controls"
    COMPARISON = 3, "Level 3: a comparison group"
    QUASI = 4, "Level 4: a stronger quasi-experimental design"
    RANDOMISED = 5, "Level 5: randomised"


class VerifiedHow(models.TextChoices):
    SOURCES = "sources", "Checked against its sources"
    SECOND_READER = "reread", "Read against its sources by a second reader"
    AREA = "area", "Confirmed by the area"


class LinkKind(models.TextChoices):
    """How one initiative led to another; each reads the other way on the other entry."""

    ADAPTED_FROM = "adapted-from", "Adapted from"
    SPREAD_TO = "spread-to", "Adopted or spread to"
    SCALED_UP_AS = "scaled-up-as", "Scaled up as"
    REPLACED_BY = "replaced-by", "Replaced by"


# How each kind of link reads from the other initiative.
LINK_REVERSE = {
    LinkKind.ADAPTED_FROM: "Adapted into",
    LinkKind.SPREAD_TO: "Spread from",
    LinkKind.SCALED_UP_AS: "Scaled up from",
    LinkKind.REPLACED_BY: "Replaced",
}
