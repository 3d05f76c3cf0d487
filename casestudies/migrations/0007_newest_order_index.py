"""An index for the default "newest" order (unknown years last), on PostgreSQL only:
SQLite cannot index NULLS LAST, and its planner sorts these small tables well enough."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS initiative_state_newest_idx ON casestudies_initiative "
            "(state, year_started DESC NULLS LAST, title, id)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS initiative_state_newest_idx")


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0006_editors_moderate_feedback")]

    operations = [migrations.RunPython(create_index, drop_index)]
