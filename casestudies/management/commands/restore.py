from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from casestudies.profile import rebuild


class Command(BaseCommand):
    help = (
        "Replaces everything in the database with a file written by `manage.py backup`. "
        "Run `migrate` first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="Do not ask for confirmation.")

    def handle(self, *args, file, interactive, **options):
        if interactive:
            answer = input("This deletes all current content and history. Type 'yes' to go on: ")
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        # The file holds the history already: loading must not write more of it.
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", file, verbosity=options["verbosity"])
            rebuild()  # what each entry stores, and the words searches are corrected to
