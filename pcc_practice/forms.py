"""What every form a reader sends has in common: one message for null characters, a honeypot
for bots, and a view that adds Django's CSRF check and a per-address rate limit."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.shortcuts import redirect
from django.views.generic import FormView

from .ratelimit import over_limit


class RefusesNullCharacters:
    """Answers any input holding a null character with one message, Django's own. Choice
    fields would otherwise repeat the value in their message, and HTML cannot carry it."""

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name in list(self.errors):
            key = self.add_prefix(name)
            raw = self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data.get(key)]
            if any("\x00" in str(value) for value in raw if value is not None):
                self.errors[name] = self.error_class([ProhibitNullCharactersValidator.message])


class HoneypotMixin(forms.Form):
    """A field people never see; bots that fill it in are quietly ignored."""

    website = forms.CharField(
        required=False, label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_spam(self):
        return bool(self.data.get("website"))


class PublicFormView(FormView):
    """A public form with CSRF (Django's), a honeypot and a per-address rate limit."""

    rate_scope = "form"

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if over_limit(request, self.rate_scope):
            form.add_error(None, "You have sent several forms in a short time. Wait an hour "
                                 "and try again; nothing you entered has been saved.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if form.is_spam:
            return redirect(self.get_success_url())
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)
