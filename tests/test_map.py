"""The tile map of police force areas on the home page, /areas/ and the practice list."""

import csv
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from casestudies.models import Approach, Initiative
from tests.pages import card_slugs, rows, select, text
from website.tilemap import LAYOUT

ROOT = Path(__file__).resolve().parents[1]


def tiles(response):
    """{area name: (link, shade, count said to screen readers, count written in the tile)}."""
    shown = {}
    for tile in select(response, ".app-map svg a"):
        name, said = re.fullmatch(r"(.+): (\d+) .+", text(tile.title)).groups()
        [shade] = [c.removeprefix("app-map__tile--") for c in tile["class"]
                   if c.startswith("app-map__tile--")]
        written = text(tile.select_one(".app-map__count"))
        shown[name] = (tile["href"], int(shade), int(said), int(written))
    return shown


def map_table(response):
    """{area name: (link, count)} from the table under "Show the map as a table"."""
    details = next(d for d in select(response, "details")
                   if text(d.summary) == "Show the map as a table")
    return {name: (href, int(count)) for name, _, count, href in rows(details)}


def test_the_layout_places_every_police_force_area_once():
    areas = json.loads((ROOT / "fixtures/areas.json").read_text())
    assert set(LAYOUT) == {area["fields"]["slug"] for area in areas}
    places = Counter((column, row) for column, row, _ in LAYOUT.values())
    assert max(places.values()) == 1, "two areas share a tile"
    with open(ROOT / "website/tilemap.csv", newline="") as f:
        labels = [row["label"] for row in csv.DictReader(f)]
    assert len(labels) == len(set(labels)) == 43


def test_home_map_counts_each_areas_published_practice_and_links_to_it(client, seed):
    shown = tiles(client.get("/"))
    assert len(shown) == 43
    published = Counter(Initiative.objects.published().values_list("area__name", flat=True))
    for name, (href, shade, said, written) in shown.items():
        assert said == written == published.get(name, 0), name
        assert (shade == 0) == (written == 0), name
        area_page = client.get(href)
        assert area_page.status_code == 200 and name in area_page.text


def test_areas_page_has_the_map_and_its_table(client, seed):
    response = client.get("/areas/")
    shown = tiles(response)
    assert len(shown) == 43
    table = map_table(response)
    for name, (href, _, _, count) in shown.items():
        assert table[name] == (href, count), name


def test_practice_list_map_counts_these_results_and_narrows_to_an_area(client, seed):
    query = "approach=street-triage&status=operating"
    shown = tiles(client.get(f"/practice/?{query}"))
    results = Initiative.objects.published().of_approach(
        Approach.objects.filter(slug="street-triage")).filter(status="operating")
    expected = Counter(results.values_list("area__name", flat=True))
    assert {name: tile[3] for name, tile in shown.items() if tile[3]} == dict(expected)
    name, (href, *_) = next((n, t) for n, t in shown.items() if t[3])
    assert parse_qs(urlsplit(href).query)["approach"] == ["street-triage"]
    narrowed = client.get(f"/practice/{href}")
    assert set(card_slugs(narrowed)) == set(
        results.filter(area__name=name).values_list("slug", flat=True))


def test_with_an_area_chosen_the_map_still_shows_the_other_areas(client, seed):
    shown = tiles(client.get("/practice/?area=norfolk"))
    everywhere = Counter(Initiative.objects.published().values_list("area__name", flat=True))
    assert {name: tile[3] for name, tile in shown.items() if tile[3]} == dict(everywhere)
    assert "every filter except area" in client.get("/practice/?area=norfolk").text


def test_no_map_for_filters_that_are_not_valid(client, seed):
    response = client.get("/practice/?area=atlantis")
    assert not tiles(response)


def test_an_area_the_layout_does_not_place_is_listed_beside_the_map(client, make_initiative,
                                                                      make_area):
    make_initiative(area=make_area("New Force Area"))
    response = client.get("/areas/")
    assert 'Not on the map yet: <a class="govuk-link" href="/areas/new-force-area/">' \
           'New Force Area</a> (1)' in response.text
    assert "(not on the map)" in response.text
