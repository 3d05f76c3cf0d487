from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate, pre_delete


def rebuild_profiles(sender, **kwargs):
    """After every migrate, each entry's stored values are worked out by the rules of the
    code now running (a release may have changed them)."""
    from .profile import rebuild

    rebuild()


def build_search_index(sender, using="default", **kwargs):
    from .search import build_sqlite_index

    build_sqlite_index(using)


class CasestudiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "casestudies"
    verbose_name = "Case studies"

    def ready(self):
        from pcc_practice.cache.version import watch

        from . import models, profile  # noqa: F401 - profile stores derived values on write

        post_migrate.connect(build_search_index, sender=self, dispatch_uid="search-index")
        post_migrate.connect(rebuild_profiles, sender=self, dispatch_uid="rebuild-profiles")
        from .publishing import keeps_a_source, source_kept

        m2m_changed.connect(keeps_a_source, sender=models.Initiative.sources.through,
                            dispatch_uid="published-keeps-a-source")
        pre_delete.connect(source_kept, sender=models.Source, dispatch_uid="source-kept")

        # What the public site shows; not what readers send (suggestions, problem reports,
        # messages, areas' answers), which would otherwise clear every cache on each post.
        watch(models.Area, models.Partner, models.Source, models.Approach, models.Initiative,
              models.Evaluation, models.Cost, models.Funder, models.CommissionerRole,
              models.ReplicationLink)
