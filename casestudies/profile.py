"""What an entry's cards, lists and filters show about it, stored on the entry whenever the
entry or what it records changes (the rules are readiness.py's): no page works them out per
row. A change of an entry's state, area or approach also counts again, for each initiative of
that approach, how many other areas have published practice of it.

Its themes' slugs and its partners' types are kept on its row too, so that the list counts
them for every matching entry from the one read of the results' row (facets.py).

A published entry's words are kept too, for correcting a search that finds nothing.

`rebuild` (and `manage.py rebuild_profiles`, and every migrate) works them all out again.
Within `deferred()` (loading fixtures, the seed command) each changed entry is worked out once,
at the end, rather than once for every row saved about it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver
from django.utils import timezone

from themes.models import Theme

from .models import (
    REVIEW_INTERVAL_DAYS,
    Approach,
    Area,
    Claim,
    CommissionerRole,
    Cost,
    Evaluation,
    Funder,
    Initiative,
    Partner,
)
from .models.initiatives import DERIVED
from .readiness import STORED, rules
from .search import rebuild_words, remember_words

BATCH = 500

# The initiatives changed within `deferred()`, and the approaches whose counts may have moved.
_pending = ContextVar("pending", default=None)


def worked_out(queryset):
    """{pk: {field: value}} of each initiative of `queryset`, by the rules."""
    computed = queryset.order_by().annotate(
        **{f"rule_{name}": rule for name, rule in rules().items()})
    found = {}
    for row in computed.values("pk", "last_verified", *(f"rule_{name}" for name in rules())):
        values = {name: row[f"rule_{name}"] for name in rules()}
        values = {name: bool(value) if name in STORED or name.startswith("emmie") else value
                  for name, value in values.items()}
        ready = all(values[name] for name in STORED) and row["last_verified"]
        values["ripe_until"] = (row["last_verified"]
                                + timezone.timedelta(days=REVIEW_INTERVAL_DAYS)
                                if ready else None)
        found[row["pk"]] = values
    for pk, terms in search_terms(queryset).items():
        found[pk]["search_terms"] = terms
    for pk, values in listed_under(queryset).items():
        found[pk].update(values)
    return found


def listed_under(queryset):
    """{pk: {"theme_slugs": ..., "partner_types": ...}} of each initiative of `queryset`: its
    themes' slugs and its partners' types, each once, sorted and space-separated."""
    found = {pk: {"theme_slugs": set(), "partner_types": set()}
             for pk in queryset.order_by().values_list("pk", flat=True)}
    ids = queryset.values("pk")
    for name, relation, column in [("theme_slugs", Initiative.themes.through, "theme__slug"),
                                   ("partner_types", Initiative.partners.through,
                                    "partner__partner_type")]:
        for pk, value in relation.objects.filter(initiative__in=ids).values_list(
                "initiative_id", column):
            found[pk][name].add(value)
    return {pk: {name: " ".join(sorted(values)) for name, values in lists.items()}
            for pk, lists in found.items()}


def search_terms(queryset):
    """{pk: words} of each initiative of `queryset`: its area's name and the name of every
    approach it belongs to (main and also included), which a search weighs as its title."""
    words = {pk: [area, approach or ""] for pk, area, approach in
             queryset.order_by().values_list("pk", "area__name", "approach__name")}
    also = Initiative.also_approaches.through.objects.filter(initiative__in=queryset.values("pk"))
    for pk, name in also.values_list("initiative_id", "approach__name"):
        words[pk].append(name)
    return {pk: " ".join(word for word in found if word) for pk, found in words.items()}


def refresh(queryset):
    """Stores the values of each initiative of `queryset`; gives how many."""
    rows = [Initiative(pk=pk, **values) for pk, values in worked_out(queryset).items()]
    Initiative.objects.bulk_update(rows, DERIVED, batch_size=BATCH)
    return len(rows)


def changed(pks):
    """Stores the values of these initiatives, now or at the end of `deferred()`."""
    pending = _pending.get()
    if pending is not None:
        pending["initiatives"].update(pks)
    else:
        refresh(Initiative.objects.filter(pk__in=pks))


@contextmanager
def deferred():
    """Works out each initiative changed within it once, when it ends, in one transaction with
    the changes: the seed's 2,300 rows would otherwise work out an entry again for each of its
    claims, costs and evaluations (50 of the seed command's 72 seconds)."""
    if _pending.get() is not None:  # already deferred by an outer block
        yield
        return
    pending = {"initiatives": set(), "approaches": set()}
    token = _pending.set(pending)
    try:
        with transaction.atomic():
            yield
            _pending.reset(token)
            token = None
            ids = sorted(pending["initiatives"])
            for start in range(0, len(ids), BATCH):
                refresh(Initiative.objects.filter(pk__in=ids[start:start + BATCH]))
            count_again(pending["approaches"])
    finally:
        if token is not None:
            _pending.reset(token)


def count_again(approach_ids):
    """Counts again the other areas of every initiative of these approaches (at the end of
    `deferred()` within it)."""
    approach_ids = {pk for pk in approach_ids if pk is not None}
    pending = _pending.get()
    if pending is not None:
        pending["approaches"].update(approach_ids)
    elif approach_ids:
        Initiative.objects.filter(approach_id__in=approach_ids).update(
            elsewhere=rules()["elsewhere"].copy())


def rebuild():
    """Works out and stores every initiative's values, and the words searches are corrected
    to; gives how many initiatives."""
    ids = list(Initiative.objects.order_by("pk").values_list("pk", flat=True))
    rebuild_words(Initiative.objects.published())
    return sum(refresh(Initiative.objects.filter(pk__in=ids[start:start + BATCH]))
               for start in range(0, len(ids), BATCH))


@receiver(post_save, sender=Initiative, dispatch_uid="profile-initiative-saved")
def initiative_saved(sender, instance, **kwargs):
    changed([instance.pk])
    if instance.is_published:
        remember_words(instance)
    count_again({instance.approach_id, getattr(instance, "loaded_approach_id", None)})
    instance.loaded_approach_id = instance.approach_id


@receiver(post_delete, sender=Initiative, dispatch_uid="profile-initiative-deleted")
def initiative_deleted(sender, instance, **kwargs):
    count_again({instance.approach_id})


def recorded_changed(sender, instance, **kwargs):
    changed([instance.initiative_id])


for model in (Evaluation, Cost, Funder, CommissionerRole, Claim):
    for signal in (post_save, post_delete):
        signal.connect(recorded_changed, sender=model,
                       dispatch_uid=f"profile-{model._meta.model_name}-{signal}")


# The links from initiatives to what else they store: a change of one from either side, or
# the deletion of its far end, reworks the initiatives linked.
LINKS = {Approach: Initiative.also_approaches.through, Theme: Initiative.themes.through,
         Partner: Initiative.partners.through}


def linked(through, instance):
    """The ids of the initiatives that `instance` (the far end of `through`) is linked to."""
    rows = through.objects.filter(**{type(instance)._meta.model_name: instance})
    return list(rows.values_list("initiative_id", flat=True))


@receiver(m2m_changed, sender=LINKS[Approach], dispatch_uid="profile-also")
@receiver(m2m_changed, sender=LINKS[Theme], dispatch_uid="profile-themes")
@receiver(m2m_changed, sender=LINKS[Partner], dispatch_uid="profile-partners")
def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """An initiative's approaches, themes or partners changed, from either side."""
    if action == "pre_clear" and reverse:  # by post_clear the links are gone
        instance.linked_initiatives = linked(sender, instance)
    elif action.startswith("post_"):
        changed([instance.pk] if not reverse else pk_set if pk_set is not None
                else instance.linked_initiatives)


@receiver(pre_delete, sender=Approach, dispatch_uid="profile-approach-deleting")
@receiver(pre_delete, sender=Theme, dispatch_uid="profile-theme-deleting")
@receiver(pre_delete, sender=Partner, dispatch_uid="profile-partner-deleting")
def linked_before_deletion(sender, instance, **kwargs):
    """The deletion takes the links with it and sends no m2m_changed: read them first."""
    instance.linked_initiatives = linked(LINKS[sender], instance)


@receiver(post_delete, sender=Approach, dispatch_uid="profile-approach-deleted")
@receiver(post_delete, sender=Theme, dispatch_uid="profile-theme-deleted")
@receiver(post_delete, sender=Partner, dispatch_uid="profile-partner-deleted")
def no_longer_linked(sender, instance, **kwargs):
    changed(getattr(instance, "linked_initiatives", []))


# What a theme or a partner puts on each of its initiatives' rows.
LISTED_AS = {Theme: "slug", Partner: "partner_type"}


@receiver(pre_save, sender=Theme, dispatch_uid="profile-theme-saving")
@receiver(pre_save, sender=Partner, dispatch_uid="profile-partner-saving")
def listed_as_before(sender, instance, **kwargs):
    instance.listed_as = (sender.objects.filter(pk=instance.pk)
                          .values_list(LISTED_AS[sender], flat=True).first())


@receiver(post_save, sender=Theme, dispatch_uid="profile-theme-saved")
@receiver(post_save, sender=Partner, dispatch_uid="profile-partner-saved")
def listed_by_them(sender, instance, created, **kwargs):
    """A theme's slug and a partner's type are stored on their initiatives: a new one is
    worked out again on each (not a new summary or name, which a theme with thousands of
    initiatives would make slow to save)."""
    if not created and instance.listed_as != getattr(instance, LISTED_AS[sender]):
        changed(linked(LINKS[sender], instance))


@receiver(post_save, sender=Area, dispatch_uid="profile-area-renamed")
@receiver(post_save, sender=Approach, dispatch_uid="profile-approach-renamed")
def named_by_them(sender, instance, created, **kwargs):
    """An area's or approach's name is part of its initiatives' search terms."""
    if not created:
        related = ({"area": instance} if sender is Area
                   else {"pk__in": Initiative.objects.of_approach([instance]).values("pk")})
        changed(Initiative.objects.filter(**related).values_list("pk", flat=True))
