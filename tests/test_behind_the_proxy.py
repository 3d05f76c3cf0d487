"""The site as readers meet it in production: through nginx (deploy/nginx/pcc-practice.conf,
over TLS) in front of two gunicorn nodes on PostgreSQL and Redis, with the environment file's
proxy settings (make cluster's topology, started once for the session).

Each reader is a real client address: nginx is reached from an address of 127.0.0.0/8 of the
test's choosing, and whatever a client writes into X-Forwarded-For, nginx appends the address
it saw."""

import os
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from tests.load.cluster import NGINX, PG, Cluster, get, request

pytestmark = pytest.mark.cluster
PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def missing():
    needs = [name for name in ("redis-server", "openssl") if not shutil.which(name)]
    if not shutil.which(NGINX):
        needs.append("nginx")
    try:
        import psycopg

        psycopg.connect(dbname="postgres", connect_timeout=3, **PG).close()
    except Exception:  # noqa: BLE001 (any reason PostgreSQL cannot be used)
        needs.append("PostgreSQL at 127.0.0.1:5432")
    return needs


@pytest.fixture(scope="session")
def cluster():
    needs = missing()
    if needs:
        pytest.skip(f"needs {', '.join(needs)} (make system-deps installs the packages)")
    with Cluster(db_name=f"pcc_proxy_test_{os.getpid()}", fresh=True, tick=3600, quiet=True,
                 env={"PCC_API_RATE_LIMIT": "5", "PCC_API_RATE_WINDOW_SECONDS": "600"}) as c:
        c.manage("shell", "-c", "from django.contrib.auth.models import User; "
                 f"User.objects.create_superuser('proxy-admin', 'a@example.org', '{PASSWORD}')")
        yield c


def text(page):
    return BeautifulSoup(page, "html.parser").get_text()


def header(headers, name):
    return [value for key, value in headers if key.lower() == name.lower()]


def sign_in(base, source, password, spoofed, referer, extra=None):
    """Opens the admin's sign-in page and sends it; gives (status, headers, cookies)."""
    cookies = {}
    _, _, body = get(base, "/admin/login/", cookies=cookies, source=source, headers=extra)
    token = CSRF.search(body.decode()).group(1)
    spoof = {"X-Forwarded-For": spoofed} if spoofed else {}
    status, headers, _ = request(base, "POST", "/admin/login/", cookies=cookies, source=source,
                                 headers={**spoof, "Referer": referer, **(extra or {})},
                                 data={"csrfmiddlewaretoken": token, "username": "proxy-admin",
                                       "password": password, "next": "/admin/"})
    return status, headers, cookies


def test_the_api_limit_counts_the_real_client_whatever_it_writes_in_x_forwarded_for(cluster):
    def api(source, spoofed):
        return get(cluster.url, "/api/v1/themes/", source=source,
                   headers={"X-Forwarded-For": spoofed})[0]

    # PCC_API_RATE_LIMIT is 5 for this cluster: each request claims another address.
    assert [api("127.0.5.1", f"198.51.100.{n}") for n in range(6)] == [200] * 5 + [429]
    assert api("127.0.5.1", "127.0.5.2") == 429  # claiming another reader's address
    assert api("127.0.5.2", "198.51.100.1") == 200  # that reader has an allowance of their own


def test_the_sign_in_lockout_counts_the_real_client(cluster):
    referer = f"{cluster.url}/admin/login/"
    statuses = [sign_in(cluster.url, "127.0.6.1", "wrong", f"198.51.100.{n}", referer)[0]
                for n in range(settings.AXES_FAILURE_LIMIT)]
    # The form again with its error, until the last allowed failure locks the door.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked, _, _ = sign_in(cluster.url, "127.0.6.1", PASSWORD, "198.51.100.99", referer)
    assert locked == 429
    # The editor at another address, behind the same proxy, still signs in.
    status, headers, _ = sign_in(cluster.url, "127.0.6.2", PASSWORD, "198.51.100.1", referer)
    assert status == 302


def test_over_https_cookies_are_secure_and_hsts_is_sent(cluster):
    status, headers, _ = sign_in(cluster.url, "127.0.7.1", PASSWORD, "", f"{cluster.url}/")
    assert status == 302
    cookies = {value.split("=")[0]: value.lower() for value in header(headers, "set-cookie")}
    assert {"sessionid", "csrftoken"} <= set(cookies)
    assert all("; secure" in value for value in cookies.values())
    assert "; httponly" in cookies["sessionid"]
    status, headers, _ = get(cluster.url, "/practice/")
    assert status == 200
    assert header(headers, "strict-transport-security") == [
        "max-age=31536000; includeSubDomains; preload"]


def test_plain_http_is_sent_to_https_and_a_node_trusts_only_the_proxys_scheme(cluster):
    status, headers, _ = get(f"http://127.0.0.1:{cluster.http_port}", "/practice/?q=triage")
    assert status == 301
    assert header(headers, "location") == [f"{cluster.url}/practice/?q=triage"]
    # A node reached without the proxy's X-Forwarded-Proto sends no HSTS: it redirects.
    node = f"http://127.0.0.1:{cluster.node_ports[0]}"
    status, headers, _ = get(node, "/practice/")
    assert status == 301
    assert not header(headers, "strict-transport-security")


def test_an_edit_on_one_node_shows_on_the_other_within_the_documented_time(cluster):
    # Each node reached directly, as nginx reaches it.
    node_a, node_b = (f"http://127.0.0.1:{port}" for port in cluster.node_ports)
    proxy = {"X-Forwarded-Proto": "https"}

    def read_b():
        """The themes page from node B, twelve times, four at once: every worker answers."""
        with ThreadPoolExecutor(4) as pool:
            return list(pool.map(lambda _: text(get(node_b, "/themes/", headers=proxy)[2]),
                                 range(12)))

    before = read_b()
    status, _, cookies = sign_in(node_a, "127.0.8.1", PASSWORD, "", f"{cluster.url}/", proxy)
    assert status == 302
    changelist = get(node_a, "/admin/themes/theme/", cookies=cookies, headers=proxy)[2].decode()
    change = re.search(r'href="(/admin/themes/theme/\d+/change/)', changelist).group(1)
    form = BeautifulSoup(get(node_a, change, cookies=cookies, headers=proxy)[2], "html.parser")
    data = {field["name"]: field.get("value", "") for field in form.select("form input[name]")
            if field.get("type") not in ("submit", "checkbox")}
    data.update({area["name"]: area.text for area in form.select("form textarea[name]")})
    old_name = data["name"]
    assert all(old_name in page for page in before)
    data["name"] = new_name = f"{old_name} (renamed on node A)"
    status, _, _ = request(node_a, "POST", change, data={**data, "_save": "Save"},
                           cookies=cookies, headers={**proxy, "Referer": f"{cluster.url}{change}"})
    assert status == 302
    # Each worker of node B, which has just read the content version, reads it again after
    # PCC_CONTENT_VERSION_CHECK_SECONDS.
    time.sleep(settings.CONTENT_VERSION_CHECK_SECONDS + 0.2)
    assert all(new_name in page for page in read_b())


def test_the_timers_jobs_run_with_the_nodes_settings(cluster):
    assert cluster.run_jobs() == [("pcc-practice-alerts", [0]), ("pcc-practice-backup", [0, 0])]
    assert "Sent 0 digest(s)" in (cluster.work / "scheduler.log").read_text()
    backups = list((cluster.work / "state" / "backups").glob("pcc-practice-*.json"))
    assert len(backups) == 1
    assert b'"model": "themes.theme"' in backups[0].read_bytes()


def test_with_both_nodes_down_readers_get_a_page_that_says_what_to_do(cluster):
    for n in (0, 1):
        cluster.kill_node(n)
    try:
        status, headers, body = get(cluster.url, "/practice/")
        page = text(body)
    finally:
        for n in (0, 1):
            cluster.restart_node(n)
    assert status == 502
    assert "Sorry, the service is unavailable" in page
    assert "send it again" in page
    assert get(cluster.url, "/practice/")[0] == 200
