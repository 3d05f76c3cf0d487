import os

from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView

from casestudies.sitemaps import SITEMAPS
from casestudies.views import healthz

admin.site.site_header = "PCC Practice administration"
admin.site.site_title = "PCC Practice admin"
admin.site.index_title = "Content"

ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

urlpatterns = [
    path(ADMIN_PATH, admin.site.urls),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("healthz", healthz, name="healthz"),
    path("themes/", include("themes.urls")),
    path("", include("casestudies.urls")),
]
