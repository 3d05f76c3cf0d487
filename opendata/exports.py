"""CSV, spreadsheet (XLSX) and JSON exports of the practice list, honouring its filters.

CSV and JSON stream in blocks; the spreadsheet is built in memory (openpyxl). Filters that are
not valid get a page that says why (400), as the list itself does.
"""

import csv
import io
import json

from django.http import HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from casestudies.fields import INITIATIVE
from casestudies.filters import InitiativeFilter
from casestudies.models import (
    Initiative,
)
from casestudies.records import records
from pcc_practice.formulas import defused
from website.shortlist import PARAMETER, Shortlist

# (record key, column heading): the columns of the CSV and the spreadsheet, in order.
COLUMNS = INITIATIVE.columns()
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
        request, "website/invalid_filters.html",
        {"form": filterset.form, "list_query": request.GET.urlencode()}, status=400,
    )


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
    return defused(flat(value))


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
            request.build_absolute_uri(reverse("website:initiative-list"))
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

