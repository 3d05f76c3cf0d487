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
        sent, failed = send_digests(settings.SITE_URL, limit)
        for subscription, error in failed:
            self.stderr.write(f"Could not send to {subscription.email} (subscription "
                              f"{subscription.pk}): {error}")
        self.stdout.write(f"Sent {sent} digest(s); could not send {len(failed)}; forgot "
                          f"{forgotten} unconfirmed subscription(s).")
