from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.generic import TemplateView

from . import approaches, exports, listing, views
from .boardpack import BoardPackView, board_pack_pdf
from .dataset import DatasetView, csvw_metadata
from .feeds import PracticeFeed
from .shortlist import ShortlistView
from .sitemaps import SITEMAPS

app_name = "casestudies"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("practice/", listing.InitiativeListView.as_view(), name="initiative-list"),
    path("practice/export.csv", exports.export_csv, name="export-csv"),
    path("practice/export.json", exports.export_json, name="export-json"),
    path("practice/export.xlsx", exports.export_xlsx, name="export-xlsx"),
    path("practice/export.csv-metadata.json", csvw_metadata, name="export-csvw"),
    path("data/", DatasetView.as_view(), name="dataset"),
    path("practice/<slug:slug>/", views.InitiativeDetailView.as_view(), name="initiative-detail"),
    path("practice/<slug:slug>/board-pack/", BoardPackView.as_view(),
         name="initiative-board-pack"),
    path("practice/<slug:slug>/board-pack.pdf", board_pack_pdf,
         name="initiative-board-pack-pdf"),
    path("practice/<slug:slug>/report/", views.ReportProblemView.as_view(),
         name="report-problem"),
    path("practice/<slug:slug>/report/thanks/",
         TemplateView.as_view(template_name="casestudies/report_thanks.html"),
         name="report-thanks"),
    path("approaches/", approaches.ApproachListView.as_view(), name="approach-list"),
    path("approaches/<slug:slug>/", approaches.ApproachDetailView.as_view(),
         name="approach-detail"),
    path("picture/", views.PictureView.as_view(), name="picture"),
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("areas/<slug:slug>/", views.AreaDetailView.as_view(), name="area-detail"),
    path("shortlist/", ShortlistView.as_view(), name="shortlist"),
    path("shortlist/board-pack/", BoardPackView.as_view(), name="board-pack"),
    path("shortlist/board-pack.pdf", board_pack_pdf, name="board-pack-pdf"),
    path("compare/areas/", views.CompareAreasView.as_view(), name="compare-areas"),
    path("compare/practice/", views.ComparePracticeView.as_view(), name="compare-practice"),
    path("feeds/practice/", PracticeFeed(), name="practice-feed"),
    path("suggest/", views.SuggestView.as_view(), name="suggest"),
    path("suggest/thanks/", TemplateView.as_view(template_name="casestudies/suggest_thanks.html"),
         name="suggest-thanks"),
    path("contact/", views.ContactView.as_view(), name="contact"),
    path("contact/thanks/", TemplateView.as_view(template_name="casestudies/contact_thanks.html"),
         name="contact-thanks"),
    path("confirm-entry/thanks/",
         TemplateView.as_view(template_name="casestudies/confirm_entry_thanks.html"),
         name="confirm-entry-thanks"),
    path("confirm-entry/<str:token>/", views.ConfirmEntryView.as_view(), name="confirm-entry"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("about/evidence/", views.EvidenceView.as_view(), name="evidence"),
    path("glossary/", views.GlossaryView.as_view(), name="glossary"),
    path("accessibility/", views.AccessibilityView.as_view(), name="accessibility"),
    path("sitemap.xml", sitemap_views.index,
         {"sitemaps": SITEMAPS, "sitemap_url_name": "casestudies:sitemap-section"},
         name="sitemap-index"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS},
         name="sitemap-section"),
]
