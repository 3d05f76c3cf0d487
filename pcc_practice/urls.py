import os

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from .views import healthz

admin.site.site_header = "PCC Practice administration"
admin.site.site_title = "PCC Practice admin"
admin.site.index_title = "Content"

ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

urlpatterns = [
    path(ADMIN_PATH, admin.site.urls),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("healthz", healthz, name="healthz"),
    path("api/", include("api.urls")),
    path("alerts/", include("alerts.urls")),
    path("", include("opendata.urls")),
    path("", include("workbench.urls")),
    path("", include("website.urls")),
]
