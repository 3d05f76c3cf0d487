"""The site while Redis or the database is down: pages answer from what was kept, or say
plainly that the service is unavailable, and everything recovers by itself."""

import pytest
from django.urls import reverse

from tests.test_page_cache import clear_caches

LIST = reverse("website:initiative-list")


def redis_caches(location):
    """Both caches on the degrading Redis backend, as settings.py makes them with REDIS_URL."""
    return {alias: {"BACKEND": "pcc_practice.cache.redis.DegradingRedisCache",
                    "LOCATION": location, "KEY_PREFIX": alias} for alias in ("default", "pages")}


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    clear_caches()
    yield
    clear_caches()


def redis_answers():
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_answers(), reason="no Redis server on 127.0.0.1:6379")
def test_the_page_cache_works_on_redis(client, settings, make_initiative,
                                       django_assert_num_queries):
    from django.core.cache import caches

    settings.CACHES = redis_caches("redis://127.0.0.1:6379/15")
    caches["default"].clear()
    caches["pages"].clear()
    initiative = make_initiative("Street triage")
    client.get(LIST)
    with django_assert_num_queries(0):
        assert client.get(LIST)["X-Page-Cache"] == "hit"
    initiative.title = "Renamed on Redis"
    initiative.save()
    assert "Renamed on Redis" in client.get(LIST).text
    caches["default"].clear()


def test_pages_are_served_while_redis_is_down_and_the_suggest_form_still_works(
        client, settings, make_initiative, make_theme, caplog):
    from django.core.cache import caches

    from casestudies.models import Suggestion
    from tests.test_evidence_and_feedback import SUGGESTION

    # Nothing listens on this port: every cache call meets a refused connection.
    settings.CACHES = redis_caches("redis://127.0.0.1:1/0")
    settings.FRAGMENT_CACHE_SECONDS = 600
    initiative = make_initiative("Street triage")
    for url in ("/", LIST, f"{LIST}?q=triage", initiative.get_absolute_url(), "/areas/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Page-Cache" not in response
    assert "Street triage" in client.get(LIST).text
    assert "Redis cache unavailable" in caplog.text
    # The form's rate limit is kept in the cache: without it, the suggestion is still taken.
    sent = client.post("/suggest/", {**SUGGESTION, "area": initiative.area.slug,
                                     "themes": [make_theme("Earlier").slug]})
    assert sent.status_code == 302 and Suggestion.objects.get().title == "Crisis cafe"
    cache = caches["default"]
    with pytest.raises(ValueError):
        cache.incr("missing")
    assert cache.get("missing", "default") == "default"
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]


def test_a_redis_that_never_answers_is_left_alone_for_a_while(settings):
    import socket
    import threading

    from django.core.cache import caches

    # A server that takes connections and never replies: each cache call would wait for it.
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def take_connections():
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:  # closed at the end of the test
                return

    threading.Thread(target=take_connections, daemon=True).start()
    port = listener.getsockname()[1]
    settings.CACHES = {"default": {"BACKEND": "pcc_practice.cache.redis.DegradingRedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    cache = caches["default"]
    assert cache.get("page", "missed") == "missed"
    cache.set("page", "kept")
    assert cache.get_many(["page", "other"]) == {}
    assert cache.get("page", "missed") == "missed"
    assert len(accepted) == 1  # one attempt, then Redis is left alone
    listener.close()


def test_the_site_answers_503_while_the_database_is_down(client, make_initiative, monkeypatch):
    """With the page cache on, as in production: in a process that has no copy of the
    content version (a worker started during the outage), every page is the friendly 503."""
    from django.db import OperationalError
    from django.db.backends.base.base import BaseDatabaseWrapper

    from pcc_practice.cache.version import forget_version

    real = BaseDatabaseWrapper.ensure_connection
    seen = make_initiative("Street triage")
    assert client.get(seen.get_absolute_url()).status_code == 200

    def down(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", down)
    forget_version()
    for url in ("/", LIST, seen.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 503, url
        assert "Sorry, the service is unavailable" in response.text
        assert response["Retry-After"]

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", real)
    assert client.get(LIST).status_code == 200


def test_readers_keep_reading_kept_pages_through_a_database_outage(
        client, make_initiative, monkeypatch):
    """A page kept before the outage is served, marked as possibly out of date; a page not
    kept gets the 503 page; the site recovers by itself when the database returns."""
    from django.db import OperationalError
    from django.db.backends.base.base import BaseDatabaseWrapper

    from pcc_practice.cache import version

    real = BaseDatabaseWrapper.ensure_connection
    seen = make_initiative("Street triage")
    assert client.get(seen.get_absolute_url()).status_code == 200
    assert client.get(LIST).status_code == 200

    def down(self):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", down)
    monkeypatch.setitem(version._seen, "at", float("-inf"))  # due to be read again
    for url in (seen.get_absolute_url(), f"{LIST}?utm=1"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Street triage" in response.text
        assert "may be out of date" in response["X-Page-Cache"]
    response = client.get("/areas/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.text

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", real)
    assert client.get("/areas/").status_code == 200
    response = client.get(seen.get_absolute_url())
    assert response.status_code == 200 and "stale" not in response.get("X-Page-Cache", "")
