from django import forms

from casestudies.models import (
    ContactKind,
    ContactMessage,
    Initiative,
    ProblemReport,
    Suggestion,
)
from pcc_practice.forms import HoneypotMixin, RefusesNullCharacters

MIN_COMPARE, MAX_COMPARE = 2, 4


class CompareAreasForm(RefusesNullCharacters, forms.Form):
    empty = forms.ChoiceField(
        label="Areas with no practice",
        choices=[("hide", "Hide them"), ("show", "Show them")], required=False,
    )


class ComparePracticeForm(RefusesNullCharacters, forms.Form):
    item = forms.ModelMultipleChoiceField(
        label="Case studies", queryset=Initiative.objects.published(), to_field_name="slug",
        error_messages={
            "required": "Choose two to four case studies to compare.",
            "invalid_choice": "There is no published case study at “%(value)s”.",
            "invalid_pk_value": "There is no published case study at “%(pk)s”.",
        },
    )

    def clean_item(self):
        chosen = list(
            self.cleaned_data["item"].with_profile().select_related("area", "approach")
            .prefetch_related("themes", "partners", "sources", "evaluations",
                              "commissioner_roles", "funders__partner")
        )
        if len(chosen) < MIN_COMPARE:
            raise forms.ValidationError("Choose at least two different case studies to compare.")
        if len(chosen) > MAX_COMPARE:
            raise forms.ValidationError(
                f"Choose no more than four case studies to compare (you chose {len(chosen)})."
            )
        # Keep the order in which the user chose them.
        order = {slug: n for n, slug in enumerate(self.data.getlist("item"))}
        return sorted(chosen, key=lambda initiative: order.get(initiative.slug, 0))


class SuggestionForm(RefusesNullCharacters, HoneypotMixin, forms.ModelForm):
    class Meta:
        model = Suggestion
        fields = [
            "title", "area", "themes", "summary", "description", "status", "year_started",
            "outcomes", "lead_organisation", "partners", "sources", "submitter_name",
            "submitter_email", "submitter_organisation",
        ]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "outcomes": forms.Textarea(attrs={"rows": 4}),
            "partners": forms.Textarea(attrs={"rows": 3}),
            "sources": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": "For example, “Street triage”.",
            "summary": "A sentence or two about what it is and who it helps.",
            "description": "What was done, by whom, and when.",
            "outcomes": "Only results that a report or evaluation gives; leave empty if none.",
            "lead_organisation": "For example, the office of the police and crime commissioner.",
            "submitter_name": "Optional. Only so that an editor can thank you.",
            "submitter_email": "Optional. Only if you are happy for an editor to ask you about "
                               "this suggestion.",
            "submitter_organisation": "Optional.",
        }
        error_messages = {
            "title": {"required": "Enter the name of the practice"},
            "area": {"required": "Select the area where it happens"},
            "summary": {"required": "Enter a short summary"},
            "description": {"required": "Describe what was done"},
            "lead_organisation": {"required": "Enter the organisation that leads it"},
            "sources": {"required": "Enter at least one web address where we can check the "
                                    "facts"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].empty_label = "Select an area"
        # Slugs, not database ids, in the form: readable, and no huge numbers reach the
        # database.
        self.fields["area"].to_field_name = "slug"
        self.fields["themes"].to_field_name = "slug"

    def clean_sources(self):
        sources = self.cleaned_data["sources"]
        addresses = [line.strip() for line in sources.splitlines() if line.strip()]
        validate = forms.URLField().clean
        for address in addresses:
            try:
                validate(address)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"“{address[:80]}” is not a web address. Enter one address a line, "
                    "starting with https://"
                ) from None
        return "\n".join(addresses)


class ProblemReportForm(RefusesNullCharacters, HoneypotMixin, forms.ModelForm):
    class Meta:
        model = ProblemReport
        fields = ["problem", "email"]
        widgets = {"problem": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "problem": "For example, a figure that is wrong, a broken link or news that the "
                       "practice has ended. Do not include personal information.",
            "email": "Optional. Only if you are happy for an editor to reply.",
        }
        error_messages = {"problem": {"required": "Tell us what is wrong with the page"}}


class ContactForm(RefusesNullCharacters, HoneypotMixin, forms.ModelForm):
    class Meta:
        model = ContactMessage
        fields = ["kind", "message", "page", "name", "email"]
        widgets = {"kind": forms.RadioSelect, "message": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "message": "For an accessibility problem, say what you were trying to do and what "
                       "happened. For another format, say which page and the format you need "
                       "(for example large print, audio or plain text). Do not include "
                       "personal information about anyone else.",
            "page": "Its address or its title, if the message is about one page.",
            "email": "Needed if you want a reply, and for content in another format: we send "
                     "it to this address.",
        }
        error_messages = {
            "kind": {"required": "Choose what your message is about",
                     "invalid_choice": "Choose what your message is about"},
            "message": {"required": "Enter your message"},
            "email": {"invalid": "Enter an email address in the correct format, like "
                                 "name@example.org"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ContactKind.choices  # no empty choice among the radios

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("kind") == ContactKind.FORMAT and not cleaned_data.get("email"):
            self.add_error("email", "Enter the email address to send the content to")
        return cleaned_data
