"""A small per-address rate limit for public forms, kept in the cache."""

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def over_limit(request, scope, limit=None, window=None):
    """Counts this request against the address's allowance; True once it is used up. The
    allowance is FORM_RATE_LIMIT unless `limit` and `window` are given."""
    if limit is None:
        limit, window = settings.FORM_RATE_LIMIT
    key = f"ratelimit:{scope}:{client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
