"""Dates that are true: "last edited", feeds and sitemaps say when the content last changed
(the fixture's own date, through `seed` and `loaddata`), never the day the seed was loaded."""

import datetime
import json

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import Initiative
from tests.pages import text_of

FIXTURE = json.loads((settings.FIXTURE_DIRS[0] / "initiatives.json").read_text())
# The entry whose content changed longest ago.
SLUG = min((o for o in FIXTURE if o["fields"]["state"] == "published"),
           key=lambda o: o["fields"]["updated"])["fields"]["slug"]


def fixture_dates(slug):
    fields = next(o["fields"] for o in FIXTURE if o["fields"]["slug"] == slug)
    return (datetime.datetime.fromisoformat(fields["created"]),
            datetime.datetime.fromisoformat(fields["updated"]))


def test_seed_keeps_the_fixtures_dates_and_the_pages_show_them(db, client, today):
    call_command("seed", verbosity=0)
    created, updated = fixture_dates(SLUG)
    entry = Initiative.objects.get(slug=SLUG)
    assert (entry.created, entry.updated) == (created, updated)
    assert updated.date() < today
    page = client.get(entry.get_absolute_url())
    assert f"Last edited {updated:%-d %B %Y}" in text_of(page, ".govuk-summary-list")
    sitemap = client.get(reverse("opendata:sitemap-section", args=["practice"])).text
    assert f"{entry.get_absolute_url()}</loc><lastmod>{updated:%Y-%m-%d}" in sitemap
    feed = client.get(reverse("opendata:practice-feed")).text
    item = next(part for part in feed.split("<entry>") if entry.get_absolute_url() in part)
    assert f"<updated>{updated:%Y-%m-%d}T" in item

    call_command("seed", "--update", verbosity=0)  # read again, unchanged: the same dates
    entry.refresh_from_db()
    assert (entry.created, entry.updated) == (created, updated)


def test_loaddata_keeps_the_fixtures_dates(seed):
    assert Initiative.objects.get(slug=SLUG).updated == fixture_dates(SLUG)[1]
