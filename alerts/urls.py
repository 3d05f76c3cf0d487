from django.urls import path
from django.views.generic import TemplateView

from . import views

app_name = "alerts"
urlpatterns = [
    path("", views.SubscribeView.as_view(), name="subscribe"),
    path("confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("privacy/", TemplateView.as_view(template_name="alerts/privacy.html"),
         name="privacy"),
]
