"""Rewords one seed cost so that `seed --update` finds it again.

A cost's natural key includes what it covers, and the seed's Greater Manchester phone-line
cost now says that the £200,000 is the commissioner's own account. Without this, a database
loaded with the earlier seed would keep the old row beside the new one. Rows an editor has
reworded are left alone (they no longer match the old words).
"""

from django.db import migrations

SLUG = "greater-manchester-24-7-mental-health-triage-phone-line"
OLD = ("Set aside by the commissioner in the police budget for new work on mental health "
       "(not only this line)")
NEW = ("The commissioner said he had set aside this sum in the police budget for new work on "
       "mental health (not only this line)")


def reword(old, new):
    def run(apps, schema_editor):
        Cost = apps.get_model("casestudies", "Cost")
        Cost.objects.filter(initiative__slug=SLUG, covers=old).update(covers=new)

    return run


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0020_editors_edit_commissioner_questions")]

    operations = [migrations.RunPython(reword(OLD, NEW), reword(NEW, OLD))]
