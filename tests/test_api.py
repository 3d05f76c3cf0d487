"""The read-only API: the same answers as the pages, every response valid against the OpenAPI
document, problem details for every bad parameter, CORS, caching and a rate limit."""

import json

import pytest
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from casestudies.models import Initiative
from pcc_practice.cache.models import Counter
from tests.pages import card_slugs

API = "/api/v1"


@pytest.fixture
def spec(client, db):
    # Problem details are JSON: the validator reads them so.
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_dict(client.get(f"{API}/openapi.json").json(), config=config)


def valid(spec, response):
    """The response, after checking it against the OpenAPI document."""
    spec.validate_response(DjangoOpenAPIRequest(response.wsgi_request),
                           DjangoOpenAPIResponse(response))
    return response


def test_the_document_is_openapi_3_1_and_lists_every_endpoint(client, db):
    document = client.get(f"{API}/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {f"{API}/practice/", f"{API}/practice/{{slug}}/",
                                      f"{API}/areas/", f"{API}/themes/", f"{API}/approaches/"}


@pytest.mark.parametrize("query", [
    "area=norfolk&theme=strategic-leadership", "q=street+triage", "approach=street-triage",
    "status=operating&sort=title", "pcc_role=not-known&cost_band=not-known&design=1",
    "", "started=2014", "ripe=yes",
])
def test_the_practice_list_gives_the_same_initiatives_as_the_page(client, seed, spec, query):
    data = valid(spec, client.get(f"{API}/practice/?{query}")).json()
    page = client.get(f"/practice/?{query}")
    assert [r["slug"] for r in data["results"]] == card_slugs(page)
    assert data["count"] == page.context["paginator"].count


def test_pages_link_to_each_other_and_a_case_study_reads_alone(client, seed, spec):
    first = valid(spec, client.get(f"{API}/practice/", {"page_size": 25})).json()
    assert first["previous"] is None and first["pages"] == -(-first["count"] // 25)
    second = valid(spec, client.get(first["next"].removeprefix("http://testserver"))).json()
    slugs = [r["slug"] for r in first["results"] + second["results"]]
    assert len(slugs) == len(set(slugs)) == 50
    one = valid(spec, client.get(f"{API}/practice/cleveland-street-triage/")).json()
    cleveland = Initiative.objects.get(slug="cleveland-street-triage")
    assert one["title"] == cleveland.title
    assert {e["title"] for e in one["evaluations"]} == set(
        cleveland.evaluations.values_list("title", flat=True))
    assert {s["url"] for s in one["sources"]} == set(cleveland.sources.values_list("url",
                                                                                   flat=True))


@pytest.mark.parametrize("path", ["areas", "themes", "approaches"])
def test_reference_lists_count_published_practice(client, seed, spec, path):
    rows = valid(spec, client.get(f"{API}/{path}/")).json()
    assert rows and all(row["practice_count"] >= 0 for row in rows)
    if path == "areas":
        norfolk = next(row for row in rows if row["slug"] == "norfolk")
        assert norfolk["practice_count"] == Initiative.objects.published().filter(
            area__slug="norfolk").count()


HOSTILE = ["", "0", "-1", "99999999999999999999", "1.5", "abc", "\x00", "%00", "<script>",
           "' OR 1=1 --", "é" * 300, "x" * 5000, "[]", "null", "true"]


def test_every_parameter_survives_hostile_input_with_a_clear_answer(client, seed, spec):
    document = client.get(f"{API}/openapi.json").json()
    for path, methods in document["paths"].items():
        for parameter in methods["get"].get("parameters", []):
            for value in HOSTILE:
                url = path.replace("{slug}", "cleveland-street-triage")
                if parameter["in"] == "path":
                    url = path.replace("{slug}", value.replace("/", "") or "x")
                    response = client.get(url)
                else:
                    response = client.get(url, {parameter["name"]: value})
                assert response.status_code in (200, 400, 404), (path, parameter["name"], value)
                if response.status_code != 200:
                    assert response["Content-Type"] == "application/problem+json"
                    assert response.json()["title"]
                if response.status_code != 404 or parameter["in"] != "path":
                    valid(spec, response)


def test_a_bad_parameter_is_named_in_the_problems_title(client, seed):
    response = client.get(f"{API}/practice/", {"status": "bogus", "area": "norfolk"})
    problem = response.json()
    assert response.status_code == 400 and problem["title"] == "Invalid query parameter: status"
    assert problem["errors"][0]["parameter"] == "status"
    unknown = client.get(f"{API}/practice/", {"area": "atlantis"}).json()
    assert unknown["title"] == "Invalid filter: area"


def test_answers_carry_cors_cache_headers_and_etags(client, seed):
    response = client.get(f"{API}/areas/")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=300"
    again = client.get(f"{API}/areas/", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    assert client.get(f"{API}/practice/nope/")["Cache-Control"] == "no-store"


def test_a_busy_address_is_told_to_wait(client, seed, settings):
    Counter.objects.all().delete()  # counts are kept in the database
    settings.API_RATE_LIMIT = (3, 60)
    statuses = [client.get(f"{API}/themes/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(f"{API}/themes/")
    assert limited["Retry-After"] == "60"
    assert limited.json()["title"] == "Too many requests"


def test_the_api_has_a_page_of_documentation_in_the_sites_design(client, db):
    html = client.get("/api/").text
    for path in ["/api/v1/practice/", "/api/v1/practice/{slug}/", "/api/v1/areas/"]:
        assert f"<code>GET {path}</code>" in html
    assert "<code>status</code>" in html and "mainstreamed" in html
    assert 'href="/api/v1/openapi.json"' in html


def test_the_practice_query_is_the_lists_filter_set(client, db):
    """The API's parameters come from the list's FilterSet: the same names, and for every
    choice the same values, so neither can change without the other."""
    from casestudies.filters import InitiativeFilter

    document = client.get(f"{API}/openapi.json").json()
    parameters = {p["name"]: p["schema"] for p in document["paths"]["/api/v1/practice/"]["get"]
                  ["parameters"]}
    assert set(parameters) - {"page", "page_size"} == set(InitiativeFilter.base_filters)
    for name, spec in InitiativeFilter.base_filters.items():
        choices = spec.extra.get("choices")
        if choices is None:
            continue
        schema = parameters[name].get("items", parameters[name])
        options = [schema, *schema.get("anyOf", [])]
        values = next(option.get("enum") or [option["const"]] for option in options
                      if "enum" in option or "const" in option)
        assert values == [value for value, _ in choices], name


def test_a_case_study_has_every_exported_field_and_the_document_says_so(client, seed, spec):
    """Each field declared for export (casestudies/fields.py) is in the case study's record
    and in the OpenAPI document's schema for it."""
    from casestudies.fields import INITIATIVE

    document = client.get(f"{API}/openapi.json").json()
    keys = [INITIATIVE.key(field) for field in INITIATIVE.exported()]
    assert list(document["components"]["schemas"]["Practice"]["properties"]) == keys
    found = client.get(f"{API}/practice/cleveland-street-triage/").json()
    assert list(found) == keys
