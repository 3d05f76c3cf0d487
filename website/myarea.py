"""An area's next steps, seen from the area: what it has done, the approaches recorded
elsewhere but not there (with the areas that tried each, neighbours and the same region
first), and the practice from elsewhere most ready to copy.

Neighbours are the areas whose squares touch on the tile map (tilemap.csv), which keeps
England and Wales recognisable; an area the layout does not place has none.
"""

from collections import Counter

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, View

from casestudies.models import Approach, Area, EvidenceFinding, Initiative
from casestudies.readiness import annotations, checklist

from .approaches import practice_by_approach
from .boardpack import LICENCE, pdf_response
from .tilemap import LAYOUT

READY_TO_COPY = 5
# The findings from strongest to weakest, for an approach's best evidence.
FINDING_ORDER = [EvidenceFinding.WORKED, EvidenceFinding.PROMISING, EvidenceFinding.MIXED,
                 EvidenceFinding.DID_NOT_WORK, EvidenceFinding.TOO_EARLY]


def neighbours(slug):
    """The slugs of the areas whose tiles touch `slug`'s, sides or corners."""
    if slug not in LAYOUT:
        return set()
    column, row, _ = LAYOUT[slug]
    return {other for other, (c, r, _) in LAYOUT.items()
            if other != slug and abs(c - column) <= 1 and abs(r - row) <= 1}


def nearness(area, other, near):
    """0 for a neighbour, 1 for the same region, 2 for the rest."""
    if other.slug in near:
        return 0
    return 1 if other.region == area.region else 2


def next_steps(area):
    """The context of an area's next-steps page. An approach counts as recorded in an area
    when one of its entries has it as the main approach or also includes it."""
    published = Initiative.objects.published()
    own = list(published.filter(area=area).select_related("approach")
               .annotate(**annotations("readiness")).order_by("title"))
    practice = practice_by_approach()  # {approach: {initiative: area}}
    missing = {approach: found for approach, found in practice.items()
               if area.pk not in found.values()}
    ids = {pk for found in missing.values() for pk in found}
    entries = {entry.pk: entry for entry in
               published.filter(pk__in=ids).annotate(**annotations())
               .select_related("area", "approach")}
    near = neighbours(area.slug)

    def readiest(entry):
        return (-entry.readiness, -(entry.year_started or 0), entry.title)

    approaches = []
    for approach in Approach.objects.filter(pk__in=missing):
        found = [entries[pk] for pk in missing[approach.pk] if pk in entries]
        places = Counter(entry.area for entry in found)
        ordered = sorted(places, key=lambda other: (nearness(area, other, near), other.name))
        findings = {entry.evidence_finding for entry in found}
        designs = [entry.best_design for entry in found if entry.best_design]
        approaches.append({
            "approach": approach,
            "areas": [{"area": other, "count": places[other],
                       "nearness": nearness(area, other, near)} for other in ordered],
            "best_finding": next((EvidenceFinding(f).label for f in FINDING_ORDER
                                  if f in findings), None),
            "best_design": max(designs, default=None),
            "closest": min(found, key=readiest),
            "near_count": sum(1 for other in places if nearness(area, other, near) < 2),
        })
    approaches.sort(key=lambda row: (-row["near_count"], -len(row["areas"]),
                                     row["approach"].name))

    ready = sorted(entries.values(), key=readiest)[:READY_TO_COPY]
    for initiative in ready:
        initiative.checklist = checklist(initiative)
    areas = Area.objects.filter(slug__in=near).order_by("name")
    return {"own": own, "approaches": approaches, "ready": ready, "neighbour_areas": areas}


class AreaNextStepsView(DetailView):
    """What an area could do next: website/myarea.py."""

    model = Area
    template_name = "website/area_next.html"
    query_parameters = frozenset()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**next_steps(self.object), **kwargs)


def area_next_pdf(request, slug):
    """An area's next steps as a board pack's PDF."""
    area = get_object_or_404(Area, slug=slug)
    context = {"area": area, **next_steps(area), "produced": timezone.localdate(),
               "licence": LICENCE, "site": request.build_absolute_uri("/").rstrip("/")}
    return pdf_response(request, parts=f"area|{area.pk}",
                        template="website/area_next_document.html", context=context,
                        page_url=reverse("website:area-next", args=[area.slug]),
                        name=f"{area.slug}-next-steps")


class ChooseAreaView(View):
    """The home page's chooser: to the chosen area's next steps, or to every area."""

    query_parameters = frozenset({"area"})

    def get(self, request):
        slug = request.GET.get("area", "")
        if not slug:
            return redirect("website:area-list")
        area = Area.objects.with_slug(slug)
        if area is None:
            raise Http404("No such area.")
        return redirect("website:area-next", area.slug)
