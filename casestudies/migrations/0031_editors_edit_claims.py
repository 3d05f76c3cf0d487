"""Editors may add, change, delete and view quoted claims, as they may the rows they support
(migration 0020)."""

from django.db import migrations

MODELS = ["claim"]


def grant(apps, schema_editor):
    from casestudies.migrations import _permissions

    _permissions.grant(apps, MODELS)


def revoke(apps, schema_editor):
    from casestudies.migrations import _permissions

    _permissions.revoke(apps, MODELS)


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0030_claims_and_evidence_rules")]

    operations = [migrations.RunPython(grant, revoke)]
