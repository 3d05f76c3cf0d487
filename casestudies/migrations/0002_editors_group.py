from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_MODELS = {
    "casestudies": ["initiative", "area", "partner", "source"],
    "themes": ["theme"],
}


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations run; create them now so the
    # group can be given them on a fresh database.
    for label in ["auth", "contenttypes", *EDITOR_MODELS]:
        app_config = apps.get_app_config(label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for app_label, models in EDITOR_MODELS.items():
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=models,
                # Add, change, delete and view only: never a permission added to a model
                # later, such as publishing (which goes to Publishers, migration 0024).
                codename__regex=r"^(add|change|delete|view)_",
            )
        )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0001_initial"),
        ("themes", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
