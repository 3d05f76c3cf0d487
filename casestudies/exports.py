"""CSV and JSON exports of the practice list, honouring its filters, streamed row by row."""

import csv
import json

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from .filters import valid_filterset_or_404
from .models import Initiative

COLUMNS = [
    "title", "url", "area", "area_ons_code", "region", "themes", "status", "year_started",
    "summary", "what_was_done", "outcomes_and_evidence", "what_needs_to_be_in_place",
    "partners_to_bring_in", "first_steps", "lead_organisation", "contact", "contact_email",
    "partners", "sources", "last_reviewed", "updated",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def filtered(request):
    queryset = Initiative.objects.published().select_related("area").prefetch_related(
        "themes", "partners", "sources"
    )
    return valid_filterset_or_404(request.GET, queryset).qs


def record(initiative, request):
    """Every public field of an initiative, with absolute links."""
    return {
        "title": initiative.title,
        "url": request.build_absolute_uri(initiative.get_absolute_url()),
        "area": initiative.area.name,
        "area_ons_code": initiative.area.ons_code,
        "region": initiative.area.get_region_display(),
        "themes": [theme.name for theme in initiative.themes.all()],
        "status": initiative.get_status_display(),
        "year_started": initiative.year_started,
        "summary": initiative.summary,
        "what_was_done": initiative.description,
        "outcomes_and_evidence": initiative.outcomes,
        "what_needs_to_be_in_place": initiative.replication_preconditions,
        "partners_to_bring_in": initiative.replication_partners,
        "first_steps": initiative.replication_first_steps,
        "lead_organisation": initiative.lead_organisation,
        "contact": initiative.contact,
        "contact_email": initiative.contact_email,
        "partners": [
            {"name": p.name, "type": p.get_partner_type_display()}
            for p in initiative.partners.all()
        ],
        "sources": [
            {"title": s.title, "publisher": s.publisher,
             "date": s.published_on.isoformat() if s.published_on else None, "url": s.url}
            for s in initiative.sources.all()
        ],
        "last_reviewed": initiative.last_reviewed.isoformat() if initiative.last_reviewed else None,
        "updated": initiative.updated.isoformat(),
    }


def safe_cell(value):
    """Flattens a value for a spreadsheet cell and defuses formula injection."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(
            item if isinstance(item, str)
            else " - ".join(str(v) for v in item.values() if v) for item in value
        )
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


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
        for initiative in queryset.iterator(chunk_size=CHUNK):
            data = record(initiative, request)
            yield writer.writerow([safe_cell(data[column]) for column in COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename("csv")}"'
    return response


def export_json(request):
    queryset = filtered(request)

    def chunks():
        yield '{"source": ' + json.dumps(
            request.build_absolute_uri(reverse("casestudies:initiative-list"))
            + (f"?{request.GET.urlencode()}" if request.GET else "")
        ) + ', "results": ['
        for n, initiative in enumerate(queryset.iterator(chunk_size=CHUNK)):
            yield ("," if n else "") + json.dumps(record(initiative, request), ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename("json")}"'
    return response
