import copy
import hashlib
import json

import django_filters
from django import forms
from django.db.models import Count, F
from django.http import Http404

from pcc_practice.cache import kept_until_content_changes
from themes.models import Theme

from .forms import RefusesNullCharacters
from .models import (
    Area,
    EvidenceFinding,
    EvidenceStage,
    Initiative,
    PartnerType,
    Region,
    Status,
)

# Each sort option maps to an ORDER BY; the last key keeps the order stable between pages.
SORT_ORDERS = {
    "relevance": ("-rank", "title", "pk"),
    "newest": (F("year_started").desc(nulls_last=True), "title", "pk"),
    "reviewed": (F("last_reviewed").desc(nulls_last=True), "title", "pk"),
    "title": ("title", "pk"),
    "area": ("area__name", "title", "pk"),
}
SORT_CHOICES = [
    ("relevance", "Most relevant (with a search)"),
    ("newest", "Newest (year started)"),
    ("reviewed", "Recently reviewed"),
    ("title", "Title A to Z"),
    ("area", "Area A to Z"),
]
DEFAULT_SORT = "newest"
# Filters on a field with one value per initiative.
SINGLE_VALUED = ["area", "region", "status", "evidence_stage", "evidence_finding", "ripe"]
# The columns their facet counts are grouped by (an area gives its region), all in one index.
GROUPED_BY = ["area_id", "status", "evidence_stage", "evidence_finding", "ripe_for_replication"]
FACETS = ["ripe", "theme", "area", "region", "status", "evidence_stage", "evidence_finding",
          "partner_type"]


class KnownSlugsField(forms.ModelMultipleChoiceField):
    """Checks the chosen slugs against every object's slug and name, kept until content
    changes, rather than with a query on each request. Gives unsaved stand-ins (pk, slug and
    name), in the model's order, which is all that filtering and the page need. Its choices
    (slug, name) come from the same list, so that listing the options reads nothing either."""

    def known(self):
        """Every object's (pk, slug, name), in the model's order."""
        return kept_until_content_changes(
            f"slugs:{self.queryset.model._meta.label}",
            lambda: list(self.queryset.values_list("pk", "slug", "name")),
            in_process=True,
        )

    @property
    def choices(self):
        return [(slug, name) for _, slug, name in self.known()]

    @choices.setter
    def choices(self, value):
        forms.ModelMultipleChoiceField.choices.fset(self, value)

    def clean(self, value):
        # Nothing chosen gives an empty list, not queryset.none(): every later "if value"
        # would otherwise run the ORM's query compiler on it (about 1 ms a list page).
        if not value and not self.required:
            return []
        return super().clean(value)

    def _check_values(self, value):
        model = self.queryset.model
        known = self.known()
        try:
            chosen = {str(slug) for slug in value}
        except TypeError:
            raise forms.ValidationError(self.error_messages["invalid_list"],
                                        code="invalid_list") from None
        slugs = {slug for _, slug, _ in known}
        for slug in value:
            if str(slug) not in slugs:
                raise forms.ValidationError(self.error_messages["invalid_choice"],
                                            code="invalid_choice", params={"value": slug})
        return [model(pk=pk, slug=slug, name=name) for pk, slug, name in known
                if slug in chosen]


class KnownSlugsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = KnownSlugsField


class CopiedForEachRequest(dict):
    """The filters of a FilterSet, or the fields of its form, which each FilterSet or form
    copies with deepcopy(): here each is copied one level deep, as their settings (labels,
    choices, querysets, widgets) never change. Deep copies of them all took about two
    milliseconds of every list page. Widgets are shared too, so the page lists options from
    each field's choices (views.filter_groups), never from a widget's own copy of them."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, item in self.items():
            copies[name] = copied = copy.copy(item)
            if getattr(item, "method", None) is not None:
                copied.method = item.method  # a filter's copy calls its own FilterSet
        return copies


class FilterForm(RefusesNullCharacters, forms.Form):
    pass


def valid_filterset_or_404(data, queryset):
    """The practice list's filters for an export or feed, where a bad filter is a 404."""
    filterset = InitiativeFilter(data, queryset=queryset)
    if not filterset.is_valid():
        raise Http404("These filters are not valid.")
    return filterset


class InitiativeFilter(django_filters.FilterSet):
    """The filters of the practice list. Different filters narrow; repeated values widen."""

    q = django_filters.CharFilter(
        label="Search", method="filter_search", max_length=200,
        help_text='Words in the title, summary or description. Use "quotes" for a phrase '
                  "and a minus sign to leave a word out.",
    )
    area = KnownSlugsFilter(
        label="Area", queryset=Area.objects.all(), to_field_name="slug", method="filter_area",
        widget=forms.CheckboxSelectMultiple,
    )
    theme = KnownSlugsFilter(
        label="Theme", queryset=Theme.objects.all(), to_field_name="slug", method="filter_theme",
        widget=forms.CheckboxSelectMultiple,
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
        fields = ["q", "area", "theme", "status", "region", "partner_type", "evidence_stage",
                  "evidence_finding", "ripe", "sort"]

    def get_form_class(self):
        """Built once for each FilterSet class rather than for each request: its fields
        depend on nothing in the request, and each form copies them. Saves about a
        millisecond on every list page."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            form_class = super().get_form_class()
            form_class.base_fields = CopiedForEachRequest(form_class.base_fields)
            cls._form_class = form_class
        return cls._form_class

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

    def filter_ripe(self, queryset, name, value):
        return queryset.filter(ripe_for_replication=True) if value else queryset

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
        return super().filter_queryset(queryset).order_by(*SORT_ORDERS[self.order])

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
        remaining = [] if name == "q" else [
            v for v in value if getattr(v, "slug", v) != raw
        ]
        queryset = self.queryset_without(name)
        if remaining:
            queryset = self.filters[name].filter(queryset, remaining)
        return queryset.count()

    def digest(self, skip=()):
        """A digest of the filters in force (whatever the sort or page), but those in `skip`."""
        values = {
            name: value if isinstance(value, str) else sorted(getattr(v, "slug", v) for v in value)
            for name, value in self.form.cleaned_data.items()
            if name != "sort" and name not in skip and value
        }
        return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()

    def facet_counts(self):
        """For each filter, how many results each of its options would give; sets `total`.

        Kept in the cache for each combination of filters until content changes, so the
        pages and sort orders of one set of results count only once.
        """
        if not self.form.is_valid():
            return {}

        def count():
            counts = self.count_facets()
            return counts, self.total

        counts, self.total = kept_until_content_changes("facets", count, self.digest())
        return counts

    def count_facets(self):
        """Counts the facets, as facet_counts() describes.

        The single-valued filters (area, region, status, the evidence labels, readiness) come
        from one grouped query: each row is a combination of their values, so each facet's
        counts, and the total, are sums over the rows that match the other active filters.
        The many-valued ones (theme, partner type) take one query each.
        """
        data = self.form.cleaned_data
        grouped = self.queryset_without(*SINGLE_VALUED)
        # These rows depend only on the other filters, so every combination of area, region,
        # status, evidence labels and readiness shares them.
        # Each is (values of SINGLE_VALUED, count).
        def grouped_rows():
            areas = {pk: (slug, region)
                     for pk, slug, region in Area.objects.values_list("pk", "slug", "region")}
            query = grouped.values_list(*GROUPED_BY).annotate(n=Count("pk"))
            return [((*areas[area_id], *labels, "yes" if ripe else "no"), n)
                    for area_id, *labels, ripe, n in query]

        # The rows with no many-valued filter, which every combination of single-valued ones
        # shares, are also kept in each process: unpickling them took a few milliseconds.
        shared = not any(value for name, value in data.items()
                         if name not in (*SINGLE_VALUED, "sort"))
        rows = kept_until_content_changes("facet-groups", grouped_rows,
                                          self.digest(skip=SINGLE_VALUED), in_process=shared)
        active = [(index, {getattr(v, "slug", v) for v in data[name]})
                  for index, name in enumerate(SINGLE_VALUED) if data.get(name)]
        tallies = [{} for _ in SINGLE_VALUED]
        total = 0
        for values, n in rows:
            # A row counts towards the total and every facet if it matches every active
            # filter, and towards one facet alone if it misses that facet's filter only.
            missed = None
            for index, allowed in active:
                if values[index] not in allowed:
                    if missed is not None:
                        break
                    missed = index
            else:
                if missed is None:
                    total += n
                    for tally, value in zip(tallies, values, strict=True):
                        tally[value] = tally.get(value, 0) + n
                else:
                    tally = tallies[missed]
                    tally[values[missed]] = tally.get(values[missed], 0) + n
        counts = dict(zip(SINGLE_VALUED, tallies, strict=True))
        self.total = total
        # An initiative has each theme once, but may have two partners of one type.
        for name, relation, key, distinct in [
            ("theme", "themes", "theme__slug", False),
            ("partner_type", "partners", "partner__partner_type", True),
        ]:
            through = getattr(Initiative, relation).through.objects.filter(
                initiative__in=self.queryset_without(name).values("pk")
            )
            rows = through.values(key).annotate(n=Count("initiative_id", distinct=distinct))
            counts[name] = {row[key]: row["n"] for row in rows}
        counts["ripe"] = {"yes": counts["ripe"].get("yes", 0)}
        return counts


InitiativeFilter.base_filters = CopiedForEachRequest(InitiativeFilter.base_filters)
