"""An area's next steps, seen from the area: what it has done, the approaches recorded
elsewhere but not there (with the areas that tried each, neighbours and the same region
first), and the practice from elsewhere most ready to copy.

Neighbours are the areas whose squares touch on the tile map (tilemap.csv), which keeps
England and Wales recognisable; an area the layout does not place has none.
"""

from collections import defaultdict

from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, View

from casestudies.models import Approach, Area, EvidenceFinding, Initiative
from casestudies.readiness import annotations, checklist

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
    """The context of an area's next-steps page."""
    published = Initiative.objects.published()
    own = list(published.filter(area=area).select_related("approach")
               .annotate(**annotations("readiness")).order_by("title"))
    done = {initiative.approach_id for initiative in own if initiative.approach_id}
    elsewhere = published.exclude(area=area).filter(approach__isnull=False)
    missing = elsewhere.exclude(approach__in=done)

    areas = Area.objects.in_bulk()
    near = neighbours(area.slug)
    tried = defaultdict(list)
    for approach_id, area_id, n in (missing.values_list("approach_id", "area_id")
                                    .annotate(n=Count("pk")).order_by()):
        tried[approach_id].append((areas[area_id], n))
    findings = defaultdict(set)
    for approach_id, finding in missing.values_list("approach_id", "evidence_finding").distinct():
        findings[approach_id].add(finding)
    designs = dict(missing.values("approach_id").annotate(best=Max("best_design"))
                   .values_list("approach_id", "best").order_by())
    closest = {}
    for initiative in (missing.annotate(**annotations("readiness"))
                       .select_related("area").order_by("approach_id", "-readiness", "title")):
        closest.setdefault(initiative.approach_id, initiative)

    approaches = []
    for approach in Approach.objects.filter(pk__in=tried):
        places = sorted(tried[approach.pk],
                        key=lambda pair: (nearness(area, pair[0], near), pair[0].name))
        approaches.append({
            "approach": approach,
            "areas": [{"area": other, "count": n, "nearness": nearness(area, other, near)}
                      for other, n in places],
            "best_finding": next((EvidenceFinding(f).label for f in FINDING_ORDER
                                  if f in findings[approach.pk]), None),
            "best_design": designs.get(approach.pk),
            "closest": closest.get(approach.pk),
            "near_count": sum(1 for other, _ in places if nearness(area, other, near) < 2),
        })
    approaches.sort(key=lambda row: (-row["near_count"], -len(row["areas"]),
                                     row["approach"].name))

    ready = list(elsewhere.exclude(approach__in=done).annotate(**annotations())
                 .select_related("area", "approach")
                 .order_by("-readiness", "-year_started", "title")[:READY_TO_COPY])
    for initiative in ready:
        initiative.checklist = checklist(initiative)
    return {
        "own": own,
        "approaches": approaches,
        "ready": ready,
        "neighbour_areas": sorted((other for other in areas.values() if other.slug in near),
                                  key=lambda other: other.name),
    }


class AreaNextStepsView(DetailView):
    """What an area could do next: website/myarea.py."""

    model = Area
    template_name = "website/area_next.html"
    query_parameters = frozenset()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**next_steps(self.object), **kwargs)


class ChooseAreaView(View):
    """The home page's chooser: to the chosen area's next steps, or to every area."""

    query_parameters = frozenset({"area"})

    def get(self, request):
        slug = request.GET.get("area", "")
        if not slug:
            return redirect("website:area-list")
        return redirect("website:area-next", get_object_or_404(Area, slug=slug[:100]).slug)
