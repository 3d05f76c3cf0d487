from django import forms

from .models import Initiative

MIN_COMPARE, MAX_COMPARE = 2, 4


class CompareAreasForm(forms.Form):
    empty = forms.ChoiceField(
        label="Areas with no practice",
        choices=[("hide", "Hide them"), ("show", "Show them")], required=False,
    )


class ComparePracticeForm(forms.Form):
    item = forms.ModelMultipleChoiceField(
        label="Case studies", queryset=Initiative.objects.published(), to_field_name="slug",
        error_messages={
            "required": "Choose two to four case studies to compare.",
            "invalid_choice": "There is no published case study at “%(value)s”.",
            "invalid_pk_value": "There is no published case study at “%(pk)s”.",
        },
    )

    def clean_item(self):
        chosen = list(self.cleaned_data["item"].select_related("area").prefetch_related(
            "themes", "partners", "sources"
        ))
        if len(chosen) < MIN_COMPARE:
            raise forms.ValidationError("Choose at least two different case studies to compare.")
        if len(chosen) > MAX_COMPARE:
            raise forms.ValidationError(
                f"Choose no more than four case studies to compare (you chose {len(chosen)})."
            )
        # Keep the order in which the user chose them.
        order = {slug: n for n, slug in enumerate(self.data.getlist("item"))}
        return sorted(chosen, key=lambda initiative: order.get(initiative.slug, 0))
