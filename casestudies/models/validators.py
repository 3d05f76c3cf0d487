"""Checks of single values that more than one model may use."""

from django.core.exceptions import ValidationError

# Mail services on which anyone can hold an address: an address there is a person's, not an
# organisation's enquiries address.
PERSONAL_MAIL = {"gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "outlook.com",
                 "live.co.uk", "live.com", "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com",
                 "aol.com", "btinternet.com", "sky.com", "virginmedia.com", "protonmail.com"}


def organisation_address(value):
    if value.rpartition("@")[2].lower() in PERSONAL_MAIL:
        raise ValidationError(
            "Give an organisation's published enquiries address (or its contact page), not a "
            "private mailbox.", code="personal_address")
