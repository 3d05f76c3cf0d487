from django.urls import path

from . import views

app_name = "casestudies"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("practice/", views.InitiativeListView.as_view(), name="initiative-list"),
    path("practice/<slug:slug>/", views.InitiativeDetailView.as_view(), name="initiative-detail"),
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("areas/<slug:slug>/", views.AreaDetailView.as_view(), name="area-detail"),
    path(
        "accessibility/",
        views.AccessibilityView.as_view(),
        name="accessibility",
    ),
]
