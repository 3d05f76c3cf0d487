"""The abuse suite (`make abuse`): gunicorn with production settings, 2 workers of 8 threads (as
`make serve`), on loopback with a fresh SQLite database and the seed, as an attacker would try
it. It replays each finding of the abuse review and checks its fix, then runs a mixed hostile
load (board-pack PDFs, long searches, spreadsheet imports, form floods, junk addresses) while
/healthz is probed, and prints the figures: /healthz p50/p99/max, answers by status, worker
memory. Fails when a check fails, /healthz p99 reaches one second, any 5xx other than a
deliberate 503 "busy" answers, or a worker's RSS reaches 200 MB. Bounded: ABUSE_SECONDS (30)
of mixed load, a few minutes in all.

Behind the loopback "proxy" this script plays, the site trusts one proxy (PCC_TRUSTED_PROXIES=1):
each request says which client it is for in X-Forwarded-For, and a forged left-most entry is
added to every one."""

import asyncio
import email
import http.client
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from email import policy
from pathlib import Path
from urllib.parse import urlencode

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv/bin/python")
PORT = int(os.environ.get("ABUSE_PORT", "8798"))
SECONDS = int(os.environ.get("ABUSE_SECONDS", "30"))
API_LIMIT = 60
failures = []


def check(ok, what):
    print(("  ok   " if ok else "  FAIL ") + what)
    if not ok:
        failures.append(what)


class Response:
    def __init__(self, status, headers, body, seconds):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds
        self.text = body.decode("utf-8", "replace")

    def cookie(self, name):
        for value in self.headers.get_all("Set-Cookie") or []:
            if value.startswith(name + "="):
                return value.split(";")[0].split("=", 1)[1]
        return None


def call(method, path, client="203.0.113.1", body=None, headers=None, timeout=30):
    """One request, as the proxy would send it for `client` (a forged entry on the left)."""
    headers = {"X-Forwarded-For": f"10.{random.randint(0, 255)}.0.1, {client}",
               **(headers or {})}
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    start = time.monotonic()
    try:
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
        return Response(answer.status, answer.headers, data, time.monotonic() - start)
    finally:
        connection.close()


def form(path, client, fields, cookies="", content_type="application/x-www-form-urlencoded",
         encode=lambda text: text.encode()):
    """Posts `fields` to the form at `path` with its CSRF token, as a browser would."""
    page = call("GET", path, client, headers={"Cookie": cookies} if cookies else None)
    token = page.cookie("csrftoken")
    hidden = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    jar = "; ".join(part for part in (cookies, f"csrftoken={token}") if part)
    body = urlencode({"csrfmiddlewaretoken": hidden.group(1), **fields}, doseq=True)
    return call("POST", path, client, encode(body), {"Cookie": jar,
                                                      "Content-Type": content_type})


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message.get_body(preferencelist=("plain",)).get_content())
        return "250 OK"


def slugs():
    page = call("GET", "/api/v1/practice/?page_size=100", "198.51.100.250")
    return re.findall(r'"slug":\s*"([^"]+)"', page.text)


# --- Replays of the findings ---

def replay_findings(inbox, picks):
    print("Replaying the findings")
    spoofed = [call("GET", "/api/v1/themes/", "198.51.100.7").status for _ in range(API_LIMIT + 5)]
    check(spoofed.count(200) == API_LIMIT and spoofed[-1] == 429,
          f"API limit of {API_LIMIT} holds across 2 workers and forged X-Forwarded-For "
          f"({spoofed.count(200)} answered)")
    check(call("GET", "/api/v1/themes/", "198.51.100.8").status == 200,
          "another client behind the same proxy keeps its own allowance")

    message = {"kind": "other", "message": "Testing the limit.", "page": "/", "name": "A",
               "email": "a@example.org"}
    statuses = [form("/contact/", "198.51.100.9", message).status for _ in range(6)]
    for n in range(260):  # fill every cache with distinct searches
        call("GET", f"/practice/?q=filler{n}", "198.51.100.9")
    after = form("/contact/", "198.51.100.9", message).status
    check(statuses[-1] == 429 and after == 429,
          f"contact form limit survives 260 cache-filling searches ({statuses} then {after})")

    utf16 = [form(path, "198.51.100.10", {"message": "x"}, content_type=(
        "application/x-www-form-urlencoded; charset=utf-16"),
        encode=lambda text: text.encode("utf-16")).status
        for path in ("/contact/", "/suggest/", "/alerts/", "/admin/login/")]
    check(utf16 == [400] * 4, f"forms sent in UTF-16 are 400s: {utf16}")

    long = call("GET", "/practice/?" + urlencode({"q": " ".join(f"w{n}" for n in range(80))}))
    check(long.status == 200 and "at most 12 different words" in long.text,
          f"an 80-term search is refused in words ({long.status}, {long.seconds:.2f} s)")
    export = call("GET", "/practice/export.csv?" + urlencode({"q": " ".join(["pcc"] * 50)}))
    check(export.status < 500, f"50 x 'pcc' in the CSV export answers {export.status} in "
                               f"{export.seconds:.2f} s")

    unknown = call("GET", "/api/v1/no-such-thing/")
    check(unknown.status == 404 and unknown.headers["Content-Type"] == "application/problem+json"
          and unknown.headers["Access-Control-Allow-Origin"] == "*",
          "an unknown API address is a problem document with CORS")
    check(call("OPTIONS", "/api/v1/practice/").status == 204, "a preflight is answered")
    first = call("GET", "/api/v1/areas/", "198.51.100.11")
    again = call("GET", "/api/v1/areas/", "198.51.100.11",
                 headers={"If-None-Match": first.headers["ETag"]})
    check(again.status == 304 and again.headers["Access-Control-Allow-Origin"] == "*",
          "a 304 keeps its CORS headers")

    junk = call("GET", "/practice/?" + urlencode({"pick": [f"junk-{n:04d}" for n in range(200)]},
                                                 doseq=True))
    check("junk-0001" not in junk.text, f"unknown picks are not echoed ({len(junk.body)} bytes)")

    sent_before = len(inbox.messages)
    for n in range(20):
        form("/alerts/", f"198.51.100.{20 + n}",
             {"search": f"area={random.choice(['norfolk', 'essex', 'kent'])}&q=w{n}",
              "email": "victim@example.org", "frequency": "daily"})
    sent = len(inbox.messages) - sent_before
    check(sent <= 3, f"20 sign-ups for one address sent {sent} confirmation emails")
    link = re.search(r"http://[^/\s]+(/alerts/confirm/[^\s]+/)", inbox.messages[-1] if
                     inbox.messages else "")
    check(link is not None, "the confirmation email has its link")
    if link:
        call("HEAD", link.group(1))
        check("Confirm email alerts" in call("GET", link.group(1)).text,
              "following a confirmation link (GET, HEAD) confirms nothing")

    pack = "/shortlist/board-pack.pdf?" + urlencode({"pick": picks[:20]}, doseq=True)
    made = call("GET", pack, "198.51.100.60", timeout=60)
    cached = call("GET", pack, "198.51.100.61", timeout=60)
    check(made.status == 200 and cached.status == 200 and cached.seconds < 1,
          f"a 20-pick board pack: made in {made.seconds:.2f} s, then kept for every worker "
          f"({cached.seconds:.3f} s)")
    check(import_refused(), "a 2,000-row spreadsheet is refused before any row is read")


def admin_session():
    login = form("/admin/login/?next=/admin/", "198.51.100.90",
                 {"username": "abuse", "password": "abuse-suite-password", "next": "/admin/"})
    return f"sessionid={login.cookie('sessionid')}"


def import_refused(rows=2000):
    session = admin_session()
    path = "/admin/casestudies/initiative/import/"
    page = call("GET", path, "198.51.100.90", headers={"Cookie": session})
    token = page.cookie("csrftoken") or ""
    hidden = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    csv = "Title,Area\n" + "".join(f"Row {n},Norfolk\n" for n in range(rows))
    boundary = "abuse-boundary"
    parts = [("csrfmiddlewaretoken", hidden), ("format", "1")]
    body = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                   f"{value}\r\n" for name, value in parts)
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="import_file"; '
             f'filename="rows.csv"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n')
    answer = call("POST", path, "198.51.100.90", body.encode(), {
        "Cookie": f"{session}; csrftoken={token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    return answer.status == 200 and "the most one import takes" in answer.text


# --- The mixed hostile load ---

def mixed_load(picks):
    print(f"Mixed hostile load for {SECONDS} s while /healthz is probed")
    stop = time.monotonic() + SECONDS
    statuses, health, lock = {}, [], threading.Lock()

    def record(kind, status):
        with lock:
            statuses.setdefault(kind, {}).setdefault(status, 0)
            statuses[kind][status] += 1

    def loop(kind, make):
        while time.monotonic() < stop:
            try:
                record(kind, make().status)
            except OSError as error:
                record(kind, type(error).__name__)

    def pdf():
        chosen = random.sample(picks, min(20, len(picks)))
        address = "/shortlist/board-pack.pdf?" + urlencode({"pick": chosen}, doseq=True)
        return call("GET", address, f"198.51.100.{random.randint(100, 200)}", timeout=60)

    def search():
        words = " ".join(random.choice(["pcc", "triage", "crisis", "zzq", "mental"])
                         + str(random.randint(0, 9)) for _ in range(12))
        return call("GET", "/practice/?" + urlencode({"q": words}),
                    f"198.51.100.{random.randint(1, 250)}")

    def flood():
        return form("/suggest/", f"198.51.100.{random.randint(1, 250)}",
                    {"title": "x" * 5000, "area": "nowhere"})

    def junk():
        path = random.choice(["/practice/%00", "/api/v1/practice/?page=-1", "/api/v1/x",
                              "/shortlist/?pick=" + "x" * 3000, "/no/such/" + "a" * 500,
                              "/alerts/?q=%ff"])
        return call(random.choice(["GET", "POST", "HEAD", "OPTIONS"]), path)

    def importing():
        return Response(200 if import_refused(400) else 500, {}, b"", 0)

    threads = [threading.Thread(target=loop, args=(kind, make)) for kind, make, count in [
        ("pdf", pdf, 3), ("search", search, 2), ("flood", flood, 2), ("junk", junk, 1),
        ("import", importing, 1)] for _ in range(count)]
    for thread in threads:
        thread.start()
    while time.monotonic() < stop:
        try:
            answer = call("GET", "/healthz", timeout=10)
            health.append(answer.seconds if answer.status == 200 else 99.0)
        except OSError:
            health.append(99.0)
        time.sleep(0.2)
    for thread in threads:
        thread.join()
    return statuses, health


def worker_rss(pid):
    out = subprocess.run(["ps", "--ppid", str(pid), "-o", "rss="], capture_output=True,
                         text=True, check=False).stdout
    return [int(value) // 1024 for value in out.split()]


def main():
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        smtp_port = probe.getsockname()[1]
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    work = Path(tempfile.mkdtemp(prefix="pcc-abuse-"))
    env = {**os.environ, "DJANGO_SECRET_KEY": f"abuse-{random.random()}", "DJANGO_HTTPS": "0",
           "DJANGO_DEBUG": "0", "DATABASE_URL": f"sqlite:///{work}/abuse.sqlite3",
           "PCC_TRUSTED_PROXIES": "1", "PCC_API_RATE_LIMIT": str(API_LIMIT),
           "PCC_BOARD_PACK_CACHE_DIR": str(work / "board-packs"),
           "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port),
           "EMAIL_USE_TLS": "0", "PCC_SITE_URL": f"http://127.0.0.1:{PORT}",
           "DJANGO_SUPERUSER_PASSWORD": "abuse-suite-password"}
    env.pop("REDIS_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["seed"],
                    ["collectstatic", "--noinput", "-v0"],
                    ["createsuperuser", "--noinput", "--username", "abuse",
                     "--email", "abuse@example.org"]):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "pcc_practice.wsgi", "--bind",
                               f"127.0.0.1:{PORT}", "--workers", "2", "--timeout", "120",
                               "--threads", os.environ.get("WEB_THREADS", "8"),
                               "--error-logfile", str(work / "gunicorn.log")], cwd=ROOT, env=env)
    try:
        for _ in range(80):
            try:
                if call("GET", "/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.25)
        picks = slugs()
        replay_findings(inbox, picks)
        statuses, health = mixed_load(picks)
        rss = worker_rss(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        smtp.stop()
    ordered = sorted(health)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"/healthz: {len(health)} probes, p50 {statistics.median(health):.3f} s, "
          f"p99 {p99:.3f} s, max {ordered[-1]:.3f} s")
    for kind, counts in statuses.items():
        print(f"  {kind}: " + ", ".join(f"{status} x{n}" for status, n in sorted(
            counts.items(), key=str)))
    print(f"worker RSS (MB): {rss}")
    unexpected = {kind: {status: n for status, n in counts.items() if isinstance(status, int)
                         and status >= 500 and not (kind == "pdf" and status == 503)}
                  for kind, counts in statuses.items()}
    check(p99 < 1.0, f"/healthz p99 under one second ({p99:.3f} s)")
    check(not any(unexpected.values()), f"no 5xx but the busy 503: {unexpected}")
    check(all(mb < 200 for mb in rss), f"every worker under 200 MB: {rss}")
    if failures:
        print(f"Abuse suite FAILED: {len(failures)} check(s)")
        for what in failures:
            print(f"  - {what}")
        print(f"gunicorn's log: {work / 'gunicorn.log'}")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    print("Abuse suite passed.")
    return 0


if __name__ == "__main__":
    asyncio.set_event_loop(asyncio.new_event_loop())
    sys.exit(main())
