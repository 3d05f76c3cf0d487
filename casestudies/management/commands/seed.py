from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import transaction

SEED_FIXTURES = ["themes", "areas", "partners", "sources", "approaches", "initiatives"]


class Command(BaseCommand):
    help = (
        "Adds the seed data that the database does not have yet. Unlike loaddata, it never "
        "overwrites an entry that exists, so editors' changes are kept."
    )

    def handle(self, *args, **options):
        added, kept = 0, 0
        with transaction.atomic():
            for name in SEED_FIXTURES:
                path = next(Path(d) / f"{name}.json" for d in settings.FIXTURE_DIRS)
                with path.open(encoding="utf-8") as fixture:
                    # With natural keys, an entry that exists comes back with its primary key.
                    for item in serializers.deserialize("json", fixture):
                        model = type(item.object)
                        if item.object.pk is not None and model.objects.filter(
                            pk=item.object.pk
                        ).exists():
                            kept += 1
                            continue
                        # A normal save (not loaddata's raw one), so that history records it.
                        item.object.save()
                        for field, values in (item.m2m_data or {}).items():
                            getattr(item.object, field).set(values)
                        added += 1
        self.stdout.write(f"Added {added} seed entries; left {kept} existing entries untouched.")

