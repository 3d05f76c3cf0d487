"""Initiatives as a spreadsheet, for editors to load many at once in admin (with
django-import-export): one row an initiative, one column a field, headed with the labels the
admin's form uses. Areas, approaches, themes, partners and sources are given by name or slug
(several separated by semicolons), choices by their label or value. New entries arrive as
drafts; the publication state is exported but never imported."""

import csv
import io

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, IntegerField, Q
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.forms import ImportForm

from casestudies import publishing
from casestudies.fields import INITIATIVE, PUBLISHING
from casestudies.models import Initiative, Source, State
from pcc_practice.formulas import defused, restored

SEPARATOR = ";"


def label(name):
    return capfirst(Initiative._meta.get_field(name).verbose_name)


class Named:
    """Finds objects by name (or title) or slug, and says which it could not find."""

    def find(self, text):
        text = str(text).strip()
        found = self.model.objects.filter(Q(slug=text) | Q(**{f"{self.name_field}__iexact": text}))
        if len(found) != 1:
            noun = self.model._meta.verbose_name
            raise ValueError(f"There is no {noun} called “{text[:100]}”. Give its name or slug "
                             f"as it is in admin.")
        return found[0]


class NamedWidget(Named, widgets.ForeignKeyWidget):
    def __init__(self, model, name_field="name"):
        self.name_field = name_field
        super().__init__(model, field="slug")

    def clean(self, value, row=None, **kwargs):
        return self.find(value) if str(value or "").strip() else None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.name_field)


class NamesWidget(Named, widgets.ManyToManyWidget):
    def __init__(self, model, name_field="name"):
        self.name_field = name_field
        super().__init__(model, separator=SEPARATOR, field="slug")

    def clean(self, value, row=None, **kwargs):
        names = [part for part in str(value or "").split(SEPARATOR) if part.strip()]
        return [self.find(name) for name in names]

    def render(self, value, obj=None, **kwargs):
        if value is None:  # a new entry, before it is saved
            return ""
        return f"{SEPARATOR} ".join(getattr(item, self.name_field) for item in value.all())


class TextWidget(widgets.CharWidget):
    """Text that a spreadsheet will never run as a formula: exported with a leading
    apostrophe where it starts like one (as the public exports do), which import takes off."""

    def __init__(self):
        super().__init__(allow_blank=True)

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs) or ""
        return restored(text)

    def render(self, value, obj=None, **kwargs):
        return defused(super().render(value, obj, **kwargs))


class ChoiceWidget(widgets.CharWidget):
    """A choice by its label (as exported) or its stored value."""

    def __init__(self, choices):
        self.choices = dict(choices)
        super().__init__(allow_blank=True)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if text in self.choices:
            return text
        for stored, shown in self.choices.items():
            if text.lower() == str(shown).lower():
                return stored
        raise ValueError(f"“{text[:100]}” is not one of: "
                         + "; ".join(str(shown) for shown in self.choices.values()) + ".")

    def render(self, value, obj=None, **kwargs):
        return str(self.choices.get(value, value or ""))


class YesNoWidget(widgets.BooleanWidget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in ("yes", "y", "true", "1"):
            return True
        if text in ("no", "n", "false", "0", ""):
            return False
        raise ValueError("Write “Yes” or “No”.")

    def render(self, value, obj=None, **kwargs):
        return "Yes" if value else "No"


# Every field edited in the admin's form but those of publishing, in the form's order.
COLUMNS = [field.name for field in INITIATIVE if field.part and field.part != PUBLISHING]


def column(name):
    """The column of a model field, read and written by the widget its type calls for."""
    model_field = Initiative._meta.get_field(name)
    if model_field.is_relation:
        related = model_field.related_model
        shown_by = "title" if related is Source else "name"
        kind = NamesWidget if model_field.many_to_many else NamedWidget
        widget = kind(related, shown_by)
    elif model_field.choices:
        widget = ChoiceWidget(model_field.choices)
    elif isinstance(model_field, BooleanField):
        widget = YesNoWidget()
    elif isinstance(model_field, IntegerField):
        widget = widgets.IntegerWidget()
    else:
        widget = TextWidget()
    return fields.Field(attribute=name, column_name=label(name), widget=widget)


class InitiativeResource(resources.ModelResource):
    # The publication state is shown, never imported: imported entries arrive as drafts, and
    # changed ones keep theirs (publishing is a publisher's decision, taken in admin).
    state = fields.Field(attribute="state", column_name=label("state"), readonly=True,
                         widget=ChoiceWidget(State.choices))

    class Meta:
        model = Initiative
        fields = [*COLUMNS, "state"]
        import_id_fields = ["slug"]
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        for name in COLUMNS:  # headed with the form's labels, read with the widgets above
            self.fields[name] = column(name)

    def before_import_row(self, row, **kwargs):
        """A row without a slug is a new entry: it gets a slug from its title that no entry
        has yet (so it never changes another area's entry of the same name)."""
        slug_column = label("slug")
        if not str(row.get(slug_column) or "").strip():
            row[slug_column] = Initiative.objects.unique_slug(str(row.get(label("title")) or ""),
                                                               "imported-practice")

    def import_instance(self, instance, row, **kwargs):
        """Every field's problem at once, the related names included (which the library
        would otherwise only look up after saving)."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        named = {}
        for field in self.get_import_fields():
            if isinstance(field.widget, NamesWidget) and field.column_name in row:
                try:
                    named[field.attribute] = field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [ValidationError(str(error), code="invalid")]
        if not instance.pk:
            instance.state = State.DRAFT
        elif "sources" in named:  # a published entry keeps a source
            problem = publishing.problem(instance.state, bool(named["sources"]))
            if problem:
                errors["sources"] = [ValidationError(problem, code="needs_source")]
        if errors:
            raise ValidationError(errors)

    def save_m2m(self, instance, row, **kwargs):
        sources = self.fields["sources"]
        if sources.column_name in row:  # added before any is removed (casestudies/publishing)
            publishing.replace_sources(instance, sources.clean(row))
        super().save_m2m(instance, row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = kwargs.get("user") or self.user
        instance._change_reason = "Imported from a spreadsheet"


IMPORT_KINDS = {"new": "New entry (a draft)", "update": "Change", "skip": "No change",
                "invalid": "Error", "error": "Error"}


def report(result):
    """An import's dry run row by row, in words: [{"row" (as the spreadsheet numbers it, the
    headings being row 1), "kind", "title", "errors": [(column, message)], "changes":
    [(column, diff as HTML)]}]."""
    headers = list(result.diff_headers)
    columns = {field.attribute: field.column_name for field in InitiativeResource().fields.values()}
    title = label("title")
    invalid = {row.number: row for row in result.invalid_rows}
    rows = []
    for number, row in enumerate(result.rows, 1):
        entry = {"row": number + 1, "kind": IMPORT_KINDS.get(row.import_type, row.import_type),
                 "title": row.object_repr or "", "errors": [], "changes": []}
        if number in invalid:
            values = dict(zip(headers, invalid[number].values, strict=False))
            entry["title"] = values.get(title, "")
            for field, messages in invalid[number].error_dict.items():
                column = columns.get(field, "The row as a whole")
                entry["errors"] += [(column, message) for message in messages]
        for error in row.errors:
            entry["title"] = entry["title"] or (error.row or {}).get(title, "")
            entry["errors"].append(("The row as a whole", str(error.error)))
        if row.import_type == "update" and row.diff:
            entry["changes"] = [(header, html) for header, html in zip(headers, row.diff,
                                                                       strict=False)
                                if "<ins" in html or "<del" in html]
        rows.append(entry)
    return rows


# --- Limits, checked before any row is read as an initiative: an import runs in one
# transaction, which on SQLite holds the write lock for every public form and sign-in. ---

class TooManyRows(ValueError):
    pass


def check_rows(rows):
    """Counts the rows after the headings, and refuses past IMPORT_MAX_ROWS."""
    for count, _ in enumerate(rows):
        if count > settings.IMPORT_MAX_ROWS:  # the headings are row 0
            raise TooManyRows(f"This file has more than {settings.IMPORT_MAX_ROWS} rows of "
                              "initiatives, the most one import takes. Split it into smaller "
                              "files and import them one after another.")


class CappedCSV(base_formats.CSV):
    def create_dataset(self, in_stream, **kwargs):
        text = in_stream.decode(self.encoding or "utf-8") if isinstance(in_stream, bytes) \
            else in_stream
        check_rows(csv.reader(io.StringIO(text)))
        return super().create_dataset(in_stream, **kwargs)


class CappedXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            check_rows(book.active.iter_rows(values_only=True))
        finally:
            book.close()
        return super().create_dataset(in_stream)


class CappedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                f"This file is {filesizeformat(upload.size)}; the most one import takes is "
                f"{filesizeformat(settings.IMPORT_MAX_BYTES)}. Split it into smaller files and "
                "import them one after another.", code="too_large")
        return upload
