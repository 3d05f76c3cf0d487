from http import HTTPStatus

from django.http import HttpResponse

from .problems import MEDIA_TYPE, Problem, problem_response

API_PREFIX = "/api/"
DOCS = "/api/"
MAX_AGE = 300  # seconds: what changes does so when editors publish, and pages say so too
METHODS = "GET, HEAD, OPTIONS"
# Headers an error answer keeps when it is rewritten as a problem document.
KEPT = ("Retry-After", "Allow")
DETAILS = {
    404: "There is nothing at this address of the API: /api/ lists what there is.",
    405: f"The API is read-only: it answers {METHODS}.",
    503: "The service cannot answer just now. Try again after Retry-After seconds.",
}


class ApiHeadersMiddleware:
    """What every answer under /api/ has, whichever part of the site made it (the API itself,
    the URL resolver, the outage middleware, the conditional GET): any origin may read it
    (CORS, with preflight requests answered), errors are problem documents, successful
    answers may be kept for MAX_AGE seconds, and HEAD is answered as GET without a body.
    Outside ConditionalGetMiddleware, so that a 304 has the same headers as its 200."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            return self.preflight(request)
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
                MEDIA_TYPE):
            response = self.as_problem(request, response)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
        if request.path != DOCS:
            response["Cache-Control"] = (f"public, max-age={MAX_AGE}"
                                         if response.status_code in (200, 304) else "no-store")
        if head and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    @staticmethod
    def preflight(request):
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = METHODS
        asked = request.headers.get("Access-Control-Request-Headers", "")
        response["Access-Control-Allow-Headers"] = asked[:500] or "Accept, If-None-Match"
        response["Access-Control-Max-Age"] = "86400"
        response["Allow"] = METHODS
        return response

    @staticmethod
    def as_problem(request, response):
        status = response.status_code
        try:
            title = HTTPStatus(status).phrase
        except ValueError:
            title = "Error"
        headers = {name: response[name] for name in KEPT if response.has_header(name)}
        if status == 405:
            headers["Allow"] = METHODS
        return problem_response(request, Problem(status, title, DETAILS.get(status, ""),
                                                 headers=headers))
