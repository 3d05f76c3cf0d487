"""An area's next steps: what it has done, what areas like it tried that it has not, and what
is most ready to copy."""

import pytest

from casestudies.models import Approach, Area, Initiative
from tests.pages import links, one, select, texts_of
from website.myarea import neighbours


def next_steps(client, slug):
    response = client.get(f"/areas/{slug}/next-steps/")
    assert response.status_code == 200
    return response


def approach_rows(response):
    """{approach name: (tried in, best evidence, closest to ripe)} of the table."""
    table = select(response, "#not-here ~ div table")
    rows = {}
    for row in (table[0].select("tbody tr") if table else []):
        cells = [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        rows[cells[0]] = tuple(cells[1:])
    return rows


def approach_names(entries):
    """The approaches of `entries`: each one's main approach and those it also includes."""
    return {name for entry in entries.prefetch_related("also_approaches").select_related("approach")
            for name in [*(a.name for a in entry.also_approaches.all()),
                         *([entry.approach.name] if entry.approach else [])]}


def test_every_area_has_a_page_of_next_steps_that_leaves_out_what_it_records(client, seed):
    published = Initiative.objects.published()
    for area in Area.objects.all():
        response = next_steps(client, area.slug)
        assert one(response, "h1").get_text(strip=True) == f"What {area.name} could do next"
        recorded = approach_names(published.filter(area=area))
        shown = approach_rows(response)
        assert not recorded & set(shown), area.slug
        assert set(shown) == approach_names(published.exclude(area=area)) - recorded, area.slug


@pytest.fixture
def places(make_area):
    """Durham with neighbours Cleveland and Northumbria on the tile map; Kent far away in
    another region; North Yorkshire in Durham's region only if the map says it touches."""
    assert {"cleveland", "northumbria"} <= neighbours("durham")
    assert "kent" not in neighbours("durham")
    return {
        "durham": make_area("Durham", slug="durham", region="north-east"),
        "cleveland": make_area("Cleveland", slug="cleveland", region="north-east"),
        "kent": make_area("Kent", slug="kent", region="south-east"),
        "surrey": make_area("Surrey", slug="surrey", region="south-east"),
    }


def test_neighbours_come_first_then_the_region_and_the_most_ready_entry_is_named(
        client, places, make_initiative):
    triage = Approach.objects.create(name="Street triage", slug="street-triage", summary="S.")
    fund = Approach.objects.create(name="Mental health fund", slug="fund", summary="F.")
    make_initiative("Durham fund", area=places["durham"], approach=fund)
    make_initiative("Kent triage", area=places["kent"], approach=triage,
                    evidence_stage="evaluated", evidence_finding="promising")
    make_initiative("Cleveland triage", area=places["cleveland"], approach=triage,
                    evidence_stage="evaluated", evidence_finding="too-early",
                    cost_band="under-50k", contact_url="https://example.org/contact")
    make_initiative("Surrey fund", area=places["surrey"], approach=fund)

    response = next_steps(client, "durham")
    rows = approach_rows(response)
    assert list(rows) == ["Street triage"]  # the fund is recorded in Durham already
    tried_in, evidence, closest = rows["Street triage"]
    assert tried_in == "Cleveland (neighbour), Kent"
    assert evidence.startswith("Promising")
    assert closest.startswith("Cleveland triage")  # 3 checks met; Kent's 2
    assert texts_of(response, "main ul.govuk-list--bullet li")[0].startswith("Durham fund:")
    ready = texts_of(response, "main ol li")
    assert ready and ready[0].startswith("Cleveland triage")
    assert "Surrey fund" not in " ".join(ready)  # Durham records the fund already


def test_an_area_with_nothing_recorded_says_so_and_invites_a_suggestion(client, places):
    response = next_steps(client, "kent")
    assert "No practice from Kent is in the library yet." in response.text
    assert "/suggest/?area=kent" in [href for _, href in links(response)]
    chosen = select(client.get("/suggest/?area=kent"), "select[name=area] option[selected]")
    assert [option.get_text(strip=True) for option in chosen] == ["Kent"]
    assert not select(client.get("/suggest/?area=atlantis"),
                      "select[name=area] option[selected][value]:not([value=''])")


def test_the_home_chooser_leads_to_an_areas_next_steps(client, places):
    home = client.get("/")
    assert [o["value"] for o in select(home, "select#my-area option")][:2] == ["cleveland",
                                                                               "durham"]
    response = client.get("/areas/choose/", {"area": "kent"})
    assert response.status_code == 302 and response["Location"] == "/areas/kent/next-steps/"
    assert client.get("/areas/choose/").headers["Location"] == "/areas/"
    assert client.get("/areas/choose/", {"area": "atlantis"}).status_code == 404
    assert client.get("/areas/choose/", {"area": "kent\x00"}).status_code == 404
    assert client.get("/areas/atlantis/next-steps/").status_code == 404


def test_an_area_page_links_to_its_next_steps(client, places):
    assert "/areas/durham/next-steps/" in [href for _, href in links(client.get("/areas/durham/"))]
