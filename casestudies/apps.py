from django.apps import AppConfig


class CasestudiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "casestudies"
    verbose_name = "Case studies"

    def ready(self):
        from pcc_practice.cache.version import watch

        watch(self.label)
