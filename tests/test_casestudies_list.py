"""The practice list: every filter alone and combined, sorting, paging and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casestudies.models import Initiative
from tests.pages import card_headings, card_titles

LIST = reverse("website:initiative-list")


def titles(response):
    return card_titles(response)


@pytest.fixture
def library(make_area, make_theme, make_partner, make_initiative):
    """Four initiatives across three areas, two themes and two partner types."""
    norfolk = make_area("Norfolk", region="east-of-england")
    kent = make_area("Kent", region="south-east")
    cleveland = make_area("Cleveland", region="north-east")
    leadership = make_theme("Leadership")
    earlier = make_theme("Earlier")
    police = make_partner("Norfolk Police", partner_type="police-force")
    nhs = make_partner("A Trust", partner_type="nhs-provider")
    make_initiative("Health profile", area=norfolk, themes=[leadership], status="ended",
                    year_started=2014, partners=[nhs])
    make_initiative("Board group", area=norfolk, themes=[leadership, earlier],
                    status="operating", year_started=2015, partners=[police, nhs])
    make_initiative("Crisis cafe", area=kent, themes=[earlier], status="operating",
                    year_started=2016, summary="A cafe for people in crisis.")
    make_initiative("Street triage", area=cleveland, themes=[earlier], status="piloting",
                    year_started=2012, partners=[police],
                    description="Nurses and officers attend together.")
    make_initiative("Hidden draft", area=kent, themes=[earlier], is_published=False)


def test_list_shows_published_practice_newest_first(client, library):
    response = client.get(LIST)
    assert titles(response) == ["Crisis cafe", "Board group", "Health profile", "Street triage"]
    assert "4 initiatives" in response.text
    assert "Hidden draft" not in response.text


@pytest.mark.parametrize("query, expected", [
    ({"area": "norfolk"}, {"Health profile", "Board group"}),
    ({"theme": "leadership"}, {"Health profile", "Board group"}),
    ({"status": "operating"}, {"Board group", "Crisis cafe"}),
    ({"region": "north-east"}, {"Street triage"}),
    ({"partner_type": "police-force"}, {"Board group", "Street triage"}),
    ({"q": "cafe"}, {"Crisis cafe"}),
    ({"q": "NURSES officers"}, {"Street triage"}),
    ({"q": "nurses cafe"}, set()),
])
def test_each_filter_alone(client, library, query, expected):
    assert set(titles(client.get(LIST, query))) == expected


def test_a_repeated_filter_widens(client, library):
    response = client.get(LIST, {"area": ["norfolk", "kent"]})
    assert set(titles(response)) == {"Health profile", "Board group", "Crisis cafe"}


def test_a_repeated_many_to_many_filter_lists_each_initiative_once(client, library):
    response = client.get(LIST, {"theme": ["leadership", "earlier"]})
    assert sorted(titles(response)) == [
        "Board group", "Crisis cafe", "Health profile", "Street triage",
    ]
    response = client.get(LIST, {"partner_type": ["police-force", "nhs-provider"]})
    assert sorted(titles(response)) == ["Board group", "Health profile", "Street triage"]


def test_different_filters_narrow(client, library):
    response = client.get(LIST, {"area": ["norfolk", "kent"], "theme": "earlier",
                                 "status": "operating"})
    assert set(titles(response)) == {"Board group", "Crisis cafe"}
    response = client.get(LIST, {"region": "east-of-england", "partner_type": "police-force",
                                 "q": "board"})
    assert titles(response) == ["Board group"]


@pytest.mark.parametrize("sort, expected", [
    ("title", ["Board group", "Crisis cafe", "Health profile", "Street triage"]),
    ("newest", ["Crisis cafe", "Board group", "Health profile", "Street triage"]),
    ("area", ["Street triage", "Crisis cafe", "Board group", "Health profile"]),
])
def test_sorting(client, library, sort, expected):
    response = client.get(LIST, {"sort": sort})
    assert titles(response) == expected
    assert f'<option value="{sort}" selected>' in response.text


def test_active_filters_each_link_to_the_list_without_them(client, library):
    response = client.get(LIST, {"area": ["norfolk", "kent"], "theme": "earlier"})
    chips = {chip["label"]: chip["remove_query"] for chip in response.context["active_filters"]}
    assert set(chips) == {"Norfolk", "Kent", "Earlier"}
    assert "Area: Norfolk" in response.text
    without_norfolk = client.get(f"{LIST}?{chips['Norfolk']}")
    assert set(titles(without_norfolk)) == {"Crisis cafe"}
    assert {c["label"] for c in without_norfolk.context["active_filters"]} == {"Kent", "Earlier"}


def test_clear_filters_links_to_the_bare_list(client, library):
    response = client.get(LIST, {"area": "kent"})
    assert f'href="{LIST}">Clear filters</a>' in response.text


def test_filters_are_kept_through_pagination(client, make_area, make_initiative):
    norfolk = make_area("Norfolk")
    other = make_area("Other")
    for n in range(25):
        make_initiative(f"Norfolk {n:02}", area=norfolk)
        make_initiative(f"Other {n:02}", area=other)
    first = client.get(LIST, {"area": "norfolk", "sort": "title"})
    assert len(titles(first)) == 20
    assert "Showing 1 to 20" in first.text
    assert 'href="?area=norfolk&amp;sort=title&amp;page=2"' in first.text
    second = client.get(LIST, {"area": "norfolk", "sort": "title", "page": 2})
    assert titles(second) == [f"Norfolk {n:02}" for n in range(20, 25)]
    assert "25 initiatives" in second.text


def test_checked_boxes_show_the_active_filters(client, library):
    response = client.get(LIST, {"area": "kent"})
    assert 'value="kent" checked' in response.text
    assert 'value="norfolk" checked' not in response.text


def count_queries(client, query=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, query or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", [{}, {"area": ["norfolk", "kent"], "theme": "t", "q": "x"}])
def test_list_query_count_does_not_grow_with_results(client, make_area, make_theme,
                                                     make_initiative, query):
    areas = [make_area("Norfolk"), make_area("Kent")]
    theme = make_theme("T", slug="t")
    make_initiative("x 0", area=areas[0], themes=[theme])
    one = count_queries(client, query)
    for n in range(1, 25):
        make_initiative(f"x {n}", area=areas[n % 2], themes=[theme])
    assert count_queries(client, query) == one
    # the page's ids and cards; area, theme and approach options; one read of the results'
    # narrow columns for the facets not filtered on, and a grouped query for each that is
    # (here the area, which also counts regions); one aggregate query each for themes, the
    # commissioner's role (and "not known") and partner types, and two for approaches
    assert one <= 21


@pytest.mark.parametrize("filters", [{}, {"status": "operating"}, {"area": ["kent", "devon"]},
                                     {"q": "triage"}])
def test_the_area_order_pages_through_every_result_once(client, make_area, make_initiative,
                                                        filters):
    """Pages in the "area A to Z" order are found from the areas' counts: each page must hold
    exactly the results that sorting everything would put there."""
    areas = [make_area(name) for name in ("Kent", "Avon", "Devon", "Cumbria", "Essex")]
    for area, count in zip(areas, (7, 0, 25, 3, 12), strict=True):
        for n in range(count):
            make_initiative(f"{area.name} triage {n:02d}" if n % 3 else f"{area.name} {n:02d}",
                            area=area, status="operating" if n % 2 else "piloting")
    expected = Initiative.objects.published().order_by("area__name", "title", "pk")
    if "status" in filters:
        expected = expected.filter(status=filters["status"])
    if "area" in filters:
        expected = expected.filter(area__slug__in=filters["area"])
    if "q" in filters:
        expected = expected.filter(title__icontains=filters["q"])
    expected = list(expected.values_list("title", flat=True))
    shown, page = [], 1
    while True:
        response = client.get(reverse("website:initiative-list"),
                              {**filters, "sort": "area", "page": page})
        assert response.status_code == 200
        shown += card_titles(response)
        if not response.context["page_obj"].has_next():
            break
        page += 1
    assert shown == expected


def test_card_titles_carry_the_area_unless_the_title_names_it(client, make_area,
                                                              make_initiative):
    cleveland, essex = make_area("Cleveland"), make_area("Essex")
    make_initiative("Street triage", area=cleveland)
    make_initiative("Essex triage car", area=essex)
    assert sorted(card_headings(client.get("/practice/"))) == [
        "Essex triage car", "Street triage, Cleveland"]


def test_the_default_evidence_labels_are_said_once_a_list_not_on_each_card(
        client, make_initiative):
    make_initiative("Untested", evidence_stage="none", evidence_finding="too-early")
    make_initiative("Tested", evidence_stage="monitored", evidence_finding="promising")
    html = client.get("/practice/").text
    assert html.count("Evidence: no evaluation yet") == 0
    assert html.count("Evidence: monitored locally") == 1
    assert html.count("A card without evidence labels has <strong>no evaluation yet</strong>") == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's")
@pytest.mark.parametrize("sort", ["newest", "reviewed", "title", "area"])
def test_a_page_deep_in_any_sort_reads_an_index_in_order(db, sort):
    """Without an index in the sort's order, a page deep in the list sorts every published
    entry (13 to 36 ms a page at 10,000 for "area" and "reviewed" before migration 0037)."""
    from casestudies.filters import SORT_ORDERS

    queryset = (Initiative.objects.published().order_by(*SORT_ORDERS[sort])
                .values_list("pk", flat=True)[4000:4020])
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_sort = off")
        try:
            plan = queryset.explain()
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_sort")
    # A whole sort shows as "Sort"; reading an index in order needs none, or sorts only
    # within each area ("Incremental Sort", ordered by the area's name already).
    assert not [line for line in plan.splitlines() if line.strip(" ->").startswith("Sort  (")], plan
