"""Every public page, as a commissioner sees it."""


import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from casestudies.models import Area, Initiative
from tests.pages import card_headings, card_titles, links, one, select, texts_of
from tests.pages import text as text_shown


@pytest.mark.parametrize("url", [
    "/", "/practice/", "/areas/", "/themes/",
    "/practice/cleveland-street-triage/", "/areas/norfolk/", "/themes/intervening-earlier/",
])
def test_every_page_renders_with_one_h1_and_the_site_layout(client, seed, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.text
    assert html.count("<h1") == 1
    assert '<html lang="en-GB"' in html
    assert 'href="#main-content"' in html and 'id="main-content"' in html
    assert " - PCC Practice</title>" in html
    assert "GOV.UK" not in html


def test_home_introduces_the_library(client, seed):
    response = client.get("/")
    html = response.text
    for theme in ("Providing strategic leadership and coordination",
                  "Intervening earlier to prevent crisis", "Understanding local need"):
        assert theme in html
    for area in ("Greater Manchester", "Norfolk", "Staffordshire"):
        assert f"{area}</a>" in html
    assert f"holds {Initiative.objects.published().count()} case studies" in html


def test_home_quotes_the_briefings_statistics_with_their_caveats(client, seed):
    html = client.get("/").text
    assert "One in four people experience a mental health problem in their lifetime" in html
    assert "disputed" in html
    assert "no original source for the range has been found" in html
    assert "72% has not been found" in html


def test_case_study_shows_everything_a_commissioner_needs(client, seed):
    slug = "staffordshire-no-custody-protocol-and-community-triage"
    initiative = Initiative.objects.get(slug=slug)
    response = client.get(initiative.get_absolute_url())
    html = response.text
    assert f"<title>{initiative.title} in Staffordshire - PCC Practice</title>" in html
    assert "168 in 2012 to 69 in 2014" in html
    assert 'href="/practice/?area=staffordshire"' in html
    assert 'href="/practice/?theme=intervening-earlier"' in html
    for source in initiative.sources.all():
        assert f'href="{source.url}"' in html
    assert "How to replicate" in html and "What must be in place first" in html
    assert "Information last checked" in html
    assert "Related practice" in html


def test_case_study_links_related_practice_sharing_a_theme(client, make_theme, make_initiative):
    shared, other = make_theme(), make_theme()
    initiative = make_initiative("Street triage", themes=[shared])
    make_initiative("Control room triage", themes=[shared, other])
    make_initiative("Round table", themes=[other])
    response = client.get(initiative.get_absolute_url())
    assert [i.title for i in response.context["related"]] == ["Control room triage"]


def test_related_practice_puts_most_shared_themes_first_then_title(
    client, make_theme, make_initiative
):
    first, second = make_theme(), make_theme()
    initiative = make_initiative("Street triage", themes=[first, second])
    make_initiative("Zonal hub", themes=[first, second])
    make_initiative("advice line", themes=[second])  # A to Z whatever the case
    make_initiative("Bail support", themes=[first])
    make_initiative("Secret plan", themes=[first, second], is_published=False)
    response = client.get(initiative.get_absolute_url())
    assert [i.title for i in response.context["related"]] == [
        "Zonal hub", "advice line", "Bail support"
    ]
    assert "Secret plan" not in response.text


def test_related_practice_ranks_only_the_newest_candidates(
    client, monkeypatch, make_theme, make_initiative
):
    """The candidates are a bounded number of the newest sharing a theme, so that a case
    study costs the same however large the library grows."""
    monkeypatch.setattr("website.related.CANDIDATES", 2)
    first, second = make_theme(), make_theme()
    initiative = make_initiative("Street triage", themes=[first, second])
    make_initiative("Oldest sharing both", themes=[first, second])
    make_initiative("Newer", themes=[first])
    make_initiative("Newest", themes=[second])
    response = client.get(initiative.get_absolute_url())
    assert [i.title for i in response.context["related"]] == ["Newer", "Newest"]
    assert "Oldest sharing both" not in response.text


def test_empty_replication_notes_are_not_shown_as_blank_headings(client, make_initiative):
    initiative = make_initiative(replication_partners="The local NHS trust.")
    html = client.get(initiative.get_absolute_url()).text
    assert "Partners to bring in" in html
    assert "What must be in place first" not in html
    assert "First steps" not in html


def test_drafts_are_not_public(client, make_initiative):
    draft = make_initiative("Secret plan", is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Secret plan" not in client.get(reverse("website:initiative-list")).text
    assert "Secret plan" not in client.get(draft.area.get_absolute_url()).text


def test_editors_can_preview_a_draft(editor_client, make_initiative):
    draft = make_initiative("Secret plan", is_published=False)
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft preview" in response.text


def test_areas_are_grouped_by_region_with_their_counts(client, seed):
    response = client.get("/areas/")
    regions = {}  # each region's heading, and the list that follows it
    for heading in select(response, "main h2"):
        following = heading.find_next_sibling(["h2", "ul"])
        if following is not None and following.name == "ul":
            regions[text_shown(heading)] = following
    assert len(regions) >= 10
    assert ("Gwent", "/areas/gwent/") in links(regions["Wales"])
    manchester = Initiative.objects.published().filter(area__slug="greater-manchester").count()
    assert f"Greater Manchester ({manchester} case studies)" in texts_of(regions["North West"],
                                                                          "li")


def test_area_page_shows_its_office(client, seed):
    html = client.get("/areas/staffordshire/").text
    assert "Staffordshire Police" in html
    assert "Police, fire and crime commissioner (PFCC)" in html
    assert 'href="https://staffordshire-pfcc.gov.uk"' in html


def test_area_without_a_verified_website_says_so(client, seed):
    assert "No address confirmed" in client.get("/areas/south-yorkshire/").text
    lancashire = client.get("/areas/lancashire/").text
    assert "https://www.lancashire-pcc.gov.uk" in lancashire
    assert "(found there on 7 December 2026)" in lancashire
    for area in Area.objects.all():
        assert "Not yet checked" not in client.get(area.get_absolute_url()).text


def test_theme_page_lists_practice_across_areas(client, seed):
    response = client.get("/themes/understanding-local-need/")
    titles = set(card_titles(response))
    assert titles == set(
        Initiative.objects.published().filter(themes__slug="understanding-local-need")
        .values_list("title", flat=True)
    )
    # Each card names its area: in the title, or after it.
    areas = {heading.rsplit(", ", 1)[-1] for heading in card_headings(response)
             if ", " in heading}
    assert {"Norfolk", "Staffordshire"} <= areas | {
        name for name in ("Norfolk", "Staffordshire") if name in " ".join(titles)}


@pytest.mark.parametrize("url", ["/", "/practice/", "/practice/?q=triage", "/areas/a-b/",
                                 "/themes/t-b/"])
def test_cards_show_what_editors_typed_as_text_not_markup(
    client, make_area, make_theme, make_initiative, url
):
    """Every value a result card shows is text, never markup, on every page that lists
    cards."""
    typed = {"title": '<i>Street</i> & "triage"', "summary": "<script>alert(1)</script>",
             "area": "A <b>B</b>", "theme": "T <b>B</b>"}
    make_initiative(
        typed["title"], slug="street-triage", summary=typed["summary"],
        description="<img src=x onerror=alert(1)> triage", year_started=2014,
        area=make_area(typed["area"], slug="a-b"), themes=[make_theme(typed["theme"], slug="t-b")],
    )
    html = client.get(url).text
    for text in typed.values():
        assert escape(text) in html
        assert text not in html
    assert "<img" not in html
    assert "<dt>Started:</dt> <dd>2014</dd>" in html


def test_themes_page_lists_each_theme_with_its_count(client, seed):
    html = client.get("/themes/").text
    assert escape("Reducing repeat demand through pathways into holistic, tailored support") in html


@pytest.mark.parametrize("url", [
    "/practice/no-such-thing/", "/areas/atlantis/", "/themes/nothing/", "/nowhere/",
])
def test_unknown_addresses_get_the_sites_404_page(client, seed, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "PCC Practice</a>" in response.text


@override_settings(DEBUG=False)
def test_server_errors_get_the_sites_500_page(client, monkeypatch):
    from website import views

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.HomeView, "get_context_data", explode)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "boom" not in response.text


@pytest.mark.parametrize("url, current", [
    ("/practice/", "Find practice"), ("/areas/", "Areas"), ("/themes/", "Themes"),
    ("/compare/areas/", "Compare"), ("/", None), ("/practice/", "Find practice"),
])
def test_the_menu_marks_the_page_being_read(client, seed, url, current):
    """The header is rendered once for each page it can mark, and each page gets its own."""
    menu = one(client.get(url), 'nav[aria-label="Menu"]')
    assert texts_of(menu, '[aria-current="page"]') == ([current] if current else [])
