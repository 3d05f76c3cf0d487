from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from casestudies.models import VerificationRequest
from pcc_practice.forms import PublicFormView

from . import verification
from .forms import VerificationAnswerForm


class ConfirmEntryView(PublicFormView):
    """Where an area answers a request to confirm its entry, from the signed link an editor
    sent (verification.py). The link works once and expires."""

    form_class = VerificationAnswerForm
    template_name = "workbench/confirm_entry.html"
    rate_scope = "confirm-entry"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.verification = verification.request_from(kwargs["token"])
        except signing.SignatureExpired:
            return TemplateResponse(request, "workbench/confirm_entry_closed.html",
                                    {"reason": "expired"}, status=410)
        if self.verification is None:
            raise Http404("No such request.")
        if self.verification.state != VerificationRequest.Review.SENT:
            return TemplateResponse(request, "workbench/confirm_entry_closed.html",
                                    {"reason": "used"}, status=410)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.verification}

    def get_context_data(self, **kwargs):
        return super().get_context_data(initiative=self.verification.initiative, **kwargs)

    def form_valid(self, form):
        """Records the answer only if the request is still waiting for one: one conditional
        UPDATE, so of answers sent at the same moment exactly one is kept and the others are
        told the link was used."""
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        recorded = VerificationRequest.objects.filter(
            pk=self.verification.pk, state=VerificationRequest.Review.SENT,
        ).update(**fields, state=VerificationRequest.Review.ANSWERED, answered=timezone.now())
        if not recorded:
            return TemplateResponse(self.request, "workbench/confirm_entry_closed.html",
                                    {"reason": "used"}, status=410)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return reverse("workbench:confirm-entry-thanks")
