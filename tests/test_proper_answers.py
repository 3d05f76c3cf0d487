"""Every request gets a proper answer: a form body the site cannot read is a 400 page, and
every error under /api/ is a problem document that any origin may read, whichever part of
the site answered; preflight requests are answered and a 304 keeps its CORS headers."""

import pytest
from django.db import OperationalError
from django.test import Client

API = "/api/v1"
PROBLEM = "application/problem+json"


@pytest.mark.parametrize("path", ["/contact/", "/suggest/", "/alerts/", "/admin/login/"])
def test_a_form_sent_in_utf_16_is_a_bad_request_not_an_error(db, path):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(path)
    token = client.cookies["csrftoken"].value
    body = f"csrfmiddlewaretoken={token}&message=hello".encode("utf-16")
    response = client.generic("POST", path, data=body, headers={"x-csrftoken": token},
                              content_type="application/x-www-form-urlencoded; charset=utf-16")
    assert response.status_code == 400
    assert "The form could not be read" in response.text


def cors_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "no-store"
    problem = response.json()
    assert problem["status"] == status and problem["title"]
    return problem


@pytest.mark.parametrize("path", [f"{API}/no-such-thing/", "/api/v2/", "/api/nope"])
def test_an_unknown_address_under_the_api_is_a_problem_document(client, db, path):
    assert cors_problem(client.get(path), 404)["title"] == "Not Found"


def test_a_method_the_api_does_not_answer_is_a_problem_document(client, db):
    response = client.post(f"{API}/themes/", {"name": "x"})
    problem = cors_problem(response, 405)
    assert "read-only" in problem["detail"] and response["Allow"] == "GET, HEAD, OPTIONS"


def test_the_database_outage_is_a_problem_document_on_the_api(client, db, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("pcc_practice.ratelimit.count", down)
    response = client.get(f"{API}/themes/")
    cors_problem(response, 503)
    assert int(response["Retry-After"]) > 0


def test_a_preflight_request_is_answered(client, db):
    response = client.options(f"{API}/practice/", headers={
        "origin": "https://example.org", "access-control-request-method": "GET",
        "access-control-request-headers": "if-none-match"})
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert response["Access-Control-Allow-Headers"] == "if-none-match"


def test_a_304_keeps_the_cors_headers_and_head_is_answered(client, seed):
    first = client.get(f"{API}/areas/")
    again = client.get(f"{API}/areas/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"
    assert again["Cache-Control"] == first["Cache-Control"]
    head = client.head(f"{API}/areas/")
    assert head.status_code == 200 and head["Access-Control-Allow-Origin"] == "*"
    assert head.content == b""
