from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers


def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = JsonResponse({"status": "unavailable", "database": False}, status=503)
    else:
        response = JsonResponse({"status": "ok", "database": True})
    add_never_cache_headers(response)
    return response


def csrf_failure(request, reason=""):
    """A form refused by Django's CSRF check, in the site's design (CSRF_FAILURE_VIEW)."""
    response = TemplateResponse(request, "403_csrf.html", {"reason": reason}, status=403)
    add_never_cache_headers(response)
    return response
