from django.core.management.base import BaseCommand

from casestudies.profile import rebuild


class Command(BaseCommand):
    help = ("Works out again, by the rules, the values stored on every initiative: its "
            "readiness, what it documents, its strongest evaluation design and the other "
            "areas with practice of its approach (migrate does this too).")

    def handle(self, *args, **options):
        self.stdout.write(f"Worked out the stored values of {rebuild()} initiatives.")
