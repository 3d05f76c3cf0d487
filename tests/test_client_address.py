"""One notion of the client: behind PCC_TRUSTED_PROXIES proxies, rate limits, sign-in
lockouts and logs count the address the outermost trusted proxy saw, whatever a client writes
at the left of X-Forwarded-For; and counts are shared by every worker, out of the caches'
reach."""

import logging
import threading
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from pcc_practice.logs import ClientAddressFilter
from pcc_practice.ratelimit import client_address, count

API = "/api/v1/themes/"
PROXY = "10.0.0.1"


def statuses(client, forwarded_for, times=4):
    return [client.get(API, REMOTE_ADDR=PROXY,
                       headers={"x-forwarded-for": forwarded_for(n)}).status_code
            for n in range(times)]


@pytest.mark.parametrize(("proxies", "forwarded", "client"), [
    (0, "6.6.6.6, 203.0.113.9", PROXY),
    (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
    (1, "203.0.113.9", "203.0.113.9"),
    (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
    (2, "203.0.113.9", PROXY),  # came past one proxy only: the connection's address
])
def test_the_client_is_the_entry_the_outermost_trusted_proxy_wrote(settings, proxies,
                                                                   forwarded, client):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, headers={"x-forwarded-for": forwarded})
    assert client_address(request) == client


def test_without_trusted_proxies_a_forwarded_header_changes_nothing(client, seed, settings):
    settings.TRUSTED_PROXIES = 0
    settings.API_RATE_LIMIT = (3, 60)
    assert statuses(client, lambda n: f"198.51.100.{n}") == [200, 200, 200, 429]


def test_behind_a_proxy_a_spoofed_left_most_address_does_not_escape_the_limit(client, seed,
                                                                              settings):
    settings.TRUSTED_PROXIES = 1
    settings.API_RATE_LIMIT = (3, 60)
    assert statuses(client, lambda n: f"198.51.100.{n}, 203.0.113.9") == [200, 200, 200, 429]
    # Another reader behind the same proxy has an allowance of their own.
    assert statuses(client, lambda n: "203.0.113.9, 203.0.113.10", times=1) == [200]


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(client, seed,
                                                                          settings):
    settings.TRUSTED_PROXIES = 2
    settings.API_RATE_LIMIT = (2, 60)
    assert statuses(client, lambda n: f"198.51.100.{n}, 203.0.113.9, 10.0.0.2",
                    times=3) == [200, 200, 429]
    assert statuses(client, lambda n: "203.0.113.11, 10.0.0.2", times=1) == [200]


def test_behind_a_proxy_lockouts_count_the_client_not_the_proxy(client, editor, settings):
    settings.TRUSTED_PROXIES = 1
    login = reverse("admin:login")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "editor", "password": "wrong"}, REMOTE_ADDR=PROXY,
                    headers={"x-forwarded-for": f"198.51.100.{n}, 203.0.113.66"})
    locked = client.post(login, {"username": "editor", "password": "correct horse battery"},
                         REMOTE_ADDR=PROXY,
                         headers={"x-forwarded-for": "198.51.100.99, 203.0.113.66"})
    assert locked.status_code == 429  # the spoofed left-most entries did not help
    # The publisher at another address, behind the same proxy, still signs in.
    response = client.post(login, {"username": "editor", "password": "correct horse battery",
                                   "next": "/admin/"},
                           REMOTE_ADDR=PROXY, headers={"x-forwarded-for": "203.0.113.7"})
    assert response.status_code == 302


def test_log_lines_name_the_client(settings):
    settings.TRUSTED_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY,
                                   headers={"x-forwarded-for": "6.6.6.6, 203.0.113.9"})
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Failed", (), None)
    record.request = request
    ClientAddressFilter().filter(record)
    formatter = logging.Formatter(settings.LOGGING["formatters"]["client"]["format"])
    assert formatter.format(record) == "ERROR django.request [203.0.113.9] Failed"


def test_a_limit_holds_when_the_caches_are_emptied(client, db, settings):
    """Each worker has caches of its own, and pages fill them: the count is elsewhere."""
    settings.FORM_RATE_LIMIT = (1, 3600)
    message = {"kind": "accessibility", "message": "The map cannot be used with a screen reader.",
               "page": "/picture/", "name": "A reader", "email": "reader@example.org"}
    assert client.post(reverse("website:contact"), message).status_code == 302
    for cache in caches.all():
        cache.clear()
    assert client.post(reverse("website:contact"), message).status_code == 429


def test_a_count_starts_again_when_its_window_ends(db, time_machine):
    assert [count("k", 60) for _ in range(3)] == [1, 2, 3]
    time_machine.move_to(timezone.now() + timedelta(seconds=61))
    assert count("k", 60) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_get_the_same_count():
    values, threads = [], []

    def add():
        try:
            values.append(count("busy", 60))
        finally:
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(values) == list(range(1, 13))
