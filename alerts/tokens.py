"""Signed links in alert emails: to confirm (they expire) and to unsubscribe (they do not)."""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"


def confirm_token(subscription):
    return signing.dumps([subscription.pk, subscription.email], salt=CONFIRM_SALT)


def unsubscribe_token(subscription):
    return signing.dumps([subscription.pk, subscription.email], salt=UNSUBSCRIBE_SALT)


def read(token, salt, max_age=None):
    """(id, email) from a token, or None when it is forged, altered or expired."""
    try:
        pk, email = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return pk, email


def read_confirm(token):
    return read(token, CONFIRM_SALT, max_age=settings.ALERTS_CONFIRM_SECONDS)


def read_unsubscribe(token):
    return read(token, UNSUBSCRIBE_SALT)
