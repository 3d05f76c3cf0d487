from django.contrib import admin

from casestudies import publishing
from casestudies.models import Approach, Area, Partner, Source
from pcc_practice.history import ReadableHistoryAdmin


@admin.register(Approach)
class ApproachAdmin(ReadableHistoryAdmin):
    list_display = ["name", "display_order"]
    list_editable = ["display_order"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]


@admin.register(Area)
class AreaAdmin(ReadableHistoryAdmin):
    list_display = ["name", "force", "region", "office_type", "ons_code", "is_featured"]
    list_filter = ["region", "office_type", "is_featured"]
    search_fields = ["name", "force", "ons_code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Partner)
class PartnerAdmin(ReadableHistoryAdmin):
    list_display = ["name", "partner_type"]
    list_filter = ["partner_type"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(ReadableHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "kind", "url"]
    list_filter = ["kind"]
    search_fields = ["title", "publisher", "url"]
    prepopulated_fields = {"slug": ["title"]}

    def get_deleted_objects(self, objs, request):
        """A source that is the only one of a published entry is kept (publishing.py): the
        delete page lists those entries instead of deleting."""
        deleted, counts, permissions, protected = super().get_deleted_objects(objs, request)
        for source in objs:
            protected += [f"{initiative} (published; this is its only source)"
                          for initiative in publishing.sole_source_of(source)]
        return deleted, counts, permissions, protected
