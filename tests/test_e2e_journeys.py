"""What a commissioner does in a real browser: filter, page, search, read, browse."""

import re

import pytest
from playwright.sync_api import expect

from casestudies.models import Initiative

pytestmark = pytest.mark.e2e


def published():
    return Initiative.objects.published()


def results_heading(page):
    return page.locator("#results-count")


def apply_filters(page):
    page.get_by_role("button", name="Apply filters").click()


def open_group(page, label):
    """Opens a closed group of the filter panel, as a reader clicks its heading."""
    group = page.locator("details.app-filter__group", has=page.locator(
        ".app-filter__summary", has_text=re.compile("^" + re.escape(label))))
    if group.get_attribute("open") is None:
        group.locator(".app-filter__summary").click()


def filtering_journey(page, site):
    """Filter by area, then theme; remove the area; clear everything."""
    page.goto(f"{site}/practice/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find practice")
    expect(results_heading(page)).to_contain_text(f"{published().count()} initiatives")

    open_group(page, "Area")
    page.get_by_role("checkbox", name=re.compile(r"^Greater Manchester \(")).check()
    apply_filters(page)
    gm = published().filter(area__slug="greater-manchester")
    expect(results_heading(page)).to_contain_text(f"{gm.count()} initiatives")
    expect(page.get_by_role("link", name=re.compile(r"^Area: Greater Manchester"))).to_be_visible()

    theme = "Reducing repeat demand through pathways into holistic, tailored support"
    open_group(page, "Theme")
    page.get_by_role("checkbox", name=re.compile("^" + re.escape(theme))).check()
    apply_filters(page)
    both = gm.filter(themes__slug="reducing-repeat-demand")
    expect(results_heading(page)).to_contain_text(f"{both.count()} initiative")
    for initiative in both:
        link = page.get_by_role("link", name=re.compile(re.escape(initiative.title)))
        expect(link).to_be_visible()
    assert "area=greater-manchester" in page.url and "theme=reducing-repeat-demand" in page.url

    page.get_by_role("link", name=re.compile(r"^Area: Greater Manchester")).click()
    theme_only = published().filter(themes__slug="reducing-repeat-demand")
    expect(results_heading(page)).to_contain_text(f"{theme_only.count()} initiative")
    assert "area=" not in page.url
    expect(page.get_by_role("checkbox", name=re.compile("^" + re.escape(theme)))).to_be_checked()

    page.get_by_role("link", name="Clear filters").first.click()
    expect(results_heading(page)).to_contain_text(f"{published().count()} initiatives")
    assert page.url.endswith("/practice/")


def test_filter_by_area_then_theme_remove_one_and_clear(site, page):
    filtering_journey(page, site)


def test_on_a_phone_the_first_result_shows_and_the_filters_are_one_tap_away(site, page):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{site}/practice/")
    first = page.locator("[data-card]").first
    assert first.bounding_box()["y"] < 812, "the first result is on the first screen"
    expect(page.get_by_role("button", name="Apply filters")).to_be_hidden()
    page.locator(".app-filter-toggle__summary").click()
    open_group(page, "Status")
    page.get_by_role("checkbox", name=re.compile(r"^Operating \(")).check()
    apply_filters(page)
    operating = published().filter(status="operating").count()
    expect(results_heading(page)).to_contain_text(f"{operating} initiative")
    expect(page.locator(".app-filter-toggle__summary")).to_have_text("Show filters (1 chosen)")


def test_on_a_wide_screen_the_panel_is_open_with_its_apply_button_in_view(site, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{site}/practice/")
    expect(page.locator(".app-filter-toggle__summary")).to_be_hidden()
    apply = page.get_by_role("button", name="Apply filters")
    expect(apply).to_be_in_viewport()
    open_group(page, "Area")  # the longest group: the button stays at the foot of the screen
    expect(apply).to_be_in_viewport()


def test_options_with_no_results_are_reachable_behind_show_all(site, page):
    page.goto(f"{site}/practice/?area=norfolk&status=ended")
    open_group(page, "Area")
    lancashire = page.get_by_role("checkbox", name=re.compile(r"^Lancashire \(0"))
    expect(lancashire).to_be_hidden()
    page.locator("#filter-area .app-filter__more-summary").click()
    lancashire.check()
    apply_filters(page)
    assert "area=lancashire" in page.url


def test_the_same_journey_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        filtering_journey(context.new_page(), site)
    finally:
        context.close()


def test_paging_keeps_the_filters_and_order(site, page):
    page.goto(f"{site}/practice/?status=operating&status=piloting&sort=title")
    matching = published().filter(status__in=["operating", "piloting"]).order_by("title", "pk")
    total = matching.count()
    assert total > 20, "the seed needs more than one page of this practice"
    page.get_by_role("link", name="Next page").click()
    assert "status=operating&status=piloting" in page.url
    assert "sort=title" in page.url and "page=2" in page.url
    expect(results_heading(page)).to_contain_text(f"{total} initiatives")
    expect(results_heading(page)).to_contain_text(f"Showing 21 to {min(total, 40)}")
    expect(page.get_by_label("Sort by")).to_have_value("title")
    expect(page.get_by_role("checkbox", name=re.compile("^Piloting"))).to_be_checked()
    expect(page.locator(".app-result h3").first).to_contain_text(matching[20].title)
    page.get_by_role("link", name="Previous page").click()
    expect(results_heading(page)).to_contain_text("Showing 1 to 20")


def test_search_finds_every_matching_case_study(site, page):
    page.goto(f"{site}/practice/")
    page.get_by_label("Search", exact=True).fill("triage")
    apply_filters(page)
    matches = published().search("triage")
    expect(results_heading(page)).to_contain_text(f"{matches.count()} initiatives")
    expect(page.get_by_role("link", name=re.compile(r"^Search: triage"))).to_be_visible()
    expect(page.get_by_label("Search", exact=True)).to_have_value("triage")


def test_no_results_say_so_and_offer_a_way_out(site, page):
    page.goto(f"{site}/practice/?q=zzzzqqq")
    expect(results_heading(page)).to_contain_text("0 initiatives")
    expect(page.get_by_text("No practice matches all of these filters")).to_be_visible()


def test_case_study_theme_link_leads_back_to_a_filtered_list(site, page):
    initiative = published().get(slug="cleveland-street-triage")
    page.goto(f"{site}/practice/?area=cleveland")
    page.get_by_role("link", name=re.compile(r"^Street triage, Cleveland")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(initiative.title)
    expect(page).to_have_title("Street triage in Cleveland - PCC Practice")
    page.get_by_role("link", name=re.compile("^Intervening earlier to prevent crisis")).click()
    count = published().filter(themes__slug="intervening-earlier").count()
    expect(results_heading(page)).to_contain_text(f"{count} initiatives")
    theme = page.get_by_role("checkbox", name=re.compile("^Intervening earlier to prevent crisis"))
    expect(theme).to_be_checked()


def test_browse_areas_by_region(site, page):
    page.goto(f"{site}/areas/")
    expect(page.get_by_role("heading", name="East of England", level=2)).to_be_visible()
    page.get_by_role("link", name="Norfolk", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Norfolk")
    norfolk = published().filter(area__slug="norfolk")
    expect(page.locator("[data-card]")).to_have_count(norfolk.count())


def test_the_map_is_used_with_the_keyboard(site, page):
    page.goto(f"{site}/")
    tiles = page.locator(".app-map__tile")
    expect(tiles).to_have_count(43)
    # The first tile is reached by Tab from the link before the map, the next by Tab again.
    page.locator('main a[href="/themes/understanding-local-need/"]').focus()
    page.keyboard.press("Tab")
    first = page.locator(".app-map__tile:focus")
    expect(first).to_have_accessible_name(re.compile(r"^Northumbria: \d+ case stud"))
    fill = first.locator("rect").evaluate("el => getComputedStyle(el).fill")
    assert fill == "rgb(255, 221, 0)", "a focused tile turns the focus colour"
    page.keyboard.press("Tab")
    expect(page.locator(".app-map__tile:focus")).to_have_accessible_name(re.compile("^Cumbria: "))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cumbria")


def test_a_map_tile_on_the_list_shows_that_areas_results(site, page):
    page.goto(f"{site}/practice/?approach=street-triage")
    page.get_by_role("link", name=re.compile(r"^Essex: 1 initiative$")).click()
    expect(results_heading(page)).to_contain_text("1 initiative")
    expect(page.get_by_role("link", name=re.compile("^Area: Essex"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Approach: Street triage"))).to_be_visible()


def test_unknown_page_shows_the_404_page(site, page):
    response = page.goto(f"{site}/practice/no-such-case-study/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.get_by_role("link", name="find practice", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find practice")


def shortlist_journey(page, site, javascript):
    """Tick one case study on page 1 and one on page 2, then compare them from the shortlist."""
    page.goto(f"{site}/practice/?sort=title")
    first_title = page.locator(".app-result h3 a").first.inner_text()
    page.locator('.app-result input[name="pick"]').first.check()
    if not javascript:
        page.get_by_role("button", name="Update shortlist").click()
    expect(page.locator("#shortlist-count")).to_contain_text("Your shortlist: 1 case study")
    page.get_by_role("link", name=re.compile("^Next")).click()
    expect(page.locator("#shortlist-count")).to_contain_text("1 case study")
    second_title = page.locator(".app-result h3 a").first.inner_text()
    page.locator('.app-result input[name="pick"]').first.check()
    if not javascript:
        page.get_by_role("button", name="Update shortlist").click()
    expect(page.locator("#shortlist-count")).to_contain_text("2 case studies")
    page.get_by_role("link", name="Compare, download, share or print it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your shortlist")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_role("link", name="Compare them side by side").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare practice")
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader")).to_have_count(2)
    for title in (first_title, second_title):
        expect(table).to_contain_text(title.split(",")[0])


def test_a_shortlist_kept_across_pages_leads_to_a_comparison(site, page):
    shortlist_journey(page, site, javascript=True)


def test_the_shortlist_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        shortlist_journey(context.new_page(), site, javascript=False)
    finally:
        context.close()


def test_every_case_study_prints_as_a_briefing_of_at_most_two_pages(site, page):
    import io
    import unicodedata

    from pypdf import PdfReader

    for initiative in published():
        page.goto(f"{site}{initiative.get_absolute_url()}")
        document = PdfReader(io.BytesIO(page.pdf(format="A4")))
        assert len(document.pages) <= 2, f"{initiative.slug} prints on {len(document.pages)}"
        # NFKC undoes the ligatures ("ff") that the PDF's text carries.
        text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in document.pages))
        assert "Find practice" not in text and "Related practice" not in text
        for source in initiative.sources.all()[:1]:
            host = source.url.split("//", 1)[1][:20]
            assert host in text.replace("\n", ""), "links are written out"


def test_area_grid_links_to_the_filtered_list(site, page):
    page.goto(f"{site}/compare/areas/")
    page.get_by_role("link", name="in Norfolk under Understanding local need").click()
    expected = published().filter(area__slug="norfolk", themes__slug="understanding-local-need")
    expect(results_heading(page)).to_contain_text(f"{expected.count()} initiative")
