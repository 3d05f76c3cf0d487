"""The publishing workflow, for every way an entry is written (admin and its actions, the
spreadsheet import, the seed, the shell): who may publish, what a published entry needs,
moving an entry between states, and restoring an old version or a deleted entry.

Editors write; publishers (the permission below, held by the Publishers group) decide what the
public sees. A published entry cites at least one source.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, ProtectedError, Subquery
from django.utils import timezone
from django.utils.formats import date_format

from .models import CommissionerRole, Cost, Evaluation, Funder, Initiative, State

PERMISSION = "casestudies.publish_initiative"
# The states only a publisher may give an entry, or take it out of.
PUBLISHER_STATES = {State.PUBLISHED, State.ARCHIVED}
NEEDS_SOURCE = "Add at least one source before publishing."
KEEPS_SOURCE = ("A published entry cites at least one source: add its new source before "
                "removing the last one, or send the entry back to draft first.")
NEEDS_PUBLISHER = ("Only publishers can publish or archive an entry. Choose “Draft” or “In "
                   "review”, and a publisher will take it from there.")


class Refused(Exception):
    """A change the workflow does not allow, with the reason in words."""


def may_publish(user):
    return user.has_perm(PERMISSION)


def problem(state, has_sources):
    """Why an entry with or without sources cannot be in `state` (None when it can)."""
    if state == State.PUBLISHED and not has_sources:
        return NEEDS_SOURCE
    return None


def keeps_a_source(sender, instance, action, reverse, pk_set, **kwargs):
    """A published entry cites a source, however its sources change (admin, import, restore,
    the shell, from either side of the relation): taking away its last one is refused. Paths
    that replace sources add the new ones first (`replace_sources`)."""
    if action not in ("pre_remove", "pre_clear"):
        return
    through = Initiative.sources.through
    if reverse:  # instance is a Source, pk_set (or all) the initiatives it leaves
        losing = through.objects.filter(source=instance)
        if action == "pre_remove":
            losing = losing.filter(initiative__in=pk_set)
        initiatives = Initiative.objects.filter(pk__in=losing.values("initiative"))
        kept = through.objects.exclude(source=instance)
    else:
        initiatives = Initiative.objects.filter(pk=instance.pk)
        kept = through.objects.exclude(source__in=pk_set or [])
        if action == "pre_clear":
            kept = through.objects.none()
    left_without = initiatives.filter(state=State.PUBLISHED).exclude(
        pk__in=kept.values("initiative"))
    if left_without.exists():
        raise ValidationError(KEEPS_SOURCE, code="keeps_source")


def sole_source_of(source):
    """The published entries whose only source is `source`."""
    through = Initiative.sources.through
    return Initiative.objects.filter(state=State.PUBLISHED, sources=source).exclude(
        pk__in=through.objects.exclude(source=source).values("initiative"))


def source_kept(sender, instance, **kwargs):
    """Deleting a source would take the last one from the entries it alone supports."""
    alone = list(sole_source_of(instance))
    if alone:
        raise ProtectedError(f"“{instance}” is the only source of published entries: "
                             + "; ".join(map(str, alone)), set(alone))


def replace_sources(initiative, sources):
    """Makes `sources` the initiative's sources, adding before removing, so that a published
    entry never passes through having none."""
    current = set(initiative.sources.values_list("pk", flat=True))
    new = [source for source in sources if getattr(source, "pk", source) not in current]
    if new:
        initiative.sources.add(*new)
    initiative.sources.set(sources)


def move(initiative, state, user):
    """Puts `initiative` in `state` as `user`, recorded in its history; raises Refused when
    the workflow does not allow it."""
    if (state in PUBLISHER_STATES or initiative.state in PUBLISHER_STATES) and not may_publish(
            user):
        raise Refused(NEEDS_PUBLISHER)
    reason = problem(state, initiative.sources.exists())
    if reason:
        raise Refused(reason)
    initiative.state = state
    initiative._history_user = user
    initiative.save(update_fields=["state", "updated"])


def restore_version(record, user):
    """Makes the initiative read as it did in the historical `record`: its fields, themes,
    partners and sources. Its publication state stays as it is (publishing is a decision of
    its own), and its evaluations, costs, funders and roles keep their own histories."""
    if not may_publish(user):
        raise Refused("Only publishers can restore an old version.")
    current = Initiative.objects.get(pk=record.id)
    if problem(current.state, record.sources.exists()):
        raise Refused("That version has no source, and a published entry needs one. "
                      "Send the entry back to draft first, or restore a later version.")
    when = date_format(timezone.localtime(record.history_date), "j F Y, H:i")
    try:
        with transaction.atomic():
            initiative = record.instance
            initiative.state = current.state
            initiative.created = current.created
            initiative._change_reason = f"Restored the version of {when}"
            initiative._history_user = user
            initiative.save()
            set_relations(initiative, record)
    except IntegrityError:
        raise Refused("That version's title or address is now used by another entry. "
                      "Rename that one first.") from None
    return initiative


def restore_deleted(record, user):
    """Brings back a deleted initiative as it was (the historical `record` of its deletion),
    with its themes, partners and sources, and the evaluations, costs, funders and roles that
    were deleted with it."""
    if not may_publish(user):
        raise Refused("Only publishers can restore a deleted entry.")
    try:
        with transaction.atomic():
            initiative = record.instance
            initiative._history_user = user
            initiative.save()
            # The deletion record is written after the relations are gone: take them from the
            # version before it.
            set_relations(initiative, record.prev_record or record)
            since = record.history_date - timezone.timedelta(minutes=1)
            for model in (Evaluation, Cost, Funder, CommissionerRole):
                for row in model.history.filter(initiative_id=initiative.pk, history_type="-",
                                                history_date__gte=since):
                    if not model.objects.filter(pk=row.id).exists():
                        row.instance.save()
    except IntegrityError:
        raise Refused(f"“{record.title}” could not be restored: another initiative now uses "
                      "its address or title. Rename that one first.") from None
    return initiative


def set_relations(initiative, record):
    initiative.themes.set([row.theme_id for row in record.themes.all()])
    initiative.partners.set([row.partner_id for row in record.partners.all()])
    replace_sources(initiative, [row.source_id for row in record.sources.all()])


def deleted():
    """The deletion record of each deleted initiative (the latest of its history), newest
    first: what restore_deleted() can bring back."""
    history = Initiative.history.model
    latest = history.objects.filter(id=OuterRef("id")).order_by("-history_date", "-history_id")
    return (history.objects.filter(history_type="-")
            .exclude(id__in=Initiative.objects.values("pk"))
            .filter(history_id=Subquery(latest.values("history_id")[:1]))
            .select_related("history_user").order_by("-history_date"))
