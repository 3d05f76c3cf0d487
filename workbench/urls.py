"""The one page of the workbench outside admin: where an area answers a request to confirm its
entry (the signed link needs no account)."""

from django.urls import path
from django.views.generic import TemplateView

from .views import ConfirmEntryView

app_name = "workbench"
urlpatterns = [
    path("confirm-entry/thanks/",
         TemplateView.as_view(template_name="workbench/confirm_entry_thanks.html"),
         name="confirm-entry-thanks"),
    path("confirm-entry/<str:token>/", ConfirmEntryView.as_view(), name="confirm-entry"),
]
