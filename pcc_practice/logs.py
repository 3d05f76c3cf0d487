"""Log lines name the client a request came from, as rate limits count it."""

import logging


class ClientAddressFilter(logging.Filter):
    def filter(self, record):
        request = getattr(record, "request", None)
        if not hasattr(record, "client"):
            from .ratelimit import client_address

            record.client = client_address(request) if hasattr(request, "META") else "-"
        return True
