from django.urls import path

from . import exports, views
from .feeds import PracticeFeed

app_name = "casestudies"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("practice/", views.InitiativeListView.as_view(), name="initiative-list"),
    path("practice/export.csv", exports.export_csv, name="export-csv"),
    path("practice/export.json", exports.export_json, name="export-json"),
    path("practice/<slug:slug>/", views.InitiativeDetailView.as_view(), name="initiative-detail"),
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("areas/<slug:slug>/", views.AreaDetailView.as_view(), name="area-detail"),
    path("compare/areas/", views.CompareAreasView.as_view(), name="compare-areas"),
    path("compare/practice/", views.ComparePracticeView.as_view(), name="compare-practice"),
    path("feeds/practice/", PracticeFeed(), name="practice-feed"),
    path("accessibility/", views.AccessibilityView.as_view(), name="accessibility"),
]
