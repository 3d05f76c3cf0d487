"""Django's Redis cache, made to degrade: while Redis cannot be reached, every read is a miss
and every write is dropped, so pages are built from the database instead of failing.

Everything kept in the cache can be worked out again (pages, fragments, facet counts, form
rate limits), so losing it for a while costs speed, not correctness. After a failure this
process leaves Redis alone for RETRY_SECONDS, so that a Redis that does not answer slows
at most one request in that time, and logs the failure once each time.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
# Time allowed to connect to Redis and for each reply, unless OPTIONS says otherwise.
TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**TIMEOUTS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._down_until = 0.0

    def _attempt(self, method, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), method)(*args, **kwargs)
        except RedisError as error:
            self._down_until = time.monotonic() + RETRY_SECONDS
            logger.warning("Redis cache unavailable (%s); serving without it for %ss.",
                           error, RETRY_SECONDS)
            return fallback

    # While Redis is away, nothing is found and nothing is stored.
    def get(self, key, default=None, version=None):
        return self._attempt("get", default, key, default, version=version)

    def get_many(self, keys, version=None):
        return self._attempt("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._attempt("has_key", False, key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt("add", False, key, value, timeout, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._attempt("set", None, key, value, timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt("set_many", list(data), data, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt("touch", False, key, timeout, version=version)

    def delete(self, key, version=None):
        return self._attempt("delete", False, key, version=version)

    def delete_many(self, keys, version=None):
        self._attempt("delete_many", None, keys, version=version)

    def clear(self):
        self._attempt("clear", None)

    def incr(self, key, delta=1, version=None):
        value = self._attempt("incr", None, key, delta, version=version)
        if value is None:  # as for any key the cache does not hold
            raise ValueError(f"Key '{key}' not found")
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version=version)
