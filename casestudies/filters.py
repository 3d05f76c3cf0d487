import django_filters
from django import forms
from django.db.models import F

from themes.models import Theme

from .models import Area, Initiative, PartnerType, Region, Status

# Each sort option maps to an ORDER BY; the last key keeps the order stable between pages.
SORT_ORDERS = {
    "newest": (F("year_started").desc(nulls_last=True), "title", "pk"),
    "title": ("title", "pk"),
    "area": ("area__name", "title", "pk"),
}
SORT_CHOICES = [
    ("newest", "Newest (year started)"),
    ("title", "Title A to Z"),
    ("area", "Area A to Z"),
]
DEFAULT_SORT = "newest"


class InitiativeFilter(django_filters.FilterSet):
    """The filters of the practice list. Different filters narrow; repeated values widen."""

    q = django_filters.CharFilter(
        label="Search", method="filter_search", max_length=200,
        help_text="Words in the title, summary or description",
    )
    area = django_filters.ModelMultipleChoiceFilter(
        label="Area", field_name="area__slug", queryset=Area.objects.all(), to_field_name="slug",
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label="Theme", queryset=Theme.objects.all(), to_field_name="slug", method="filter_theme",
        widget=forms.CheckboxSelectMultiple,
    )
    status = django_filters.MultipleChoiceFilter(
        label="Status", choices=Status.choices, distinct=False, widget=forms.CheckboxSelectMultiple
    )
    region = django_filters.MultipleChoiceFilter(
        label="Region", field_name="area__region", choices=Region.choices, distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_type = django_filters.MultipleChoiceFilter(
        label="Partner type", choices=PartnerType.choices, method="filter_partner_type",
        widget=forms.CheckboxSelectMultiple,
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Initiative
        fields = ["q", "area", "theme", "status", "region", "partner_type", "sort"]

    # Subqueries rather than joins, so that a repeated many-to-many value widens the results
    # without duplicating rows (and without a DISTINCT over every column).
    def filter_theme(self, queryset, name, value):
        if not value:
            return queryset
        through = Initiative.themes.through.objects.filter(theme__in=value)
        return queryset.filter(pk__in=through.values("initiative_id"))

    def filter_partner_type(self, queryset, name, value):
        if not value:
            return queryset
        through = Initiative.partners.through.objects.filter(partner__partner_type__in=value)
        return queryset.filter(pk__in=through.values("initiative_id"))

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORT_ORDERS[value])
