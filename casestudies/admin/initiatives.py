from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm

from pcc_practice.history import ReadableHistoryAdmin, changes, records_of

from .. import verification
from ..models import (
    REVIEW_INTERVAL_DAYS,
    CommissionerRole,
    Cost,
    Evaluation,
    Funder,
    Initiative,
    ProblemReport,
    ReplicationLink,
    State,
)
from ..readiness import checklist, checklist_rule, ripe_condition, stage_problem
from ..spreadsheet import SEPARATOR, InitiativeResource
from . import history

NEEDS_SOURCE = "Add at least one source before publishing."


PUBLISHER_STATES = [State.PUBLISHED, State.ARCHIVED]
NEEDS_PUBLISHER = ("Only publishers can publish or archive an entry. Choose “Draft” or “In "
                   "review”, and a publisher will take it from there.")


def may_publish(user):
    return user.has_perm("casestudies.publish_initiative")


class InitiativeAdminForm(forms.ModelForm):
    """Holds back publication until the initiative cites a source, and from editors who are not
    publishers; stops one editor from silently overwriting another's save (the admin supplies
    Meta, and `may_publish`)."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    may_publish = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.updated.isoformat()
        state = self.fields.get("state")
        if state is not None and not self.may_publish:
            state.choices = [(value, label) for value, label in state.choices
                             if value not in PUBLISHER_STATES]
            state.error_messages["invalid_choice"] = NEEDS_PUBLISHER

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("state") == State.PUBLISHED and not cleaned_data.get("sources"):
            self.add_error("sources", NEEDS_SOURCE)
        self.check_not_changed_since_loaded(cleaned_data.get("loaded_version"))
        return cleaned_data

    def check_not_changed_since_loaded(self, loaded):
        if not self.instance.pk or not loaded:
            return
        current = (
            Initiative.objects.filter(pk=self.instance.pk).values_list("updated", flat=True)
            .first()
        )
        if current is None or current.isoformat() == loaded:
            return
        # Show what the other editor changed, and let this editor save again once they have
        # seen it: the form keeps everything they entered.
        self.data = self.data.copy()
        self.data["loaded_version"] = current.isoformat()
        self.other_edit = describe_other_edit(self.instance, loaded)
        raise forms.ValidationError(
            "Someone else saved this initiative after you opened it"
            f"{self.other_edit['who']}. Your changes have not been saved yet and are still in "
            "the form. Check the other edit (listed at the top of the page), then save again "
            "to keep your version.",
            code="edit_conflict",
        )


def describe_other_edit(instance, loaded):
    records = instance.history.order_by("-history_date", "-history_id")
    latest = records.first()
    who = ""
    if latest is not None:
        user = latest.history_user
        when = timezone.localtime(latest.history_date).strftime("%d %B %Y at %H:%M")
        who = f" ({user or 'an unknown user'}, {when})"
    changes = []
    base = next((r for r in records if r.updated.isoformat() == loaded), None)
    if latest is not None and base is not None:
        for change in latest.diff_against(base).changes:
            label = Initiative._meta.get_field(change.field).verbose_name
            changes.append(f"{label}: “{change.old}” → “{change.new}”")
    return {"who": who, "changes": changes}


class RestoreForm(forms.Form):
    history_id = forms.IntegerField()


def restore_deleted(record):
    """Brings back a deleted initiative as it was, relations included."""
    with transaction.atomic():
        initiative = record.instance
        initiative.save()
        # The deletion record is written after the relations are gone; take them from the
        # version before it.
        before = record.prev_record or record
        initiative.themes.set([row.theme_id for row in before.themes.all()])
        initiative.partners.set([row.partner_id for row in before.partners.all()])
        initiative.sources.set([row.source_id for row in before.sources.all()])
        # Its evaluations, costs, funders and roles went with it, in the same deletion.
        since = record.history_date - timezone.timedelta(minutes=1)
        for model in (Evaluation, Cost, Funder, CommissionerRole):
            for row in model.history.filter(initiative_id=initiative.pk, history_type="-",
                                            history_date__gte=since):
                if not model.objects.filter(pk=row.id).exists():
                    row.instance.save()
    return initiative


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


class EvaluationFormSet(forms.BaseInlineFormSet):
    """The stage of evidence must fit the evaluations recorded: "independently evaluated"
    needs an independent one, "evaluated locally" at least one."""

    def clean(self):
        super().clean()
        kept = [form.cleaned_data for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        evaluations = [Evaluation(independent=data.get("independent", False)) for data in kept]
        problem = stage_problem(self.instance.evidence_stage, evaluations)
        if problem:
            raise forms.ValidationError(problem)


# Each inline sits under the part of the form it belongs to (`fieldset`), as on the case study
# (templates/admin/casestudies/initiative/change_form.html places them). All are stacked, as
# a tabular inline's fields have column headings but no labels, which screen readers need;
# and all are closed until opened (or until one of their rows has an error).
class EvaluationInline(admin.StackedInline):
    model = Evaluation
    formset = EvaluationFormSet
    extra = 0
    classes = ["collapse"]
    fields = ["title", "evaluator", "independent", "year", "design", "findings", "url"]
    fieldset = "Evidence and evaluations"


class CostInline(admin.StackedInline):
    model = Cost
    extra = 0
    classes = ["collapse"]
    verbose_name_plural = "Cost figures the sources give"
    fieldset = "Costs and funders"


class FunderInline(admin.StackedInline):
    model = Funder
    extra = 0
    classes = ["collapse"]
    autocomplete_fields = ["partner"]
    verbose_name_plural = "Who paid, commissioned and delivered it"
    fieldset = "Costs and funders"


class CommissionerRoleInline(admin.StackedInline):
    model = CommissionerRole
    extra = 0
    classes = ["collapse"]
    verbose_name_plural = "What the commissioner did"
    fieldset = "The commissioner's role"


class ReplicationLinkInline(admin.StackedInline):
    model = ReplicationLink
    fk_name = "initiative"
    extra = 0
    classes = ["collapse"]
    autocomplete_fields = ["other"]
    verbose_name_plural = "Links to other practice (shown on both entries)"
    fieldset = "Replication checklist"


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", f"Overdue (over {REVIEW_INTERVAL_DAYS} days or never)"),
                ("current", "Up to date")]

    def queryset(self, request, queryset):
        cutoff = timezone.localdate() - timezone.timedelta(days=REVIEW_INTERVAL_DAYS)
        overdue = Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff)
        if self.value() == "overdue":
            return queryset.filter(overdue)
        if self.value() == "current":
            return queryset.exclude(overdue)
        return queryset


class OpenProblemReportInline(admin.StackedInline):
    model = ProblemReport
    fields = ["created", "problem", "state", "editor_note"]
    readonly_fields = ["created", "problem"]
    extra = 0
    classes = ["collapse"]
    can_delete = False
    verbose_name_plural = "Problem reports from readers"
    fieldset = "Publishing and verification"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Initiative)
class InitiativeAdmin(ImportExportMixin, ReadableHistoryAdmin):
    form = InitiativeAdminForm
    # Spreadsheets of initiatives (casestudies/spreadsheet.py): a dry run first, nothing
    # saved while any row has an error, new entries as drafts; the same columns export.
    resource_classes = [InitiativeResource]
    import_formats = export_formats = [base_formats.XLSX, base_formats.CSV]
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
    autocomplete_fields = ["area", "approach", "themes", "partners", "sources"]
    date_hierarchy = "created"
    readonly_fields = ["created", "updated"]
    actions = ["publish", "send_to_review", "archive"]
    inlines = [CommissionerRoleInline, FunderInline, CostInline, EvaluationInline,
               ReplicationLinkInline, OpenProblemReportInline]
    # In the order of the case study; the long parts that no new entry needs open closed.
    fieldsets = [
        ("The practice in brief", {"fields": [
            "title", "slug", "area", "approach", "themes", "summary",
            ("status", "status_reported_in"), "year_started", "loaded_version",
        ]}),
        ("What was done and how it works", {
            "fields": ["description", "mechanism", "context"],
        }),
        ("Evidence and evaluations", {
            "fields": ["evidence_stage", "evidence_finding", "evidence_note", "outcomes",
                       "headline_result", "harms"],
            "classes": ["collapse"],
        }),
        ("Costs and funders", {"fields": ["cost_band", "cost_note"], "classes": ["collapse"]}),
        ("The commissioner's role", {
            "fields": ["pcc_role_note", "pcc_role_claimed"], "classes": ["collapse"],
        }),
        ("Replication checklist", {
            "fields": ["replication_preconditions", "replication_partners",
                       "replication_data_sharing", "replication_funding",
                       "replication_first_steps", "replication_lessons"],
            "classes": ["collapse"],
        }),
        ("Contacts", {"fields": ["lead_organisation", "contact", "contact_email", "partners"]}),
        ("Sources", {
            "fields": ["sources"],
            "description": "Find a source by its title, publisher or address, or add a new one "
                           "with the plus sign: it opens in a window of its own and is chosen "
                           "here when saved.",
        }),
        ("Publishing and verification", {
            "fields": ["checklist_hint", "state", "last_verified", "verified_how", "created",
                       "updated"],
        }),
    ]

    class Media:
        js = ["js/admin-checklist.js"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.may_publish = may_publish(request.user)
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "checklist_hint"]
        if obj is not None and obj.state in PUBLISHER_STATES and not may_publish(request.user):
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
        return may_publish(request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("deleted/", view(self.deleted_view), name="casestudies_initiative_deleted"),
            path("<path:object_id>/history/<int:version_id>/restore/", view(self.restore_view),
                 name="casestudies_initiative_restore"),
            path("<path:object_id>/verify/", view(self.verify_view),
                 name="casestudies_initiative_verify"),
            path("import/template.xlsx", view(self.import_template_view),
                 name="casestudies_initiative_import_template"),
            *super().get_urls(),
        ]

    def may_restore(self, request):
        return may_publish(request.user)

    def import_template_view(self, request):
        """An empty spreadsheet with the import's columns, to fill in."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        dataset = InitiativeResource().export(Initiative.objects.none())
        response = HttpResponse(
            base_formats.XLSX().export_data(dataset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="initiatives-template.xlsx"'
        return response

    def get_import_context_data(self, **kwargs):
        return {**super().get_import_context_data(**kwargs), "separator": SEPARATOR}

    def verify_view(self, request, object_id):
        """Asks the entry's contact, by email, whether it is still right (verification.py);
        says why not when the entry has no contact email."""
        initiative = self.get_object(request, unquote(object_id))
        if initiative is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, initiative):
            raise PermissionDenied
        change_url = reverse("admin:casestudies_initiative_change", args=[initiative.pk])
        if request.method == "POST" and initiative.contact_email:
            try:
                verification.send(initiative, request.build_absolute_uri("/"), request.user)
            except OSError as error:  # the mail server refused or could not be reached
                self.message_user(request, f"The email could not be sent ({error}). Nothing "
                                  "was recorded; try again later.", messages.ERROR)
            else:
                self.message_user(request, f"Sent a request to confirm this entry to "
                                  f"{initiative.contact_email}. The answer will appear under "
                                  "Verification requests.", messages.SUCCESS)
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request), "opts": self.opts,
            "title": "Ask the area to confirm this entry", "object": initiative,
            "change_url": change_url, "days": settings.VERIFY_LINK_DAYS,
            "earlier": initiative.verification_requests.all()[:10],
        }
        return TemplateResponse(request, "admin/casestudies/initiative/verify.html", context)

    def restore_view(self, request, object_id, version_id):
        """Asks first, showing what restoring the version would change; then restores it."""
        initiative = self.get_object(request, unquote(object_id))
        if initiative is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not (self.has_change_permission(request, initiative) and may_publish(request.user)):
            raise PermissionDenied
        record = get_object_or_404(initiative.history, history_id=version_id)
        latest = records_of(initiative).first()
        history_url = reverse("admin:casestudies_initiative_history", args=[initiative.pk])
        if request.method == "POST":
            try:
                history.restore(record, request.user)
            except (history.RestoreRefused, IntegrityError) as refused:
                message = (str(refused) if isinstance(refused, history.RestoreRefused) else
                           "That version's title or address is now used by another entry. "
                           "Rename that one first.")
                self.message_user(request, f"Not restored. {message}", messages.ERROR)
            else:
                self.message_user(
                    request, f"Restored the version of "
                    f"{date_format(timezone.localtime(record.history_date), 'j F Y, H:i')}.",
                    messages.SUCCESS)
            return redirect(history_url)
        context = {
            **self.admin_site.each_context(request), "opts": self.opts,
            "title": "Restore this version?", "object": initiative, "record": record,
            "changes": changes(record, latest), "history_url": history_url,
        }
        return TemplateResponse(request, "admin/casestudies/initiative/restore.html", context)

    def deleted_view(self, request):
        """Lists deleted initiatives and restores one, with its themes, partners and sources."""
        if not (self.has_add_permission(request) and may_publish(request.user)):
            raise PermissionDenied
        history = Initiative.history.model
        latest = history.objects.filter(id=OuterRef("id")).order_by("-history_date",
                                                                     "-history_id")
        records = (
            history.objects.filter(history_type="-")
            .exclude(id__in=Initiative.objects.values("pk"))
            .filter(history_id=Subquery(latest.values("history_id")[:1]))
            .select_related("history_user").order_by("-history_date")
        )
        if request.method == "POST":
            form = RestoreForm(request.POST)
            if form.is_valid():
                record = get_object_or_404(records, history_id=form.cleaned_data["history_id"])
                try:
                    initiative = restore_deleted(record)
                except IntegrityError:
                    self.message_user(
                        request,
                        f"“{record.title}” could not be restored: another initiative now uses "
                        "its address or title. Rename that one first.",
                        messages.ERROR,
                    )
                else:
                    self.message_user(request, f"Restored “{initiative}”.", messages.SUCCESS)
                    return redirect(reverse("admin:casestudies_initiative_change",
                                            args=[initiative.pk]))
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": "Restore deleted initiatives", "records": records,
        }
        return TemplateResponse(request, "admin/casestudies/initiative/deleted.html", context)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            open_report_count=Count("problem_reports",
                                    filter=Q(problem_reports__state=ProblemReport.Review.NEW))
        )

    @admin.display(description="Open reports", ordering="open_report_count")
    def open_reports(self, initiative):
        return initiative.open_report_count or "—"

    @admin.display(description="Last verified",
                   ordering=F("last_verified").asc(nulls_first=True))
    def verified_on(self, initiative):
        """Sorts never-verified entries with the oldest, on every database."""
        return initiative.last_verified

    @admin.display(description="Review due", boolean=False)
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
        # Saved one by one, so that history records who changed what.
        changed = 0
        for initiative in queryset:
            initiative.state = state
            initiative.save(update_fields=["state", "updated"])
            changed += 1
        self.message_user(request, f"{verb} {changed} initiative(s).", messages.SUCCESS)

    @admin.action(description="Publish selected initiatives", permissions=["publish"])
    def publish(self, request, queryset):
        queryset = queryset.annotate(source_count=Count("sources"))
        unsourced = [i.title for i in queryset if i.source_count == 0]
        self.change_state(request, queryset.filter(source_count__gt=0), State.PUBLISHED,
                          "Published")
        if unsourced:
            self.message_user(
                request,
                f"Not published, because they have no source: {', '.join(unsourced)}. "
                + NEEDS_SOURCE,
                messages.ERROR,
            )

    @admin.action(description="Send selected initiatives to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        self.change_state(request, queryset, State.REVIEW, "Sent to review")

    @admin.action(description="Archive selected initiatives", permissions=["publish"])
    def archive(self, request, queryset):
        self.change_state(request, queryset, State.ARCHIVED, "Archived")
