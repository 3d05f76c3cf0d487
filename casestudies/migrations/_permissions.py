"""Grants the Editors group (and the Publishers group, once it exists: publishers do all that
editors do) every permission on some models of casestudies, for the migrations that add
models editors work with."""

from django.contrib.auth.management import create_permissions


def grant(apps, models):
    app_config = apps.get_app_config("casestudies")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get_or_create(name="Editors")
    permissions = Permission.objects.filter(content_type__app_label="casestudies",
                                            content_type__model__in=models,
                                            codename__regex=r"^(add|change|delete|view)_")
    for group in Group.objects.filter(name__in=["Editors", "Publishers"]):
        group.permissions.add(*permissions)


def revoke(apps, models):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Editors", "Publishers"]):
        group.permissions.remove(*group.permissions.filter(
            content_type__app_label="casestudies", content_type__model__in=models
        ))
