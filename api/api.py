"""The read-only API, version 1 (/api/v1/), built with Django Ninja: its OpenAPI 3.1 document
is generated from these functions and their schemas (api/schemas.py), and its errors are problem
details (api/problems.py). The practice list takes the same filters as /practice/ and answers
with the same initiatives, through the same FilterSet."""


from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count
from django.http import Http404, QueryDict
from ninja import NinjaAPI, Query
from ninja.errors import ValidationError

from casestudies.filters import InitiativeFilter
from casestudies.models import (
    PUBLISHED_INITIATIVES,
    Approach,
    Area,
    Initiative,
)
from casestudies.records import records
from pcc_practice.ratelimit import over_limit
from themes.models import Theme

from . import schemas
from .problems import MEDIA_TYPE, Problem, problem_response

ERRORS = {400: schemas.ProblemOut, 404: schemas.ProblemOut, 429: schemas.ProblemOut}
PAGE_SIZE, MAX_PAGE_SIZE = 20, 100


class PracticeAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The generated document, with error responses as application/problem+json."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if int(status) >= 400 and "application/json" in response.get("content", {}):
                        response["content"] = {
                            MEDIA_TYPE: response["content"].pop("application/json")}
        return schema


api = PracticeAPI(
    title="PCC Practice API", version="1", urls_namespace="api-v1", docs_url=None,
    description="Read-only access to the library of mental-health practice led by police and "
                "crime commissioners. Text written by the library is under the Open Government "
                "Licence v3.0; sources keep their own terms.",
)


@api.exception_handler(Problem)
def on_problem(request, exc):
    return problem_response(request, exc)


@api.exception_handler(ValidationError)
def on_invalid(request, exc):
    errors = [{"parameter": next((part for part in reversed(error["loc"])
                                  if isinstance(part, str)), "?"),
               "message": error["msg"]}
              for error in exc.errors]
    names = ", ".join(dict.fromkeys(error["parameter"] for error in errors))
    return problem_response(request, Problem(
        400, f"Invalid query parameter: {names}", "Correct the parameters named in errors.",
        errors))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return problem_response(request, Problem(404, "Not found", str(exc) or ""))


def rate_limited(request):
    """Counts the request against the address's allowance; a problem once it is used up."""
    limit, window = settings.API_RATE_LIMIT
    if over_limit(request, "api", limit=limit, window=window):
        raise Problem(429, "Too many requests",
                      f"This address may make {limit} requests every {window} seconds.",
                      headers={"Retry-After": str(window)})


# The list's own filters (the same FilterSet as /practice/'s), then the page and its size.
PracticeQuery = schemas.query_schema(InitiativeFilter, PAGE_SIZE, MAX_PAGE_SIZE)


def filters_of(request):
    """The list's FilterSet on the request's parameters, or a problem naming what is wrong."""
    data = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name not in ("page", "page_size"):
            data.setlist(name, values)
    filterset = InitiativeFilter(data, queryset=Initiative.objects.published())
    if not filterset.is_valid():
        errors = [{"parameter": name, "message": str(message)}
                  for name, messages in filterset.form.errors.items() for message in messages]
        raise Problem(400, "Invalid filter: " + ", ".join(filterset.form.errors),
                      "Correct the parameters named in errors.", errors)
    return filterset


def address(request, page):
    query = request.GET.copy()
    query["page"] = page
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@api.get("/practice/", response={200: schemas.PracticePage, **ERRORS}, tags=["practice"],
         summary="Practice, filtered, searched and sorted as on /practice/")
def practice_list(request, filters: Query[PracticeQuery]):
    rate_limited(request)
    filterset = filters_of(request)
    paginator = Paginator(filterset.qs.values_list("pk", flat=True), filters.page_size)
    try:
        page = paginator.page(filters.page)
    except EmptyPage:
        raise Problem(404, "No such page",
                      f"There is no page {filters.page} of these results.") from None
    return {"count": paginator.count, "page": filters.page, "pages": paginator.num_pages,
            "next": address(request, filters.page + 1) if page.has_next() else None,
            "previous": address(request, filters.page - 1) if page.has_previous() else None,
            "results": list(records(filterset.qs.filter(pk__in=list(page.object_list)),
                                    request))}


@api.get("/practice/{slug}/", response={200: schemas.Practice, **ERRORS}, tags=["practice"],
         summary="One case study, with its evaluations, costs, funders and sources")
def practice_detail(request, slug: str):
    rate_limited(request)
    found = next(records(Initiative.objects.published().with_slugs([slug]), request), None)
    if found is None:
        raise Http404("No published case study has this slug.")
    return found


def counted(model, relation):
    return model.objects.annotate(
        practice_count=Count(relation, filter=PUBLISHED_INITIATIVES, distinct=True))


@api.get("/areas/", response={200: list[schemas.Area], **ERRORS}, tags=["places"],
         summary="The 43 police force areas, with their published practice")
def area_list(request):
    rate_limited(request)
    return [{"slug": a.slug, "name": a.name, "ons_code": a.ons_code, "region": a.region,
             "force": a.force, "practice_count": a.practice_count,
             "url": request.build_absolute_uri(a.get_absolute_url())}
            for a in counted(Area, "initiatives").order_by("name")]


@api.get("/themes/", response={200: list[schemas.Theme], **ERRORS}, tags=["themes"],
         summary="The cross-cutting themes")
def theme_list(request):
    rate_limited(request)
    return described(request, counted(Theme, "initiatives").order_by("display_order", "name"))


@api.get("/approaches/", response={200: list[schemas.Approach], **ERRORS}, tags=["approaches"],
         summary="Kinds of practice, each with its national evidence on its page")
def approach_list(request):
    rate_limited(request)
    return described(request, counted(Approach, "initiatives").order_by("name"))


def described(request, objects):
    """Themes or approaches: each with its summary, count and page."""
    return [{"slug": o.slug, "name": o.name, "summary": o.summary,
             "practice_count": o.practice_count,
             "url": request.build_absolute_uri(o.get_absolute_url())} for o in objects]
