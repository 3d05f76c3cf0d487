"""An initiative's history in words: each version's changes with field labels, choice labels,
text as a word diff and relations as names added and removed (templates/admin/casestudies/
initiative/history.html shows them); and restoring an old version."""

import difflib
import re

from django.db import transaction
from django.db.models import ManyToManyField, TextField
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from ..models import Initiative

# Fields whose changes say nothing an editor needs (they change on every save).
NOT_SHOWN = {"updated", "created"}
# Words of unchanged text kept on each side of a change.
CONTEXT_WORDS = 8
WORD = re.compile(r"\S+\s*|\s+")


def words(text):
    return WORD.findall(text or "")


def word_diff(old, new):
    """[(kind, text)] with kind "same", "removed" or "added"; long unchanged runs are cut to a
    few words either side, with "…" between."""
    before, after = words(old), words(new)
    parts = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            run = before[i1:i2]
            if len(run) > 2 * CONTEXT_WORDS + 1:
                head = run[:CONTEXT_WORDS] if parts else []
                tail = run[-CONTEXT_WORDS:] if i2 < len(before) or j2 < len(after) else []
                parts.append(("same", "".join(head)))
                parts.append(("cut", "… "))
                parts.append(("same", "".join(tail)))
            else:
                parts.append(("same", "".join(run)))
            continue
        if i2 > i1:
            parts.append(("removed", "".join(before[i1:i2])))
        if j2 > j1:
            parts.append(("added", "".join(after[j1:j2])))
    return [(kind, text) for kind, text in parts if text]


def shown(field, value):
    """A value as an editor reads it: a choice's label, a name, a date in words."""
    if value is None or value == "":
        return "(empty)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "strftime"):
        return date_format(value, "j F Y")
    return str(value)


def related_names(field, rows):
    """The names of the objects in an m2m field's recorded rows."""
    model = field.related_model
    name = model._meta.model_name
    ids = [row[name].pk if hasattr(row[name], "pk") else row[name] for row in rows]
    found = {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}
    return {found.get(pk, f"(deleted, number {pk})") for pk in ids}


def changes(new, old):
    """What changed from the historical record `old` to `new`, in words and in the order of
    the form's fields."""
    order = {f.name: n for n, f in enumerate(Initiative._meta.get_fields())}
    delta = new.diff_against(old, excluded_fields=NOT_SHOWN, foreign_keys_are_objs=True)
    described = []
    for change in sorted(delta.changes, key=lambda c: order.get(c.field, 0)):
        field = Initiative._meta.get_field(change.field)
        item = {"label": capfirst(field.verbose_name)}
        if isinstance(field, ManyToManyField):
            before = related_names(field, change.old or [])
            after = related_names(field, change.new or [])
            item.update(kind="relation", added=sorted(after - before),
                        removed=sorted(before - after))
            if not (item["added"] or item["removed"]):
                continue
        elif isinstance(field, TextField) and change.old and change.new:
            item.update(kind="text", words=word_diff(change.old, change.new))
        else:
            item.update(kind="value", old=shown(field, change.old), new=shown(field, change.new))
        described.append(item)
    return described


def records_of(initiative):
    return (initiative.history.select_related("history_user")
            .order_by("-history_date", "-history_id"))


def versions(records, older=None):
    """Historical records (newest first) described: who, when, what kind of change, and what
    changed from the version before (`older` is the one before the last, if any)."""
    records = list(records)
    listed = []
    for record, previous in zip(records, [*records[1:], older], strict=True):
        listed.append({
            "record": record,
            "who": record.history_user or "an unknown user (a script or the seed data)",
            "kind": {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type],
            "changes": changes(record, previous) if previous is not None else [],
        })
    return listed


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
