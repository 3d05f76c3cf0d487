"""The forms of an initiative's admin page: the entry itself, and the rows it records."""

from django import forms
from django.utils import timezone

from casestudies import publishing
from casestudies.labels import problems
from casestudies.models import Evaluation, Initiative
from casestudies.readiness import stage_problem


class InitiativeAdminForm(forms.ModelForm):
    """Holds back publication until the initiative cites a source, and from editors who are not
    publishers; stops one editor from silently overwriting another's save (the admin supplies
    Meta, and `may_publish`)."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    may_publish = True
    rows_checked_with_form = False  # the admin sets it when the claims' inline is on the page

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rules that span the entry and its rows are checked by ClaimFormSet, with the
        # rows being saved (casestudies/labels.py); without it, by the model's clean().
        self.instance.rows_checked_with_form = self.rows_checked_with_form
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.updated.isoformat()
        state = self.fields.get("state")
        if state is not None and not self.may_publish:
            state.choices = [(value, label) for value, label in state.choices
                             if value not in publishing.PUBLISHER_STATES]
            state.error_messages["invalid_choice"] = publishing.NEEDS_PUBLISHER

    def clean(self):
        cleaned_data = super().clean()
        # An editor's form has no state field on a published entry: it keeps its state.
        state = cleaned_data.get("state", self.instance.state)
        if "sources" in self.fields:
            problem = publishing.problem(state, bool(cleaned_data.get("sources")))
            if problem:
                self.add_error("sources", problem)
        main = cleaned_data.get("approach")
        if main is not None and main in (cleaned_data.get("also_approaches") or []):
            self.add_error("also_approaches", f"“{main}” is the main approach already: choose "
                                              "only the others it also includes.")
        self.check_not_changed_since_loaded(cleaned_data.get("loaded_version"))
        return cleaned_data

    def _save_m2m(self):
        if "sources" in self.cleaned_data:  # added before any is removed (publishing.py)
            publishing.replace_sources(self.instance, self.cleaned_data["sources"])
        super()._save_m2m()

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


class RowsFormSet(forms.BaseInlineFormSet):
    """The rows of one kind as they will be saved, left on the entry (`pending_rows`) for the
    rules that span them, which ClaimFormSet (the last inline) checks."""

    def clean(self):
        super().clean()
        kept = [form.instance for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        pending = self.instance.__dict__.setdefault("pending_rows", {})
        pending[self.fk.remote_field.related_name] = kept


class EvaluationFormSet(RowsFormSet):
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


class ClaimFormSet(RowsFormSet):
    """Checks the rules that span the entry and its rows (casestudies/labels.py) against the
    rows being saved; the rows of an inline with errors are read from the database."""

    def clean(self):
        super().clean()
        found = problems(self.instance, **self.instance.pending_rows)
        messages = [message for field_messages in found.values() for message in field_messages]
        if messages:
            raise forms.ValidationError(messages)
