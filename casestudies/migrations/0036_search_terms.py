"""Each initiative's search terms: its area's name and the names of every approach it belongs
to, stored on save (casestudies/profile.py) and weighed as its title in search, so that
"street triage" finds every entry of that approach and "Cleveland" ranks Cleveland's entries
first. On PostgreSQL the stored document's trigger (migrations 0010 and 0019) covers the new
column; SQLite's FTS5 index takes its columns from the declarations after every migrate."""

from django.db import migrations, models

TEXTS = ["description", "outcomes", "mechanism", "context", "harms", "pcc_role_note",
         "cost_note"]


def statements(title):
    rest = " || ' ' || ".join(f"COALESCE(NEW.{name}, '')" for name in TEXTS)
    return [
        f"""CREATE OR REPLACE FUNCTION casestudies_initiative_search_document() RETURNS trigger
AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('english'::regconfig, {title}), 'A')
        || setweight(to_tsvector('english'::regconfig,
                     COALESCE(NEW.summary, '') || ' ' || COALESCE(NEW.headline_result, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, {rest}), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql""",
        "DROP TRIGGER IF EXISTS casestudies_initiative_search_document ON casestudies_initiative",
        f"""CREATE TRIGGER casestudies_initiative_search_document
    BEFORE INSERT OR UPDATE OF title, search_terms, summary, headline_result, {", ".join(TEXTS)}
    ON casestudies_initiative
    FOR EACH ROW EXECUTE FUNCTION casestudies_initiative_search_document()""",
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements("COALESCE(NEW.title, '') || ' ' || "
                                    "COALESCE(NEW.search_terms, '')"):
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        # SQLite's search index names the column; every migrate ends by building it again.
        for trigger in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS casestudies_initiative_fts_{trigger}")
        schema_editor.execute("DROP TABLE IF EXISTS casestudies_initiative_fts")
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements("COALESCE(NEW.title, '')"):
            schema_editor.execute(statement.replace("search_terms, ", ""))


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0035_second_reading")]

    operations = [
        migrations.AddField(
            model_name="initiative",
            name="search_terms",
            field=models.TextField(
                blank=True, default="", editable=False,
                help_text="Its area's and approaches' names, which search finds it by "
                          "(casestudies/profile.py)."),
        ),
        # The terms themselves are stored by the rebuild that ends every migrate (apps.py).
        migrations.RunPython(forward, backward, elidable=False),
    ]
