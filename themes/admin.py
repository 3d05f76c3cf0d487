from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Theme


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "display_order"]
    list_editable = ["display_order"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
