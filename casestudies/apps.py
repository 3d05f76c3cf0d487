from django.apps import AppConfig


class CasestudiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "casestudies"
    verbose_name = "Case studies"

    def ready(self):
        from pcc_practice.cache.version import watch

        from . import models

        # What the public site shows; not what readers send (suggestions, problem reports,
        # messages, areas' answers), which would otherwise clear every cache on each post.
        watch(models.Area, models.Partner, models.Source, models.Approach, models.Initiative,
              models.Evaluation, models.Cost, models.Funder, models.CommissionerRole,
              models.ReplicationLink)
