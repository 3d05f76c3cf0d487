"""What an entry documents (its EMMIE profile), and how close it is to ripe for replication.

Ripe is worked out from the entry's data, never set by hand: the replication checklist is
complete and each of its items quoted from a source (a claim, casestudies/models/claims.py),
the practice has been evaluated (locally or independently) with a finding of "promising" or
"worked", its cost band is known, it names a contact, and someone has verified
it within the review interval. An entry whose verification lapses stops being ripe by itself.

Every rule here is one database condition. What does not depend on today is worked out by
them when an entry or what it records changes, and stored on the entry (`rules()`,
casestudies/profile.py): each checklist item but the verification, what the entry documents,
its strongest evaluation design, how many other areas have practice of its approach, and
"ripe until", the day its verification lapses when every other item is met. What depends on
today is compared with stored dates on the querysets that lists and case studies read
(`annotations()`), so no nightly job is needed and every page uses the same rule.
"""

from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    CHECKLIST_FIELDS,
    REVIEW_INTERVAL_DAYS,
    Claim,
    Cost,
    CostBand,
    Evaluation,
    EvidenceFinding,
    EvidenceStage,
    State,
)
from .models.initiatives import verified_since

EVALUATED = [EvidenceStage.EVALUATED, EvidenceStage.INDEPENDENT]
FOUND = [EvidenceFinding.PROMISING, EvidenceFinding.WORKED]


def has(model):
    return Exists(model.objects.filter(initiative=OuterRef("pk")))


@dataclass(frozen=True)
class Item:
    """One item of the readiness checklist. Its `test` is the rule, written once as data:
    the database condition comes from it, and the admin's form checks it as an editor types
    (static/js/admin-checklist.js reads it from a JSON block). A test is one of:
    {"filled": [fields], "all": bool, "quoted": bool (each field needs a quoted claim too)},
    {"field", "in": [values]}, {"field", "not": value} or {"field", "within_days": days}."""

    name: str
    met: str
    missing: str
    test: dict

    @property
    def condition(self):
        test = self.test
        if "filled" in test:
            filled = [~Q(**{name: ""}) for name in test["filled"]]
            if test.get("quoted"):
                filled += [Q(Exists(Claim.objects.filter(initiative=OuterRef("pk"),
                                                         statement=name)))
                           for name in test["filled"]]
            return reduce(and_ if test["all"] else or_, filled)
        field = test["field"]
        if "in" in test:
            return Q(**{f"{field}__in": test["in"]})
        if "not" in test:
            return ~Q(**{field: test["not"]})
        return Q(**{f"{field}__gte": verified_since(test["within_days"])})


CHECKLIST = [
    Item("ready_checklist", "replication checklist complete and quoted",
         "replication checklist not complete",
         {"filled": CHECKLIST_FIELDS, "all": True, "quoted": True}),
    Item("ready_evaluated", "evaluated", "not yet evaluated",
         {"field": "evidence_stage", "in": EVALUATED}),
    Item("ready_found", "found promising or worked", "not found promising or working",
         {"field": "evidence_finding", "in": FOUND}),
    Item("ready_cost", "cost band known", "no cost band",
         {"field": "cost_band", "not": CostBand.NOT_KNOWN}),
    Item("ready_contact", "a contact route", "no published contact route",
         {"filled": ["contact_email", "contact_url"], "all": False}),
    Item("ready_verified", "verified within the last year", "not verified within the last year",
         {"field": "last_verified", "within_days": REVIEW_INTERVAL_DAYS}),
]


# Said of a complete checklist whose items are not all quoted from a source.
NOT_QUOTED = "replication checklist not every item quoted from a source"


def checklist_items():
    """(annotation name, said when met, said when missing, condition), in order."""
    return [(item.name, item.met, item.missing, item.condition) for item in CHECKLIST]


# (annotation name, EMMIE heading): which headings an entry documents, in order.
EMMIE_HEADINGS = [
    ("emmie_effect", "effect"),
    ("emmie_mechanism", "mechanism"),
    ("emmie_moderators", "where and for whom (moderators)"),
    ("emmie_implementation", "implementation"),
    ("emmie_cost", "economic cost"),
]


def emmie_items():
    """(annotation name, EMMIE heading, condition), in the order of EMMIE_HEADINGS."""
    conditions = [
        ~Q(outcomes="") | Q(has(Evaluation)),
        ~Q(mechanism=""),
        ~Q(context=""),
        ~Q(replication_preconditions="") | ~Q(replication_lessons="") | ~Q(harms=""),
        ~Q(cost_band=CostBand.NOT_KNOWN) | Q(has(Cost)),
    ]
    return [(name, heading, condition)
            for (name, heading), condition in zip(EMMIE_HEADINGS, conditions, strict=True)]


def checklist_rule():
    """The checklist as the admin's form tests it while an editor types: for each item,
    what is said when it is met and missing, and its test."""
    return [{"met": item.met, "missing": item.missing, "test": item.test} for item in CHECKLIST]


def rules():
    """Each value stored on an entry (Initiative.DERIVED but ripe_until) as the database
    worked it out by the rules above: {field: expression}. Stored when the entry or what it
    records changes (casestudies/profile.py), so that no page works them out per row."""
    from .models import Initiative

    best_design = (Evaluation.objects.filter(initiative=OuterRef("pk"), design__isnull=False)
                   .order_by("-design").values("design")[:1])
    return {
        **{item.name: flag(item.condition) for item in CHECKLIST if item.name in STORED},
        **{name: flag(condition) for name, _, condition in emmie_items()},
        "best_design": Subquery(best_design),
        "elsewhere": Coalesce(Subquery(elsewhere(Initiative)), 0),
    }


def elsewhere(model):
    """How many other areas have published practice of the approach of the row outside."""
    return (model.objects.filter(state=State.PUBLISHED, approach=OuterRef("approach"))
            .exclude(area=OuterRef("area")).order_by().values("approach")
            .annotate(n=Count("area", distinct=True)).values("n"))


# The checklist's items stored on the entry; the last, verified within the review interval,
# depends on today and is compared with the stored date of last verification.
STORED = [item.name for item in CHECKLIST if item.name != "ready_verified"]


def ripe_condition():
    """Ripe today: every other item was met when last stored (ripe_until is set), and the
    verification has not lapsed since."""
    return Q(ripe_until__gte=timezone.localdate())


def flag(condition):
    return ExpressionWrapper(condition, output_field=BooleanField())


EMMIE = [name for name, _ in EMMIE_HEADINGS]


def annotations(*names):
    """What depends on today, worked out from stored values: `ready_verified`, `readiness`
    (how many checklist items are met) and `ripe` (all of them); only `names` when given."""
    verified = next(item for item in CHECKLIST if item.name == "ready_verified").condition
    met = [Case(When(**{name: True}, then=Value(1)), default=Value(0),
                output_field=IntegerField()) for name in STORED]
    met.append(Case(When(verified, then=Value(1)), default=Value(0), output_field=IntegerField()))
    every = {"ready_verified": flag(verified), "readiness": sum(met[1:], met[0]),
             "ripe": flag(ripe_condition())}
    return {name: every[name] for name in names} if names else every


def value(entry, name):
    return entry[name] if isinstance(entry, dict) else getattr(entry, name)


def checklist(entry):
    """The checklist of an annotated initiative (or row): {"items": [{"label", "met"}],
    "met": how many, "total", "missing": [labels]}, in words such as "4 of 6 met: no cost
    band, not verified since 2016"."""
    items = []
    for item in CHECKLIST:
        name, met, missing = item.name, item.met, item.missing
        ok = bool(value(entry, name))
        if not ok and name == "ready_checklist" and all(
                (entry.get(field) if isinstance(entry, dict) else getattr(entry, field, ""))
                for field in CHECKLIST_FIELDS):
            missing = NOT_QUOTED
        if not ok and name == "ready_verified":
            verified = value(entry, "last_verified")
            missing = f"not verified since {verified.year}" if verified else "never verified"
        items.append({"label": met if ok else missing, "met": ok})
    return {"items": items, "met": sum(item["met"] for item in items), "total": len(items),
            "missing": [item["label"] for item in items if not item["met"]]}


def emmie(entry):
    """{"documented": [...headings], "missing": [...]} of an annotated initiative or row."""
    profile = {"documented": [], "missing": []}
    for name, heading in EMMIE_HEADINGS:
        profile["documented" if value(entry, name) else "missing"].append(heading)
    return profile


def stage_problem(stage, evaluations):
    """Why the evidence stage does not fit the evaluations recorded (None when it does)."""
    if stage == EvidenceStage.INDEPENDENT and not any(e.independent for e in evaluations):
        return ("“Independently evaluated” needs an evaluation by someone independent of the "
                "delivering partners: add it under Evaluations, or choose another stage.")
    if stage == EvidenceStage.EVALUATED and not evaluations:
        return ("“Evaluated locally” needs at least one evaluation: add it under "
                "Evaluations, or choose another stage.")
    return None
