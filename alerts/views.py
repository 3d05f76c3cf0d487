"""Subscribing to, confirming and leaving email alerts. The subscribe form has a page of its own,
so list pages carry no form token and stay cacheable."""

import hashlib
import logging
from smtplib import SMTPRecipientsRefused

from django.conf import settings
from django.db import IntegrityError
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
from pcc_practice.ratelimit import count

from . import mailing
from .forms import SubscribeForm
from .models import Subscription
from .tokens import read_confirm, read_unsubscribe

logger = logging.getLogger(__name__)


def recipient_key(email):
    """The counter of confirmation emails sent to `email` (a digest: no address is kept)."""
    return "alerts-recipient:" + hashlib.sha256(email.encode()).hexdigest()


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
        if len(query) > Subscription._meta.get_field("query").max_length:
            form.add_error(None, "This search has too many filters to be followed by email. "
                                 "Go back to the list, remove some filters, and follow it "
                                 "again.")
            return self.form_invalid(form)
        email = form.cleaned_data["email"].strip().lower()
        frequency = form.cleaned_data["frequency"]
        existing = Subscription.objects.filter(email=email, query=query).first()
        if existing is not None:  # confirmed: a new frequency; pending: no second email
            if existing.confirmed is not None:
                Subscription.objects.filter(pk=existing.pk).update(frequency=frequency)
            return self.check_email(email, existing, already_sent=existing.confirmed is None)
        limit, window = settings.ALERTS_RECIPIENT_LIMIT
        if count(recipient_key(email), window) > limit:
            form.add_error("email", "We have sent several confirmation emails to this address "
                                    "lately. Follow the link in one of them, or try again "
                                    "tomorrow.")
            return self.form_invalid(form)
        try:
            subscription = Subscription.objects.create(email=email, query=query,
                                                       frequency=frequency)
        except IntegrityError:  # the same address and search, sent twice at once
            return self.check_email(email, None, already_sent=True)
        try:
            mailing.send_confirmation(site_of(self.request), subscription)
        except (SMTPRecipientsRefused, ValueError):  # refused, or not an address it can write
            logger.warning("An alert confirmation was refused.", exc_info=True)
            subscription.delete()
            form.add_error("email", "We could not send an email to this address. Nothing has "
                                    "been kept; check the address.")
            return self.form_invalid(form)
        except OSError:  # the mail server cannot be reached: keep nothing, say so
            logger.exception("Could not send an alert confirmation.")
            subscription.delete()
            form.add_error(None, "We could not send the email just now. Nothing has been "
                                 "kept; please try again later.")
            return self.form_invalid(form)
        except BaseException:
            subscription.delete()
            raise
        return self.check_email(email, subscription)

    def check_email(self, email, subscription, already_sent=False):
        _, query = self.search()
        return render(self.request, "alerts/check_email.html",
                      {"email": email, "already_sent": already_sent, "search": query,
                       "confirmed": subscription is not None and subscription.confirmed})

    def get_success_url(self):  # spam is quietly sent here
        return reverse("alerts:subscribe")


class ConfirmView(TemplateView):
    """The link in a confirmation email opens a page with a button: only the reader's POST
    confirms, so mail scanners that follow links (GET or HEAD) confirm nothing."""

    template_name = "alerts/confirmed.html"

    def subscription(self, token):
        found = read_confirm(token)
        return found and Subscription.objects.filter(pk=found[0], email=found[1]).first()

    def get(self, request, token):
        subscription = self.subscription(token)
        if subscription is None:
            return render(request, "alerts/link_expired.html", status=410)
        if subscription.confirmed is not None:
            return self.render_to_response({"subscription": subscription, "already": True})
        return render(request, "alerts/confirm.html",
                      {"subscription": subscription, "token": token})

    def post(self, request, token):
        subscription = self.subscription(token)
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
