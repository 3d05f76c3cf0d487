from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.text import Truncator

from casestudies.models import ContactMessage, Initiative, ProblemReport, State, Suggestion


class SuggestionAdminForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("state") == Suggestion.Review.DECLINED and not (
            cleaned_data.get("decline_reason") or ""
        ).strip():
            self.add_error("decline_reason", "Give a reason for declining the suggestion.")
        return cleaned_data


def draft_from_suggestion(suggestion):
    """Makes a draft initiative from a suggestion, copying its fields across."""
    notes = [
        "From a public suggestion. Check every fact against a source before publishing.",
        "Suggested sources:\n" + suggestion.sources,
    ]
    if suggestion.partners:
        notes.append("Other organisations named:\n" + suggestion.partners)
    with transaction.atomic():
        initiative = Initiative.objects.create(
            title=suggestion.title[:200],
            slug=Initiative.objects.unique_slug(suggestion.title, "suggested-practice"),
            area=suggestion.area, summary=suggestion.summary,
            description=suggestion.description, status=suggestion.status,
            year_started=suggestion.year_started, outcomes=suggestion.outcomes,
            lead_organisation=suggestion.lead_organisation, state=State.DRAFT,
            evidence_note="\n\n".join(notes),
        )
        initiative.themes.set(suggestion.themes.all())
        suggestion.state = Suggestion.Review.ACCEPTED
        suggestion.initiative = initiative
        suggestion.save(update_fields=["state", "initiative"])
    return initiative


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    form = SuggestionAdminForm
    list_display = ["title", "area", "created", "state"]
    list_filter = ["state", "area__region"]
    search_fields = ["title", "summary", "lead_organisation"]
    list_select_related = ["area"]
    readonly_fields = ["created", "initiative"]
    actions = ["make_drafts"]
    fieldsets = [
        ("Moderation", {"fields": ["state", "decline_reason", "initiative", "created"]}),
        ("Suggested practice", {"fields": [
            "title", "area", "themes", "summary", "description", "status", "year_started",
            "outcomes", "lead_organisation", "partners", "sources",
        ]}),
        ("Sent by", {"fields": ["submitter_name", "submitter_email",
                                "submitter_organisation"]}),
    ]

    @admin.action(description="Turn selected suggestions into draft initiatives",
                  permissions=["change"])
    def make_drafts(self, request, queryset):
        for suggestion in queryset.filter(state=Suggestion.Review.NEW).select_related("area"):
            initiative = draft_from_suggestion(suggestion)
            self.message_user(request, f"Made the draft “{initiative}” from a suggestion.",
                              messages.SUCCESS)
        skipped = queryset.exclude(state=Suggestion.Review.NEW).count()
        if skipped:
            self.message_user(request, f"Skipped {skipped} suggestion(s) already dealt with.",
                              messages.WARNING)


@admin.action(description="Mark selected resolved (deletes the readers' names and addresses)",
              permissions=["change"])
def mark_resolved(modeladmin, request, queryset):
    count = queryset.resolve()
    modeladmin.message_user(request, f"Marked {count} resolved.", messages.SUCCESS)


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ["initiative", "short_problem", "created", "state"]
    list_filter = ["state"]
    search_fields = ["problem", "initiative__title"]
    list_select_related = ["initiative"]
    readonly_fields = ["initiative", "problem", "email", "created"]
    fields = ["initiative", "problem", "email", "created", "state", "editor_note"]
    actions = [mark_resolved]

    @admin.display(description="Problem")
    def short_problem(self, report):
        return Truncator(report.problem).words(14)

    def has_add_permission(self, request):
        return False  # reports come from readers


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["kind", "short_message", "created", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["message", "page", "name", "email"]
    readonly_fields = ["kind", "message", "page", "name", "email", "created"]
    fields = ["kind", "message", "page", "name", "email", "created", "state", "editor_note"]
    actions = [mark_resolved]

    @admin.display(description="Message")
    def short_message(self, message):
        return Truncator(message.message).words(14)

    def has_add_permission(self, request):
        return False  # messages come from readers
