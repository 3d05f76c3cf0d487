"""Property-based tests: random and hostile input at every public address never gives a 5xx
and is never reflected unescaped."""

import pytest
from django.db import OperationalError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARAMS = ["q", "area", "theme", "status", "region", "partner_type", "sort", "page", "item", "pick",
          "empty", "x"]
HOSTILE = [
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' OR '1'='1",
    "1; DROP TABLE x",
    "\x00", "%00", "../../etc/passwd", "{{ 7*7 }}", "${jndi:ldap://x}", "\u202e", "🙂" * 20,
    "a" * 10000, "-1", "99999999999999999999", "NaN", "last", "\r\nSet-Cookie: x=1",
]
LIST_ADDRESSES = ["/practice/", "/practice/export.csv", "/practice/export.json",
                  "/feeds/practice/", "/compare/areas/", "/compare/practice/", "/",
                  "/areas/", "/themes/", "/suggest/", "/contact/", "/about/", "/about/evidence/",
                  "/glossary/", "/sitemap.xml", "/healthz", "/areas/choose/"]
SLUG_ADDRESSES = ["/practice/{}/", "/areas/{}/", "/themes/{}/", "/practice/{}/report/",
                  "/areas/{}/next-steps/"]
FORM_FIELDS = ["title", "area", "themes", "summary", "description", "status", "year_started",
               "outcomes", "lead_organisation", "partners", "sources", "submitter_email",
               "website", "problem", "email", "kind", "message", "page", "name"]

values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
queries = st.lists(st.tuples(st.sampled_from(PARAMS), values), max_size=12)
MARKERS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


def body(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def check(response):
    assert response.status_code < 500, response.status_code
    text = body(response)
    for marker in MARKERS:
        assert marker not in text, "input reflected unescaped"
    if response.get("Content-Type", "").startswith("text/html"):
        assert "\x00" not in text, "a null character is not valid in HTML"


@pytest.mark.parametrize("address", LIST_ADDRESSES)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=queries)
def test_random_query_strings_never_break_a_page(client, seed, address, query):
    check(client.get(address, _query(query)))


def _query(pairs):
    data = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data


@pytest.mark.parametrize("template", SLUG_ADDRESSES)
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(segment=st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=500)))
def test_random_path_segments_never_break_a_page(client, seed, template, segment):
    from urllib.parse import quote

    check(client.get(template.format(quote(segment, safe=""))))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(repeats=st.integers(min_value=1, max_value=200), value=st.sampled_from(HOSTILE))
def test_keys_repeated_many_times_are_handled(client, seed, repeats, value):
    check(client.get("/practice/", {"area": [value] * repeats, "q": [value] * repeats}))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(fields=st.lists(st.tuples(st.sampled_from(FORM_FIELDS), values), max_size=15),
       address=st.sampled_from(["/suggest/", "/practice/cleveland-street-triage/report/",
                                "/contact/"]))
def test_random_form_posts_never_break_and_are_escaped(client, seed, fields, address):
    from pcc_practice.cache.models import Counter

    Counter.objects.all().delete()  # the rate limit would otherwise answer every later example
    check(client.post(address, _query(fields)))


@pytest.mark.parametrize("address", ["/suggest/", "/practice/cleveland-street-triage/report/",
                                     "/contact/"])
def test_a_null_character_in_a_form_is_refused_and_not_echoed(client, seed, address):
    response = client.post(address, {"title": "Street\x00 triage", "problem": "A\x00B",
                                      "description": "A\x00B", "message": "A\x00B"})
    check(response)
    assert "Null characters are not allowed." in response.text


def test_the_site_answers_503_while_the_database_is_down_and_recovers(client, seed, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    real = BaseDatabaseWrapper.ensure_connection

    def down(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", down)
    for url in ("/", "/practice/", "/practice/cleveland-street-triage/"):
        response = client.get(url)
        assert response.status_code == 503
        assert "Sorry, the service is unavailable" in response.text
        assert "Connection refused" not in response.text
        assert response["Retry-After"]
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["database"] is False

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", real)
    assert client.get("/practice/").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok", "database": True}
