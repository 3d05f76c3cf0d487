from django.urls import path
from django.views.generic import TemplateView

from . import approaches, listing, myarea, views
from .boardpack import BoardPackView, board_pack_pdf
from .shortlist import ShortlistView

app_name = "website"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("practice/", listing.InitiativeListView.as_view(), name="initiative-list"),
    path("practice/<slug:slug>/", views.InitiativeDetailView.as_view(), name="initiative-detail"),
    path("practice/<slug:slug>/board-pack/", BoardPackView.as_view(),
         name="initiative-board-pack"),
    path("practice/<slug:slug>/board-pack.pdf", board_pack_pdf,
         name="initiative-board-pack-pdf"),
    path("practice/<slug:slug>/report/", views.ReportProblemView.as_view(),
         name="report-problem"),
    path("practice/<slug:slug>/report/thanks/",
         TemplateView.as_view(template_name="website/report_thanks.html"),
         name="report-thanks"),
    path("approaches/", approaches.ApproachListView.as_view(), name="approach-list"),
    path("approaches/<slug:slug>/", approaches.ApproachDetailView.as_view(),
         name="approach-detail"),
    path("picture/", views.PictureView.as_view(), name="picture"),
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("areas/choose/", myarea.ChooseAreaView.as_view(), name="area-choose"),
    path("areas/<slug:slug>/", views.AreaDetailView.as_view(), name="area-detail"),
    path("areas/<slug:slug>/next-steps/", myarea.AreaNextStepsView.as_view(), name="area-next"),
    path("areas/<slug:slug>/next-steps/board-pack.pdf", myarea.area_next_pdf,
         name="area-next-pdf"),
    path("themes/", views.ThemeListView.as_view(), name="theme-list"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme-detail"),
    path("shortlist/", ShortlistView.as_view(), name="shortlist"),
    path("shortlist/board-pack/", BoardPackView.as_view(), name="board-pack"),
    path("shortlist/board-pack.pdf", board_pack_pdf, name="board-pack-pdf"),
    path("compare/areas/", views.CompareAreasView.as_view(), name="compare-areas"),
    path("compare/practice/", views.ComparePracticeView.as_view(), name="compare-practice"),
    path("suggest/", views.SuggestView.as_view(), name="suggest"),
    path("suggest/thanks/", TemplateView.as_view(template_name="website/suggest_thanks.html"),
         name="suggest-thanks"),
    path("contact/", views.ContactView.as_view(), name="contact"),
    path("contact/thanks/", TemplateView.as_view(template_name="website/contact_thanks.html"),
         name="contact-thanks"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("about/evidence/", views.EvidenceView.as_view(), name="evidence"),
    path("glossary/", views.GlossaryView.as_view(), name="glossary"),
    path("accessibility/", views.AccessibilityView.as_view(), name="accessibility"),
]
