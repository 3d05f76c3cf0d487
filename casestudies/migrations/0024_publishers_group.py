"""Roles: editors write entries, moderate what readers send (now contact messages too) and ask
areas to confirm their entries; the Publishers group may also publish, archive and restore.
A publisher needs only that group: it holds everything editors may do as well."""

from django.db import migrations

MODELS = ["contactmessage", "verificationrequest"]


def create_publishers(apps, schema_editor):
    from casestudies.migrations import _permissions

    _permissions.grant(apps, MODELS)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.get(name="Editors")
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.add(
        *editors.permissions.all(),
        Permission.objects.get(content_type__app_label="casestudies",
                               codename="publish_initiative"),
    )


def remove_publishers(apps, schema_editor):
    from casestudies.migrations import _permissions

    apps.get_model("auth", "Group").objects.filter(name="Publishers").delete()
    _permissions.revoke(apps, MODELS)


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0023_workbench")]

    operations = [migrations.RunPython(create_publishers, remove_publishers)]
