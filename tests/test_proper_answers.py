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
    from django.db.backends.base.base import BaseDatabaseWrapper

    real = BaseDatabaseWrapper.ensure_connection

    def down(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", down)
    response = client.get(f"{API}/themes/")
    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", real)
    cors_problem(response, 503)
    assert int(response["Retry-After"]) > 0


def failing_query(*args, **kwargs):
    raise OperationalError("parser stack overflow")


def test_a_query_that_fails_while_the_database_answers_is_not_called_an_outage(
        seed, monkeypatch, caplog):
    client = Client(raise_request_exception=False)
    monkeypatch.setattr("website.listing.facet_counts", failing_query)
    response = client.get("/practice/", {"q": "triage"})
    assert response.status_code == 500 and "problem with the service" in response.text
    assert "parser stack overflow" in caplog.text
    monkeypatch.setattr("api.api.records", failing_query)
    cors_problem(client.get(f"{API}/practice/"), 500)


def test_a_search_of_too_many_terms_is_refused_in_words(client, seed):
    words = " ".join(f"word{n}" for n in range(13))
    page = client.get("/practice/", {"q": words})
    assert page.status_code == 200
    assert "Search for at most 12 different words or phrases at a time" in page.text
    problem = client.get(f"{API}/practice/", {"q": words})
    assert problem.status_code == 400 and problem["Content-Type"] == PROBLEM
    assert problem.json()["errors"][0]["parameter"] == "q"


def test_a_word_repeated_in_a_search_counts_once(client, seed):
    once = client.get(f"{API}/practice/", {"q": "triage"}).json()["count"]
    assert once > 0
    repeated = client.get(f"{API}/practice/", {"q": " ".join(["triage"] * 25)})
    assert repeated.status_code == 200 and repeated.json()["count"] == once


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


def test_a_database_too_busy_to_write_is_a_503_to_try_again(seed, monkeypatch):
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("website.listing.facet_counts", locked)
    response = Client(raise_request_exception=False).get("/practice/")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
