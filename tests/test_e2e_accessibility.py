"""Accessibility in a real browser: axe-core on every page template, keyboard use, reflow."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

NPM_AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
AXE = Axe.from_file(NPM_AXE) if NPM_AXE.exists() else Axe()
WCAG_AA = {"runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
]}}

# One address for every public page template and state.
PAGES = {
    "home": "/",
    "list": "/practice/",
    "list filtered": "/practice/?area=greater-manchester&area=norfolk&theme=strategic-leadership",
    "list no results": "/practice/?q=zzzzqqq",
    "list invalid filter": "/practice/?area=atlantis",
    "list page 2": "/practice/?page=2",
    "case study": "/practice/staffordshire-no-custody-protocol-and-community-triage/",
    "areas": "/areas/",
    "area": "/areas/greater-manchester/",
    "area without practice": "/areas/lancashire/",
    "area next steps": "/areas/norfolk/next-steps/",
    "area next steps without practice": "/areas/city-of-london/next-steps/",
    "themes": "/themes/",
    "theme": "/themes/understanding-local-need/",
    "list search": "/practice/?q=street+triage&sort=relevance",
    "list empty with suggestions": "/practice/?area=norfolk&status=piloting",
    "compare areas": "/compare/areas/?empty=show",
    "shortlist": "/shortlist/?pick=cleveland-street-triage&pick=essex-street-triage",
    "shortlist empty": "/shortlist/",
    "list with a shortlist": "/practice/?pick=cleveland-street-triage&sort=title",
    "board pack": "/shortlist/board-pack/?pick=cleveland-street-triage&pick=essex-street-triage",
    "case study board pack": "/practice/cleveland-street-triage/board-pack/",
    "compare practice": "/compare/practice/?item=cleveland-street-triage"
                        "&item=essex-street-triage&item=leicestershire-triage-car",
    "compare practice error": "/compare/practice/?item=cleveland-street-triage",
    "list ripe and evidence": "/practice/?ripe=yes&evidence_stage=monitored",
    "list by approach, role, cost and design": "/practice/?approach=street-triage"
                                               "&pcc_role=not-known&cost_band=not-known"
                                               "&design=1&sort=ready",
    "national picture": "/picture/",
    "open data": "/data/",
    "API documentation": "/api/",
    "email alerts": "/alerts/?area=norfolk&status=operating",
    "email alerts privacy": "/alerts/privacy/",
    "list by year started": "/practice/?started=2014",
    "approaches": "/approaches/",
    "approach": "/approaches/street-triage/",
    "suggest": "/suggest/",
    "suggest thanks": "/suggest/thanks/",
    "contact": "/contact/?about=accessibility",
    "contact thanks": "/contact/thanks/",
    "report a problem": "/practice/cleveland-street-triage/report/",
    "report thanks": "/practice/cleveland-street-triage/report/thanks/",
    "about": "/about/",
    "evidence labels": "/about/evidence/",
    "glossary": "/glossary/",
    "accessibility statement": "/accessibility/",
    "404": "/practice/no-such-case-study/",
}

# A visible change when focused: GOV.UK Frontend's yellow focus colour (#fd0) or an outline.
FOCUS_STYLE = """el => {
  const styles = [getComputedStyle(el)];
  if (el.type === 'checkbox' || el.type === 'radio') {
    styles.push(getComputedStyle(el.labels[0], '::before'));
  }
  return styles.some(s => [s.boxShadow, s.backgroundColor, s.outlineColor, s.borderColor]
      .some(v => v && v.includes('255, 221, 0')) ||
    (s.outlineStyle !== 'none' && s.outlineColor !== 'rgba(0, 0, 0, 0)'
     && s.outlineWidth !== '0px'));
}"""


def has_visible_focus(page, handle):
    return page.evaluate(f"el => ({FOCUS_STYLE})(el)", handle)


def test_no_page_has_wcag_violations(site, page):
    """Every page in PAGES, in one test: loading the seed data once rather than once a page
    keeps the suite within its time on PostgreSQL. The report names every failing page."""
    reports = []
    for name, url in PAGES.items():
        page.goto(f"{site}{url}")
        result = AXE.run(page, options=WCAG_AA)
        if result.violations_count:
            reports.append(f"{name} ({url}):\n{result.generate_report()}")
    assert not reports, "\n\n".join(reports)


def test_form_errors_and_archived_pages_have_no_wcag_violations(site, page):
    from casestudies.models import Initiative, State

    page.goto(f"{site}/suggest/")
    page.get_by_role("button", name="Send suggestion").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    result = AXE.run(page, options=WCAG_AA)
    assert result.violations_count == 0, result.generate_report()

    page.goto(f"{site}/contact/")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    result = AXE.run(page, options=WCAG_AA)
    assert result.violations_count == 0, result.generate_report()

    from casestudies.models import VerificationRequest
    from workbench import verification

    request = VerificationRequest.objects.create(
        initiative=Initiative.objects.get(slug="cleveland-street-triage"),
        email="office@example.org")
    page.goto(f"{site}/confirm-entry/{verification.token_for(request)}/")
    result = AXE.run(page, options=WCAG_AA)
    assert result.violations_count == 0, result.generate_report()
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    result = AXE.run(page, options=WCAG_AA)
    assert result.violations_count == 0, result.generate_report()

    Initiative.objects.filter(slug="dorset-street-triage-pilot").update(state=State.ARCHIVED)
    response = page.goto(f"{site}/practice/dorset-street-triage-pilot/")
    assert response.status == 410
    result = AXE.run(page, options=WCAG_AA)
    assert result.violations_count == 0, result.generate_report()


def test_the_audit_catches_a_planted_violation(page):
    """Proves the audit really runs, so "no violations" above is not a silent pass."""
    page.set_content("<html lang='en'><title>t</title><main><input type='text'></main></html>")
    assert AXE.run(page, options=WCAG_AA).violations_count >= 1


def focused(page, expression):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(site, page):
    page.goto(f"{site}/practice/")
    unfocused = page.get_by_role("link", name="Areas", exact=True).element_handle()
    assert not has_visible_focus(page, unfocused), "the focus check could never fail"
    page.keyboard.press("Tab")
    assert focused(page, "el.textContent.trim()") == "Skip to main content"
    assert has_visible_focus(page, page.evaluate_handle("document.activeElement"))
    expect(page.get_by_role("link", name="Skip to main content")).to_be_visible()
    page.keyboard.press("Enter")
    assert focused(page, "el.id") == "main-content"


def tab_until(page, predicate, limit=200):
    """Tabs forward until `predicate` (JS over `el`) holds, checking focus is visible."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        handle = page.evaluate_handle("document.activeElement")
        seen.append(focused(page, "[el.tagName, el.name, el.value, el.textContent.trim()]"))
        assert has_visible_focus(page, handle), f"focus not visible on {seen[-1]}"
        if focused(page, predicate):
            return seen
    raise AssertionError(f"never reached {predicate}; visited {seen}")


def tab_through_filters(page, stop):
    """Tabs through the filter panel, opening each closed group and "Show all" with Enter as
    it comes, until `stop` (JS over `el`) holds; gives every control reached."""
    seen = []
    for _ in range(600):
        page.keyboard.press("Tab")
        handle = page.evaluate_handle("document.activeElement")
        seen.append(focused(page, "[el.tagName, el.name, el.value, el.textContent.trim()]"))
        assert has_visible_focus(page, handle), f"focus not visible on {seen[-1]}"
        if focused(page, "el.tagName === 'SUMMARY' && !el.parentElement.open"
                         " && !!el.closest('form.app-filter')"):
            page.keyboard.press("Enter")
        if focused(page, stop):
            return seen
    raise AssertionError(f"never reached {stop}; visited {seen}")


def test_every_filter_control_can_be_reached_and_used_with_the_keyboard(site, page):
    page.goto(f"{site}/practice/")
    controls = page.evaluate(
        "[...document.querySelectorAll('form.app-filter input, form.app-filter select,"
        " form.app-filter button')].map(el => [el.name, el.value])"
    )
    seen = tab_through_filters(
        page, "el.tagName === 'BUTTON' && el.textContent.includes('Apply filters')")
    reached = {(name, value) for tag, name, value, text in seen if tag in ("INPUT", "SELECT")}
    missing = [c for c in controls if c[0] and tuple(c) not in reached and c[0] != "q"]
    assert not missing, f"not reachable by Tab: {missing}"

    page.goto(f"{site}/practice/")
    tab_through_filters(page, "el.value === 'norfolk'")
    page.keyboard.press("Space")
    tab_until(page, "el.tagName === 'SELECT' && el.name === 'sort'")
    page.keyboard.press("ArrowDown")   # from "Newest" to "Recently checked"
    tab_until(page, "el.tagName === 'BUTTON'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/practice/?**")
    assert "area=norfolk" in page.url and "sort=reviewed" in page.url
    from casestudies.models import Initiative

    norfolk = Initiative.objects.published().filter(area__slug="norfolk").count()
    expect(page.locator("#results-count")).to_contain_text(f"{norfolk} initiatives")


def test_pagination_can_be_used_with_the_keyboard(site, page):
    page.goto(f"{site}/practice/")
    tab_until(page, "el.textContent.trim().startsWith('Next')")
    page.keyboard.press("Enter")
    page.wait_for_url("**page=2")
    tab_until(page, "el.getAttribute('aria-label') === 'Page 1'")
    page.keyboard.press("Enter")
    page.wait_for_url("**page=1")


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const cut = [...document.querySelectorAll('main *, header *, footer *, nav *')].filter(el => {
    // Content inside its own scrolling region (the area list, wide tables) is reachable.
    if (el.closest('.govuk-visually-hidden, .govuk-skip-link, .app-filter__scroll,'
                   + ' .app-table-scroll, .app-honeypot')) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && (r.right > width + 1 || r.left < -1);
  }).map(el => el.outerHTML.slice(0, 120));
  return {scroll: document.documentElement.scrollWidth, width, cut};
}"""


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_no_page_scrolls_sideways_or_cuts_content_off(site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    for name, url in PAGES.items():
        page.goto(f"{site}{url}")
        layout = page.evaluate(OVERFLOW)
        assert layout["scroll"] <= layout["width"], f"{name} scrolls sideways at {width}px"
        assert not layout["cut"], f"{name} cuts off content at {width}px: {layout['cut'][:3]}"
