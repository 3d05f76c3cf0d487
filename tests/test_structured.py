"""Each case study describes itself to machines as schema.org JSON-LD, matching its page."""

from casestudies.models import Funder, Initiative
from tests import pages


def json_ld(response):
    [data] = pages.json_ld(response)
    return data


def sources_listed(response):
    """(title, address) of each linked source in the list under the "Sources" heading."""
    heading = next(h for h in pages.select(response, "h2") if pages.text(h) == "Sources")
    return pages.links(heading.find_next_sibling("ol"), "li > a")


def test_a_case_studys_json_ld_matches_what_its_page_says(client, seed):
    initiative = Initiative.objects.get(slug="cleveland-street-triage")
    response = client.get(initiative.get_absolute_url())
    data = json_ld(response)
    assert data["@type"] == "Article" and data["headline"] == pages.text_of(response, "h1")
    assert data["url"] == f"http://testserver{initiative.get_absolute_url()}"
    assert data["spatialCoverage"]["name"] == initiative.area.name
    assert data["spatialCoverage"]["identifier"] == initiative.area.ons_code
    listed = sources_listed(response)
    assert listed and [c["url"] for c in data["citation"]] == [href for _, href in listed]
    funders = set(Funder.objects.filter(initiative=initiative, role__in=["funder", "co-funder"])
                  .values_list("partner__name", flat=True))
    assert {f["name"] for f in data["funder"]} == funders
    assert data["dateModified"].startswith(initiative.updated.date().isoformat())
    assert "open-government-licence" in data["license"]


def test_json_ld_cannot_be_broken_out_of(client, make_initiative):
    initiative = make_initiative("</script><script>alert(1)</script>", slug="hostile",
                                 summary="A & B < C")
    response = client.get(initiative.get_absolute_url())
    assert json_ld(response)["headline"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in response.text
