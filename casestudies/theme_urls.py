"""The theme pages, under /themes/ (the themes app holds the model, these views show its
practice)."""

from django.urls import path

from . import views

app_name = "themes"
urlpatterns = [
    path("", views.ThemeListView.as_view(), name="theme-list"),
    path("<slug:slug>/", views.ThemeDetailView.as_view(), name="theme-detail"),
]
