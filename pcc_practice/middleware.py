import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# A database too busy to take a write in time (SQLite's lock): try again later, as for an
# outage.
BUSY = ("database is locked",)


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header, which Django does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


class DatabaseUnavailableMiddleware:
    """Answers a friendly 503 while the database cannot be reached, instead of a 500.

    Nothing is cached about the failure: each request tries again, so the site recovers by
    itself when the database returns (CONN_HEALTH_CHECKS replaces broken connections).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if database_answers() and not str(exception).startswith(BUSY):
            # The database is there: this query failed by itself (too complex, a bug). It is
            # the server's error (500, logged with its cause by Django), not an outage.
            logger.error("A query failed while the database answers: %s", exception)
            return None
        logger.error("Database unavailable: %s", exception)
        response = TemplateResponse(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response.render()


class UnreadableFormMiddleware:
    """A form sent in another character set than UTF-8 gets a 400 page. Django refuses such a
    body (BadRequest) but refuses it again at every later read, and its CSRF check reads it
    again while the error page is made, which ends in a 500; so it is answered here, before
    anything reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (request.method not in ("GET", "HEAD", "OPTIONS")
                and request.content_type == "application/x-www-form-urlencoded"
                and request.encoding and request.encoding.lower() != "utf-8"):
            logger.warning("A form body in %s was refused: %s", request.encoding, request.path)
            response = TemplateResponse(request, "400.html", status=400)
            response["Cache-Control"] = "no-store"
            return response.render()
        return self.get_response(request)
