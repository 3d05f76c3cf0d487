"""CSV, spreadsheet (XLSX) and JSON exports of the practice list, honouring its filters.

CSV and JSON stream in blocks; the spreadsheet is built in memory (openpyxl). Filters that are
not valid get a page that says why (400), as the list itself does.
"""

import csv
import io
import itertools
import json

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.http import HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from .filters import InitiativeFilter
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
from .shortlist import PARAMETER, Shortlist

# (record key, column heading): the columns of the CSV and the spreadsheet, in order.
COLUMNS = [
    ("title", "Title"),
    ("area", "Area"),
    ("area_ons_code", "ONS code"),
    ("region", "Region"),
    ("approach", "Approach"),
    ("themes", "Themes"),
    ("status", "Status"),
    ("status_reported_in", "Status as last reported in"),
    ("year_started", "Year started"),
    ("summary", "Summary"),
    ("headline_result", "Headline result"),
    ("evidence_stage", "Evidence stage"),
    ("evidence_finding", "What the evidence found"),
    ("best_evaluation_design", "Strongest evaluation design (1 to 5)"),
    ("evaluations", "Evaluations"),
    ("cost_band", "Cost band"),
    ("costs", "Cost figures"),
    ("funders", "Who paid, commissioned and delivered it"),
    ("commissioner_roles", "What the commissioner did"),
    ("commissioner_role_note", "What the commissioner did, in words"),
    ("commissioner_role_claimed_by_office", "Only the commissioner's office says so"),
    ("ripe_for_replication", "Ripe for replication"),
    ("readiness", "Readiness checklist"),
    ("documents", "What the entry documents (EMMIE)"),
    ("what_was_done", "What was done"),
    ("how_it_is_meant_to_work", "How it is meant to work"),
    ("where_and_for_whom", "Where and for whom"),
    ("outcomes_and_evidence", "Outcomes and evidence"),
    ("harms_and_what_did_not_work", "Harms, risks and what did not work"),
    ("what_needs_to_be_in_place", "What needs to be in place"),
    ("partners_to_bring_in", "Partners to bring in"),
    ("first_steps", "First steps"),
    ("lead_organisation", "Lead organisation"),
    ("partners", "Partners"),
    ("contact", "Contact"),
    ("contact_email", "Contact email"),
    ("sources", "Sources"),
    ("last_verified", "Last verified"),
    ("verified_how", "How it was verified"),
    ("updated", "Last edited"),
    ("url", "Address"),
]
# The initiative's own values that the columns come from.
FIELDS = [
    "id", "title", "slug", "area__name", "area__ons_code", "area__region", "status",
    "year_started", "summary", "description", "outcomes", "replication_preconditions",
    "replication_partners", "replication_first_steps", "lead_organisation", "contact",
    "contact_email", "last_verified", "verified_how", "updated", "approach__name",
    "status_reported_in", "headline_result", "mechanism", "context", "harms", "cost_band",
    "pcc_role_note", "pcc_role_claimed", "evidence_stage", "evidence_finding",
]
FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))
CHUNK = 2000
BUFFER = 64 * 1024


def checked_filters(request, queryset):
    """(the filterset, None) for valid filters; (None, a page saying what is wrong) else.
    With a shortlist in the query (`pick`), only its case studies."""
    if request.GET.getlist(PARAMETER):
        queryset = queryset.filter(pk__in=Shortlist(request.GET).ids)
    filterset = InitiativeFilter(request.GET, queryset=queryset)
    if filterset.is_valid():
        return filterset, None
    return None, TemplateResponse(
        request, "casestudies/invalid_filters.html",
        {"form": filterset.form, "list_query": request.GET.urlencode()}, status=400,
    )


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
    link = request.build_absolute_uri(
        reverse("casestudies:initiative-detail", kwargs={"slug": placeholder})
    )
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


def buffered(pieces, size=BUFFER):
    """Joins small pieces of output into blocks of about `size` characters, so that a large
    export is sent in a few hundred writes rather than one per row."""
    block, length = [], 0
    for piece in pieces:
        block.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(block)
            block, length = [], 0
    if block:
        yield "".join(block)


def words(value, key=""):
    if isinstance(value, bool):
        if key == "independent":
            return "independent" if value else "not independent"
        return "Yes" if value else "No"
    return str(value)


def flat(value):
    """A value as one cell's text: lists joined, records' fields joined, booleans in words."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(
            item if isinstance(item, str)
            else " - ".join(words(v, k) for k, v in item.items() if v is not None and v != "")
            for item in value
        )
    return value if type(value) is str else words(value)


def safe_cell(value):
    """A CSV cell's text, with formula injection defused."""
    value = flat(value)
    return "'" + value if value[:1] in FORMULA_STARTS else value


class Echo:
    def write(self, value):
        return value


def filename(extension):
    return f"pcc-practice-{timezone.localdate().isoformat()}.{extension}"


def export_csv(request):
    filterset, refusal = checked_filters(request, Initiative.objects.published())
    if refusal:
        return refusal
    queryset = filterset.qs
    writer = csv.writer(Echo())

    def rows():
        yield "\ufeff"  # byte-order mark, so that Excel reads the file as UTF-8
        yield writer.writerow([heading for _, heading in COLUMNS])
        for data in records(queryset, request):
            yield writer.writerow([safe_cell(data[key]) for key, _ in COLUMNS])

    response = StreamingHttpResponse(buffered(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename("csv")}"'
    return response


def export_json(request):
    filterset, refusal = checked_filters(request, Initiative.objects.published())
    if refusal:
        return refusal
    queryset = filterset.qs

    def chunks():
        yield '{"source": ' + json.dumps(
            request.build_absolute_uri(reverse("casestudies:initiative-list"))
            + (f"?{request.GET.urlencode()}" if request.GET else "")
        ) + ', "results": ['
        for n, data in enumerate(records(queryset, request)):
            yield ("," if n else "") + json.dumps(data, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(buffered(chunks()),
                                     content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename("json")}"'
    return response


def export_xlsx(request):
    """The same columns as the CSV in a spreadsheet: a bold, frozen heading row, wrapped text,
    and every text cell stored as text, so that none can become a formula."""
    filterset, refusal = checked_filters(request, Initiative.objects.published())
    if refusal:
        return refusal
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Practice")
    sheet.freeze_panes = "A2"
    for index, (_, heading) in enumerate(COLUMNS):
        letter = sheet_column(index)
        sheet.column_dimensions[letter].width = 14 if len(heading) < 14 else 30
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cell(value, font=None):
        if isinstance(value, (list, bool, str)) or value is None:
            value = flat(value)
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # text, even if it starts with "="
        written.alignment = wrap
        if font:
            written.font = font
        return written

    sheet.append([cell(heading, bold) for _, heading in COLUMNS])
    for data in records(filterset.qs, request):
        sheet.append([cell(data[key]) for key, _ in COLUMNS])
    output = io.BytesIO()
    book.save(output)
    response = HttpResponse(
        output.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename("xlsx")}"'
    return response


def sheet_column(index):
    """The spreadsheet's letters for the column `index` (0 is A, 26 is AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters

