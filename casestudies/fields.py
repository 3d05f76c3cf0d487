"""Each public field of an initiative and of what it records, declared once.

A declaration names the model field (or a value worked out from the entry), its name in the
exports and the API, the part of the admin's form it is edited in (in the order of the case
study), whether it is exported and how much it weighs in search. The label, help text, type
and choices come from the model field. From these lists are built the columns of the CSV and
spreadsheet downloads, the dataset page and its CSVW, the API's response schemas, the records
that the exports and the API share, the admin's form and inlines, the spreadsheet import's
columns and the search's fields.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst

from .models import Claim, Cost, Evaluation, Funder, Initiative, Partner, Source
from .readiness import checklist, emmie


@dataclass(frozen=True)
class Field:
    name: str
    key: str = ""  # its name in the exports and the API (default: `name`)
    heading: str = ""  # its column heading (default: the model field's label)
    part: str = ""  # the part of the admin's form it is edited in ("" if not edited there)
    beside: bool = False  # in the form, on the line of the field before it
    search: str = ""  # its weight in search: "A" (most), "B" or "C"; "" if not searched
    exported: bool = True
    read: Any = None  # (object, request) -> value, for a value that is not a model field's
    nested: Any = None  # the Fields of each object of a many-valued relation
    type: Any = None  # the API's type, where the model field does not give it
    datatype: Any = None  # the CSVW datatype, where the model field does not give it
    description: str = ""  # for the API and the dataset page (default: the help text)


class Fields:
    """The declared fields of one model, in order; `name` names its record in the API."""

    def __init__(self, model, name, fields):
        self.model, self.name, self.fields = model, name, fields
        self.by_name = {field.name: field for field in fields}

    def __iter__(self):
        return iter(self.fields)

    def model_field(self, field):
        """The model field declared (None for a value worked out, or a reverse relation)."""
        try:
            model_field = self.model._meta.get_field(field.name)
        except FieldDoesNotExist:
            return None
        return None if model_field.auto_created and not model_field.concrete else model_field

    def key(self, field):
        return field.key or field.name

    def heading(self, field):
        model_field = self.model_field(field)
        if field.heading or model_field is None:
            return field.heading or capfirst(field.name.replace("_", " "))
        return capfirst(str(model_field.verbose_name))

    def exported(self):
        return [field for field in self.fields if field.exported]

    def columns(self):
        """(key, heading) of each exported field, in order."""
        return [(self.key(field), self.heading(field)) for field in self.exported()]

    def edited(self):
        """The model fields edited in the admin's form, in order."""
        return [field.name for field in self.fields if field.part]

    def parts(self):
        """[(part, [field name, or a tuple of names shown on one line])], in order."""
        parts = {}
        for field in self.fields:
            if not field.part:
                continue
            names = parts.setdefault(field.part, [])
            if field.beside and names:
                previous = names.pop()
                names.append((*(previous if isinstance(previous, tuple) else (previous,)),
                              field.name))
            else:
                names.append(field.name)
        return list(parts.items())

    def searched(self):
        """(field name, weight) of each searched field, in order."""
        return [(field.name, field.search) for field in self.fields if field.search]

    def reader(self, field):
        """How a record reads the field: (object, request) -> its public value (a choice's
        label, a related object's name, a date in ISO 8601)."""
        if field.read:
            return field.read
        model_field = self.model_field(field)
        name = model_field.attname
        if model_field.choices:
            labels = {value: str(label) for value, label in model_field.flatchoices}
            return lambda obj, request: (labels.get(value, value)
                                         if (value := getattr(obj, name)) != "" else None)
        if isinstance(model_field, models.ForeignKey):
            name = field.name
            return lambda obj, request: str(value) if (value := getattr(obj, name)) else None
        if isinstance(model_field, (models.DateField, models.DateTimeField)):
            return lambda obj, request: value.isoformat() if (value := getattr(obj, name)) else None
        return lambda obj, request: getattr(obj, name)

    def record(self, obj, request=None):
        """The exported fields of `obj`, by key."""
        if not hasattr(self, "readers"):  # once the models are ready
            self.readers = [(self.key(field), self.reader(field)) for field in self.exported()]
        return {key: read(obj, request) for key, read in self.readers}

    def api_type(self, field):
        if field.type is not None:
            return field.type
        model_field = self.model_field(field)
        optional = model_field.null or (model_field.choices and model_field.blank)
        if isinstance(model_field, models.BooleanField):
            kind = bool
        elif isinstance(model_field, models.IntegerField) and not model_field.choices:
            kind = int
        else:
            kind = str
        return kind | None if optional else kind

    def describe(self, field):
        model_field = self.model_field(field)
        return field.description or (str(model_field.help_text) if model_field else "")

    def datatype(self, field):
        """The CSVW datatype of the field's column."""
        if field.datatype is not None:
            return field.datatype
        model_field = self.model_field(field)
        if isinstance(model_field, models.BooleanField):
            return {"base": "boolean", "format": "Yes|No"}
        if isinstance(model_field, models.DateTimeField):
            return "dateTime"
        if isinstance(model_field, models.DateField):
            return "date"
        if isinstance(model_field, models.URLField):
            return "anyURI"
        if isinstance(model_field, models.IntegerField) and not model_field.choices:
            return "integer"
        return "string"


def related(name, fields, **kwargs):
    """A many-valued relation, each of its objects as a record of `fields`."""
    return Field(name, nested=fields, **kwargs,
                 read=lambda obj, request: [fields.record(item, request)
                                            for item in getattr(obj, name).all()])


def names(name):
    return lambda obj, request: [str(item) for item in getattr(obj, name).all()]


# Parts of the admin's form, in the order of the case study.
BRIEF = "The practice in brief"
DONE = "What was done and how it works"
EVIDENCE = "Evidence and evaluations"
COSTS = "Costs and funders"
ROLE = "The commissioner's role"
REPLICATION = "Replication checklist"
CONTACTS = "Contacts"
SOURCES = "Sources"
PUBLISHING = "Publishing and verification"

EVALUATION = Fields(Evaluation, "EvaluationOut", [
    Field("title"),
    Field("kind"),
    Field("evaluator"),
    Field("independent", description="Independent of the partners that delivered it"),
    Field("year"),
    Field("design", type=str | None,
          description="Level on the Maryland Scientific Methods Scale; only for an impact "
                      "evaluation"),
    Field("findings"),
    Field("url"),
])
COST = Fields(Cost, "CostOut", [
    Field("kind"),
    Field("amount", description="Pounds"),
    Field("year", type=int | None),
    Field("covers"),
    Field("url"),
])
FUNDER = Fields(Funder, "FunderOut", [
    Field("partner", key="name", read=lambda funder, request: funder.partner.name),
    Field("role"),
])
PARTNER = Fields(Partner, "Partner", [Field("name"), Field("partner_type", key="type")])
SOURCE = Fields(Source, "SourceOut", [
    Field("title"),
    Field("publisher"),
    Field("published_on", key="date", description="ISO 8601 date, when the source gives one"),
    Field("url", read=lambda source, request: source.url or None, type=str | None,
          description="None for an area's own confirmation of its entry, which is not "
                      "published"),
])

CLAIM = Fields(Claim, "ClaimOut", [
    Field("statement", description="The statement on the entry that the quote supports"),
    Field("row", description="For a row: the evaluation's title, the partner's slug, the "
                             "commissioner's role or the cost (“amount year kind”)"),
    Field("wording"),
    Field("quote"),
    Field("place"),
    Field("source", read=lambda claim, request: claim.source.title, type=str),
    Field("source_publisher", heading="Publisher", type=str,
          read=lambda claim, request: claim.source.publisher),
    Field("source_url", heading="Source address", type=str | None,
          read=lambda claim, request: claim.source.url or None),
    Field("said_by_office"),
])


def address(initiative, request):
    url = initiative.get_absolute_url()
    return request.build_absolute_uri(url) if request is not None else url


def readiness(initiative, request):
    ready = checklist(initiative)
    missing = f": {', '.join(ready['missing'])}" if ready["missing"] else ""
    return f"{ready['met']} of {ready['total']} met{missing}"


INITIATIVE = Fields(Initiative, "Practice", [
    Field("title", part=BRIEF, search="A"),
    # Worked out on save (casestudies/profile.py): found by its area and approaches' names.
    Field("search_terms", search="A", exported=False),
    Field("slug", part=BRIEF),
    Field("area", part=BRIEF),
    Field("area_ons_code", heading="ONS code", type=str,
          read=lambda initiative, request: initiative.area.ons_code),
    Field("region", heading="Region", type=str,
          read=lambda initiative, request: initiative.area.get_region_display()),
    Field("approach", part=BRIEF),
    Field("also_approaches", part=BRIEF, read=names("also_approaches"), type=list[str],
          heading="Also includes"),
    Field("themes", part=BRIEF, read=names("themes"), type=list[str]),
    Field("summary", part=BRIEF, search="B"),
    Field("status", part=BRIEF, heading="Status"),
    Field("status_reported_in", part=BRIEF, beside=True),
    Field("why_stopped", part=BRIEF),
    Field("year_started", part=BRIEF),
    Field("description", key="what_was_done", part=DONE, search="C"),
    Field("mechanism", key="how_it_is_meant_to_work", part=DONE, search="C"),
    Field("context", key="where_and_for_whom", part=DONE, search="C",
          heading="Where and for whom"),
    Field("evidence_stage", part=EVIDENCE, heading="Evidence stage"),
    Field("evidence_finding", part=EVIDENCE),
    Field("evidence_note", key="about_the_evidence", part=EVIDENCE),
    Field("outcomes", key="outcomes_and_evidence", part=EVIDENCE, search="C"),
    Field("headline_result", part=EVIDENCE, search="B"),
    Field("harms", key="harms_and_what_did_not_work", part=EVIDENCE, search="C"),
    Field("best_evaluation_design", heading="Strongest evaluation design (1 to 5)",
          read=lambda initiative, request: max(
              (evaluation.design for evaluation in initiative.evaluations.all()
               if evaluation.design is not None), default=None),
          type=int | None, datatype="integer", description="1 (weakest) to 5, or none"),
    related("evaluations", EVALUATION, heading="Evaluations"),
    Field("cost_band", part=COSTS),
    Field("cost_note", key="about_the_costs", part=COSTS, search="C"),
    related("costs", COST, heading="Cost figures"),
    related("funders", FUNDER, heading="Who paid, commissioned and delivered it"),
    Field("commissioner_roles", heading="What the commissioner did", type=list[str],
          read=lambda initiative, request: [
              f"{role} (only the commissioner's office says so)" if role.claimed_by_office
              else str(role) for role in initiative.commissioner_roles.all()]),
    Field("pcc_role_note", key="commissioner_role_note", part=ROLE, search="C",
          heading="What the commissioner did, in words"),
    Field("pcc_role_claimed", key="commissioner_role_claimed_by_office", part=ROLE),
    Field("replication_preconditions", key="what_needs_to_be_in_place", part=REPLICATION),
    Field("replication_partners", key="partners_to_bring_in", part=REPLICATION),
    Field("replication_data_sharing", key="data_sharing_needed", part=REPLICATION),
    Field("replication_funding", key="funding_routes", part=REPLICATION),
    Field("replication_first_steps", key="first_steps", part=REPLICATION),
    Field("replication_lessons", key="what_did_not_work_or_would_change", part=REPLICATION),
    Field("ripe_for_replication", heading="Ripe for replication", type=bool,
          read=lambda initiative, request: bool(initiative.ripe),
          datatype={"base": "boolean", "format": "Yes|No"}),
    Field("readiness", heading="Readiness checklist", type=str, read=readiness),
    Field("documents", heading="What the entry documents (EMMIE)", type=list[str],
          read=lambda initiative, request: emmie(initiative)["documented"],
          description="The EMMIE headings the entry documents"),
    Field("lead_organisation", part=CONTACTS),
    Field("contact", part=CONTACTS),
    Field("contact_email", part=CONTACTS),
    Field("contact_url", part=CONTACTS, beside=True),
    related("partners", PARTNER, part=CONTACTS),
    related("sources", SOURCE, part=SOURCES),
    related("claims", CLAIM, heading="Quoted claims: the sources' own words"),
    Field("state", part=PUBLISHING, exported=False),
    Field("last_verified", part=PUBLISHING),
    Field("verified_how", part=PUBLISHING, heading="How it was verified"),
    Field("updated", heading="Last edited"),
    Field("url", heading="Address", type=str, read=address, datatype="anyURI",
          description="The case study's page"),
])
