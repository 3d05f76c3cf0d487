"""Areas' answers to requests to confirm their entries, for an editor to accept or not
(verification.py sends the requests and applies the answers)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from casestudies.models import Status, VerificationRequest, VerificationState
from workbench import verification


class AcceptForm(forms.Form):
    status = forms.ChoiceField(
        label="Practice status after this answer", choices=Status.choices,
        help_text="Set from the answer; change it if what the area says calls for another.",
    )


@admin.register(VerificationRequest)
class VerificationRequestAdmin(admin.ModelAdmin):
    list_display = ["initiative", "email", "sent", "where_it_stands", "answer", "review_link"]
    list_filter = ["state", "answer"]
    search_fields = ["initiative__title", "email", "what_changed"]
    list_select_related = ["initiative"]
    readonly_fields = ["initiative", "email", "sent_by", "sent", "state", "answer",
                       "what_changed", "answered_by", "answered", "reviewed_by", "reviewed",
                       "source"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # requests are sent from an initiative's page in admin

    def has_change_permission(self, request, obj=None):
        return False  # answers come from the areas; editors accept them with review_view

    @admin.display(description="State", ordering="state")
    def where_it_stands(self, verification_request):
        return verification_request.progress

    @admin.display(description="Review")
    def review_link(self, verification_request):
        if verification_request.state != VerificationState.ANSWERED:
            return "—"
        return format_html('<a href="{}">Review the answer<span class="visually-hidden"> '
                           'about {}</span></a>',
                           reverse("admin:casestudies_verificationrequest_review",
                                   args=[verification_request.pk]),
                           verification_request.initiative)

    def get_urls(self):
        return [path("<path:object_id>/review/", self.admin_site.admin_view(self.review_view),
                     name="casestudies_verificationrequest_review"),
                *super().get_urls()]

    def review_view(self, request, object_id):
        """Shows the area's answer beside the entry; accepting it updates the entry and
        records the answer as a source, declining leaves the entry as it is."""
        if not request.user.has_perm("casestudies.change_initiative"):
            raise PermissionDenied
        answer = (VerificationRequest.objects.select_related("initiative__area")
                  .filter(pk=unquote(object_id)).first())
        if answer is None:
            raise Http404("There is nothing with this number; it may have been deleted.")
        changelist = reverse("admin:casestudies_verificationrequest_changelist")
        if answer.state != VerificationState.ANSWERED:
            self.message_user(request, "That request has no answer waiting.", messages.WARNING)
            return redirect(changelist)
        form = AcceptForm(request.POST or None,
                          initial={"status": verification.status_after(answer)})
        if request.method == "POST" and "decline" in request.POST:
            verification.decline(answer, request.user)
            self.message_user(request, "Not accepted; the entry is unchanged.",
                              messages.SUCCESS)
            return redirect(changelist)
        if request.method == "POST" and form.is_valid():
            source = verification.accept(answer, request.user, form.cleaned_data["status"])
            self.message_user(request, f"Accepted. The entry now cites “{source.title}”. "
                              "Make any other change the answer calls for.", messages.SUCCESS)
            return redirect(reverse("admin:casestudies_initiative_change",
                                    args=[answer.initiative.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts,
                   "title": f"The area's answer about “{answer.initiative}”",
                   "answer": answer, "form": form}
        return TemplateResponse(request, "admin/casestudies/verificationrequest/review.html",
                                context)
