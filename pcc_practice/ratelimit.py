"""Who a request comes from, and limits that every worker process shares.

- **The client's address** (`client_address`): REMOTE_ADDR, or, behind TRUSTED_PROXIES
  proxies, the address the outermost of them wrote into X-Forwarded-For. Each proxy appends
  the address it was reached from, so that entry is the right-most one no client can write;
  django-ipware reads it. Rate limits, django-axes and the logs all name this address.
- **Counts** (`over_limit`) and **slots for costly work** (`slot`) live in the database
  (pcc_practice.cache's Counter), so every worker sees the same number and no cached page
  can push a count out; each is changed by one conditional UPDATE, so concurrent requests
  never count the same number twice.
"""

import contextlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from ipware.ip import get_client_ip

from .cache.models import Counter

logger = logging.getLogger(__name__)
# Counters whose window ended are deleted a few at a time, as new ones are made.
PRUNE_BATCH = 100


def client_address(request):
    """The address that limits, lockouts and logs count a request against."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        # ipware's proxy_count is the number of proxy entries after the client's.
        address, _ = get_client_ip(request, proxy_order="left-most", proxy_count=proxies - 1,
                                   request_header_order=["HTTP_X_FORWARDED_FOR"],
                                   strict=False)
        if address:
            return address
    return request.META.get("REMOTE_ADDR", "")


def count(key, seconds):
    """Adds one to the shared counter `key` and gives its new value. A counter starts again
    at 1 once `seconds` have passed since its first count."""
    for _ in range(3):
        now = timezone.now()
        with transaction.atomic():
            if Counter.objects.filter(key=key, expires__gt=now).update(count=F("count") + 1):
                # The row stays locked by this transaction until it ends.
                return Counter.objects.get(key=key).count
            renewed = now + timedelta(seconds=seconds)
            if Counter.objects.filter(key=key, expires__lte=now).update(count=1,
                                                                        expires=renewed):
                return 1
            try:
                with transaction.atomic():
                    Counter.objects.create(key=key, count=1, expires=renewed)
            except IntegrityError:  # made by another request meanwhile: count again
                continue
            prune(now)
            return 1
    raise RuntimeError(f"Could not count {key}")


def prune(now):
    ended = Counter.objects.filter(expires__lt=now - timedelta(minutes=1))
    Counter.objects.filter(pk__in=list(ended.values_list("pk", flat=True)[:PRUNE_BATCH])) \
        .delete()


def over_limit(request, scope, limit=None, window=None):
    """Counts this request against the address's allowance; True once it is used up. The
    allowance is FORM_RATE_LIMIT unless `limit` and `window` are given."""
    if limit is None:
        limit, window = settings.FORM_RATE_LIMIT
    return count(f"ratelimit:{scope}:{client_address(request)}", window) > limit


@contextlib.contextmanager
def slot(name, places, seconds):
    """One of `places` slots for costly work, shared by every worker: yields True while this
    request holds one, False when all are taken (the caller answers "busy" and does not
    wait). A slot that a killed worker never gave back is free again after `seconds`."""
    held = None
    now = timezone.now()
    for place in range(places):
        key = f"slot:{name}:{place}"
        Counter.objects.get_or_create(key=key, defaults={"expires": now})
        taken = Counter.objects.filter(Q(count=0) | Q(expires__lte=now), key=key) \
            .update(count=1, expires=now + timedelta(seconds=seconds))
        if taken:
            held = key
            break
    try:
        yield held is not None
    finally:
        if held is not None:
            Counter.objects.filter(key=held).update(count=0)
