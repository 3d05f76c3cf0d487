"""Odd and hostile input gets a clear message or a 404, never a 500."""

import pytest
from django.urls import reverse

LIST = reverse("website:initiative-list")


@pytest.fixture
def library(seed):
    return seed


INVALID = "Select a valid choice. {} is not one of the available choices."


@pytest.mark.parametrize("query, message", [
    ({"area": "atlantis"}, INVALID.format("atlantis")),
    ({"theme": "nonsense"}, INVALID.format("nonsense")),
    ({"status": "abandoned"}, INVALID.format("abandoned")),
    ({"region": "scotland"}, INVALID.format("scotland")),
    ({"partner_type": "cartel"}, INVALID.format("cartel")),
    ({"sort": "price"}, INVALID.format("price")),
    ({"q": "x" * 5000}, "Ensure this value has at most 200 characters (it has 5000)."),
    ({"q": "triage\x00"}, "Null characters are not allowed."),
    ({"area": "ke\x00nt"}, "Null characters are not allowed."),
    ({"theme": "\x00"}, "Null characters are not allowed."),
    ({"status": "\x00"}, "Null characters are not allowed."),
    ({"region": "south\x00east"}, "Null characters are not allowed."),
    ({"sort": "\x00"}, "Null characters are not allowed."),
])
def test_invalid_filters_explain_themselves(client, library, query, message):
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert "\x00" not in response.text, "a null character is not valid in HTML"
    assert "There is a problem with the filters" in response.text
    assert message in response.text
    assert "<title>Error: Find practice" in response.text
    assert "0 initiatives" in response.text


def test_what_the_user_typed_is_kept_after_an_error(client, library):
    response = client.get(LIST, {"q": "triage", "area": "atlantis"})
    assert 'value="triage"' in response.text


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1.5", "last1"])
def test_impossible_pages_are_404s(client, library, page):
    response = client.get(LIST, {"page": page})
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_last_page_by_name_works(client, library):
    assert client.get(LIST, {"page": "last"}).status_code == 200


def test_a_parameter_repeated_fifty_times(client, library):
    from casestudies.models import Initiative

    response = client.get(LIST, {"area": ["norfolk"] * 50})
    assert response.status_code == 200
    norfolk = Initiative.objects.published().filter(area__slug="norfolk").count()
    assert f"{norfolk} initiatives" in response.text
    response = client.get(LIST, {"q": ["triage"] * 50, "page": ["1"] * 50})
    assert response.status_code == 200


@pytest.mark.parametrize("value", [
    "<script>alert(1)</script>", "' OR 1=1 --", "Ωmega ☃ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\u202eevil", "%00", "ﷺ" * 50,
])
def test_odd_text_is_escaped_and_harmless(client, library, value):
    for param in ("q", "area", "theme", "status", "sort"):
        response = client.get(LIST, {param: value})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.text


@pytest.mark.parametrize("url", [
    "/practice/%C3%A9t%C3%A9/", "/areas/%E2%98%83/", "/themes/..%2F..%2Fetc/",
    "/practice/" + "a" * 3000 + "/",
])
def test_odd_addresses_are_404s(client, library, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/compare/areas/?empty=%00", "/compare/practice/?item=a%00"])
def test_comparison_pages_refuse_a_null_character_without_echoing_it(client, library, url):
    html = client.get(url).text
    assert "Null characters are not allowed." in html
    assert "\x00" not in html


@pytest.mark.parametrize("value", ["ke\x00nt", "\x00", "kent/../norfolk", "atlantis"])
def test_a_suggestion_from_an_odd_area_address_starts_with_no_area_chosen(client, library,
                                                                         value):
    """The suggestion form takes its area from the address it was linked from; a value no
    area can have is left unchosen (PostgreSQL refuses a NUL byte with an error)."""
    page = client.get("/suggest/", {"area": value})
    assert page.status_code == 200
    assert "selected" not in str(page.content).split('name="area"', 1)[1].split("</select>")[0]
    assert 'value="kent" selected' in client.get("/suggest/", {"area": "kent"}).text


NUL_ADDRESSES = [
    "/", "/practice/", "/practice/export.csv", "/practice/export.json", "/practice/export.xlsx",
    "/feeds/practice/", "/compare/areas/", "/compare/practice/", "/areas/", "/areas/kent/",
    "/areas/kent/next-steps/", "/areas/choose/", "/themes/", "/themes/intervening-earlier/",
    "/approaches/", "/approaches/street-triage/", "/picture/", "/suggest/", "/contact/",
    "/shortlist/", "/shortlist/board-pack.pdf", "/practice/cleveland-street-triage/",
    "/practice/cleveland-street-triage/board-pack/", "/practice/cleveland-street-triage/report/",
    "/api/v1/practice/", "/api/v1/practice/cleveland-street-triage/", "/alerts/", "/glossary/",
    "/sitemap.xml",
]


@pytest.mark.parametrize("address", NUL_ADDRESSES)
def test_a_null_character_in_any_parameter_a_page_reads_is_never_a_server_error(
        client, library, address):
    """Each parameter the page's view says it reads, and the usual ones, holding a NUL byte
    (which PostgreSQL refuses): a page, a form error or a 404, never a 500."""
    from django.test import RequestFactory

    from pcc_practice.cache.pages import declared_parameters

    declared = declared_parameters(RequestFactory().get(address)) or ()
    client.raise_request_exception = False
    for name in sorted({*declared, "area", "pick", "q", "page", "sort", "item", "about"}):
        response = client.get(address, {name: "\x00"})
        assert response.status_code < 500, (name, response.status_code)
