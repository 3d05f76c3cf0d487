import os

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "PCC Practice administration"
admin.site.site_title = "PCC Practice admin"
admin.site.index_title = "Content"

ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

urlpatterns = [
    path(ADMIN_PATH, admin.site.urls),
    path("themes/", include("themes.urls")),
    path("", include("casestudies.urls")),
]
