"""The anonymous page cache: whole pages, kept until content changes.

Only canonical addresses are kept. A view says which query parameters it reads in its
`query_parameters` (the practice list takes them from its filter set): the request it gets
carries only those, ordered by name (each name's values in the order given), so that `?utm=1`
or a shuffled query is the same page, kept once, and nothing else in the address can reach
what the page shows (its own address, its links). A view that says nothing is kept only when
asked for without a query. Entries go in the `pages` cache, whose size is capped (settings,
CACHES), so memory stays bounded whatever the addresses.

People with a session (editors) always get fresh pages, and pages that carry a form token or
set a cookie are never kept. While the database is down, a page kept before is still served,
marked as possibly out of date; other pages get the site's 503 page.
"""

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag, urlencode

from .version import content_version, last_known_version

logger = logging.getLogger(__name__)


ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def declared_parameters(request):
    """The query parameters the view of `request` reads, or None when it does not say."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(getattr(match.func, "view_class", None), "query_parameters", None)


def keep_declared_parameters(request, known):
    """Leaves in `request` only the query parameters its view reads, in canonical order."""
    pairs = [(name, value) for name in sorted(set(request.GET) & known)
             for value in request.GET.getlist(name)]
    query = urlencode(pairs)
    if query != request.META.get("QUERY_STRING", ""):
        request.GET = QueryDict(query)
        request.META["QUERY_STRING"] = query


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
            self.canonical(request)
            return self.get_response(request)
        try:
            version = content_version()
        except (OperationalError, InterfaceError) as error:
            self.canonical(request)
            return self.during_outage(request, caches["pages"], *self.address(request), error)
        # Pages are kept under canonical addresses only, so an address asked for in its
        # canonical form is served before its view is looked up: resolving it and rebuilding
        # its query took a hit from 64 to 104 us (docs/performance.md, "Cold pages, a fourth
        # pass"). Another form of it costs one more look-up in the cache.
        pages, asked = caches["pages"], self.key(request, version)
        hit = self.served(request, pages.get(asked))
        if hit is not None:
            return hit
        if self.canonical(request) is None and request.GET:
            return self.get_response(request)  # its view does not say what it reads
        key = self.key(request, version)
        if key != asked:
            hit = self.served(request, pages.get(key))
            if hit is not None:
                return hit
        response = self.get_response(request)
        if self.storable(response):
            if not response.has_header("ETag"):  # GET responses have theirs already
                response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            pages.set(key, response, timeout=settings.PAGE_CACHE_SECONDS)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response

    def canonical(self, request):
        """Leaves in a GET or HEAD request only the query parameters its view reads, in
        canonical order; gives those parameters (None when its view does not say)."""
        if request.method not in ("GET", "HEAD") or request.path.startswith(self.prefixes):
            return None
        known = declared_parameters(request)
        if known is not None:
            keep_declared_parameters(request, known)
        return known

    @staticmethod
    def address(request):
        """(digest of the page's address, encoding): the host and scheme are in the address,
        as pages show their own absolute address; browsers that accept gzip get a compressed
        copy, kept apart from the plain one."""
        encoding = "gzip" if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) \
            else ""
        query = request.META.get("QUERY_STRING", "")
        address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        return hashlib.sha256(address.encode()).hexdigest(), encoding

    def key(self, request, version):
        digest, encoding = self.address(request)
        return f"page:{version}:{encoding}:{digest}"

    @staticmethod
    def served(request, cached):
        if cached is None:
            return None
        cached["X-Page-Cache"] = "hit"
        return get_conditional_response(request, etag=cached["ETag"], response=cached)

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
