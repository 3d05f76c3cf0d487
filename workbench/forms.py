from django import forms

from casestudies.models import VerificationAnswer, VerificationRequest
from pcc_practice.forms import HoneypotMixin, RefusesNullCharacters


class VerificationAnswerForm(RefusesNullCharacters, HoneypotMixin, forms.ModelForm):
    """An area's answer to "is this entry still right?"."""

    class Meta:
        model = VerificationRequest
        fields = ["answer", "what_changed", "answered_by"]
        widgets = {"answer": forms.RadioSelect, "what_changed": forms.Textarea(attrs={"rows": 5})}
        labels = {"answer": "Is the practice still running as the page describes it?",
                  "what_changed": "What has changed",
                  "answered_by": "Your name and role"}
        help_texts = {
            "what_changed": "For example a new partner, a different service, new figures or "
                            "an evaluation, or when and why it ended. Where you can, give the "
                            "address of a report or news item that says so.",
            "answered_by": "So that an editor can record who confirmed the entry. We do not "
                           "show your name on the site.",
        }
        error_messages = {"answer": {"required": "Choose whether the practice is still running",
                                     "invalid_choice": "Choose whether the practice is still "
                                                       "running"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True
        self.fields["answer"].choices = VerificationAnswer.choices

    def clean(self):
        cleaned_data = super().clean()
        if (cleaned_data.get("answer") == VerificationAnswer.CHANGED
                and not (cleaned_data.get("what_changed") or "").strip()):
            self.add_error("what_changed", "Tell us what has changed")
        return cleaned_data
