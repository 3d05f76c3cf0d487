"""Every public page runs a fixed number of queries, whatever the amount of content."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGES = [
    "/", "/practice/", "/practice/?area=kent&theme=t&q=scheme&status=operating",
    "/practice/?page=2", "/practice/scheme-0/", "/areas/", "/areas/kent/", "/themes/",
    "/themes/t/", "/compare/areas/", "/compare/practice/?item=scheme-0&item=scheme-1",
    "/practice/export.csv", "/practice/export.json", "/practice/export.xlsx",
    "/feeds/practice/", "/about/evidence/",
    "/sitemap-practice.xml", "/approaches/", "/approaches/street-triage/",
    "/practice/?approach=street-triage&pcc_role=funded&pcc_role=not-known&cost_band=not-known"
    "&design=1&ripe=yes&sort=ready",
    "/practice/?sort=ready&page=2", "/picture/", "/practice/?started=2020",
    "/practice/?pick=scheme-0&pick=scheme-30", "/shortlist/?pick=scheme-0&pick=scheme-1",
    "/practice/scheme-0/board-pack/", "/data/", "/practice/export.csv-metadata.json",
    "/shortlist/board-pack/?pick=scheme-0&pick=scheme-1",
]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured)


def cold_queries(client, url):
    """Queries for `url` as no cache has seen it."""
    from django.core.cache import caches

    from pcc_practice.cache.version import forget_version

    for cache in caches.all():
        cache.clear()
    forget_version()
    return queries(client, url)


def test_query_count_does_not_grow_with_content(client, make_area, make_theme, make_partner,
                                                make_source, make_initiative):
    """Every page of PAGES, cold, with 25 and then 60 case studies (one library built once
    for all of them, as building it per page took most of this module's time)."""
    from casestudies.models import Approach, CommissionerRole, Evaluation, Funder, Initiative

    kent, theme = make_area("Kent"), make_theme("T", slug="t")
    partner, source = make_partner(), make_source()
    triage = Approach.objects.create(name="Street triage", slug="street-triage", summary="S.")

    def add(n):
        initiative = make_initiative(f"Scheme {n}", area=kent, themes=[theme],
                                     partners=[partner], sources=[source], status="operating",
                                     approach=triage)
        CommissionerRole.objects.create(initiative=initiative, role="funded")
        Evaluation.objects.create(initiative=initiative, title="E", evaluator="X", year=2020,
                                  design=1, kind="impact", findings="F", url="https://example.org/e")
        # The first case study gains a funder each time: its page reads them all at once.
        Funder.objects.create(initiative=Initiative.objects.get(slug="scheme-0"),
                              partner=make_partner(), role="co-funder")

    for n in range(25):  # a second page of the list
        add(n)
    few = {url: cold_queries(client, url) for url in PAGES}
    for n in range(25, 60):
        add(n)
    more = {url: cold_queries(client, url) for url in PAGES}
    assert {url: (few[url], more[url]) for url in PAGES if more[url] != few[url]} == {}


def test_a_new_combination_of_filters_lists_every_option(
        client, make_area, make_theme, make_initiative):
    """The filter panel of a combination of filters not seen before lists every area and
    theme, chosen or not."""
    kent, theme = make_area("Kent"), make_theme("Triage", slug="triage")
    make_area("Essex")
    make_initiative("Scheme", area=kent, themes=[theme], status="operating")
    client.get("/practice/")  # reads each list once

    response = client.get("/practice/?area=kent&status=operating")

    page = response.content.decode()
    for value, label in [("kent", "Kent"), ("essex", "Essex"), ("triage", "Triage")]:
        assert f'value="{value}"' in page
        assert label in page
    assert 'value="kent" checked' in page and 'value="essex" checked' not in page
