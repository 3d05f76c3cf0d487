from django.conf import settings
from django.core.management.base import BaseCommand

from alerts.mailing import forget_unconfirmed, send_digests


class Command(BaseCommand):
    help = ("Sends email alerts that are due (run it every hour, for example from cron), and "
            "deletes subscriptions whose confirmation link has expired. Safe to rerun: no "
            "practice is ever sent to an address twice.")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=settings.ALERTS_MAX_PER_RUN,
                            help="Send at most this many emails in this run.")

    def handle(self, *args, limit, **options):
        forgotten = forget_unconfirmed()
        sent = send_digests(settings.SITE_URL, limit)
        self.stdout.write(f"Sent {sent} digest(s); forgot {forgotten} unconfirmed "
                          "subscription(s).")
