"""Caches for anonymous readers, cleared whenever content changes: whole pages here, and
the facet counts and template fragments of casestudies through kept_until_content_changes()
and {% cache %} with the `fragments` context.

All are cached under a content version: a token in the database that any save or delete of
content, or a change to its many-to-many relations, replaces. The process that made the change
sees the new token at once; every other worker process reads the token again at most
CONTENT_VERSION_CHECK_SECONDS later (one small query), so an edit shows everywhere within that
time whatever the cache backend, including the per-process local-memory one. People with a
session (editors) always get fresh pages, and pages that carry a form token are never cached.
Responses get an ETag, so browsers can revalidate cheaply (304).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.gzip import re_accepts_gzip  # how GZipMiddleware decides
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

CACHED_APPS = {"casestudies", "themes"}
_seen = {"token": None, "at": 0.0}  # this process's copy of the token, and when it was read
_kept = {"version": None, "values": {}}  # values kept in this process, for one version


def content_version():
    """The current content version token (read from the database at most once a second)."""
    now = time.monotonic()
    if _seen["token"] is None or now - _seen["at"] >= settings.CONTENT_VERSION_CHECK_SECONDS:
        from casestudies.models import ContentVersion

        token = ContentVersion.objects.filter(pk=1).values_list("token", flat=True).first()
        if token is None:
            token = ContentVersion.objects.get_or_create(pk=1)[0].token
        _seen.update(token=token, at=now)
    return _seen["token"]


def kept_until_content_changes(name, compute, *parts, in_process=False):
    """`compute()`, kept in the cache under `name` and `parts` until content changes.

    With `in_process`, for the few values with a fixed set of keys that most requests read
    (such as each area's slug), this process also keeps its own copy, so that reading it costs
    no cache call and no unpickling. Callers must not change what they get.
    """
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    key = ":".join([name, str(content_version()), *map(str, parts)])
    if in_process:
        if _kept["version"] != _seen["token"]:
            _kept.update(version=_seen["token"], values={})
        if key in _kept["values"]:
            return _kept["values"][key]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=seconds)
    if in_process:
        _kept["values"][key] = value
    return value


def fragments(request):
    """Template context for {% cache %} fragments: how long to keep them, and the content
    version to key them by (a callable, so read only by a template that uses it)."""
    return {"fragment_seconds": settings.FRAGMENT_CACHE_SECONDS,
            "content_version": content_version}


def forget_version():
    _seen["token"] = None
    _kept.update(version=None, values={})


def bump_version(sender, **kwargs):
    from casestudies.models import ContentVersion, new_version_token

    if sender._meta.app_label in CACHED_APPS and sender is not ContentVersion:
        updated = ContentVersion.objects.filter(pk=1).update(token=new_version_token())
        if not updated:
            ContentVersion.objects.get_or_create(pk=1)
        forget_version()


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(bump_version, dispatch_uid=f"page-cache-{signal}")


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.PAGE_CACHE_EXCLUDE)

    def cacheable_request(self, request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.prefixes)
        )

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        # The host and scheme too: pages show their own absolute address.
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        path_hash = hashlib.sha256(address.encode()).hexdigest()
        try:
            version = content_version()
        except (OperationalError, InterfaceError):
            # The database is down: the view meets the same failure and answers 503.
            return self.get_response(request)
        # Browsers that accept gzip get a compressed copy, kept apart from the plain one.
        accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
        encoding = "gzip" if re_accepts_gzip.search(accepted) else ""
        key = f"page-response:{version}:{encoding}:{path_hash}"
        cached = cache.get(key)
        if cached is not None:
            # Kept as the response itself, as Django's own cache middleware keeps it: unpickling
            # restores its headers without checking each again, a fifth of a hit's time.
            cached["X-Page-Cache"] = "hit"
            return get_conditional_response(request, etag=cached["ETag"], response=cached)
        response = self.get_response(request)
        if self.storable(response):
            if not response.has_header("ETag"):  # GET responses have theirs already
                response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            cache.set(key, response, timeout=settings.PAGE_CACHE_SECONDS)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response

    @staticmethod
    def storable(response):
        return (
            response.status_code in (200, 404)
            and not response.streaming
            and not response.cookies
            and "Set-Cookie" not in response
            and not getattr(response, "csrf_cookie_set", False)
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
            # A CSP nonce must differ on every response: a page that used one is not shared.
            and "'nonce-" not in response.get("Content-Security-Policy", "")
            # A page with a form token also sets the CSRF cookie (refused above); a compressed
            # body cannot be searched for the token as well.
            and (response.has_header("Content-Encoding")
                 or b"csrfmiddlewaretoken" not in response.content)
        )
