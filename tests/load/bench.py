"""`make bench`: measures the site under load at 10,000 and 100,000 initiatives.

For each size it builds a benchmark database (PostgreSQL by default, SQLite with
BENCH_DB=sqlite), starts gunicorn with production settings (2 workers, whitenoise) and a
floor app (one view, no middleware), loads each page with wrk on loopback, and prints a
table: requests per second, p50/p90/p95/p99 latency, throughput as a share of the floor
measured in the same run, queries per request and peak memory per worker.

Three kinds of row: the same address again and again with the page cache off (facet counts,
the filter panel and result cards come from the fragment cache after the first request);
a new address for every request (tests/load/unique.lua), which nothing has been computed
for: a new page or sort, a new combination of two filters, a new search, a case study not
yet shown; and the same address with the page cache on.

BENCH_RELEASES compares releases in one run: a comma-separated list of git revisions, each
measured from a checkout of its own (in /tmp/pcc-bench/) on a database of its own, after
which a table sets their shares of the floor side by side. HEAD is this working tree as it
is; a revision may carry settings after "+", such as HEAD+PCC_FRAGMENT_CACHE_SECONDS=0.
"""

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.request import Request, urlopen

sys.path.insert(0, str(Path(__file__).resolve().parent))
from wrk import (  # noqa: E402
    CONNECTIONS,
    FLOOD,
    FLOOR_PORT,
    ROOT,
    SECONDS,
    MemoryWatch,
    start,
    wrk,
    wrk_unique,
)

PY = str(ROOT / ".venv/bin/python")
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
DB = os.environ.get("BENCH_DB", "postgres")
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
APP_PORT = 8791
CHECKOUTS = Path(tempfile.gettempdir()) / "pcc-bench"

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
# Rows with the page cache on: the list, two filters and a case study, and the list gzipped
# as browsers ask for it (a copy kept apart from the plain one).
CACHED_PAGES = [(f"{name}, page cache on", path, {}) for name, path in PAGES[:2] + PAGES[4:5]]
CACHED_PAGES.append((f"{PAGES[0][0]}, page cache on, gzip as browsers ask", PAGES[0][1],
                     {"Accept-Encoding": "gzip, deflate, br"}))


@dataclass
class Release:
    """One release to measure: its code (a directory), its database and any settings."""

    label: str
    tree: Path
    database: str
    settings: dict = field(default_factory=dict)

    def env(self, **extra):
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PCC_"))}
        base.update(DJANGO_SECRET_KEY="bench-only-" + "x" * 40, DJANGO_HTTPS="0",
                    DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
                    DATABASE_URL=self.database, **self.settings)
        base.update(extra)
        return base

    def manage(self, *args):
        subprocess.run([PY, "manage.py", *args], cwd=self.tree, env=self.env(), check=True)

    def python(self, code, **extra):
        result = subprocess.run([PY, "-c", code], cwd=self.tree, capture_output=True, text=True,
                                env=self.env(DJANGO_SETTINGS_MODULE="pcc_practice.settings",
                                             **extra), check=True)
        return result.stdout.strip().splitlines()[-1]


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def releases():
    """The releases of BENCH_RELEASES, each checked out once in CHECKOUTS."""
    found = []
    for spec in os.environ.get("BENCH_RELEASES", "HEAD").split(","):
        revision, *settings = spec.strip().split("+")
        settings = dict(setting.split("=", 1) for setting in settings)
        sha = git("rev-parse", "--short", revision)
        if revision == "HEAD":
            tree = ROOT
            label = f"{sha}{' with changes' if git('status', '--porcelain') else ''}"
        else:
            tree, label = CHECKOUTS / sha, sha
            if not tree.exists():
                git("worktree", "add", "--force", "--detach", str(tree), sha)
                for shared in ("node_modules", "assets"):
                    (tree / shared).symlink_to(ROOT / shared)
        name = f"pcc_bench_{'head' if tree == ROOT else sha}"
        database = (f"postgres://postgres@127.0.0.1:5432/{name}" if DB == "postgres"
                    else f"sqlite:///{Path(tempfile.gettempdir()) / name}.sqlite3")
        label += "".join(f" {key}={value}" for key, value in settings.items())
        found.append(Release(label, tree, database, settings))
    return found


def fresh_database(release):
    if DB == "postgres":
        import psycopg

        name = release.database.rsplit("/", 1)[1]
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
    else:
        Path(release.database.removeprefix("sqlite:///")).unlink(missing_ok=True)
    release.manage("migrate", "--noinput", "--verbosity", "0")
    release.manage("seed", "--verbosity", "0")
    release.manage("collectstatic", "--noinput", "--verbosity", "0")


def fill(release, more):
    release.manage("generate_demo_data", "--initiatives", str(more))
    if DB == "postgres":
        import psycopg

        with psycopg.connect(release.database, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")


def catalogue(release):
    """What the benchmark database holds: filter values, published slugs, page count."""
    return json.loads(release.python(
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
        "  'slugs': list(published.order_by('slug').values_list('slug', flat=True)[:20000])}))\n"
    ))


def new_addresses(data):
    """For each kind of page, addresses in an order that asks for nothing twice (the same
    order for every release)."""
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
    rng.shuffle(studies)
    return [
        ("list, a new page or sort", listing),
        ("list, a new pair of filters", filtered),
        ("list, a new search", searches),
        ("case study, not yet shown", studies),
    ]


def queries_per_request(release):
    pages = [p for _, p in PAGES] + ["/practice/export.csv?area=kent"]
    return json.loads(release.python(
        "import json, django; django.setup()\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        f"pages = {json.dumps(pages)}\n"
        "c, out = Client(), {}\n"
        "for p in pages:\n"
        "    with CaptureQueriesContext(connection) as q:\n"
        "        r = c.get(p)\n"
        "        b''.join(r.streaming_content) if r.streaming else r.content\n"
        "    out[p] = len(q)\n"
        "print(json.dumps(out))\n",
        PCC_PAGE_CACHE_SECONDS="0",
        # the content version is read once, not once a second
        PCC_CONTENT_VERSION_CHECK_SECONDS="3600"))


def search_plan(release):
    if DB != "postgres":
        return "not applicable (SQLite)"
    plan = release.python("import django; django.setup()\n"
                          "from casestudies.models import Initiative\n"
                          "plan = Initiative.objects.published().search('street triage')\n"
                          "print(plan.explain().replace(chr(10), ' '))\n")
    index = "casestudies_initiative_document"
    return f"uses {index}" if index in plan else "does NOT use the full-text index"


def export_timing():
    started = time.monotonic()
    with urlopen(f"http://127.0.0.1:{APP_PORT}/practice/export.csv", timeout=600) as r:  # noqa: S310
        size = sum(len(chunk) for chunk in iter(lambda: r.read(65536), b""))
    return time.monotonic() - started, size


def measure(release, size):
    """Every row for `release` at `size`: {"rows", "new_rows", "cached_rows", ...}."""
    floor = start("tests.load.floor:application", FLOOR_PORT, release.env(), cwd=ROOT)
    app = start("pcc_practice.wsgi", APP_PORT, release.env(PCC_PAGE_CACHE_SECONDS="0"),
                cwd=release.tree)
    watch = MemoryWatch(app)
    try:
        for _, path in PAGES:  # warm up each page once
            urlopen(f"http://127.0.0.1:{APP_PORT}{path}", timeout=60)  # noqa: S310
        result = {"floor": wrk(FLOOR_PORT, "/")}
        result["rows"] = [(name, path, wrk(APP_PORT, path)) for name, path in PAGES]
        result["new_rows"] = [(name, wrk_unique(APP_PORT, paths))
                              for name, paths in new_addresses(catalogue(release))]
        # The export target is for 10,000 initiatives: time it at the first size only.
        result["export"] = export_timing() if size == SIZES[0] else None
    finally:
        peak = watch.stop()
        app.terminate()
        app.wait()
    cached = start("pcc_practice.wsgi", APP_PORT, release.env(PCC_PAGE_CACHE_SECONDS="600"),
                   cwd=release.tree)
    cached_watch = MemoryWatch(cached)
    try:
        # The machine's speed drifts over a run: measure the floor again beside these rows.
        result["cached_floor"] = wrk(FLOOR_PORT, "/")
        result["cached_rows"] = []
        for name, path, headers in CACHED_PAGES:
            urlopen(Request(f"http://127.0.0.1:{APP_PORT}{path}", headers=headers),  # noqa: S310
                    timeout=60)
            result["cached_rows"].append((name, wrk(APP_PORT, path, headers=headers)))
        # Anyone can add junk to an address: FLOOD addresses that no page reads, then as
        # many valid searches, each new, must leave the workers' memory bounded.
        result["flood"] = wrk_unique(APP_PORT, [f"/practice/?junk{n}={n}" for n in range(FLOOD)]
                                     + [f"/practice/?q=triage+{n}" for n in range(FLOOD)])
    finally:
        result["flood_peak"] = cached_watch.stop()
        result["peak"] = max(peak, result["flood_peak"])
        cached.terminate()
        cached.wait()
        floor.terminate()
        floor.wait()
    result["queries"] = queries_per_request(release)
    result["plan"] = search_plan(release)
    return result


def share(row, floor):
    return f"{row['rps'] / floor['rps'] * 100:.1f}%"


def report(release, size, r):
    print(f"\n### {release.label}: {size:,} initiatives ({DB}, {CONNECTIONS} connections, "
          f"{SECONDS}s a page)\n")
    print("The same address again and again, page cache off:\n")
    print("| page | req/s | p50 ms | p90 ms | p99 ms | share of floor | queries | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    floor = r["floor"]
    print(f"| floor (minimal Django view) | {floor['rps']:.0f} | {floor['p50']:.1f} "
          f"| {floor['p90']:.1f} | {floor['p99']:.1f} | 100% | 0 | {floor['errors']} |")
    for name, path, row in r["rows"]:
        print(f"| {name} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p90']:.1f} "
              f"| {row['p99']:.1f} | {share(row, floor)} | {r['queries'][path]} "
              f"| {row['errors']} |")
    print("\nA new address for every request (page cache off; nothing computed for it yet):\n")
    print("| page | req/s | p50 ms | p90 ms | p99 ms | share of floor | addresses | seconds "
          "| repeats | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, row in r["new_rows"]:
        print(f"| {name} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p90']:.1f} "
              f"| {row['p99']:.1f} | {share(row, floor)} | {row['addresses']} "
              f"| {row['seconds']} | {row['repeats']} | {row['errors']} |")
    print("\nThe same address again, with the page cache on (the floor measured again first):\n")
    print("| page | req/s | p50 ms | p90 ms | p99 ms | share of floor | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    again = r["cached_floor"]
    print(f"| floor, measured again | {again['rps']:.0f} | {again['p50']:.1f} "
          f"| {again['p90']:.1f} | {again['p99']:.1f} | 100% | {again['errors']} |")
    for name, row in r["cached_rows"]:
        print(f"| {name} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p90']:.1f} "
              f"| {row['p99']:.1f} | {share(row, again)} | {row['errors']} |")
    print()
    if r["export"]:
        seconds, size_bytes = r["export"]
        print(f"- CSV export of every published initiative: {seconds:.2f}s, "
              f"{size_bytes / 1e6:.1f} MB, streamed "
              f"({r['queries']['/practice/export.csv?area=kent']} queries for one area)")
    flood = r["flood"]
    print(f"- Peak memory per gunicorn worker: {r['peak']:.0f} MB; with the page cache on, "
          f"after {FLOOD:,} addresses with junk parameters and {FLOOD:,} new searches "
          f"({flood['rps']:.0f} req/s, {flood['errors']} errors): {r['flood_peak']:.0f} MB")
    print(f"- Search query plan: {r['plan']}")


def compare(size, measured):
    """Each row's share of the floor (and p90) for every release, side by side."""
    print(f"\n### Side by side: {size:,} initiatives (share of the floor, p90 ms)\n")
    print("| row | " + " | ".join(release.label for release, _ in measured) + " |")
    print("| --- |" + " ---: |" * len(measured))
    first = measured[0][1]
    rows = ([(name, "rows", index, "floor") for index, (name, _, _) in enumerate(first["rows"])]
            + [(name, "new_rows", index, "floor")
               for index, (name, _) in enumerate(first["new_rows"])]
            + [(name, "cached_rows", index, "cached_floor")
               for index, (name, _) in enumerate(first["cached_rows"])])
    for name, kind, index, floor in rows:
        cells = []
        for _, result in measured:
            row = result[kind][index][-1]
            cells.append(f"{share(row, result[floor])} ({row['p90']:.0f})")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("| peak memory per worker, MB | "
          + " | ".join(f"{result['peak']:.0f}" for _, result in measured) + " |")


def main():
    subprocess.run(["wrk", "--version"], capture_output=True)
    chosen = releases()
    have = {}
    for size in SIZES:
        measured = []
        for release in chosen:
            if release.database not in have:
                fresh_database(release)
                have[release.database] = 0
            if have[release.database] < size:
                fill(release, size - have[release.database])
                have[release.database] = size
            result = measure(release, size)
            report(release, size, result)
            measured.append((release, result))
        if len(measured) > 1:
            compare(size, measured)


if __name__ == "__main__":
    sys.exit(main())
