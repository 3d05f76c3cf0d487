"""Moves what editors entered in the fields that migration 0018 retires.

- The free-text cost band becomes the start of "about the costs", so nothing typed is lost.
- "Last reviewed" on the seed entries is the day they were loaded (26 November 2026), which
  was no verification: it is left behind, and "last verified" stays empty until someone
  checks. Any other date was set by an editor, and becomes "last verified", as checked against
  the sources.
- The hand-set ripe flag needs nothing: ripe is now worked out from each entry's data.
"""

import datetime

from django.db import migrations

SEED_LOAD_DAY = datetime.date(2026, 11, 26)


def move(apps, schema_editor):
    # Updates rather than saves: no signal fires, so nothing else is touched mid-migration.
    Initiative = apps.get_model("casestudies", "Initiative")
    for initiative in Initiative.objects.all():
        changed = {}
        band = initiative.replication_cost_band.strip()
        if band:
            changed["cost_note"] = f"{band}\n\n{initiative.cost_note}".strip()
        if initiative.last_reviewed and initiative.last_reviewed != SEED_LOAD_DAY:
            changed.update(last_verified=initiative.last_reviewed, verified_how="sources")
        if changed:
            Initiative.objects.filter(pk=initiative.pk).update(**changed)


def move_back(apps, schema_editor):
    Initiative = apps.get_model("casestudies", "Initiative")
    for initiative in Initiative.objects.exclude(last_verified=None):
        Initiative.objects.filter(pk=initiative.pk).update(last_reviewed=initiative.last_verified)


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0016_commissioner_questions")]

    operations = [migrations.RunPython(move, move_back)]
