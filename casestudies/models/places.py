from django.core.validators import slug_re
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from .choices import PUBLISHED_INITIATIVES, OfficeType, PartnerType, Region


class SlugQuerySet(models.QuerySet):
    def with_slugs(self, values):
        """The rows whose slug is one of `values` (from an address, say). A value that cannot
        be a slug is left out before the query: PostgreSQL refuses a NUL byte with an error."""
        longest = self.model._meta.get_field("slug").max_length
        return self.filter(slug__in=[value for value in values if isinstance(value, str)
                                     and len(value) <= longest and slug_re.match(value)])

    def with_slug(self, value):
        """The row whose slug is `value`, or None (see with_slugs)."""
        return self.with_slugs([value]).first()


class SlugManager(models.Manager.from_queryset(SlugQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def unique_slug(self, text, fallback):
        """A slug made from `text` (or `fallback`) that no row has yet: "-2", "-3" ... added
        as needed."""
        room = self.model._meta.get_field("slug").max_length - 10  # for the number
        base = slugify(text)[:room].strip("-") or fallback
        slug, n = base, 2
        while self.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


class AreaQuerySet(SlugQuerySet):
    def with_practice_count(self):
        """Annotates each area with `practice_count`, its number of published initiatives."""
        return self.annotate(
            practice_count=models.Count("initiatives", filter=PUBLISHED_INITIATIVES)
        ).order_by("name")  # Meta.ordering does not apply to aggregate queries


class AreaManager(SlugManager.from_queryset(AreaQuerySet)):
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
    website_checked_on = models.DateField(
        "office website checked on", null=True, blank=True,
        help_text="When someone last found the office website at this address.",
    )
    is_featured = models.BooleanField(
        "featured", default=False, help_text="Featured areas are shown on the home page."
    )
    role_note = models.TextField(
        "who holds the commissioner's role", blank=True,
        help_text="Who holds the police and crime commissioner's functions now, and any change "
                  "announced, with its source.",
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


class SourceKind(models.TextChoices):
    PUBLICATION = "publication", "A publication or web page"
    CONFIRMATION = "confirmation", "Confirmed by the area"


class Source(models.Model):
    """A publication or web page that an initiative's facts come from, or an area's answer
    to a request to confirm its entry (which has no public address)."""

    kind = models.CharField(max_length=12, choices=SourceKind, default=SourceKind.PUBLICATION)
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    publisher = models.CharField(max_length=200)
    published_on = models.DateField(
        "date", null=True, blank=True, help_text="Only when the source gives the exact date."
    )
    url = models.URLField(
        "address", max_length=500, blank=True,
        help_text="Needed for a publication; an area's confirmation has none.",
    )
    history = HistoricalRecords()

    objects = SlugManager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SourceKind.values),
                                   name="source_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=SourceKind.CONFIRMATION) | ~Q(url=""),
                name="source_publication_has_address",
                violation_error_message="Enter the address of the publication or web page. "
                                        "Only an area's confirmation has none.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.publisher})"

    def natural_key(self):
        return (self.slug,)
