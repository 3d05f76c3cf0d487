"""Each case study describes itself to machines as schema.org JSON-LD, matching its page."""

import json
import re
from html import unescape

from casestudies.models import Funder, Initiative


def json_ld(response):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.text,
                        re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_a_case_studys_json_ld_matches_what_its_page_says(client, seed):
    initiative = Initiative.objects.get(slug="cleveland-street-triage")
    response = client.get(initiative.get_absolute_url())
    data = json_ld(response)
    h1 = re.search(r'<h1 class="govuk-heading-xl">(.*?)</h1>', response.text).group(1)
    assert data["@type"] == "Article" and data["headline"] == unescape(h1)
    assert data["url"] == f"http://testserver{initiative.get_absolute_url()}"
    assert data["spatialCoverage"]["name"] == initiative.area.name
    assert data["spatialCoverage"]["identifier"] == initiative.area.ons_code
    listed = re.findall(r'<li><a class="govuk-link" href="([^"]+)">',
                        response.text.split(">Sources</h2>", 1)[1])
    assert [c["url"] for c in data["citation"]] == [unescape(u) for u in listed]
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
