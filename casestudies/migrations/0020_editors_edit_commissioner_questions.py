"""Editors may add, change, delete and view approaches, evaluations, costs, funders, the
commissioner's roles and links between practice, as they may initiatives (migration 0002)."""

from django.db import migrations

MODELS = ["approach", "evaluation", "cost", "funder", "commissionerrole", "replicationlink"]


def grant(apps, schema_editor):
    from casestudies.migrations import _permissions

    _permissions.grant(apps, MODELS)


def revoke(apps, schema_editor):
    from casestudies.migrations import _permissions

    _permissions.revoke(apps, MODELS)


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0019_search_new_texts")]

    operations = [migrations.RunPython(grant, revoke)]
