from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import Approach, Area, Partner, Source


@admin.register(Approach)
class ApproachAdmin(SimpleHistoryAdmin):
    list_display = ["name", "display_order"]
    list_editable = ["display_order"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "force", "region", "office_type", "ons_code", "is_featured"]
    list_filter = ["region", "office_type", "is_featured"]
    search_fields = ["name", "force", "ons_code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "partner_type"]
    list_filter = ["partner_type"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "kind", "url"]
    list_filter = ["kind"]
    search_fields = ["title", "publisher", "url"]
    prepopulated_fields = {"slug": ["title"]}
