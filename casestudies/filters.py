import hashlib
import json

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import F, Q

from pcc_practice.forms import RefusesNullCharacters
from themes.models import Theme

from . import search
from .models import (
    ROLE_NOT_KNOWN,
    Approach,
    Area,
    CommissionerRole,
    CommissionerRoleKind,
    CostBand,
    DesignLevel,
    EvidenceFinding,
    EvidenceStage,
    Initiative,
    PartnerType,
    Region,
    Status,
)
from .readiness import annotations

# Each sort option maps to an ORDER BY; the last key keeps the order stable between pages.
SORT_ORDERS = {
    "relevance": ("-rank", "title", "pk"),
    "newest": (F("year_started").desc(nulls_last=True), "title", "pk"),
    "reviewed": (F("last_verified").desc(nulls_last=True), "title", "pk"),
    "ready": ("-readiness", "title", "pk"),
    "title": ("title", "pk"),
    "area": ("area__name", "title", "pk"),
}
SORT_CHOICES = [
    ("relevance", "Most relevant (with a search)"),
    ("newest", "Newest (year started)"),
    ("reviewed", "Recently checked"),
    ("ready", "Closest to ripe for replication"),
    ("title", "Title A to Z"),
    ("area", "Area A to Z"),
]
DEFAULT_SORT = "newest"
FACETS = ["ripe", "approach", "theme", "area", "region", "status", "evidence_stage",
          "evidence_finding", "pcc_role", "cost_band", "partner_type"]
DESIGN_CHOICES = [(str(level), f"Level {level} or stronger") for level in DesignLevel.values]


class SlugsField(forms.ModelMultipleChoiceField):
    """Areas, themes and the like chosen by slug, read in one query. Gives the chosen objects
    in the model's order; nothing chosen gives an empty list, not queryset.none(), which every
    later truth test compiled as a query."""

    def clean(self, value):
        if not value and not self.required:
            return []
        if not isinstance(value, (list, tuple)):
            raise forms.ValidationError(self.error_messages["invalid_list"],
                                        code="invalid_list")
        if any("\x00" in str(slug) for slug in value):
            # PostgreSQL refuses a null character in a query; the form says why (FilterForm).
            raise forms.ValidationError(ProhibitNullCharactersValidator.message,
                                        code="null_characters")
        chosen = list(self.queryset.filter(slug__in=[str(slug) for slug in value]))
        known = {obj.slug for obj in chosen}
        for slug in value:
            if str(slug) not in known:
                raise forms.ValidationError(self.error_messages["invalid_choice"],
                                            code="invalid_choice", params={"value": slug})
        return chosen


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SlugsField


def few_terms(text):
    """A search of more terms than search.MAX_TERMS is refused in words."""
    try:
        search.parse(text)
    except search.TooManyTerms as refused:
        raise forms.ValidationError(str(refused), code="too_many_terms") from None


class FilterForm(RefusesNullCharacters, forms.Form):
    pass


class InitiativeFilter(django_filters.FilterSet):
    """The filters of the practice list. Different filters narrow; repeated values widen."""

    q = django_filters.CharFilter(
        label="Search", method="filter_search", max_length=200, validators=[few_terms],
        help_text='Words in the title, summary or description. Use "quotes" for a phrase '
                  "and a minus sign to leave a word out.",
    )
    area = SlugsFilter(
        label="Area", queryset=Area.objects.only("slug", "name"), to_field_name="slug",
        method="filter_area", widget=forms.CheckboxSelectMultiple,
    )
    approach = SlugsFilter(
        label="Approach", queryset=Approach.objects.only("slug", "name"), to_field_name="slug",
        method="filter_approach", widget=forms.CheckboxSelectMultiple,
    )
    theme = SlugsFilter(
        label="Theme", queryset=Theme.objects.only("slug", "name"), to_field_name="slug",
        method="filter_theme", widget=forms.CheckboxSelectMultiple,
    )
    status = django_filters.MultipleChoiceFilter(
        label="Status", choices=Status.choices, distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region = django_filters.MultipleChoiceFilter(
        label="Region", field_name="area__region", choices=Region.choices, distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_type = django_filters.MultipleChoiceFilter(
        label="Partner type", choices=PartnerType.choices, method="filter_partner_type",
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_stage = django_filters.MultipleChoiceFilter(
        label="Stage of evidence", choices=EvidenceStage.choices, distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_finding = django_filters.MultipleChoiceFilter(
        label="What the evidence found", choices=EvidenceFinding.choices, distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pcc_role = django_filters.MultipleChoiceFilter(
        label="What the commissioner did",
        choices=[*CommissionerRoleKind.choices, (ROLE_NOT_KNOWN, "Not known")],
        method="filter_pcc_role", widget=forms.CheckboxSelectMultiple,
    )
    cost_band = django_filters.MultipleChoiceFilter(
        label="Cost a year", choices=CostBand.choices, distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    design = django_filters.ChoiceFilter(
        label="Evaluation design", choices=DESIGN_CHOICES, method="filter_design",
        empty_label="Any, or none",
    )
    started = django_filters.NumberFilter(
        label="Year started", field_name="year_started", min_value=1990, max_value=2100,
        step_size=1, error_messages={
            key: "Enter the year started as four figures, from 1990 to 2100, such as 2014."
            for key in ("invalid", "min_value", "max_value", "step_size", "max_digits",
                        "max_decimal_places", "max_whole_digits")
        },
    )
    ripe = django_filters.MultipleChoiceFilter(
        label="Readiness", choices=[("yes", "Ripe for replication")], method="filter_ripe",
        widget=forms.CheckboxSelectMultiple,
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Initiative
        form = FilterForm
        fields = ["q", "approach", "area", "theme", "status", "region", "partner_type",
                  "evidence_stage", "evidence_finding", "pcc_role", "cost_band", "design",
                  "started", "ripe", "sort"]

    def filter_area(self, queryset, name, value):
        # By the areas' ids, so that the query needs no join with the areas.
        return queryset.filter(area__in=value) if value else queryset

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

    def filter_approach(self, queryset, name, value):
        return queryset.of_approach(value) if value else queryset

    def filter_pcc_role(self, queryset, name, value):
        if not value:
            return queryset
        roles = CommissionerRole.objects.values("initiative_id")
        condition = Q(pk__in=roles.filter(role__in=value))
        if ROLE_NOT_KNOWN in value:  # no role recorded
            condition |= ~Q(pk__in=roles)
        return queryset.filter(condition)

    def filter_design(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(best_design__gte=int(value))

    def filter_ripe(self, queryset, name, value):
        return queryset.ripe() if value else queryset

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_sort(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset()

    @property
    def order(self):
        """The order in force: the chosen one, else relevance for a search, else newest."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        searching = bool(data.get("q"))
        sort = data.get("sort") or ("relevance" if searching else DEFAULT_SORT)
        return sort if searching or sort != "relevance" else DEFAULT_SORT

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.order == "ready":
            queryset = queryset.annotate(**annotations("readiness"))
        return queryset.order_by(*SORT_ORDERS[self.order])

    def queryset_without(self, *skip):
        """The results as if the filters `skip` were not set (the others still apply)."""
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name not in skip and name != "sort":
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def count_without(self, name, raw):
        """How many results there would be without the value `raw` of filter `name`."""
        value = self.form.cleaned_data[name]
        remaining = [] if not isinstance(value, list) else [
            v for v in value if getattr(v, "slug", v) != raw
        ]
        queryset = self.queryset_without(name)
        if remaining:
            queryset = self.filters[name].filter(queryset, remaining)
        return queryset.count()

    def digest(self, skip=()):
        """A digest of the filters in force (whatever the sort or page), but those in `skip`."""
        values = {
            name: sorted(getattr(v, "slug", v) for v in value) if isinstance(value, list)
            else str(value)
            for name, value in self.form.cleaned_data.items()
            if name != "sort" and name not in skip and value
        }
        return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()

    def active_filters(self, query):
        """Describes each active filter value with a link to the same list without it."""
        form = self.form
        if not form.is_valid():
            return []
        chips = []
        for name in ["q", *FACETS, "design", "started"]:
            value = form.cleaned_data.get(name)
            if not value:
                continue
            field = form.fields[name]
            if name in ("q", "started"):
                values = [(str(value), str(value))]
            elif hasattr(field, "queryset"):
                values = [(obj.slug, str(obj)) for obj in value]
            else:
                labels = dict(field.choices)
                values = [(v, labels[v]) for v in ([value] if isinstance(value, str) else value)]
            for raw, label in values:
                remaining = query.copy()
                remaining.setlist(name, [v for v in query.getlist(name) if v != raw])
                remaining.pop("page", None)
                chips.append({
                    "filter": name, "name": field.label, "value": raw, "label": label,
                    "remove_query": remaining.urlencode(),
                })
        return chips
