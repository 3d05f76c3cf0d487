"""The anonymous page cache: whole pages, kept until content changes.

Only canonical addresses are kept. A view says which query parameters it reads in its
`query_parameters` (the practice list takes them from its filter set): others are dropped from
the key, and the rest sorted, so `?utm=1` or a shuffled query shares one entry. A view that
says nothing is kept only when asked for without a query. Entries go in the `pages` cache,
whose size is capped (settings, CACHES), so memory stays bounded whatever the addresses.

People with a session (editors) always get fresh pages, and pages that carry a form token or
set a cookie are never kept. While the database is down, a page kept before is still served,
marked as possibly out of date; other pages get the site's 503 page.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError
from django.middleware.gzip import re_accepts_gzip  # how GZipMiddleware decides
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag, urlencode

from .version import content_version, last_known_version

logger = logging.getLogger(__name__)


def canonical_query(request):
    """The query the page depends on, sorted; None when the page is not to be cached."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    known = getattr(getattr(match.func, "view_class", None), "query_parameters", None)
    if known is None:
        return "" if not request.GET else None
    pairs = sorted((name, value) for name in request.GET if name in known
                   for value in request.GET.getlist(name))
    return urlencode(pairs)


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
        query = canonical_query(request) if self.cacheable_request(request) else None
        if query is None:
            return self.get_response(request)
        pages = caches["pages"]
        # The host and scheme too: pages show their own absolute address. Browsers that accept
        # gzip get a compressed copy, kept apart from the plain one.
        encoding = "gzip" if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) \
            else ""
        address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        try:
            version = content_version()
        except (OperationalError, InterfaceError) as error:
            return self.during_outage(request, pages, digest, encoding, error)
        key = f"page:{version}:{encoding}:{digest}"
        cached = pages.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return get_conditional_response(request, etag=cached["ETag"], response=cached)
        response = self.get_response(request)
        if self.storable(response):
            if not response.has_header("ETag"):  # GET responses have theirs already
                response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            pages.set(key, response, timeout=settings.PAGE_CACHE_SECONDS)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response

    def during_outage(self, request, pages, digest, encoding, error):
        """The page as last kept, if this process kept it; else the view, which meets the
        same failure and answers 503. Each request asks the database again, so the site
        recovers by itself when it returns."""
        version = last_known_version()
        cached = pages.get(f"page:{version}:{encoding}:{digest}") if version else None
        if cached is None:
            return self.get_response(request)
        logger.warning("Database unavailable (%s): serving a kept page.", error)
        cached["X-Page-Cache"] = "stale: the database is unavailable; this page may be out of date"
        patch_cache_control(cached, no_cache=True)
        return cached

    @staticmethod
    def storable(response):
        return (
            response.status_code == 200
            and not response.streaming
            and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
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
