"""Each initiative as a record of its public fields (casestudies/fields.py), with absolute
links: the shape the exports and the API share."""

from .fields import INITIATIVE

# Initiatives read at a time, each batch with its relations in one query each, so that a
# large export streams in flat memory.
CHUNK = 500


def records(queryset, request):
    """The record of each initiative of `queryset`, in its order."""
    for initiative in queryset.for_records().iterator(chunk_size=CHUNK):
        yield INITIATIVE.record(initiative, request)
