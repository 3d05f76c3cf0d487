from django.apps import AppConfig


class CacheConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pcc_practice.cache"
    label = "content_cache"
    verbose_name = "Content cache"
