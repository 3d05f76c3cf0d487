"""CSV and JSON exports of the practice list, honouring its filters, streamed in blocks."""

import csv
import itertools
import json

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from .filters import valid_filterset_or_404
from .models import Initiative, PartnerType, Region, Status

COLUMNS = [
    "title", "url", "area", "area_ons_code", "region", "themes", "status", "year_started",
    "summary", "what_was_done", "outcomes_and_evidence", "what_needs_to_be_in_place",
    "partners_to_bring_in", "first_steps", "lead_organisation", "contact", "contact_email",
    "partners", "sources", "last_reviewed", "updated",
]
# The initiative's own values that the columns come from.
FIELDS = [
    "id", "title", "slug", "area__name", "area__ons_code", "area__region", "status",
    "year_started", "summary", "description", "outcomes", "replication_preconditions",
    "replication_partners", "replication_first_steps", "lead_organisation", "contact",
    "contact_email", "last_reviewed", "updated",
]
FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))
CHUNK = 2000
BUFFER = 64 * 1024


def filtered(request):
    return valid_filterset_or_404(request.GET, Initiative.objects.published()).qs


def by_initiative(relation, ids, order, *fields):
    """{initiative id: [(values of `fields`), ...]} of one many-to-many relation of the
    initiatives `ids`, in the order that their pages show it: one query for a whole chunk."""
    model = getattr(Initiative, relation).through
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
    partner_types = dict(PartnerType.choices)
    rows = queryset.values(*FIELDS).iterator(chunk_size=CHUNK)
    for chunk in itertools.batched(rows, CHUNK):
        ids = [row["id"] for row in chunk]
        themes = by_initiative("themes", ids, ["theme__display_order", "theme__name"],
                               "theme__name")
        partners = by_initiative("partners", ids, ["partner__name"], "partner__name",
                                 "partner__partner_type")
        sources = by_initiative("sources", ids, ["source__title"], "source__title",
                                "source__publisher", "source__published_on", "source__url")
        for row in chunk:
            pk = row["id"]
            yield {
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
                             "url": url}
                            for title, publisher, published_on, url in sources.get(pk, [])],
                "last_reviewed": (row["last_reviewed"].isoformat() if row["last_reviewed"]
                                  else None),
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


def safe_cell(value):
    """Flattens a value for a spreadsheet cell and defuses formula injection."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(
            item if isinstance(item, str)
            else " - ".join(str(v) for v in item.values() if v) for item in value
        )
    elif type(value) is not str:
        value = str(value)
    return "'" + value if value[:1] in FORMULA_STARTS else value


class Echo:
    def write(self, value):
        return value


def filename(extension):
    return f"pcc-practice-{timezone.localdate().isoformat()}.{extension}"


def export_csv(request):
    queryset = filtered(request)
    writer = csv.writer(Echo())

    def rows():
        yield "\ufeff"  # byte-order mark, so that Excel reads the file as UTF-8
        yield writer.writerow(COLUMNS)
        for data in records(queryset, request):
            yield writer.writerow([safe_cell(data[column]) for column in COLUMNS])

    response = StreamingHttpResponse(buffered(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename("csv")}"'
    return response


def export_json(request):
    queryset = filtered(request)

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
