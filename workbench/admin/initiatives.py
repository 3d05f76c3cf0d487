from django.contrib import admin, messages
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.template.loader import render_to_string
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm

from casestudies import publishing
from casestudies.fields import (
    BRIEF,
    COSTS,
    EVALUATION,
    EVIDENCE,
    INITIATIVE,
    PUBLISHING,
    REPLICATION,
    ROLE,
    SOURCES,
)
from casestudies.models import (
    REVIEW_INTERVAL_DAYS,
    Claim,
    CommissionerRole,
    Cost,
    Evaluation,
    Funder,
    Initiative,
    ProblemReport,
    ReplicationLink,
    State,
)
from casestudies.models.initiatives import overdue_condition
from casestudies.readiness import checklist, checklist_rule, ripe_condition
from pcc_practice.history import ReadableHistoryAdmin

from ..spreadsheet import (
    CappedCSV,
    CappedImportForm,
    CappedXLSX,
    InitiativeResource,
    TooManyRows,
)
from .initiative_forms import ClaimFormSet, EvaluationFormSet, InitiativeAdminForm, RowsFormSet
from .initiative_pages import InitiativePagesMixin


class RipeFilter(admin.SimpleListFilter):
    title = "ripe for replication"
    parameter_name = "ripe"

    def lookups(self, request, model_admin):
        return [("yes", "Ripe"), ("no", "Not yet")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(ripe_condition())
        if self.value() == "no":
            return queryset.exclude(ripe_condition())
        return queryset


# Each inline sits under the part of the form it belongs to (`fieldset`), as on the case study
# (templates/admin/casestudies/initiative/change_form.html places them). All are stacked, as
# a tabular inline's fields have column headings but no labels, which screen readers need;
# and all are closed until opened (or until one of their rows has an error).
class EvaluationInline(admin.StackedInline):
    model = Evaluation
    formset = EvaluationFormSet
    extra = 0
    classes = ["collapse"]
    fields = [field.name for field in EVALUATION]
    fieldset = EVIDENCE


class CostInline(admin.StackedInline):
    formset = RowsFormSet
    model = Cost
    extra = 0
    classes = ["collapse"]
    verbose_name_plural = "Cost figures the sources give"
    fieldset = COSTS


class FunderInline(admin.StackedInline):
    formset = RowsFormSet
    model = Funder
    extra = 0
    classes = ["collapse"]
    autocomplete_fields = ["partner"]
    verbose_name_plural = "Who paid, commissioned and delivered it"
    fieldset = COSTS


class CommissionerRoleInline(admin.StackedInline):
    formset = RowsFormSet
    model = CommissionerRole
    extra = 0
    classes = ["collapse"]
    verbose_name_plural = "What the commissioner did"
    fieldset = ROLE


class ClaimInline(admin.StackedInline):
    """The sources' words behind the entry's statements. Its formset checks the rules that
    span the entry and its rows, so it comes after the other rows' inlines."""

    model = Claim
    formset = ClaimFormSet
    extra = 0
    classes = ["collapse"]
    autocomplete_fields = ["source"]
    verbose_name_plural = "Quoted claims: the sources' words behind each statement"
    fieldset = SOURCES


class ReplicationLinkInline(admin.StackedInline):
    model = ReplicationLink
    fk_name = "initiative"
    extra = 0
    classes = ["collapse"]
    autocomplete_fields = ["other"]
    verbose_name_plural = "Links to other practice (shown on both entries)"
    fieldset = REPLICATION


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", f"Overdue (over {REVIEW_INTERVAL_DAYS} days or never)"),
                ("current", "Up to date")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.overdue()
        if self.value() == "current":
            return queryset.up_to_date()
        return queryset


class OpenProblemReportInline(admin.StackedInline):
    model = ProblemReport
    fields = ["created", "problem", "state", "editor_note"]
    readonly_fields = ["created", "problem"]
    extra = 0
    classes = ["collapse"]
    can_delete = False
    verbose_name_plural = "Problem reports from readers"
    fieldset = PUBLISHING

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Initiative)
class InitiativeAdmin(InitiativePagesMixin, ImportExportMixin, ReadableHistoryAdmin):
    form = InitiativeAdminForm
    # Spreadsheets of initiatives (workbench/spreadsheet.py): a dry run first, nothing
    # saved while any row has an error, new entries as drafts; the same columns export.
    resource_classes = [InitiativeResource]
    # Files past IMPORT_MAX_BYTES or IMPORT_MAX_ROWS are refused before any row is read.
    import_formats = [CappedXLSX, CappedCSV]
    export_formats = [base_formats.XLSX, base_formats.CSV]
    import_form_class = CappedImportForm
    # Every column, always: the same columns import. (The library's column picker has a
    # "select all" box with no label and an inline script, which the CSP blocks.)
    export_form_class = ExportForm
    import_template_name = "admin/casestudies/initiative/import.html"
    change_list_template = "admin/casestudies/initiative/change_list.html"
    restore_url_name = "admin:casestudies_initiative_restore"  # for publishers (may_restore)
    list_display = ["title", "area", "status", "state", "evidence_stage", "verified_on",
                    "review_flag", "open_reports"]
    list_filter = ["state", ReviewOverdueFilter, RipeFilter, "evidence_stage", "approach",
                   "cost_band", "status", "area__region", "themes", "area"]
    search_fields = ["title", "summary", "area__name"]
    list_select_related = ["area"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["area", "approach", "also_approaches", "themes", "partners",
                           "sources"]
    date_hierarchy = "created"
    readonly_fields = ["created", "updated"]
    actions = ["publish", "send_to_review", "archive"]
    inlines = [CommissionerRoleInline, FunderInline, CostInline, EvaluationInline,
               ReplicationLinkInline, ClaimInline, OpenProblemReportInline]
    # The parts of the case study, in its order (casestudies/fields.py), with the form's own
    # fields added; the long parts that no new entry needs open closed.
    fieldsets = [
        (part, {
            "fields": {
                BRIEF: [*names, "loaded_version"],
                PUBLISHING: ["checklist_hint", *names, "created", "updated"],
            }.get(part, names),
            **({"classes": ["collapse"]} if part in (EVIDENCE, COSTS, ROLE,
                                                      REPLICATION) else {}),
            **({"description": "Find a source by its title, publisher or address, or add a new "
                               "one with the plus sign: it opens in a window of its own and is "
                               "chosen here when saved."} if part == SOURCES else {}),
        })
        for part, names in INITIATIVE.parts()
    ]

    class Media:
        js = ["js/admin-checklist.js"]

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, TooManyRows):
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.may_publish = publishing.may_publish(request.user)
        form.rows_checked_with_form = any(isinstance(inline, ClaimInline)
                                          for inline in self.get_inline_instances(request, obj))
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "checklist_hint"]
        if (obj is not None and obj.state in publishing.PUBLISHER_STATES
                and not publishing.may_publish(request.user)):
            fields.append("state")  # a publisher's decision, which only a publisher undoes
        return fields

    @admin.display(description="Ready to replicate")
    def checklist_hint(self, initiative):
        """How many items of the readiness checklist the entry meets, kept current as the
        editor types by js/admin-checklist.js (which reads the rule from a JSON block)."""
        saved = None
        if initiative.pk:
            saved = checklist(Initiative.objects.with_profile().get(pk=initiative.pk))
        return render_to_string("admin/casestudies/initiative/checklist_hint.html",
                                {"saved": saved, "rule": checklist_rule()})

    def has_publish_permission(self, request):
        return publishing.may_publish(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            open_report_count=Count("problem_reports",
                                    filter=Q(problem_reports__state=ProblemReport.Review.NEW)),
            review_overdue=ExpressionWrapper(overdue_condition(), output_field=BooleanField()),
        )

    @admin.display(description="Open reports", ordering="open_report_count")
    def open_reports(self, initiative):
        return initiative.open_report_count or "—"

    @admin.display(description="Last verified",
                   ordering=F("last_verified").asc(nulls_first=True))
    def verified_on(self, initiative):
        """Sorts never-verified entries with the oldest, on every database."""
        return initiative.last_verified

    @admin.display(description="Review due")
    def review_flag(self, initiative):
        return "Overdue" if initiative.review_overdue else "—"

    def render_change_form(self, request, context, *args, **kwargs):
        form = context.get("adminform").form if context.get("adminform") else None
        other_edit = getattr(form, "other_edit", None)
        if other_edit:
            for change in other_edit["changes"] or ["(no field-level detail recorded)"]:
                self.message_user(request, f"The other edit changed {change}", messages.WARNING)
        return super().render_change_form(request, context, *args, **kwargs)

    def change_state(self, request, queryset, state, verb):
        """Moves each entry by the workflow's rules, one by one so that history records who
        changed what; says which it could not move, and why."""
        changed, refused = 0, {}
        for initiative in queryset:
            try:
                publishing.move(initiative, state, request.user)
            except publishing.Refused as reason:
                refused.setdefault(str(reason), []).append(initiative.title)
            else:
                changed += 1
        self.message_user(request, f"{verb} {changed} initiative(s).", messages.SUCCESS)
        for reason, titles in refused.items():
            self.message_user(request, f"Not {verb.lower()}: {', '.join(titles)}. {reason}",
                              messages.ERROR)

    @admin.action(description="Publish selected initiatives", permissions=["publish"])
    def publish(self, request, queryset):
        self.change_state(request, queryset, State.PUBLISHED, "Published")

    @admin.action(description="Send selected initiatives to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        self.change_state(request, queryset, State.REVIEW, "Sent to review")

    @admin.action(description="Archive selected initiatives", permissions=["publish"])
    def archive(self, request, queryset):
        self.change_state(request, queryset, State.ARCHIVED, "Archived")
