import datetime
import importlib
import itertools
import os
import shutil
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from casestudies.management.commands.seed import SEED_FIXTURES
from casestudies.models import Area, Initiative, Partner, Source, State
from tests.mail import Inbox, smtp_on_loopback
from themes.models import Theme

_counter = itertools.count(1)


# The rows the seed data leaves in the database (with their history), read the first time a
# test asks for it: loaddata takes two seconds, mostly making a history record for every
# relation it sets, and over a hundred tests ask for the seed. Each model's rows are kept as
# one INSERT statement and the values of its columns, ready for the database.
_seed_rows = []


def seeded_models():
    from django.apps import apps

    return [model for label in ("themes", "casestudies")
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if not model._meta.proxy]


def read_seed_rows(before):
    """The rows of each seeded model that are not among the primary keys `before`, as an
    INSERT statement and its parameters: every stored column as the database holds it, so that
    times such as `created` and `updated`, which saving would set afresh, stay as they were."""
    from django.db import connection

    quote = connection.ops.quote_name
    for model in seeded_models():
        rows = [row for row in model._base_manager.all() if row.pk not in before[model]]
        if not rows:
            continue
        fields = [field for field in model._meta.concrete_fields if not field.generated]
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (the models' own names)
            quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields),
            ", ".join(["%s"] * len(fields)))
        _seed_rows.append((model, sql, [
            [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
            for row in rows]))


def insert_seed_rows():
    """The seed's rows inserted again as loaddata left them, in one transaction: foreign keys
    are checked at its end, so the order does not matter. No model is saved, so no signal is
    sent and no history is added: the history rows are among those inserted."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for _, sql, rows in _seed_rows:
            cursor.executemany(sql, rows)
        models = [model for model, _, _ in _seed_rows]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@pytest.fixture
def seed(db):
    """The real seed data, as the README's loaddata line loads it: loaded once, then its rows
    inserted again as they were for each later test."""
    from casestudies.models import Initiative
    from pcc_practice.cache.version import content_changed

    if not _seed_rows:
        before = {model: set(model._base_manager.values_list("pk", flat=True))
                  for model in seeded_models()}
        call_command("loaddata", *SEED_FIXTURES, verbosity=0)
        read_seed_rows(before)
        return
    insert_seed_rows()
    content_changed(Initiative)  # as loaddata's saves would have


# The day on which tests whose result depends on today's date run (verified within the last
# year, overdue, a status that may be out of date, a review due, a link or a digest due, dates
# printed on pages): shortly after the seed data was last checked, so that it is current.
TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def today():
    """Sets the clock to noon in London on TODAY (it then runs on), and gives that date."""
    noon = datetime.datetime.combine(TODAY, datetime.time(12), ZoneInfo("Europe/London"))
    with time_machine.travel(noon, tick=True):
        yield TODAY


@pytest.fixture
def make_area(db):
    def _make(name=None, **kwargs):
        n = next(_counter)
        name = name or f"Area {n}"
        kwargs.setdefault("slug", name.lower().replace(" ", "-"))
        kwargs.setdefault("ons_code", f"E2{n:07d}")
        kwargs.setdefault("force", f"{name} Police")
        kwargs.setdefault("region", "north-west")
        kwargs.setdefault("office_type", "pcc")
        return Area.objects.create(name=name, **kwargs)

    return _make


@pytest.fixture
def make_theme(db):
    def _make(name=None, **kwargs):
        name = name or f"Theme {next(_counter)}"
        kwargs.setdefault("slug", name.lower().replace(" ", "-"))
        kwargs.setdefault("summary", f"About {name}.")
        return Theme.objects.create(name=name, **kwargs)

    return _make


@pytest.fixture
def make_source(db):
    def _make(**kwargs):
        n = next(_counter)
        kwargs.setdefault("title", f"Source {n}")
        kwargs.setdefault("slug", f"source-{n}")
        kwargs.setdefault("publisher", "Example Publisher")
        kwargs.setdefault("url", f"https://example.org/{n}")
        return Source.objects.create(**kwargs)

    return _make


@pytest.fixture
def make_partner(db):
    def _make(name=None, **kwargs):
        name = name or f"Partner {next(_counter)}"
        kwargs.setdefault("slug", name.lower().replace(" ", "-"))
        kwargs.setdefault("partner_type", "other")
        return Partner.objects.create(name=name, **kwargs)

    return _make


@pytest.fixture
def make_initiative(db, make_area, make_theme, make_source):
    """Makes a published initiative with one theme and one source unless told otherwise."""

    def _make(title=None, themes=None, partners=(), sources=None, **kwargs):
        title = title or f"Initiative {next(_counter)}"
        kwargs.setdefault("slug", title.lower().replace(" ", "-"))
        if "area" not in kwargs:
            kwargs["area"] = make_area()
        kwargs.setdefault("summary", f"Summary of {title}.")
        kwargs.setdefault("description", f"What {title} did.")
        kwargs.setdefault("lead_organisation", "An office")
        if "is_published" in kwargs:  # shorthand: published, or a draft
            kwargs["state"] = State.PUBLISHED if kwargs.pop("is_published") else State.DRAFT
        kwargs.setdefault("state", State.PUBLISHED)
        initiative = Initiative.objects.create(title=title, **kwargs)
        initiative.themes.set(themes if themes is not None else [make_theme()])
        initiative.partners.set(partners)
        initiative.sources.set(sources if sources is not None else [make_source()])
        return initiative

    return _make


# Everything an initiative needs to be ripe for replication but its evaluation and dates.
RIPE = {
    "replication_preconditions": "A willing NHS trust.",
    "replication_partners": "Police and NHS.",
    "replication_data_sharing": "An information-sharing agreement.",
    "replication_funding": "Commissioner's fund.",
    "replication_first_steps": "Agree aims\nFind funding\nStart a pilot",
    "replication_lessons": "Start with evening cover.",
    "evidence_stage": "evaluated", "evidence_finding": "promising", "cost_band": "50k-250k",
    "contact": "The commissioner's office", "contact_url": "https://example.org/contact",
}


@pytest.fixture
def make_ripe(today, make_initiative):
    """Makes an initiative that meets every item of the readiness checklist on TODAY."""
    from casestudies.models import CHECKLIST_FIELDS, Claim, Evaluation

    def _make(title=None, **kwargs):
        fields = {**RIPE, "last_verified": today, "verified_how": "sources",
                  **kwargs}
        initiative = make_initiative(title, **fields)
        Evaluation.objects.create(
            initiative=initiative, title=f"Evaluation of {initiative.title}",
            evaluator="A university", independent=True, year=2024, design=2, kind="impact",
            findings="Fewer detentions.", url="https://example.org/evaluation",
        )
        source = initiative.sources.first()
        for name in CHECKLIST_FIELDS:  # ripe needs each item quoted
            Claim.objects.create(initiative=initiative, statement=name, source=source,
                                 quote=f"The source on {name}.", place="page 1")
        return initiative

    return _make


@pytest.fixture
def editor(db):
    if not Group.objects.filter(name="Editors").exists():
        # A browser test's flush removed what the data migration made; make it again.
        from django.apps import apps

        importlib.import_module("casestudies.migrations.0002_editors_group") \
            .create_editors_group(apps, None)
        for name in ("0006_editors_moderate_feedback",
                     "0020_editors_edit_commissioner_questions", "0031_editors_edit_claims"):
            importlib.import_module(f"casestudies.migrations.{name}").grant(apps, None)
        importlib.import_module("casestudies.migrations.0024_publishers_group") \
            .create_publishers(apps, None)
    user = User.objects.create_user("editor", password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher(editor):
    """A member of the Publishers group alone, which holds all that editors may do as well."""
    user = User.objects.create_user("publisher", password="correct horse battery",
                                    is_staff=True)
    user.groups.add(Group.objects.get(name="Publishers"))
    return user


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client


# --- Real-browser tests (Playwright driving Debian's Chromium) ---

# Playwright's sync API runs an event loop in the test thread, which Django would otherwise
# take for an async context and refuse database access from.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Overrides pytest-playwright's launch arguments: the system Chromium, offline."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture
def site(transactional_db, live_server, seed):
    """The live test server with the seed data committed, so its thread can read it."""
    return live_server.url


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test rolls its database back, so no cached page, count or version may outlive it."""
    from django.core.cache import caches

    from pcc_practice.cache.version import forget_version

    for cache in caches.all():
        cache.clear()
    forget_version()
    yield
    for cache in caches.all():
        cache.clear()
    forget_version()


# --- Email: a real SMTP server on loopback (tests/mail.py) ---

@pytest.fixture
def inbox(settings):
    """A real SMTP server on loopback, and the settings that send to it."""
    with smtp_on_loopback(settings, Inbox()) as messages:
        yield messages
