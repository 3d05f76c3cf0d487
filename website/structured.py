"""Structured data (schema.org JSON-LD) that describes a case study to search engines and other
machines: what it is, where, its sources, who paid, when it last changed and its licence."""

from casestudies.models import FunderRole

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
FUNDING_ROLES = {FunderRole.FUNDER, FunderRole.CO_FUNDER}


def case_study(request, initiative, funders, sources):
    """A schema.org Article for `initiative` (with its area and `sources`), as a dict."""
    url = request.build_absolute_uri(initiative.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": url,
        "url": url,
        "headline": initiative.title,
        "description": initiative.summary,
        "dateCreated": initiative.created.isoformat(),
        "dateModified": initiative.updated.isoformat(),
        "inLanguage": "en-GB",
        "license": OGL,
        "isAccessibleForFree": True,
        "publisher": {"@type": "Organization", "name": "PCC Practice",
                      "url": request.build_absolute_uri("/")},
        "spatialCoverage": {
            "@type": "AdministrativeArea",
            "name": initiative.area.name,
            "identifier": initiative.area.ons_code,
            "url": request.build_absolute_uri(initiative.area.get_absolute_url()),
        },
        "citation": [
            {"@type": "CreativeWork", "name": source.title,
             **({"url": source.url} if source.url else {}),
             "publisher": {"@type": "Organization", "name": source.publisher},
             **({"datePublished": source.published_on.isoformat()}
                if source.published_on else {})}
            for source in sources
        ],
        "funder": [{"@type": "Organization", "name": name}
                   for name in dict.fromkeys(funder.partner.name for funder in funders
                                             if funder.role in FUNDING_ROLES)],
    }
    if initiative.approach:
        data["about"] = {"@type": "Thing", "name": initiative.approach.name}
    return data
