"""The content version, and values kept until it changes."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import ContentVersion, new_token

# This process's copy of the token and when it was read: every other worker sees an edit
# within CONTENT_VERSION_CHECK_SECONDS (one small query), the worker that made it at once.
_seen = {"token": None, "at": 0.0}
# The models whose rows readers see: what readers send (suggestions, reports) is not among them.
_watched = set()


def content_version():
    """The current content version token. Raises the database's error while it is down."""
    now = time.monotonic()
    if _seen["token"] is None or now - _seen["at"] >= settings.CONTENT_VERSION_CHECK_SECONDS:
        token = ContentVersion.objects.filter(pk=1).values_list("token", flat=True).first()
        if token is None:
            token = ContentVersion.objects.get_or_create(pk=1)[0].token
        _seen.update(token=token, at=now)
    return _seen["token"]


def last_known_version():
    """The token this process read last, whether or not it is still current (or None)."""
    return _seen["token"]


def forget_version():
    _seen.update(token=None, at=0.0)


def cached(name, compute, *parts):
    """`compute()`, kept in the cache under `name` and `parts` until content changes."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    key = ":".join([name, str(content_version()), *map(str, parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=seconds)
    return value


def fragments(request):
    """Context processor for {% cache %} fragments: how long to keep them, and the content
    version to key them by (a callable, so read only by a template that uses it)."""
    return {"fragment_seconds": settings.FRAGMENT_CACHE_SECONDS,
            "content_version": content_version}


def content_changed(sender, instance=None, **kwargs):
    # A relation's change is sent by its through model, with the object changed as `instance`.
    if sender not in _watched and type(instance) not in _watched:
        return
    token = new_token()
    if not ContentVersion.objects.filter(pk=1).update(token=token):
        ContentVersion.objects.create(pk=1, token=token)
    forget_version()


def watch(*models):
    """Replace the content version whenever a row of `models` (or one of its many-to-many
    relations) is saved, deleted or changed. Apps call this from ready() with the models
    whose rows the public site shows."""
    _watched.update(models)
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"content-version-{signal}")
