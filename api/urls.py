from django.urls import path

from .api import api
from .views import ApiDocsView

urlpatterns = [
    path("", ApiDocsView.as_view(), name="api-docs"),
    path("v1/", api.urls),
]
