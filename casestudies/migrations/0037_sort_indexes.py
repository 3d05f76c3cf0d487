"""Indexes for the "area" and "recently checked" sorts, so that a page deep in either reads
the index rather than sorting every published row (13 to 36 ms a page at 10,000 before,
1 to 3 ms after; docs/performance.md, "Cold pages, a third pass").

The "recently checked" order puts unknown dates last. SQLite cannot index NULLS LAST, so that
index is made on PostgreSQL only, as 0007 does for "newest"."""

from django.db import migrations, models


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS initiative_state_reviewed_idx ON casestudies_initiative "
            "(state, last_verified DESC NULLS LAST, title, id)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS initiative_state_reviewed_idx")


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0036_search_terms")]

    operations = [
        migrations.RemoveIndex(model_name="initiative", name="initiative_state_verified_idx"),
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(fields=["area", "state", "title", "id"],
                               name="initiative_area_title_idx"),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
