"""The seed fixtures: complete, sourced, and safe to load twice."""

import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from casestudies.models import Area, Initiative, Partner, Source
from tests.conftest import SEED_FIXTURES
from themes.models import Theme

SHARED_AREAS = Path(__file__).resolve().parents[2] / "shared" / "data" / "pcc_areas.csv"
BRIEFING = "rda-pcc-spotlight-2-mental-health"


def test_seed_loads_every_area_theme_and_initiative(seed):
    assert Area.objects.count() == 43
    assert set(Theme.objects.values_list("slug", flat=True)) == {
        "strategic-leadership", "intervening-earlier", "reducing-repeat-demand",
        "understanding-local-need",
    }
    # 9 case studies from the 2015 briefing and 20 further PCC-backed initiatives.
    assert Initiative.objects.count() == 29


def test_the_briefings_nine_case_studies_are_in_its_three_areas(seed):
    from_briefing = Initiative.objects.filter(sources__slug=BRIEFING)
    by_area = sorted(from_briefing.values_list("area__slug", flat=True))
    assert by_area.count("greater-manchester") == 4
    assert by_area.count("norfolk") == 3
    assert by_area.count("staffordshire") == 2
    assert len(by_area) == 9


def test_every_published_initiative_cites_a_source_with_an_address(seed):
    for initiative in Initiative.objects.published().prefetch_related("sources"):
        sources = list(initiative.sources.all())
        assert sources, f"{initiative.slug} has no source"
        assert all(source.url.startswith("http") for source in sources)


def test_every_initiative_has_a_theme_status_and_lead(seed):
    for initiative in Initiative.objects.prefetch_related("themes"):
        assert initiative.themes.exists(), initiative.slug
        assert initiative.lead_organisation, initiative.slug
        initiative.full_clean()


def test_seed_areas_match_the_reference_list(seed):
    if not SHARED_AREAS.exists():
        pytest.skip("the shared reference data is not beside this checkout")
    with SHARED_AREAS.open(newline="") as f:
        rows = {row["ons_code"]: row for row in csv.DictReader(f)}
    areas = {area.ons_code: area for area in Area.objects.all()}
    assert set(areas) == set(rows)
    for code, row in rows.items():
        assert areas[code].name == row["name"]
        assert areas[code].slug == row["slug"]
        assert areas[code].force == row["force"]
        assert areas[code].website == row["website"]
        assert areas[code].get_region_display() == row["region"]


def test_loading_the_seed_twice_changes_nothing(seed):
    def snapshot():
        return [
            list(model.objects.order_by("pk").values())
            for model in (Area, Theme, Partner, Source, Initiative)
        ] + [
            sorted(Initiative.themes.through.objects.values_list("initiative_id", "theme_id")),
            sorted(Initiative.sources.through.objects.values_list("initiative_id", "source_id")),
            sorted(Initiative.partners.through.objects.values_list("initiative_id", "partner_id")),
        ]

    before = snapshot()
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    assert snapshot() == before


@pytest.mark.parametrize("slug, count", [
    ("greater-manchester", 5), ("norfolk", 3), ("staffordshire", 3),
])
def test_briefing_areas_show_their_practice(client, seed, slug, count):
    area = Area.objects.get(slug=slug)
    assert area.initiatives.published().count() == count
    response = client.get(reverse("casestudies:area-detail", args=[slug]))
    for initiative in area.initiatives.published():
        assert escape(initiative.title) in response.text
    assert f"{count} case studies" in response.text


def test_featured_areas_are_the_briefings_three(seed):
    assert set(Area.objects.filter(is_featured=True).values_list("slug", flat=True)) == {
        "greater-manchester", "norfolk", "staffordshire",
    }
