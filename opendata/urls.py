from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import exports
from .dataset import DatasetView, csvw_metadata
from .feeds import PracticeFeed
from .sitemaps import SITEMAPS

app_name = "opendata"
urlpatterns = [
    path("practice/export.csv", exports.export_csv, name="export-csv"),
    path("practice/export.json", exports.export_json, name="export-json"),
    path("practice/export.xlsx", exports.export_xlsx, name="export-xlsx"),
    path("practice/export.csv-metadata.json", csvw_metadata, name="export-csvw"),
    path("data/", DatasetView.as_view(), name="dataset"),
    path("feeds/practice/", PracticeFeed(), name="practice-feed"),
    path("sitemap.xml", sitemap_views.index,
         {"sitemaps": SITEMAPS, "sitemap_url_name": "opendata:sitemap-section"},
         name="sitemap-index"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS},
         name="sitemap-section"),
]
