API_PREFIX = "/api/v1/"
MAX_AGE = 300  # seconds: what changes does so when editors publish, and pages say so too


class ApiHeadersMiddleware:
    """Headers every API answer carries: any origin may read it (CORS, for GET), and
    successful answers may be kept for MAX_AGE seconds; ConditionalGetMiddleware, outside this,
    gives each its ETag and answers If-None-Match with 304."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
            if response.status_code == 200:
                response["Cache-Control"] = f"public, max-age={MAX_AGE}"
            else:
                response["Cache-Control"] = "no-store"
        return response
