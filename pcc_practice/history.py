"""History in words for the admin: each version's changes with field labels, choice labels,
text as a word diff and relations as names added and removed, who and when
(templates/admin/readable_history.html). Every model kept with django-simple-history uses
ReadableHistoryAdmin; an admin that can restore a version names its view in
`restore_url_name` and says who may in `may_restore()`."""

import difflib
import re

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import ManyToManyField, TextField
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

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
    """The names of the objects in an m2m field's recorded rows (diff_against gives the
    objects themselves, a deleted one as a DeletedObject, which says so)."""
    name = field.related_model._meta.model_name
    return {str(row[name]) for row in rows}


def changes(new, old):
    """What changed from the historical record `old` to `new`, in words and in the order of
    the model's fields."""
    meta = new.instance_type._meta
    order = {f.name: n for n, f in enumerate(meta.get_fields())}
    delta = new.diff_against(old, excluded_fields=NOT_SHOWN, foreign_keys_are_objs=True)
    described = []
    for change in sorted(delta.changes, key=lambda c: order.get(c.field, 0)):
        field = meta.get_field(change.field)
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


def records_of(obj):
    return obj.history.select_related("history_user").order_by("-history_date", "-history_id")


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


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    """An admin whose "History" page reads in words, twenty versions a page."""

    restore_url_name = None

    def may_restore(self, request):
        return False

    def revert_disabled(self, request, obj=None):
        return True  # django-simple-history's revert form would restore no relations

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("There is nothing with this number; it may have been deleted.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        records = records_of(obj)
        page = Paginator(records, 20).get_page(request.GET.get("p"))
        older = records[page.end_index():page.end_index() + 1].first()
        context = {
            **self.admin_site.each_context(request), "opts": self.opts,
            "title": f"History of “{obj}”", "object": obj, "page": page,
            "versions": versions(page.object_list, older),
            "may_restore": bool(self.restore_url_name) and self.may_restore(request),
            "restore_url_name": self.restore_url_name,
        }
        return TemplateResponse(request, "admin/readable_history.html", context)
