"""The floor for `make bench`: the smallest Django app that gunicorn can serve (one view, no
middleware, no database). No page of the real site can be faster than this."""

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False, SECRET_KEY="floor-only", ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__,
    MIDDLEWARE=[], INSTALLED_APPS=[], DATABASES={},
)
django.setup()


def hello(request):
    return HttpResponse("<!DOCTYPE html><title>floor</title><p>ok</p>")


urlpatterns = [path("", hello)]
application = get_wsgi_application()
