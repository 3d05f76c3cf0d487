"""A real SMTP server for tests: it keeps each message it is sent."""

import email
import socket
from contextlib import contextmanager
from email import policy


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_on_loopback(settings, handler):
    """Runs `handler` (an Inbox) as an SMTP server on loopback while the site sends to it;
    gives the messages it keeps."""
    from aiosmtpd.controller import Controller

    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "use_tls": False,
                    "timeout": 10}}}
    settings.SITE_URL = "http://testserver"
    try:
        yield handler.messages
    finally:
        controller.stop()
