"""Each published initiative as a record of its public fields, with absolute links: the shape
the exports and the API share."""

import itertools

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from .models import (
    CommissionerRole,
    CommissionerRoleKind,
    Cost,
    CostBand,
    CostKind,
    DesignLevel,
    Evaluation,
    EvidenceFinding,
    EvidenceStage,
    Funder,
    FunderRole,
    Initiative,
    PartnerType,
    Region,
    Status,
    VerifiedHow,
)
from .readiness import annotations, checklist, emmie

# The initiative's own values that the columns come from.
FIELDS = [
    "id", "title", "slug", "area__name", "area__ons_code", "area__region", "status",
    "year_started", "summary", "description", "outcomes", "replication_preconditions",
    "replication_partners", "replication_first_steps", "lead_organisation", "contact",
    "contact_email", "last_verified", "verified_how", "updated", "approach__name",
    "status_reported_in", "headline_result", "mechanism", "context", "harms", "cost_band",
    "pcc_role_note", "pcc_role_claimed", "evidence_stage", "evidence_finding",
]
CHUNK = 2000


def by_initiative(model, ids, order, *fields):
    """{initiative id: [(values of `fields`), ...]} of the rows of `model` (a many-to-many
    relation's table, or a model with a foreign key `initiative`) of the initiatives `ids`, in
    the order that their pages show them: one query for a whole chunk."""
    if connection.vendor == "postgresql":
        # One array parameter rather than 2,000: the driver parsed a query with that many
        # placeholders for about 10 ms each time.
        column = f'"{model._meta.db_table}"."initiative_id"'
        through = model.objects.filter(
            RawSQL(f"{column} = ANY(%s)", [ids], output_field=BooleanField())  # noqa: S611
        )
    else:
        through = model.objects.filter(initiative_id__in=ids)
    grouped = {}
    for initiative_id, *values in through.order_by(*order).values_list("initiative_id", *fields):
        grouped.setdefault(initiative_id, []).append(values)
    return grouped


def records(queryset, request):
    """Every public field of each initiative, with absolute links, chunk by chunk.

    Built from plain values rather than model instances, with each chunk's relations in three
    queries, so that a large export costs little time and flat memory.
    """
    placeholder = "slug-placeholder"
    link = request.build_absolute_uri(Initiative(slug=placeholder).get_absolute_url())
    regions, statuses = dict(Region.choices), dict(Status.choices)
    partner_types, bands = dict(PartnerType.choices), dict(CostBand.choices)
    designs, kinds = dict(DesignLevel.choices), dict(CostKind.choices)
    funder_roles, roles = dict(FunderRole.choices), dict(CommissionerRoleKind.choices)
    verified = dict(VerifiedHow.choices)
    stages, findings = dict(EvidenceStage.choices), dict(EvidenceFinding.choices)
    profile = annotations()
    missing = {name: value for name, value in profile.items()
               if name not in queryset.query.annotations}  # the "ready" sort has one
    rows = queryset.annotate(**missing).values(*FIELDS, *profile).iterator(chunk_size=CHUNK)
    for chunk in itertools.batched(rows, CHUNK):
        ids = [row["id"] for row in chunk]
        themes = by_initiative(Initiative.themes.through, ids,
                               ["theme__display_order", "theme__name"], "theme__name")
        partners = by_initiative(Initiative.partners.through, ids, ["partner__name"],
                                 "partner__name", "partner__partner_type")
        sources = by_initiative(Initiative.sources.through, ids, ["source__title"],
                                "source__title", "source__publisher", "source__published_on",
                                "source__url")
        evaluations = by_initiative(Evaluation, ids, ["-design", "-year", "title"], "title",
                                    "evaluator", "independent", "year", "design", "findings",
                                    "url")
        costs = by_initiative(Cost, ids, ["year", "kind"], "kind", "amount", "year", "covers",
                              "url")
        funders = by_initiative(Funder, ids, ["role", "partner__name"], "partner__name", "role")
        commissioner = by_initiative(CommissionerRole, ids, ["role"], "role")
        for row in chunk:
            pk = row["id"]
            ready = checklist(row)
            yield {
                "slug": row["slug"],
                "title": row["title"],
                "url": link.replace(placeholder, row["slug"]),
                "area": row["area__name"],
                "area_ons_code": row["area__ons_code"],
                "region": regions.get(row["area__region"], row["area__region"]),
                "themes": [name for name, in themes.get(pk, [])],
                "status": statuses.get(row["status"], row["status"]),
                "year_started": row["year_started"],
                "summary": row["summary"],
                "what_was_done": row["description"],
                "outcomes_and_evidence": row["outcomes"],
                "what_needs_to_be_in_place": row["replication_preconditions"],
                "partners_to_bring_in": row["replication_partners"],
                "first_steps": row["replication_first_steps"],
                "lead_organisation": row["lead_organisation"],
                "contact": row["contact"],
                "contact_email": row["contact_email"],
                "partners": [{"name": name, "type": partner_types.get(kind, kind)}
                             for name, kind in partners.get(pk, [])],
                "sources": [{"title": title, "publisher": publisher,
                             "date": published_on.isoformat() if published_on else None,
                             "url": url or None}  # an area's confirmation has no address
                            for title, publisher, published_on, url in sources.get(pk, [])],
                "approach": row["approach__name"],
                "status_reported_in": row["status_reported_in"],
                "headline_result": row["headline_result"],
                "how_it_is_meant_to_work": row["mechanism"],
                "where_and_for_whom": row["context"],
                "harms_and_what_did_not_work": row["harms"],
                "evaluations": [
                    {"title": title, "evaluator": evaluator, "independent": independent,
                     "year": year, "design": designs.get(design, design), "findings": found,
                     "url": url}
                    for title, evaluator, independent, year, design, found, url
                    in evaluations.get(pk, [])],
                "evidence_stage": stages.get(row["evidence_stage"], row["evidence_stage"]),
                "evidence_finding": findings.get(row["evidence_finding"],
                                                 row["evidence_finding"]),
                "best_evaluation_design": max(
                    (design for *_, design, _, _ in evaluations.get(pk, [])), default=None),
                "cost_band": bands.get(row["cost_band"], row["cost_band"]),
                "costs": [{"kind": kinds.get(kind, kind), "amount": amount, "year": year,
                           "covers": covers, "url": url}
                          for kind, amount, year, covers, url in costs.get(pk, [])],
                "funders": [{"name": name, "role": funder_roles.get(role, role)}
                            for name, role in funders.get(pk, [])],
                "commissioner_roles": [roles.get(role, role)
                                       for role, in commissioner.get(pk, [])],
                "commissioner_role_note": row["pcc_role_note"],
                "commissioner_role_claimed_by_office": row["pcc_role_claimed"],
                "documents": emmie(row)["documented"],
                "ripe_for_replication": bool(row["ripe"]),
                "readiness": f"{ready['met']} of {ready['total']} met"
                             + (f": {', '.join(ready['missing'])}" if ready["missing"] else ""),
                "last_verified": (row["last_verified"].isoformat() if row["last_verified"]
                                  else None),
                "verified_how": verified.get(row["verified_how"]) or None,
                "updated": row["updated"].isoformat(),
            }
