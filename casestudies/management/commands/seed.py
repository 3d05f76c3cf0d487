from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casestudies import profile, publishing
from casestudies.labels import problems
from casestudies.models import Initiative

SEED_FIXTURES = ["themes", "areas", "partners", "sources", "approaches", "initiatives",
                 "evidence", "claims"]


def edited_by_someone(instance):
    """Whether anyone signed in has changed `instance`: its history has a change with a user.
    Seed loads (this command, or loaddata, which keeps no history) have none."""
    history = getattr(instance, "history", None)
    return history is not None and history.exclude(history_user=None).exists()


def content_dates(instance):
    """The creation and edit dates a fixture gives an initiative (none for other rows)."""
    if not isinstance(instance, Initiative):
        return {}
    return {name: value for name in ("created", "updated")
            if (value := getattr(instance, name, None)) is not None}


class Command(BaseCommand):
    help = (
        "Adds the seed data that the database does not have yet. Unlike loaddata, it never "
        "overwrites an entry that an editor has changed. With --update, seed entries that no "
        "editor has changed are brought up to date with the fixtures."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update", action="store_true",
            help="Also update seed entries that no editor has changed since they were loaded.",
        )

    def handle(self, *args, update=False, **options):
        with transaction.atomic():
            with profile.deferred():
                added, updated, kept = self.load(update)
            self.check_labels()
        self.stdout.write(f"Added {added} seed entries; updated {updated} that no editor had "
                          f"changed; left {kept} existing entries untouched.")

    def load(self, update):
        """Saves each fixture row that is missing (or, with `update`, that no editor changed);
        gives how many were added, updated and kept."""
        added, updated, kept = 0, 0, 0
        for name in SEED_FIXTURES:
            path = next(Path(d) / f"{name}.json" for d in settings.FIXTURE_DIRS)
            with path.open(encoding="utf-8") as fixture:
                # With natural keys, an entry that exists comes back with its primary key.
                for item in serializers.deserialize("json", fixture):
                    model = type(item.object)
                    existing = item.object.pk is not None and model.objects.filter(
                        pk=item.object.pk
                    ).first()
                    if existing and (not update or edited_by_someone(existing)):
                        kept += 1
                        continue
                    # A normal save (not loaddata's raw one), so that history records it; an
                    # entry keeps the dates the fixture gives it, as loaddata keeps them, so
                    # that "last edited", feeds and sitemaps say when the content changed,
                    # not when it was loaded.
                    dates = content_dates(item.object)
                    item.object.save()
                    if dates:
                        type(item.object).objects.filter(pk=item.object.pk).update(**dates)
                    for field, values in (item.m2m_data or {}).items():
                        getattr(item.object, field).set(values)
                    refused = isinstance(item.object, Initiative) and publishing.problem(
                        item.object.state, item.object.sources.exists())
                    if refused:
                        raise CommandError(f"{item.object.slug}: {refused}")
                    if existing:
                        updated += 1
                    else:
                        added += 1
        return added, updated, kept

    def check_labels(self):
        """Refuses the whole seed when an entry's labels say more than its evidence
        (casestudies/labels.py), naming each entry and rule."""
        refused = []
        for initiative in Initiative.objects.prefetch_related(
                "evaluations", "costs", "funders__partner", "commissioner_roles", "claims"):
            for messages in problems(initiative).values():
                refused += [f"{initiative.slug}: {message}" for message in messages]
        if refused:
            raise CommandError("\n".join(refused))
