"""Indexes that give the "title" and "recently reviewed" orders without a sort. The second has
never-reviewed case studies last, so it is on PostgreSQL only, as in 0007."""

from django.db import migrations, models


def create_reviewed_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS initiative_state_reviewed_idx ON casestudies_initiative "
            "(state, last_reviewed DESC NULLS LAST, title, id)"
        )


def drop_reviewed_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS initiative_state_reviewed_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0012_facets_index"),
        ("themes", "0002_history_and_workflow"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="initiative", name="initiative_state_title_idx"),
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(fields=["state", "title", "id"],
                               name="initiative_state_title_id_idx"),
        ),
        migrations.RunPython(create_reviewed_index, drop_reviewed_index),
    ]
