from django.core.management.commands import loaddata

from casestudies import profile


class Command(loaddata.Command):
    """Django's loaddata, with what each entry's cards show worked out once per entry when the
    fixtures are in (casestudies/profile.py), not once for every row saved about it."""

    def handle(self, *fixture_labels, **options):
        with profile.deferred():
            return super().handle(*fixture_labels, **options)
