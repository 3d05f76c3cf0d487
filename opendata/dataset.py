"""The dataset page (/data/): what the library's data is, its licence, how it changes and how to
download it, with schema.org Dataset markup; and the CSV's CSVW metadata, which describes each
of its columns (name, title, datatype)."""

from django.db.models import Max
from django.http import JsonResponse
from django.urls import reverse
from django.views.generic import TemplateView

from casestudies.fields import INITIATIVE
from casestudies.models import Initiative
from website.structured import OGL

TITLE = "Mental-health practice led by police and crime commissioners"
DESCRIPTION = ("Case studies of mental-health practice that police and crime commissioners in "
               "England and Wales led or backed: what was done, where, what the commissioner "
               "did, evaluations and their design, costs and funders, readiness to replicate, "
               "contacts and sources.")


def downloads(request):
    """(format name, media type, absolute address) of each download."""
    def absolute(name):
        return request.build_absolute_uri(reverse(f"opendata:{name}"))

    return [
        ("CSV", "text/csv", absolute("export-csv")),
        ("Spreadsheet (XLSX)",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         absolute("export-xlsx")),
        ("JSON", "application/json", absolute("export-json")),
    ]


class DatasetView(TemplateView):
    template_name = "pages/data.html"
    query_parameters = frozenset()

    def get_context_data(self, **kwargs):
        published = Initiative.objects.published()
        modified = published.aggregate(latest=Max("updated"))["latest"]
        files = downloads(self.request)
        page = self.request.build_absolute_uri()
        structured = {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "@id": page,
            "name": TITLE,
            "description": DESCRIPTION,
            "url": page,
            "license": OGL,
            "isAccessibleForFree": True,
            "inLanguage": "en-GB",
            "spatialCoverage": {"@type": "Place", "name": "England and Wales"},
            "keywords": ["police and crime commissioners", "mental health", "policing",
                         "street triage", "liaison and diversion", "Right Care, Right Person"],
            "publisher": {"@type": "Organization", "name": "PCC Practice",
                          "url": self.request.build_absolute_uri("/")},
            "distribution": [{"@type": "DataDownload", "name": name, "encodingFormat": media,
                              "contentUrl": url} for name, media, url in files],
        }
        if modified:
            structured["dateModified"] = modified.isoformat()
        return super().get_context_data(
            downloads=files, count=published.count(), modified=modified,
            structured=structured, columns=column_descriptions(), **kwargs)


def column_descriptions():
    """Each CSV column: (name, title, datatype)."""
    return [{"name": INITIATIVE.key(field), "titles": INITIATIVE.heading(field),
             "datatype": INITIATIVE.datatype(field)} for field in INITIATIVE.exported()]


def csvw_metadata(request):
    """The CSVW metadata of the CSV download (W3C Metadata Vocabulary for Tabular Data)."""
    metadata = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": request.build_absolute_uri(reverse("opendata:export-csv")),
        "dc:title": TITLE,
        "dc:description": DESCRIPTION,
        "dc:license": {"@id": OGL},
        "dc:publisher": "PCC Practice",
        "dialect": {"header": True, "encoding": "utf-8", "lineTerminators": ["\r\n"]},
        "tableSchema": {"columns": column_descriptions(), "aboutUrl": "{+url}"},
    }
    return JsonResponse(metadata, content_type="application/csvm+json",
                        json_dumps_params={"ensure_ascii": False, "indent": 2})
