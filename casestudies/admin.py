from django import forms
from django.contrib import admin, messages
from django.db.models import Count

from .models import Area, Initiative, Partner, Source

NEEDS_SOURCE = "Add at least one source before publishing."


class InitiativeAdminForm(forms.ModelForm):
    """Holds back publication until the initiative cites a source (the admin supplies Meta)."""

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("is_published") and not cleaned_data.get("sources"):
            self.add_error("sources", NEEDS_SOURCE)
        return cleaned_data


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    form = InitiativeAdminForm
    list_display = ["title", "area", "status", "is_published", "last_reviewed"]
    list_filter = ["is_published", "status", "area__region", "themes", "area"]
    search_fields = ["title", "summary", "area__name"]
    list_select_related = ["area"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["area", "themes", "partners", "sources"]
    date_hierarchy = "created"
    readonly_fields = ["created", "updated"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "area", "themes", "summary", "description"]}),
        ("Status", {"fields": ["status", "year_started", "is_published", "last_reviewed"]}),
        ("Outcomes and evidence", {"fields": ["outcomes", "sources"]}),
        ("How to replicate", {
            "fields": ["replication_preconditions", "replication_partners",
                       "replication_first_steps"],
        }),
        ("Who is involved", {
            "fields": ["lead_organisation", "contact", "contact_email", "partners"],
        }),
        ("Record", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]

    @admin.action(description="Publish selected initiatives", permissions=["change"])
    def publish(self, request, queryset):
        queryset = queryset.annotate(source_count=Count("sources"))
        unsourced = [i.title for i in queryset if i.source_count == 0]
        published = queryset.filter(source_count__gt=0).update(is_published=True)
        if published:
            self.message_user(request, f"Published {published} initiative(s).", messages.SUCCESS)
        if unsourced:
            self.message_user(
                request,
                f"Not published, because they have no source: {', '.join(unsourced)}. "
                + NEEDS_SOURCE,
                messages.ERROR,
            )

    @admin.action(description="Unpublish selected initiatives", permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.update(is_published=False)
        self.message_user(request, f"Unpublished {count} initiative(s).", messages.SUCCESS)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "force", "region", "office_type", "ons_code", "is_featured"]
    list_filter = ["region", "office_type", "is_featured"]
    search_fields = ["name", "force", "ons_code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "partner_type"]
    list_filter = ["partner_type"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_on", "url"]
    search_fields = ["title", "publisher", "url"]
    prepopulated_fields = {"slug": ["title"]}
