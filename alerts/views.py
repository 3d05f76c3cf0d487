"""Subscribing to, confirming and leaving email alerts. The subscribe form has a page of its own,
so list pages carry no form token and stay cacheable."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from casestudies.filters import InitiativeFilter
from casestudies.models import Initiative
from pcc_practice.forms import PublicFormView

from . import mailing
from .forms import SubscribeForm
from .models import Subscription
from .tokens import read_confirm, read_unsubscribe

logger = logging.getLogger(__name__)


def site_of(request):
    return request.build_absolute_uri("/")


class SubscribeView(PublicFormView):
    form_class = SubscribeForm
    template_name = "alerts/subscribe.html"
    rate_scope = "alerts"

    def search(self):
        """The list's filters this page was opened with (from the query, or the form)."""
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        query = QueryDict(source.get("search", "")) if "search" in source else self.request.GET
        filterset = InitiativeFilter(query, queryset=Initiative.objects.published())
        return filterset, mailing.canonical(query) if filterset.is_valid() else None

    def get_context_data(self, **kwargs):
        filterset, query = self.search()
        return super().get_context_data(
            search=query, chips=filterset.active_filters(QueryDict(query or "")),
            valid_search=query is not None,
            count=filterset.qs.count() if query is not None else 0,
            hours=settings.ALERTS_CONFIRM_SECONDS // 3600, **kwargs)

    def form_valid(self, form):
        _, query = self.search()
        if query is None:
            form.add_error(None, "These filters are not valid, so they cannot be followed. "
                                 "Go back to the list and correct them.")
            return self.form_invalid(form)
        email = form.cleaned_data["email"].strip().lower()
        try:
            with transaction.atomic():
                subscription, _ = Subscription.objects.update_or_create(
                    email=email, query=query,
                    defaults={"frequency": form.cleaned_data["frequency"]})
        except IntegrityError:  # the same address and search, sent twice at once
            subscription = Subscription.objects.get(email=email, query=query)
        if subscription.confirmed is None:
            try:
                mailing.send_confirmation(site_of(self.request), subscription)
            except OSError:  # the mail server cannot be reached: keep nothing, say so
                logger.exception("Could not send an alert confirmation.")
                subscription.delete()
                form.add_error(None, "We could not send the email just now. Nothing has been "
                                     "kept; please try again later.")
                return self.form_invalid(form)
        return render(self.request, "alerts/check_email.html",
                      {"email": email, "confirmed": subscription.confirmed is not None})

    def get_success_url(self):  # spam is quietly sent here
        return reverse("alerts:subscribe")


class ConfirmView(TemplateView):
    template_name = "alerts/confirmed.html"

    def get(self, request, token):
        found = read_confirm(token)
        subscription = found and Subscription.objects.filter(pk=found[0],
                                                             email=found[1]).first()
        if subscription is None:
            return render(request, "alerts/link_expired.html", status=410)
        already = subscription.confirmed is not None
        if not already:
            mailing.confirm(subscription)
        return self.render_to_response({"subscription": subscription, "already": already})


@method_decorator(csrf_exempt, name="dispatch")  # one-click unsubscribe (RFC 8058) posts
class UnsubscribeView(View):                       # without a form token; the link is signed
    def get(self, request, token):
        found = read_unsubscribe(token)
        subscription = found and Subscription.objects.filter(pk=found[0],
                                                             email=found[1]).first()
        return render(request, "alerts/unsubscribe.html",
                      {"subscription": subscription, "token": token})

    def post(self, request, token):
        found = read_unsubscribe(token)
        if found:
            Subscription.objects.filter(pk=found[0], email=found[1]).delete()
        return render(request, "alerts/unsubscribed.html")


class PrivacyView(TemplateView):
    template_name = "alerts/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            controller=settings.DATA_CONTROLLER, contact_email=settings.CONTACT_EMAIL,
            hours=settings.ALERTS_CONFIRM_SECONDS // 3600, **kwargs)
