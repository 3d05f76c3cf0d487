from django import forms

from pcc_practice.forms import HoneypotMixin, RefusesNullCharacters

from .models import Frequency


class SubscribeForm(RefusesNullCharacters, HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label="Email address", max_length=254,
        help_text="We send a link to this address; nothing is sent until you follow it.",
        error_messages={"required": "Enter your email address",
                        "invalid": "Enter an email address in the correct format, like "
                                   "name@example.org"},
    )
    frequency = forms.ChoiceField(
        label="How often", choices=Frequency.choices, initial=Frequency.WEEKLY,
        help_text="A digest of newly published practice, only when there is some.",
        error_messages={"required": "Choose how often", "invalid_choice": "Choose daily or weekly"},
    )
