"""Grants the Editors group every permission on some models of casestudies (used by the
migrations that add models editors work with)."""

from django.contrib.auth.management import create_permissions


def grant(apps, models):
    app_config = apps.get_app_config("casestudies")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(
        content_type__app_label="casestudies", content_type__model__in=models
    ))


def revoke(apps, models):
    Group = apps.get_model("auth", "Group")
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.remove(*editors.permissions.filter(
            content_type__app_label="casestudies", content_type__model__in=models
        ))
