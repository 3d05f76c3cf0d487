"""The `seed` fixture gives each test the same rows: loaded by loaddata the first time, inserted
again after that, with their times and their history as loaddata left them."""

import json
from pathlib import Path

from django.utils.dateparse import parse_datetime

from casestudies.models import Initiative

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "initiatives.json"
SLUGS = ["cleveland-street-triage", "essex-street-triage"]
seen = []


def as_loaded():
    """Some initiatives' times and their history's, as the database holds them now."""
    initiatives = Initiative.objects.filter(slug__in=SLUGS).order_by("slug")
    return [(i.slug, i.created, i.updated, i.last_verified,
             [(h.history_type, h.history_date, h.updated)
              for h in i.history.order_by("history_date", "history_id")])
            for i in initiatives]


def written():
    """The same initiatives' `created` and `updated` as the fixture gives them."""
    fields = {row["fields"]["slug"]: row["fields"] for row in json.loads(FIXTURE.read_text())}
    return [(slug, parse_datetime(fields[slug]["created"]),
             parse_datetime(fields[slug]["updated"])) for slug in sorted(SLUGS)]


def test_the_seed_keeps_the_fixtures_times(seed):
    rows = as_loaded()
    assert [row[:3] for row in rows] == written()
    assert all(history for *_, history in rows)
    seen.append(rows)


def test_the_seed_is_the_same_for_a_later_test(seed):
    rows = as_loaded()
    assert [row[:3] for row in rows] == written()
    assert seen and rows == seen[0]
