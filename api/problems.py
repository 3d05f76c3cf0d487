"""Errors as RFC 9457 problem details (application/problem+json), each with a clear title."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    """An error the API answers with a problem document."""

    def __init__(self, status, title, detail="", errors=(), headers=None):
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail
        self.errors, self.headers = list(errors), headers or {}


def problem_response(request, problem):
    body = {"type": "about:blank", "title": problem.title, "status": problem.status,
            "instance": request.get_full_path()}
    if problem.detail:
        body["detail"] = problem.detail
    if problem.errors:
        body["errors"] = problem.errors
    text = json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False)
    response = HttpResponse(text, status=problem.status, content_type=MEDIA_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    return response
