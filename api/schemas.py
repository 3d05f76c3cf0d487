"""What the API's responses look like: the same fields as the JSON export of the list
(opendata/exports.py), described for the OpenAPI document."""

from ninja import Schema
from pydantic import Field


class Partner(Schema):
    name: str
    type: str


class SourceOut(Schema):
    title: str
    publisher: str
    date: str | None = Field(description="ISO 8601 date, when the source gives one")
    url: str | None = Field(description="None for an area's own confirmation of its entry, "
                                        "which is not published")


class EvaluationOut(Schema):
    title: str
    evaluator: str
    independent: bool = Field(description="Independent of the partners that delivered it")
    year: int
    design: str = Field(description="Level on the Maryland Scientific Methods Scale")
    findings: str
    url: str


class CostOut(Schema):
    kind: str
    amount: int = Field(description="Pounds")
    year: int | None
    covers: str
    url: str


class FunderOut(Schema):
    name: str
    role: str


class Practice(Schema):
    slug: str
    title: str
    url: str = Field(description="The case study's page")
    area: str
    area_ons_code: str
    region: str
    approach: str | None
    themes: list[str]
    status: str
    status_reported_in: int | None
    year_started: int | None
    summary: str
    headline_result: str
    what_was_done: str
    how_it_is_meant_to_work: str
    where_and_for_whom: str
    outcomes_and_evidence: str
    harms_and_what_did_not_work: str
    evidence_stage: str
    evidence_finding: str
    best_evaluation_design: int | None = Field(description="1 (weakest) to 5, or none")
    evaluations: list[EvaluationOut]
    cost_band: str
    costs: list[CostOut]
    funders: list[FunderOut]
    commissioner_roles: list[str]
    commissioner_role_note: str
    commissioner_role_claimed_by_office: bool
    documents: list[str] = Field(description="The EMMIE headings the entry documents")
    ripe_for_replication: bool
    readiness: str
    what_needs_to_be_in_place: str
    partners_to_bring_in: str
    first_steps: str
    lead_organisation: str
    contact: str
    contact_email: str
    partners: list[Partner]
    sources: list[SourceOut]
    last_verified: str | None
    verified_how: str | None
    updated: str


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
