from django.db import migrations

MODELS = ["suggestion", "problemreport"]


def grant(apps, schema_editor):
    from casestudies.migrations import _permissions

    _permissions.grant(apps, MODELS)


def revoke(apps, schema_editor):
    from casestudies.migrations import _permissions

    _permissions.revoke(apps, MODELS)


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0005_evidence_replication_and_feedback")]

    operations = [migrations.RunPython(grant, revoke)]
