"""The national picture: a chart for each way practice is described, each bar a link."""

import re
from collections import Counter

import pytest

from casestudies.models import Initiative, Status
from tests.pages import links, select, soup, text, text_of
from tests.test_map import tiles

TITLE = re.compile(r"(.+): (\d+) initiatives?")


def bars(response, selector=".app-chart__svg a"):
    """(link, label, count said to screen readers, count written by the bar) of each bar."""
    found = []
    for bar in select(response, selector):
        label, said = TITLE.fullmatch(text(bar.title)).groups()
        written = text(bar.select_one(".app-chart__count"))
        found.append((bar.get("href"), label, int(said), int(written)))
    return found


def results_count(response):
    """The number of results the list's heading gives."""
    heading = text_of(soup(response, {"id": "results-count"}), "#results-count")
    return int(re.match(r"(\d+) initiatives?", heading).group(1))


def test_every_bar_leads_to_the_initiatives_it_counts(client, seed):
    response = client.get("/picture/")
    shown = bars(response)
    assert len(shown) > 40
    for href, label, said, written in shown:
        assert said == written, label
        listed = client.get(href)
        assert listed.status_code == 200, href
        assert results_count(listed) == said, (label, href)


def test_status_and_year_counts_match_the_library(client, seed):
    shown = {label: count for _, label, count, _ in bars(client.get("/picture/"))}
    published = Initiative.objects.published()
    statuses = Counter(published.values_list("status", flat=True))
    for value, label in Status.choices:
        assert shown[label] == statuses.get(value, 0), label
    years = Counter(published.exclude(year_started=None).values_list("year_started", flat=True))
    for year, count in years.items():
        assert shown[str(year)] == count


def test_counts_without_a_filter_are_shown_but_not_linked(client, seed):
    response = client.get("/picture/")
    unknown = Initiative.objects.published().filter(year_started=None).count()
    plain = bars(response, ".app-chart__svg g")
    if unknown:
        assert (None, "Year not known", unknown, unknown) in plain
    assert all(href is None for href, *_ in plain)
    assert "Show “by year started” as a table" in response.text


def test_the_picture_has_the_map_and_a_place_in_the_menu(client, seed):
    response = client.get("/picture/")
    assert len(tiles(response)) == 43
    assert links(response, 'nav[aria-label="Menu"] [aria-current="page"]') == [
        ("National picture", "/picture/")]


def test_the_list_filters_by_year_started(client, seed):
    response = client.get("/practice/?started=2014")
    expected = Initiative.objects.published().filter(year_started=2014).count()
    assert results_count(response) == expected
    assert "Year started: 2014" in response.text  # as an active filter that can be removed


@pytest.mark.parametrize("year", ["abc", "2014.5", "1066", "99999999999999999999", "-1"])
def test_a_bad_year_gets_a_message_not_a_server_error(client, seed, year):
    response = client.get(f"/practice/?started={year}")
    assert response.status_code == 200
    assert "There is a problem with the filters" in response.text
    assert "Enter the year started as four figures" in response.text
