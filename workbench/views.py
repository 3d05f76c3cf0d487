from django.core import signing
from django.http import Http404
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
        answer = form.save(commit=False)
        answer.state = VerificationRequest.Review.ANSWERED
        answer.answered = timezone.now()
        answer.save()
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("workbench:confirm-entry-thanks")
