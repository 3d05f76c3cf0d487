"""Keeps each stored search document in its table row on PostgreSQL, not in the TOAST table.

A document of a realistic case study is over a kilobyte, so PostgreSQL moved most of them out
of line, and a broad search then read each matching document through the TOAST index: about
five page reads a row, and three times the time of reading the rows alone. With storage MAIN
the long texts are moved out of line first, and the document stays in the row unless the row
cannot fit in a page. Setting the touched title again makes the trigger of migration 0010
write every document anew, under the new storage.
"""

from django.db import migrations

TABLE = "casestudies_initiative"


def store_inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN search_document SET STORAGE MAIN")
        schema_editor.execute(f"UPDATE {TABLE} SET title = title")  # noqa: S608 - a constant


def store_out_of_line(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ALTER COLUMN search_document SET STORAGE EXTENDED"
        )


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0013_sort_indexes")]

    operations = [migrations.RunPython(store_inline, store_out_of_line, elidable=False)]
