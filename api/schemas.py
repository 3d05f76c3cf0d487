"""What the API's responses and queries look like. A case study has the fields that the exports
have, each declared once (casestudies/fields.py); the list's query parameters are its filter
set's (casestudies/filters.py)."""

from typing import Literal

import django_filters
from ninja import Schema
from pydantic import Field, create_model

from casestudies.fields import INITIATIVE

_schemas = {}


def schema(fields):
    """A response schema with each exported field of `fields` (a casestudies.fields.Fields)."""
    if fields.name not in _schemas:
        _schemas[fields.name] = create_model(fields.name, __base__=Schema, **{
            fields.key(field): (
                list[schema(field.nested)] if field.nested else fields.api_type(field),
                Field(description=fields.describe(field) or None))
            for field in fields.exported()})
    return _schemas[fields.name]


Practice = schema(INITIATIVE)


def parameter(name, spec):
    """The type and default of the query parameter of the filter `spec`."""
    label = spec.label
    if isinstance(spec, django_filters.ModelMultipleChoiceFilter):
        return list[str], Field([], description=f"{label}: a slug; repeat to widen")
    if isinstance(spec, django_filters.MultipleChoiceFilter):
        values = tuple(value for value, _ in spec.extra["choices"])
        return list[Literal[values]], Field([], description=f"{label}; repeat to widen")
    if isinstance(spec, django_filters.ChoiceFilter):
        values = tuple(value for value, _ in spec.extra["choices"])
        return Literal[values] | None, Field(None, description=label)
    if isinstance(spec, django_filters.NumberFilter):
        return int | None, Field(None, ge=spec.extra["min_value"], le=spec.extra["max_value"],
                                 description=label)
    return str | None, Field(None, max_length=spec.extra.get("max_length"),
                             description=f"{label}: {spec.extra.get('help_text', '')}")


def query_schema(filterset_class, page_size, max_page_size):
    """The list's query: its filter set's filters, then the page and its size."""
    return create_model("PracticeQuery", __base__=Schema, **{
        name: parameter(name, spec) for name, spec in filterset_class.base_filters.items()
    }, page=(int, Field(1, ge=1, le=100000)),
        page_size=(int, Field(page_size, ge=1, le=max_page_size)))


class PracticePage(Schema):
    count: int = Field(description="How many initiatives match, on every page")
    page: int
    pages: int
    next: str | None = Field(description="The next page's address, if any")
    previous: str | None
    results: list[Practice]


class Area(Schema):
    slug: str
    name: str
    ons_code: str
    region: str
    force: str
    practice_count: int
    url: str


class Theme(Schema):
    slug: str
    name: str
    summary: str
    practice_count: int
    url: str


class Approach(Schema):
    slug: str
    name: str
    summary: str
    practice_count: int
    url: str


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    instance: str
    detail: str | None = None
    errors: list[dict] | None = None
