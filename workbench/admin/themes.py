from django.contrib import admin

from pcc_practice.history import ReadableHistoryAdmin
from themes.models import Theme


@admin.register(Theme)
class ThemeAdmin(ReadableHistoryAdmin):
    list_display = ["name", "display_order"]
    list_editable = ["display_order"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
