"""`make bench`: measures the site under load at 10,000 and 100,000 initiatives.

For each size it builds a benchmark database (PostgreSQL by default, SQLite with
BENCH_DB=sqlite), starts gunicorn with production settings (2 workers, whitenoise) and a
floor app (one view, no middleware), loads each page with wrk on loopback, and prints a
table: requests per second, p50/p95/p99 latency, throughput as a share of the floor
measured in the same run, queries per request and peak memory per worker.

Three kinds of row: the same address again and again with the page cache off (facet counts,
the filter panel and result cards come from the fragment cache after the first request);
a new address for every request (tests/load/unique.lua), which nothing has been computed
for: a new page or sort, a new combination of two filters, a new search, a case study not
yet shown; and the same address with the page cache on.
"""

import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv/bin/python")
GUNICORN = str(ROOT / ".venv/bin/gunicorn")
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
DB = os.environ.get("BENCH_DB", "postgres")
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/pcc_bench"
FLOOR_PORT, APP_PORT = 8790, 8791

PAGES = [
    ("list, no filters", "/practice/"),
    ("list, two filters", "/practice/?area=kent&theme=intervening-earlier"),
    ("list, search", "/practice/?q=street+triage"),
    ("list, page 50", "/practice/?page=50"),
    ("case study", "/practice/demo-5/"),
    ("area", "/areas/kent/"),
    ("theme", "/themes/intervening-earlier/"),
    ("area-by-theme grid", "/compare/areas/"),
    ("home", "/"),
]


def env(**extra):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PCC_"))}
    base.update(DJANGO_SECRET_KEY="bench-only-" + "x" * 40, DJANGO_HTTPS="0", DJANGO_DEBUG="0",
                DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
                DATABASE_URL=os.environ["BENCH_DATABASE_URL"])
    base.update(extra)
    return base


def manage(*args, **extra):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env(**extra), check=True)


def fresh_database():
    if DB == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS pcc_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE pcc_bench")
        os.environ["BENCH_DATABASE_URL"] = PG_BENCH
    else:
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["BENCH_DATABASE_URL"] = f"sqlite:///{path}"
    manage("migrate", "--noinput", "--verbosity", "0")
    manage("seed", "--verbosity", "0")
    manage("collectstatic", "--noinput", "--verbosity", "0")


def start(app, port, **extra):
    proc = subprocess.Popen(
        [GUNICORN, app, "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "120",
         "--error-logfile", "-", "--log-level", "warning"],
        cwd=ROOT, env=env(**extra), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urlopen(f"http://127.0.0.1:{port}/", timeout=2)  # noqa: S310 - loopback only
            return proc
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"gunicorn did not start on port {port}")


class MemoryWatch:
    """Samples the resident memory of a gunicorn master's workers; keeps the peak."""

    def __init__(self, proc):
        self.proc, self.peak_kb, self.running = proc, 0, True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while self.running:
            out = subprocess.run(["ps", "--ppid", str(self.proc.pid), "-o", "rss="],
                                 capture_output=True, text=True).stdout.split()
            if out:
                self.peak_kb = max(self.peak_kb, *map(int, out))
            time.sleep(0.2)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.peak_kb / 1024


def settle(port):
    """Waits until the workers have finished every request still queued from the last run
    (wrk gives up on slow ones, the workers do not), so that no row pays for the one before.
    Each worker takes queued requests in turn, so a few quick requests come back only then."""
    path = "/" if port == FLOOR_PORT else "/healthz"
    for _ in range(4):
        urlopen(f"http://127.0.0.1:{port}{path}", timeout=600)  # noqa: S310 - loopback only


def wrk(port, path, seconds=SECONDS, headers=None):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
         *[arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")],
         "-s", str(ROOT / "tests/load/report.lua"), f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout
    settle(port)
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    requests, duration_us, p50, p95, p99, errors = line.split()[1:]
    return {"rps": int(requests) / (int(duration_us) / 1e6), "p50": float(p50),
            "p95": float(p95), "p99": float(p99), "errors": int(errors)}


# The most new addresses a second that a row is given room for: shorter than SECONDS where
# there are fewer addresses, so that a row does not run out of them and repeat some (a repeat
# is served from the cache, and would flatter the row; repeats are counted and shown).
NEW_PER_SECOND = 400
FLOOD = 5000

# Rows with the page cache on: the list, two filters and a case study, and the list gzipped
# as browsers ask for it (a copy kept apart from the plain one).
CACHED_PAGES = [(f"{name}, page cache on", path, {}) for name, path in PAGES[:2] + PAGES[4:5]]
CACHED_PAGES.append((f"{PAGES[0][0]}, page cache on, gzip as browsers ask", PAGES[0][1],
                     {"Accept-Encoding": "gzip, deflate, br"}))


def wrk_unique(port, paths):
    """wrk over `paths`, each asked for once while they last; also counts repeats."""
    seconds = max(2, min(SECONDS, len(paths) // NEW_PER_SECOND))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(ROOT / "tests/load/unique.lua"), f"http://127.0.0.1:{port}", "--",
         listing.name, "2"],
        capture_output=True, text=True, check=True,
    ).stdout
    os.unlink(listing.name)
    settle(port)
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    requests, duration_us, p50, p95, p99, errors, repeats = line.split()[1:]
    return {"rps": int(requests) / (int(duration_us) / 1e6), "p50": float(p50),
            "p95": float(p95), "p99": float(p99), "errors": int(errors),
            "repeats": int(repeats), "addresses": len(paths), "seconds": seconds}


def catalogue():
    """What the benchmark database holds: filter values, published slugs, page count."""
    code = (
        "import json, django; django.setup()\n"
        "from casestudies.models import (Area, EvidenceFinding, EvidenceStage, Initiative,\n"
        "  PartnerType, Region, Status)\n"
        "from casestudies.management.commands.generate_demo_data import WORDS\n"
        "from themes.models import Theme\n"
        "published = Initiative.objects.published()\n"
        "print(json.dumps({'areas': list(Area.objects.values_list('slug', flat=True)),\n"
        "  'themes': list(Theme.objects.values_list('slug', flat=True)),\n"
        "  'regions': list(Region.values), 'statuses': list(Status.values),\n"
        "  'stages': list(EvidenceStage.values), 'findings': list(EvidenceFinding.values),\n"
        "  'partner_types': list(PartnerType.values), 'count': published.count(), 'words': WORDS,\n"
        "  'slugs': list(published.order_by('?').values_list('slug', flat=True)[:20000])}))\n"
    )
    result = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env=env(DJANGO_SETTINGS_MODULE="pcc_practice.settings"), check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def new_addresses(data):
    """For each kind of page, addresses in an order that asks for nothing twice."""
    rng = random.Random(7)  # noqa: S311 - a repeatable order, not a secret
    pages = max(1, data["count"] // 20)
    sorts = ["newest", "title", "area", "reviewed"]
    listing = [f"/practice/?page={page}&sort={sort}" for sort in sorts
               for page in range(2, pages + 1)]
    rng.shuffle(listing)
    pairs = [(a, b) for a in ("area", "region")
             for b in ("theme", "status", "evidence_stage", "evidence_finding", "partner_type")]
    values = {"area": data["areas"], "region": data["regions"], "theme": data["themes"],
              "status": data["statuses"], "evidence_stage": data["stages"],
              "evidence_finding": data["findings"], "partner_type": data["partner_types"]}
    filtered = [f"/practice/?{a}={x}&{b}={y}" for a, b in pairs
                for x in values[a] for y in values[b]]
    rng.shuffle(filtered)
    words = sorted({w.lower() for w in data["words"] if len(w) > 3})
    searches = [f"/practice/?q={a}+{b}" for a in words for b in words if a < b]
    rng.shuffle(searches)
    studies = [f"/practice/{slug}/" for slug in data["slugs"]]
    return [
        ("list, a new page or sort", listing),
        ("list, a new pair of filters", filtered),
        ("list, a new search", searches),
        ("case study, not yet shown", studies),
    ]


def queries_per_request():
    code = (
        "import json, django; django.setup()\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        f"pages = {json.dumps([p for _, p in PAGES] + ['/practice/export.csv?area=kent'])}\n"
        "c, out = Client(), {}\n"
        "for p in pages:\n"
        "    with CaptureQueriesContext(connection) as q:\n"
        "        r = c.get(p)\n"
        "        b''.join(r.streaming_content) if r.streaming else r.content\n"
        "    out[p] = len(q)\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env=env(DJANGO_SETTINGS_MODULE="pcc_practice.settings",
                                    PCC_PAGE_CACHE_SECONDS="0",
                                    # the content version is read once, not once a second
                                    PCC_CONTENT_VERSION_CHECK_SECONDS="3600"), check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def search_plan():
    if DB != "postgres":
        return "not applicable (SQLite)"
    code = ("import django; django.setup()\n"
            "from casestudies.models import Initiative\n"
            "print(Initiative.objects.published().search('street triage').explain())\n")
    out = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env=env(DJANGO_SETTINGS_MODULE="pcc_practice.settings"), check=True)
    index = "casestudies_initiative_document"
    return f"uses {index}" if index in out.stdout else "does NOT use the full-text index"


def export_timing():
    started = time.monotonic()
    with urlopen(f"http://127.0.0.1:{APP_PORT}/practice/export.csv", timeout=60) as r:  # noqa: S310
        size = sum(len(chunk) for chunk in iter(lambda: r.read(65536), b""))
    return time.monotonic() - started, size


def measure(size):
    floor = start("tests.load.floor:application", FLOOR_PORT)
    app = start("pcc_practice.wsgi", APP_PORT, PCC_PAGE_CACHE_SECONDS="0")
    watch = MemoryWatch(app)
    try:
        for _, path in PAGES:  # warm up each page once
            urlopen(f"http://127.0.0.1:{APP_PORT}{path}", timeout=30)  # noqa: S310
        floor_result = wrk(FLOOR_PORT, "/")
        rows = [(name, path, wrk(APP_PORT, path)) for name, path in PAGES]
        new_rows = [(name, wrk_unique(APP_PORT, paths))
                    for name, paths in new_addresses(catalogue())]
        # The export target is for 10,000 initiatives: time it at the first size only.
        export = export_timing() if size == SIZES[0] else None
    finally:
        peak = watch.stop()
        app.terminate()
        app.wait()
    cached = start("pcc_practice.wsgi", APP_PORT, PCC_PAGE_CACHE_SECONDS="600")
    cached_watch = MemoryWatch(cached)
    try:
        # The machine's speed drifts over a run: measure the floor again beside these rows.
        cached_floor = wrk(FLOOR_PORT, "/")
        cached_rows = []
        for name, path, headers in CACHED_PAGES:
            urlopen(Request(f"http://127.0.0.1:{APP_PORT}{path}", headers=headers),  # noqa: S310
                    timeout=30)
            cached_rows.append((name, wrk(APP_PORT, path, headers=headers)))
        # Anyone can add junk to an address: FLOOD addresses that no page reads, then as
        # many valid searches, each new, must leave the workers' memory bounded.
        flood = wrk_unique(APP_PORT, [f"/practice/?junk{n}={n}" for n in range(FLOOD)]
                           + [f"/practice/?q=triage+{n}" for n in range(FLOOD)])
    finally:
        flood_peak = cached_watch.stop()
        peak = max(peak, flood_peak)
        cached.terminate()
        cached.wait()
        floor.terminate()
        floor.wait()
    queries = queries_per_request()
    print(f"\n### {size:,} initiatives ({DB}, {CONNECTIONS} connections, {SECONDS}s a page)\n")
    print("The same address again and again, page cache off:\n")
    print("| page | req/s | p50 ms | p95 ms | p99 ms | share of floor | queries | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| floor (minimal Django view) | {floor_result['rps']:.0f} | {floor_result['p50']:.1f} "
          f"| {floor_result['p95']:.1f} | {floor_result['p99']:.1f} | 100% | 0 | "
          f"{floor_result['errors']} |")
    for name, path, r in rows:
        share = r["rps"] / floor_result["rps"] * 100
        print(f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} "
              f"| {share:.1f}% | {queries[path]} | {r['errors']} |")
    print("\nA new address for every request (page cache off; nothing computed for it yet):\n")
    print("| page | req/s | p50 ms | p95 ms | p99 ms | share of floor | addresses | seconds "
          "| repeats | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in new_rows:
        share = r["rps"] / floor_result["rps"] * 100
        print(f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} "
              f"| {share:.1f}% | {r['addresses']} | {r['seconds']} | {r['repeats']} "
              f"| {r['errors']} |")
    print("\nThe same address again, with the page cache on (the floor measured again first):\n")
    print("| page | req/s | p50 ms | p95 ms | p99 ms | share of floor | queries | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| floor, measured again | {cached_floor['rps']:.0f} | {cached_floor['p50']:.1f} "
          f"| {cached_floor['p95']:.1f} | {cached_floor['p99']:.1f} | 100% | 0 | "
          f"{cached_floor['errors']} |")
    for name, r in cached_rows:
        share = r["rps"] / cached_floor["rps"] * 100
        print(f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} "
              f"| {r['p99']:.1f} | {share:.1f}% | 0 | {r['errors']} |")
    print()
    if export:
        export_queries = queries["/practice/export.csv?area=kent"]
        print(f"- CSV export of every published initiative: {export[0]:.2f}s, "
              f"{export[1] / 1e6:.1f} MB, streamed ({export_queries} queries for one area)")
    print(f"- Peak memory per gunicorn worker: {peak:.0f} MB; with the page cache on, after "
          f"{FLOOD:,} addresses with junk parameters and {FLOOD:,} new searches "
          f"({flood['rps']:.0f} req/s, {flood['errors']} errors): {flood_peak:.0f} MB")
    print(f"- Search query plan: {search_plan()}")


def main():
    subprocess.run(["wrk", "--version"], capture_output=True)
    fresh_database()
    have = 0
    for size in SIZES:
        manage("generate_demo_data", "--initiatives", str(size - have))
        have = size
        if DB == "postgres":
            import psycopg

            with psycopg.connect(PG_BENCH, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        measure(size)


if __name__ == "__main__":
    sys.exit(main())
