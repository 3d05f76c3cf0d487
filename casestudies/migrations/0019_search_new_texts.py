"""The stored search document (migration 0010) also covers the texts that the commissioner
questions added: the headline result, how it is meant to work, where and for whom, harms and
what did not work, what the commissioner did and the costs. PostgreSQL only, as 0010."""

from django.db import migrations

TEXTS = ["description", "outcomes", "mechanism", "context", "harms", "pcc_role_note",
         "cost_note"]


def document(row, texts):
    rest = " || ' ' || ".join(f"COALESCE({row}{name}, '')" for name in texts)
    return f"""
setweight(to_tsvector('english'::regconfig, COALESCE({row}title, '')), 'A')
|| setweight(to_tsvector('english'::regconfig,
                         COALESCE({row}summary, '') || ' ' || COALESCE({row}headline_result, '')), 'B')
|| setweight(to_tsvector('english'::regconfig, {rest}), 'C')
"""


def statements(texts):
    return [
        f"""CREATE OR REPLACE FUNCTION casestudies_initiative_search_document() RETURNS trigger
AS $$
BEGIN
    NEW.search_document := {document("NEW.", texts)};
    RETURN NEW;
END
$$ LANGUAGE plpgsql""",
        "DROP TRIGGER IF EXISTS casestudies_initiative_search_document ON casestudies_initiative",
        f"""CREATE TRIGGER casestudies_initiative_search_document
    BEFORE INSERT OR UPDATE OF title, summary, headline_result, {", ".join(texts)}
    ON casestudies_initiative
    FOR EACH ROW EXECUTE FUNCTION casestudies_initiative_search_document()""",
        "UPDATE casestudies_initiative SET title = title",
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements(TEXTS):
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements(["description", "outcomes"]):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0018_retire_replaced_fields")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
