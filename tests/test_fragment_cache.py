"""Facet counts, the filter panel and result cards are kept in the cache per content version:
cheaper pages, never stale ones."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.pages import checkbox, text_of

LIST = reverse("website:initiative-list")


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured)


def count_shown(html, value, name="area"):
    """The count beside the option `value` of the filter `name`, as a reader sees it."""
    _, label = checkbox(html, name, value)
    return int(re.fullmatch(r".* \((\d+) results?\)", label).group(1))


def test_a_second_page_of_the_same_filters_reuses_the_counts(client, make_area,
                                                            make_initiative):
    kent = make_area("Kent")
    for n in range(25):
        make_initiative(f"Scheme {n}", area=kent)
    first, cold = queries(client, LIST + "?area=kent")
    second, warm = queries(client, LIST + "?area=kent&page=2")
    assert warm < cold, "facet counts and cards are not counted and rendered again"
    assert count_shown(second.text, "kent") == count_shown(first.text, "kent") == 25
    assert "Showing 21 to 25" in second.text


def test_cards_already_rendered_are_not_read_again_in_another_order(client, make_area,
                                                             make_initiative):
    kent = make_area("Kent")
    for n in range(3):
        make_initiative(f"Scheme {n}", area=kent)
    client.get(LIST + "?sort=newest")  # renders the same three cards in another order
    with CaptureQueriesContext(connection) as captured:
        html = client.get(LIST + "?sort=title").text
    assert all(f"Scheme {n}" in html for n in range(3))
    card_rows = [q["sql"] for q in captured if '"casestudies_initiative"."summary"' in q["sql"]]
    assert not card_rows, "cached cards need no initiative rows"


def test_an_edit_shows_at_once_in_counts_cards_and_panel(client, make_area, make_initiative):
    kent, norfolk = make_area("Kent"), make_area("Norfolk")
    initiative = make_initiative("Street triage", area=kent)
    page = client.get(LIST).text
    assert "Street triage" in page and count_shown(page, "kent") == 1
    initiative.title = "Street triage, renamed"
    initiative.area = norfolk
    initiative.save()
    page = client.get(LIST).text
    assert "Street triage, renamed" in page
    assert count_shown(page, "kent") == 0 and count_shown(page, "norfolk") == 1
    make_initiative("Another", area=norfolk)
    assert count_shown(client.get(LIST).text, "norfolk") == 2


def test_the_panel_shows_each_combination_of_filters_as_chosen(client, make_area,
                                                               make_initiative):
    make_initiative("Street triage", area=make_area("Kent"))
    assert checkbox(client.get(LIST + "?area=kent"), "area", "kent")[0]
    assert not checkbox(client.get(LIST), "area", "kent")[0]
    assert 'value="triage"' in client.get(LIST + "?q=triage").text
    assert 'value="street"' in client.get(LIST + "?q=street").text


def test_search_results_show_their_own_excerpts(client, make_initiative):
    scheme = make_initiative("Scheme", description="Officers and nurses answer calls together.")
    assert "<mark>nurses</mark>" in client.get(LIST + "?q=nurses").text
    assert "<mark>calls</mark>" in client.get(LIST + "?q=calls").text
    assert "<mark>nurses</mark>" in client.get(LIST + "?q=nurses&sort=title").text
    assert "<mark>" not in client.get(LIST).text
    scheme.description = "Officers and paramedics answer calls together."
    scheme.save()
    assert "paramedics answer <mark>calls</mark>" in client.get(LIST + "?q=calls").text


def test_the_fragment_cache_can_be_switched_off(client, settings, make_area, make_initiative):
    settings.FRAGMENT_CACHE_SECONDS = 0
    kent = make_area("Kent")
    make_initiative("Street triage", area=kent)
    client.get(LIST)
    with CaptureQueriesContext(connection) as captured:
        assert "Street triage" in client.get(LIST).text
    assert any("COUNT(" in query["sql"] for query in captured), "counted again"


@pytest.mark.parametrize("url", ["/", "/areas/kent/", "/themes/earlier/", "/compare/areas/"])
def test_summary_pages_show_new_practice_at_once(client, make_area, make_theme,
                                                 make_initiative, url):
    kent, earlier = make_area("Kent", is_featured=True), make_theme("Earlier", slug="earlier")
    make_initiative("Street triage", area=kent, themes=[earlier])
    before = client.get(url).text
    make_initiative("Crisis cafe", area=kent, themes=[earlier])
    after = client.get(url).text
    if url == "/compare/areas/":
        cell = 'a[href$="&theme=earlier"]'
        assert text_of(before, cell) == "1 in Kent under Earlier"
        assert text_of(after, cell) == "2 in Kent under Earlier"
    else:
        assert "Crisis cafe" not in before and "Crisis cafe" in after


def test_a_case_study_shows_an_edit_and_a_new_relation_at_once(client, make_initiative,
                                                                make_theme, make_partner):
    initiative = make_initiative("Street triage")
    url = initiative.get_absolute_url()
    assert "Street triage" in client.get(url).text
    initiative.outcomes = "Fewer people were detained."
    initiative.save()
    initiative.themes.add(make_theme("Brand new theme"))
    initiative.partners.add(make_partner("Brand new partner"))
    page = client.get(url).text
    assert "Fewer people were detained." in page
    assert "Brand new theme" in page and "Brand new partner" in page


def test_combinations_of_filters_that_share_cached_counts_each_count_right(
        client, make_area, make_initiative):
    kent, norfolk = make_area("Kent"), make_area("Norfolk")
    make_initiative("A", area=kent, status="operating")
    make_initiative("B", area=kent, status="operating")
    make_initiative("C", area=kent, status="ended")
    make_initiative("D", area=norfolk, status="operating")
    page = client.get(LIST + "?area=kent").text
    assert count_shown(page, "operating", "status") == 2
    assert count_shown(page, "ended", "status") == 1
    page = client.get(LIST + "?area=norfolk").text
    assert count_shown(page, "operating", "status") == 1
    assert count_shown(page, "ended", "status") == 0
    assert count_shown(page, "kent") == 3 and count_shown(page, "norfolk") == 1
    page = client.get(LIST + "?area=norfolk&status=ended").text
    assert count_shown(page, "kent") == 1 and count_shown(page, "norfolk") == 0
    assert "0 initiatives" in page


def test_filters_know_a_new_area_or_theme_at_once(client, make_area, make_theme,
                                                  make_initiative):
    make_initiative("Street triage", area=make_area("Kent"))
    assert "Street triage" in client.get(LIST + "?area=kent").text
    assert "not one of the available choices" in client.get(LIST + "?area=norfolk").text
    norfolk, theme = make_area("Norfolk"), make_theme("Housing first")
    make_initiative("Crisis cafe", area=norfolk, themes=[theme])
    html = client.get(LIST + f"?area=norfolk&theme={theme.slug}").text
    assert "not one of the available choices" not in html
    assert "Crisis cafe" in html and "Street triage" not in html


def test_a_new_area_added_by_another_worker_is_known_once_the_version_is_read(
    client, settings, make_area, make_initiative
):
    from casestudies.models import Area, Initiative
    from pcc_practice.cache.models import ContentVersion, new_token

    initiative = make_initiative("Street triage", area=make_area("Kent"))
    client.get(LIST + "?area=kent")
    # Another worker process adds an area: the database changes, this process's memory not.
    norfolk = Area.objects.bulk_create([Area(
        name="Norfolk", slug="norfolk", ons_code="E23000026", force="Norfolk Constabulary",
        region="east-of-england", office_type="pcc",
    )])[0]
    Initiative.objects.filter(pk=initiative.pk).update(area=norfolk)
    ContentVersion.objects.filter(pk=1).update(token=new_token())
    settings.CONTENT_VERSION_CHECK_SECONDS = 0
    html = client.get(LIST + "?area=norfolk").text
    assert "not one of the available choices" not in html
    assert "Street triage" in html


def test_a_page_of_results_seen_before_reads_no_card_again(client, make_area,
                                                           make_initiative):
    kent = make_area("Kent")
    for n in range(25):
        make_initiative(f"Scheme {n:02d}", area=kent)
    url = LIST + "?area=kent&sort=title&page=2"
    first = client.get(url).text
    with CaptureQueriesContext(connection) as captured:
        second = client.get(url).text
    # The page's ids are found again; its cards come from the cache.
    assert not [q for q in captured if '"casestudies_initiative"."summary"' in q["sql"]]
    assert second == first and "Scheme 24" in second and "Scheme 19" not in second
    make_initiative("Scheme 99", area=kent)
    assert "Scheme 99" in client.get(url).text


def test_a_case_study_shown_again_shows_an_edit_and_a_renamed_area_at_once(
        client, make_initiative):
    initiative = make_initiative("Street triage", summary="Nurses ride with officers.")
    url = initiative.get_absolute_url()
    assert client.get(url).text == client.get(url).text
    assert "Nurses ride with officers." in client.get(url).text

    initiative.summary = "Nurses and officers answer calls together."
    initiative.save()
    assert "Nurses and officers answer calls together." in client.get(url).text
    initiative.area.name = "Renamed area"
    initiative.area.save()
    assert "Renamed area" in client.get(url).text


def test_a_case_study_taken_off_the_site_goes_at_once(client, make_initiative):
    initiative = make_initiative("Street triage")
    url = initiative.get_absolute_url()
    assert client.get(url).status_code == 200
    initiative.state = "draft"
    initiative.save()
    assert client.get(url).status_code == 404
    initiative.state = "archived"
    initiative.save()
    assert client.get(url).status_code == 410
    assert client.get("/practice/" + "x" * 300 + "/").status_code == 404


def test_the_results_map_is_drawn_once_for_the_pages_of_one_search(client, make_area,
                                                                  make_initiative):
    """The map depends on the filters, the sort and the picks, not on the page: a second page
    reads no area for it, its links keep what they kept, and a new entry shows at once."""
    from tests.test_map import tiles

    kent = make_area("Kent")
    for n in range(25):
        make_initiative(f"Scheme {n:02d}", area=kent)
    first = client.get(LIST + "?sort=title")
    with CaptureQueriesContext(connection) as captured:
        second = client.get(LIST + "?sort=title&page=2")
    assert not [q for q in captured if 'FROM "casestudies_area"' in q["sql"]]
    assert tiles(second)["Kent"] == tiles(first)["Kent"]
    href, _, said, written = tiles(second)["Kent"]
    assert (said, written) == (25, 25) and "sort=title" in href and "page" not in href
    assert "sort=newest" in tiles(client.get(LIST + "?sort=newest&page=2"))["Kent"][0]
    make_initiative("Scheme 99", area=kent)
    assert tiles(client.get(LIST + "?sort=title&page=2"))["Kent"][2] == 26


def test_a_case_study_reuses_what_its_theme_and_approach_share_and_follows_edits(
        client, settings, make_theme, make_area, make_initiative):
    """Each theme's newest practice and each approach's first practice in every area are
    kept until content changes: a case study of the same theme and approach as one shown
    before reads neither again, and a new entry shows at once in both."""
    from django.core.cache import cache

    from casestudies.models import Approach

    settings.CONTENT_VERSION_CHECK_SECONDS = 3600  # no reading of the version in between
    theme = make_theme()
    approach = Approach.objects.create(slug="street-triage", name="Street triage",
                                       summary="Nurses with officers.")
    kent, essex, norfolk = make_area("Kent"), make_area("Essex"), make_area("Norfolk")
    first = make_initiative("Kent triage", themes=[theme], approach=approach, area=kent)
    second = make_initiative("Essex triage", themes=[theme], approach=approach, area=essex)
    response = client.get(first.get_absolute_url())
    assert [i.title for i in response.context["related"]] == ["Essex triage"]
    assert [i.title for i in response.context["elsewhere"]] == ["Essex triage"]
    response, warm = queries(client, second.get_absolute_url())
    assert [i.title for i in response.context["related"]] == ["Kent triage"]
    assert [i.title for i in response.context["elsewhere"]] == ["Kent triage"]
    cache.clear()
    _, cold = queries(client, second.get_absolute_url())
    assert cold - warm == 2  # the theme's newest and the approach's areas
    make_initiative("Norfolk triage", themes=[theme], approach=approach, area=norfolk)
    response = client.get(first.get_absolute_url())
    assert [i.title for i in response.context["related"]] == ["Essex triage", "Norfolk triage"]
    assert [i.title for i in response.context["elsewhere"]] == ["Essex triage",
                                                                "Norfolk triage"]
