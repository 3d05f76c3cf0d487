"""The admin pages of an initiative beyond its form: asking the area to confirm it, restoring
an old version, restoring deleted entries, and the spreadsheet template to import from."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from import_export.formats import base_formats

from casestudies import publishing
from casestudies.models import Initiative
from pcc_practice.history import changes, records_of

from .. import verification
from ..spreadsheet import SEPARATOR, InitiativeResource


class RestoreForm(forms.Form):
    history_id = forms.IntegerField()


class InitiativePagesMixin:
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
        return publishing.may_publish(request.user)

    def entry(self, request, object_id):
        initiative = self.get_object(request, unquote(object_id))
        if initiative is None:
            raise Http404("There is no initiative with this number; it may have been deleted.")
        return initiative

    def page(self, request, template, title, **context):
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": title,
                   **context}
        return TemplateResponse(request, f"admin/casestudies/initiative/{template}", context)

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
        initiative = self.entry(request, object_id)
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
        return self.page(request, "verify.html", "Ask the area to confirm this entry",
                         object=initiative, change_url=change_url,
                         days=settings.VERIFY_LINK_DAYS,
                         earlier=initiative.verification_requests.all()[:10])

    def restore_view(self, request, object_id, version_id):
        """Asks first, showing what restoring the version would change; then restores it."""
        initiative = self.entry(request, object_id)
        if not (self.has_change_permission(request, initiative)
                and publishing.may_publish(request.user)):
            raise PermissionDenied
        record = get_object_or_404(initiative.history, history_id=version_id)
        history_url = reverse("admin:casestudies_initiative_history", args=[initiative.pk])
        if request.method == "POST":
            try:
                publishing.restore_version(record, request.user)
            except publishing.Refused as refused:
                self.message_user(request, f"Not restored. {refused}", messages.ERROR)
            else:
                when = date_format(timezone.localtime(record.history_date), "j F Y, H:i")
                self.message_user(request, f"Restored the version of {when}.",
                                  messages.SUCCESS)
            return redirect(history_url)
        return self.page(request, "restore.html", "Restore this version?", object=initiative,
                         record=record, history_url=history_url,
                         changes=changes(record, records_of(initiative).first()))

    def deleted_view(self, request):
        """Lists deleted initiatives and restores one, with its themes, partners and sources."""
        if not (self.has_add_permission(request) and publishing.may_publish(request.user)):
            raise PermissionDenied
        records = publishing.deleted()
        if request.method == "POST":
            form = RestoreForm(request.POST)
            if form.is_valid():
                record = get_object_or_404(records, history_id=form.cleaned_data["history_id"])
                try:
                    initiative = publishing.restore_deleted(record, request.user)
                except publishing.Refused as refused:
                    self.message_user(request, str(refused), messages.ERROR)
                else:
                    self.message_user(request, f"Restored “{initiative}”.", messages.SUCCESS)
                    return redirect(reverse("admin:casestudies_initiative_change",
                                            args=[initiative.pk]))
        return self.page(request, "deleted.html", "Restore deleted initiatives",
                         records=records)
