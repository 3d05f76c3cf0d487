from django.conf import settings
from django.db.models import Count
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from themes.models import Theme

from .filters import DEFAULT_SORT, SORT_ORDERS, InitiativeFilter
from .models import Area, Initiative, Region

# Pages other than the full list show this many initiatives, then link to the filtered list.
PREVIEW_SIZE = 20


class AccessibilityView(TemplateView):
    template_name = "pages/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact_email=settings.CONTACT_EMAIL, **kwargs)


class HomeView(TemplateView):
    template_name = "casestudies/home.html"

    def get_context_data(self, **kwargs):
        published = Initiative.objects.published()
        return super().get_context_data(
            themes=Theme.objects.all(),
            featured_areas=Area.objects.filter(is_featured=True).with_practice_count(),
            latest=published.for_listing().order_by("-created", "title")[:6],
            practice_count=published.count(),
            area_count=Area.objects.filter(initiatives__in=published).distinct().count(),
            **kwargs,
        )


def active_filters(filterset, query):
    """Describes each active filter value with a link to the same list without it."""
    form = filterset.form
    if not form.is_valid():
        return []
    chips = []
    for name in ["q", "area", "theme", "status", "region", "partner_type"]:
        value = form.cleaned_data.get(name)
        if not value:
            continue
        field = form.fields[name]
        if name == "q":
            values = [(value, value)]
        elif hasattr(field, "queryset"):
            values = [(obj.slug, str(obj)) for obj in value]
        else:
            labels = dict(field.choices)
            values = [(v, labels[v]) for v in value]
        for raw, label in values:
            remaining = query.copy()
            remaining.setlist(name, [v for v in query.getlist(name) if v != raw])
            remaining.pop("page", None)
            chips.append(
                {"name": field.label, "label": label, "remove_query": remaining.urlencode()}
            )
    return chips


class InitiativeListView(FilterView):
    filterset_class = InitiativeFilter
    queryset = Initiative.objects.published().for_listing().order_by(*SORT_ORDERS[DEFAULT_SORT])
    paginate_by = 20
    template_name = "casestudies/initiative_list.html"

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            raise Http404("There is no such page of results.") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["active_filters"] = active_filters(self.filterset, self.request.GET)
        context["sort"] = self.request.GET.get("sort") or DEFAULT_SORT
        context["page_range"] = page.paginator.get_elided_page_range(
            page.number, on_each_side=1, on_ends=1
        )
        return context


class InitiativeDetailView(DetailView):
    template_name = "casestudies/initiative_detail.html"
    context_object_name = "initiative"

    def get_queryset(self):
        """Editors who may view initiatives in admin may also preview drafts."""
        queryset = Initiative.objects.select_related("area").prefetch_related(
            "themes", "partners", "sources"
        )
        if self.request.user.has_perm("casestudies.view_initiative"):
            return queryset
        return queryset.published()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        initiative = self.object
        theme_ids = [theme.pk for theme in initiative.themes.all()]
        related = (
            Initiative.objects.published().for_listing().exclude(pk=initiative.pk)
            .filter(themes__in=theme_ids).annotate(shared_themes=Count("themes"))
            .order_by("-shared_themes", "title")[:4]
        )
        return super().get_context_data(related=related, **kwargs)


class AreaListView(ListView):
    queryset = Area.objects.with_practice_count()
    template_name = "casestudies/area_list.html"

    def get_context_data(self, **kwargs):
        by_region = {region: [] for region in Region}
        for area in self.object_list:
            by_region[area.region].append(area)
        regions = [(region.label, areas) for region, areas in by_region.items() if areas]
        return super().get_context_data(regions=regions, **kwargs)


class AreaDetailView(DetailView):
    model = Area
    template_name = "casestudies/area_detail.html"

    def get_context_data(self, **kwargs):
        practice = self.object.initiatives.published().for_listing()
        return super().get_context_data(
            practice=practice[:PREVIEW_SIZE], practice_count=practice.count(), **kwargs
        )
