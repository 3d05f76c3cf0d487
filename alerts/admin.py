from django.contrib import admin

from .models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Subscriptions, for administrators only (editors have no permission on them): to see
    how many wait for confirmation, and to delete one on request. Addresses are never edited
    here."""

    list_display = ["email", "query", "frequency", "created", "confirmed"]
    list_filter = ["frequency", ("confirmed", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = ["email", "query", "frequency", "created", "confirmed", "last_sent"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
