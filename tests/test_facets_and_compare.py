"""Facet counts on the practice list, and the two comparison pages."""

import pytest
from django.urls import reverse

from casestudies.models import Partner

LIST = reverse("website:initiative-list")
GRID = reverse("website:compare-areas")
COMPARE = reverse("website:compare-practice")


@pytest.fixture
def library(make_area, make_theme, make_partner, make_initiative):
    norfolk = make_area("Norfolk", region="east-of-england")
    kent = make_area("Kent", region="south-east")
    make_area("Lancashire", region="north-west")
    leadership, earlier = make_theme("Leadership"), make_theme("Earlier")
    police = make_partner("Police", partner_type="police-force")
    make_initiative("Profile", area=norfolk, themes=[leadership], status="ended",
                    partners=[police])
    make_initiative("Board", area=norfolk, themes=[leadership, earlier], status="operating",
                    partners=[police])
    make_initiative("Cafe", area=kent, themes=[earlier], status="operating")
    make_initiative("Draft", area=kent, themes=[earlier], is_published=False)


def facets(response):
    groups = response.context["filter_groups"]  # built only when the panel is not cached
    return {group["name"]: {o["value"]: o["count"]
                            for o in [*group["options"], *group["empty"]]}
            for group in (groups() if callable(groups) else groups)}


def test_each_option_counts_the_results_it_would_give(client, library):
    counts = facets(client.get(LIST))
    assert counts["area"]["norfolk"] == 2 and counts["area"]["kent"] == 1
    assert counts["area"]["lancashire"] == 0
    assert counts["theme"] == {"leadership": 2, "earlier": 2}
    assert counts["status"]["operating"] == 2 and counts["status"]["planned"] == 0
    assert counts["region"]["east-of-england"] == 2
    assert counts["partner_type"]["police-force"] == 2


def test_counts_take_the_other_filters_into_account(client, library):
    counts = facets(client.get(LIST, {"area": "norfolk"}))
    # The area facet ignores the area filter itself, so other areas can still be added.
    assert counts["area"]["kent"] == 1 and counts["area"]["norfolk"] == 2
    assert counts["theme"] == {"leadership": 2, "earlier": 1}
    assert counts["status"] == {**counts["status"], "ended": 1, "operating": 1, "piloting": 0}
    counts = facets(client.get(LIST, {"theme": "earlier", "status": "operating"}))
    assert counts["area"]["norfolk"] == 1 and counts["area"]["kent"] == 1


def test_readiness_counts_ripe_practice_and_narrows_the_other_counts(client, library, make_area,
                                                                    make_ripe):
    surrey = make_area("Surrey")
    make_ripe("Ready", area=surrey, status="operating")
    assert facets(client.get(LIST))["ripe"] == {"yes": 1}
    assert facets(client.get(LIST, {"area": "norfolk"}))["ripe"] == {"yes": 0}
    counts = facets(client.get(LIST, {"ripe": "yes"}))
    assert counts["ripe"] == {"yes": 1}, "readiness ignores its own filter"
    assert counts["status"]["operating"] == 1 and counts["status"]["ended"] == 0
    assert counts["area"]["surrey"] == 1 and counts["area"]["norfolk"] == 0
    assert counts["theme"].get("leadership", 0) == 0 and sum(counts["theme"].values()) == 1


def test_options_with_no_results_are_behind_show_all_and_say_zero(client, library):
    """An option with no results is still there, behind "Show all", unless it is chosen."""
    html = client.get(LIST, {"area": "kent"}).text
    zero = '<span class="app-count">(0<span class="govuk-visually-hidden"> results'
    more = html.index("more with no results", html.index('id="filter-area"'))
    assert html.index(f"Lancashire {zero}") > more
    assert html.index("Kent <span") < more  # chosen and with results: in view
    assert '<details class="app-filter__group" open>\n  <summary class="app-filter__summary">' \
           'Area <span class="app-filter__chosen">(1 chosen)</span>' in html
    assert '<details class="app-filter__group">\n  <summary class="app-filter__summary">' \
           'Theme</summary>' in html  # nothing chosen: closed


def test_grid_counts_practice_by_area_and_theme_and_links_to_the_list(client, library):
    response = client.get(GRID)
    html = response.text
    assert f'href="{LIST}?area=norfolk&amp;theme=leadership">2<' in html
    assert f'href="{LIST}?area=kent&amp;theme=earlier">1<' in html
    regions = dict(response.context["regions"])
    assert [a.name for a in regions["East of England"]] == ["Norfolk"]
    assert "North West" not in regions, "areas without practice are hidden by default"
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html


def test_grid_can_show_areas_with_no_practice(client, library):
    response = client.get(GRID, {"empty": "show"})
    regions = dict(response.context["regions"])
    assert [a.name for a in regions["North West"]] == ["Lancashire"]


def test_grid_explains_a_bad_option(client, library):
    response = client.get(GRID, {"empty": "sideways"})
    assert response.status_code == 200
    assert "Select a valid choice. sideways is not one of the available choices." in response.text


def test_grid_query_count_is_fixed(client, library, make_initiative,
                                   django_assert_max_num_queries):
    for _ in range(20):
        make_initiative()
    with django_assert_max_num_queries(4):  # three, and reading the content version
        client.get(GRID, {"empty": "show"})


def test_compare_shows_case_studies_side_by_side_in_the_chosen_order(client, library):
    response = client.get(COMPARE, {"item": ["cafe", "profile"]})
    assert [c["initiative"].slug for c in response.context["columns"]] == ["cafe", "profile"]
    html = response.text
    for row in ("Area", "Status", "Year started", "Themes", "Partners", "Outcomes and evidence",
                "How to replicate", "Lead and contact", "Sources"):
        assert f'<th scope="row" class="govuk-table__header">{row}</th>' in html


def test_compare_rows_are_prepared_in_the_view_one_cell_a_case_study(client, library):
    """Each row has a label and a cell per column: text, or the partial that draws it."""
    rows = client.get(COMPARE, {"item": ["cafe", "profile"]}).context["rows"]
    cells = {row["label"]: row["cells"] for row in rows}
    assert all(len(row["cells"]) == 2 for row in rows)
    assert [cell["partial"] for cell in cells["Area"]] == ["link", "link"]
    assert [cell["text"] for cell in cells["Area"]] == ["Kent", "Norfolk"]
    assert [cell["value"] for cell in cells["Partners"]] == ["Not named", None]
    assert cells["Partners"][1]["names"] == ["Police"]
    assert [cell["value"] for cell in cells["Approach"]] == ["None", "None"]
    assert all(cell["partial"] == "status" and not cell["value"] for cell in cells["Status"])


@pytest.mark.parametrize("items, message", [
    (["cafe", "atlantis"], "There is no published case study at “atlantis”."),
    (["cafe"], "Choose at least two different case studies to compare."),
    (["cafe", "cafe"], "Choose at least two different case studies to compare."),
    (["cafe", "draft"], "There is no published case study at “draft”."),
])
def test_compare_explains_bad_choices(client, library, items, message):
    response = client.get(COMPARE, {"item": items})
    assert response.status_code == 200
    assert message in response.text
    assert "There is a problem with this comparison" in response.text


def test_compare_refuses_more_than_four(client, make_initiative):
    slugs = [make_initiative().slug for _ in range(10)]
    response = client.get(COMPARE, {"item": slugs})
    assert "Choose no more than four case studies to compare (you chose 10)." in response.text


def test_compare_with_nothing_chosen_explains_how(client, db):
    response = client.get(COMPARE)
    assert "tick “Add to shortlist” on two to four case studies" in response.text
    assert "There is a problem" not in response.text


def test_compare_can_be_started_from_the_list_and_a_case_study(client, library):
    """From the list through the shortlist (tests/test_shortlist.py), or from a case study."""
    html = client.get(LIST).text
    assert 'id="shortlist-form"' in html and 'form="shortlist-form"' in html
    detail = client.get(reverse("website:initiative-detail", args=["board"])).text
    assert f'action="{COMPARE}"' in detail
    assert 'type="hidden" name="item" value="board"' in detail


def test_a_column_can_be_removed_from_a_comparison_of_three(client, library):
    response = client.get(COMPARE, {"item": ["cafe", "profile", "board"]})
    removal = response.context["columns"][0]["remove_query"]
    assert removal == "item=profile&item=board"


def test_filter_sets_in_use_at_once_keep_their_own_values_and_errors(library):
    """One filter set's values, errors and filter methods never reach another."""
    from casestudies.filters import InitiativeFilter
    from casestudies.models import Initiative

    published = Initiative.objects.published()
    wrong = InitiativeFilter({"area": ["nowhere"], "status": "operating"}, queryset=published)
    kent = InitiativeFilter({"area": ["kent"]}, queryset=published)
    earlier = InitiativeFilter({"theme": ["earlier"], "status": ["operating"]},
                               queryset=published)
    everything = InitiativeFilter({}, queryset=published)

    assert not wrong.is_valid()
    assert "area" in wrong.errors
    assert kent.is_valid() and not kent.errors
    assert [i.title for i in kent.qs] == ["Cafe"]
    assert earlier.is_valid()
    assert sorted(i.title for i in earlier.qs) == ["Board", "Cafe"]
    assert everything.is_valid()
    assert sorted(i.title for i in everything.qs) == ["Board", "Cafe", "Profile"]



@pytest.mark.parametrize("filters", [
    {}, {"q": "triage"}, {"region": "south-east"}, {"approach": "street-triage"},
    {"pcc_role": "funded"}, {"pcc_role": "not-known", "status": "operating"},
])
def test_on_the_seed_each_option_counts_what_choosing_it_gives(client, seed, filters):
    """Areas, regions, main approaches, themes, partner types and "not known" roles are
    counted from the results' own read where that is the same set of entries: each count must
    still be what choosing it lists (an area with none is checked once a run, for speed)."""
    counts = facets(client.get(LIST, filters))
    checked = 0
    for name in ("approach", "pcc_role", "region", "area", "theme", "partner_type"):
        options = counts[name].items()
        if name == "area":
            empty = next((v, n) for v, n in options if not n)
            options = [*[(v, n) for v, n in options if n], empty]
        for value, count in options:
            shown = client.get(LIST, {**filters, name: value}).context["paginator"].count
            assert (name, value, count) == (name, value, shown)
            checked += bool(count)
    assert checked >= 3  # the seed gives these filters some results to count


def test_theme_and_partner_counts_follow_an_edit_of_the_theme_or_the_partner(
        client, make_initiative, make_theme):
    """Each entry keeps its themes and partner types on its row for these counts: renaming a
    theme's slug, changing a partner's type or deleting the partner shows in the counts at once."""
    theme = make_theme("Housing")
    nhs = Partner.objects.create(name="A trust", slug="a-trust", partner_type="nhs-provider")
    make_initiative(themes=[theme], partners=[nhs])
    make_initiative(themes=[theme])
    counts = facets(client.get(LIST))
    assert (counts["theme"]["housing"], counts["partner_type"]["nhs-provider"]) == (2, 1)
    theme.slug = "homes"
    theme.save()
    nhs.partner_type = "voluntary-sector"
    nhs.save()
    counts = facets(client.get(LIST))
    assert (counts["theme"].get("housing"), counts["theme"]["homes"]) == (None, 2)
    assert (counts["partner_type"]["nhs-provider"], counts["partner_type"]["voluntary-sector"]) \
        == (0, 1)
    nhs.delete()
    assert facets(client.get(LIST))["partner_type"]["voluntary-sector"] == 0
