"""`make failover`: steady mixed load through nginx (pages, searches, the API, contact-form
posts) on the cluster of tests/load/cluster.py while one node is killed and started again,
while the other is restarted as for a release, then while Redis is stopped. About 90 seconds
of load after the cluster is up.

Readers come from many loopback addresses (each one sending the contact form an address of
its own), so the limits keep their production values: no address comes near them.

Prints, for each phase, requests sent and failed and the 99th percentile time; counts the
contact messages stored against the posts answered with success. Fails (exit 1) if any
request fails other than a post cut off as its node died (nginx must not send a post again:
it may have been stored), if a post answered with success is not stored exactly once, if a
public page does not answer 200 with Redis stopped, or if the form limit does not hold then.
"""

import itertools
import os
import random
import re
import secrets
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.load.cluster import PG, Cluster, get, request, wait_until  # noqa: E402

READERS = 6
# Each phase and the least time it lasts, in seconds (with Redis stopped, as long as it takes
# to read every public page too).
PHASES = [("steady", 10), ("node 2 killed", 12), ("node 2 started again", 15),
          ("node 1 restarted", 12), ("Redis stopped", 15), ("Redis started again", 10)]
WORDS = ["triage", "street triage", "crisis", "liaison diversion", "mental health", "custody",
         "control room", "section 136", "partnership", "homeless"]
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Load:
    def __init__(self, cluster, run):
        self.cluster, self.run = cluster, run
        self.results = []  # (phase, kind, ok, seconds, status)
        self.posts = {}  # marker: status answered
        self.phase = "steady"
        self.stopping = threading.Event()
        self.counter = itertools.count()
        self.readers = itertools.count()
        self.lock = threading.Lock()

    def pages(self):
        _, _, body = get(self.cluster.url, "/sitemap.xml")
        paths = re.findall(rb"<loc>https?://[^/<]+(/[^<]*)</loc>", body)
        sections = [p.decode() for p in paths if b"sitemap-" not in p]
        if len(sections) < 10:  # a sitemap index: read its sections
            for section in paths:
                sections += [p.decode() for p in re.findall(
                    rb"<loc>https?://[^/<]+(/[^<]*)</loc>", get(self.cluster.url,
                                                               section.decode())[2])]
        return sorted(set(sections))

    def source(self):
        return f"127.0.1.{next(self.counter) % 250 + 1}"

    def one(self, kind, method, path, expected, source=None, **kwargs):
        started = time.monotonic()
        try:
            status, _, body = request(self.cluster.url, method, path,
                                      source=source or self.source(), **kwargs)
        except OSError as error:
            status, body = f"error: {error}", b""
        seconds = time.monotonic() - started
        with self.lock:
            self.results.append((self.phase, kind, status == expected, seconds, status))
        return status, body

    def post(self):
        """A new reader opens the contact form and sends it, from an address of its own."""
        cookies, n = {}, next(self.readers)
        source = f"127.1.{n // 250}.{n % 250 + 1}"
        status, body = self.one("form page", "GET", "/contact/", 200, cookies=cookies,
                                source=source)
        token = CSRF.search(body)
        if status != 200 or not token:
            return
        marker = f"failover-{self.run}-{secrets.token_hex(6)}"
        status, _ = self.one("form post", "POST", "/contact/", 302, cookies=cookies,
                             source=source,
                             headers={"Referer": f"{self.cluster.url}/contact/"},
                             data={"csrfmiddlewaretoken": token.group(1).decode(),
                                   "kind": "site", "message": f"{marker} The map is slow.",
                                   "page": "/picture/", "name": "", "email": "", "website": ""})
        with self.lock:
            self.posts[marker] = status

    def reader(self, pages):
        rng = random.Random()  # noqa: S311 (choosing pages, not secrets)
        while not self.stopping.is_set():
            choice = rng.random()
            if choice < 0.45:
                self.one("page", "GET", rng.choice(pages), 200)
            elif choice < 0.65:
                words = rng.choice(WORDS).replace(" ", "+")
                self.one("search", "GET", f"/practice/?q={words}", 200)
            elif choice < 0.85:
                path = rng.choice(["/api/v1/themes/", "/api/v1/areas/",
                                   f"/api/v1/practice/?q={rng.choice(WORDS).split()[0]}"])
                self.one("api", "GET", path, 200)
            else:
                self.post()
            time.sleep(0.05)


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))] if values else 0.0


def stored(run):
    import psycopg

    with psycopg.connect(dbname=run.db_name, **PG) as conn:
        rows = conn.execute("SELECT message FROM casestudies_contactmessage "
                            "WHERE message LIKE %s", [f"failover-{run.run_id}-%"]).fetchall()
    counts = {}
    for (message,) in rows:
        marker = message.split()[0]
        counts[marker] = counts.get(marker, 0) + 1
    return counts


def limit_holds(cluster, source):
    """Six messages from one address: the sixth is refused (PCC_FORM_RATE_LIMIT, 5)."""
    statuses = []
    for n in range(6):
        cookies = {}
        _, _, body = get(cluster.url, "/contact/", cookies=cookies, source=source)
        token = CSRF.search(body).group(1).decode()
        statuses.append(request(cluster.url, "POST", "/contact/", cookies=cookies,
                                source=source, headers={"Referer": f"{cluster.url}/contact/"},
                                data={"csrfmiddlewaretoken": token, "kind": "other",
                                      "message": f"limit check {n}", "website": ""})[0])
    return statuses


def main():
    cluster = Cluster(db_name=f"pcc_failover_{os.getpid()}", fresh=True, tick=20.0)
    cluster.run_id = secrets.token_hex(4)
    failures = []
    with cluster:
        load = Load(cluster, cluster.run_id)
        pages = load.pages()
        print(f"Cluster up at {cluster.url}; {len(pages)} public pages; load for "
              f"at least {sum(s for _, s in PHASES)} s with {READERS} readers", flush=True)
        threads = [threading.Thread(target=load.reader, args=(pages,)) for _ in range(READERS)]
        for thread in threads:
            thread.start()
        began = time.monotonic()
        redis_checks = {}
        for phase, seconds in PHASES:
            started = time.monotonic()
            load.phase = phase
            print(f"{started - began:5.1f} s  {phase}", flush=True)
            if phase == "node 2 killed":
                cluster.kill_node(1)
            elif phase == "node 2 started again":
                cluster.start_node(1)
                port = cluster.node_ports[1]
                wait_until(lambda port=port: get(f"http://127.0.0.1:{port}",
                                                 "/healthz")[0] == 200)
                print(f"{time.monotonic() - began:5.1f} s  node 2 answers again", flush=True)
            elif phase == "node 1 restarted":
                # As `systemctl restart` for a release: requests in progress finish, then the
                # node stops (SIGTERM) and starts again.
                cluster.restart_node(0)
                print(f"{time.monotonic() - began:5.1f} s  node 1 answers again", flush=True)
            elif phase == "Redis stopped":
                cluster.stop_redis()
                redis_checks["pages"] = {path: get(cluster.url, path)[0] for path in pages}
                redis_checks["limit"] = limit_holds(cluster, "127.0.2.1")
            elif phase == "Redis started again":
                cluster.start_redis()
            time.sleep(max(0.0, started + seconds - time.monotonic()))
        print(f"{time.monotonic() - began:5.1f} s  end", flush=True)
        load.stopping.set()
        for thread in threads:
            thread.join()
        counts = stored(cluster)
        retried = sum("upstream" in line for line in
                      (cluster.work / "pcc-practice.error.log").read_text().splitlines())
        served = [(cluster.work / f"node{n}.log").read_text().count('" 200 ')
                  for n in (1, 2)]

    print(f"\n{'phase':<22}{'sent':>7}{'failed':>8}{'p99 ms':>9}")
    for phase, _ in PHASES:
        rows = [r for r in load.results if r[0] == phase]
        print(f"{phase:<22}{len(rows):>7}{sum(not r[2] for r in rows):>8}"
              f"{percentile([r[3] for r in rows], 0.99) * 1000:>9.0f}")
    rows = load.results
    failed = [r for r in rows if not r[2]]
    print(f"{'all':<22}{len(rows):>7}{len(failed):>8}"
          f"{percentile([r[3] for r in rows], 0.99) * 1000:>9.0f}")
    for row in failed:
        print(f"  failed: {row[1]} in '{row[0]}': {row[4]}")
    print(f"nginx logged {retried} failed attempt(s) on a node, each passed to the other; "
          f"the nodes answered {served[0]} and {served[1]} requests with 200")

    answered = [m for m, status in load.posts.items() if status == 302]
    cut_off = [m for m, status in load.posts.items() if status != 302]
    print(f"\nform posts: {len(load.posts)} sent, {len(answered)} answered with success, "
          f"{sum(counts.get(m, 0) for m in answered)} of those stored "
          f"({sum(counts.get(m, 0) == 1 for m in answered)} exactly once); "
          f"{len(cut_off)} not answered with success, {sum(counts.get(m, 0) for m in cut_off)}"
          f" of those stored")
    if any(counts.get(m, 0) != 1 for m in answered):
        failures.append("a post answered with success was not stored exactly once")
    if any(counts.get(m, 0) > 1 for m in cut_off):
        failures.append("a post was stored twice")
    if any(r[1] != "form post" or r[0] != "node 2 killed" or r[4] != 502 for r in failed):
        # Only the kill may cost anything, and only a post in flight on the node then.
        failures.append("requests failed other than posts cut off as their node died")

    bad_pages = {p: s for p, s in redis_checks["pages"].items() if s != 200}
    print(f"\nRedis stopped: {len(redis_checks['pages']) - len(bad_pages)} of "
          f"{len(redis_checks['pages'])} public pages answered 200; six contact messages from "
          f"one address answered {redis_checks['limit']}")
    if bad_pages:
        failures.append(f"with Redis stopped, pages did not answer 200: {bad_pages}")
    if redis_checks["limit"] != [302] * 5 + [429]:
        failures.append("with Redis stopped, the form limit did not hold")
    print(f"timers' jobs run meanwhile: {cluster.jobs_run}")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    print("Failover passed." if not failures else "Failover failed.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
