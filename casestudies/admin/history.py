"""Restoring an old version of an initiative (its history in words is
pcc_practice/history.py's, as every model's is)."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from ..models import Initiative


class RestoreRefused(Exception):
    pass


def restore(record, user):
    """Makes the initiative read as it did in `record`: its fields, themes, partners and
    sources. Its publication state stays as it is (publishing is a decision of its own), and
    its evaluations, costs, funders and roles keep their own histories."""
    current = Initiative.objects.get(pk=record.id)
    if current.state == "published" and not record.sources.exists():
        raise RestoreRefused("That version has no source, and a published entry needs one. "
                             "Send the entry back to draft first, or restore a later version.")
    with transaction.atomic():
        initiative = record.instance
        initiative.state = current.state
        initiative.created = current.created
        initiative._change_reason = (
            f"Restored the version of {date_format(timezone.localtime(record.history_date),
                                                   'j F Y, H:i')}")
        initiative._history_user = user
        initiative.save()
        initiative.themes.set([row.theme_id for row in record.themes.all()])
        initiative.partners.set([row.partner_id for row in record.partners.all()])
        initiative.sources.set([row.source_id for row in record.sources.all()])
    return initiative
