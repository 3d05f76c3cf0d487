"""Full-text and trigram indexes for search, on PostgreSQL only (see casestudies/search.py)."""

from django.db import migrations

FTS_INDEX = """
CREATE INDEX IF NOT EXISTS casestudies_initiative_fts ON casestudies_initiative USING gin ((
    setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE(summary, '')), 'B')
    || setweight(to_tsvector('english'::regconfig,
                             COALESCE(description, '') || ' ' || COALESCE(outcomes, '')), 'C')
))
"""


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FTS_INDEX)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS casestudies_initiative_fts")


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0002_editors_group")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
