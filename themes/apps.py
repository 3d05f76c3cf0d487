from django.apps import AppConfig


class ThemesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "themes"
    verbose_name = "Cross-cutting themes"

    def ready(self):
        from pcc_practice.cache.version import watch

        from .models import Theme

        watch(Theme)
