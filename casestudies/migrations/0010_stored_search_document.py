"""A stored search document on PostgreSQL, kept up to date by a trigger.

Ranking then reads the stored vector instead of recomputing `to_tsvector` for every matching
row. The column is not a model field (SQLite has no tsvector); `casestudies/search.py` reads it.
A trigger rather than a generated column, so that later migrations may still change the text
columns' types.
"""

from django.db import migrations

DOCUMENT = """
setweight(to_tsvector('english'::regconfig, COALESCE({row}title, '')), 'A')
|| setweight(to_tsvector('english'::regconfig, COALESCE({row}summary, '')), 'B')
|| setweight(to_tsvector('english'::regconfig,
                         COALESCE({row}description, '') || ' ' || COALESCE({row}outcomes, '')), 'C')
"""

FORWARD = [
    "ALTER TABLE casestudies_initiative ADD COLUMN search_document tsvector",
    f"""CREATE FUNCTION casestudies_initiative_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document := {DOCUMENT.format(row="NEW.")};
    RETURN NEW;
END
$$ LANGUAGE plpgsql""",
    """CREATE TRIGGER casestudies_initiative_search_document
    BEFORE INSERT OR UPDATE OF title, summary, description, outcomes
    ON casestudies_initiative
    FOR EACH ROW EXECUTE FUNCTION casestudies_initiative_search_document()""",
    f"UPDATE casestudies_initiative SET search_document = {DOCUMENT.format(row='')}",  # noqa: S608
    "CREATE INDEX casestudies_initiative_document ON casestudies_initiative "
    "USING gin (search_document)",
    "DROP INDEX IF EXISTS casestudies_initiative_fts",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS casestudies_initiative_search_document ON casestudies_initiative",
    "DROP FUNCTION IF EXISTS casestudies_initiative_search_document()",
    "ALTER TABLE casestudies_initiative DROP COLUMN IF EXISTS search_document",
    "CREATE INDEX IF NOT EXISTS casestudies_initiative_fts ON casestudies_initiative "
    f"USING gin (({DOCUMENT.format(row='')}))",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0009_ripe_index")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
