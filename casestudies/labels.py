"""What an entry's labels need from its evidence, for every way an entry is written (the
admin and its inlines, the spreadsheet import, the seed, the shell through `full_clean`).

A rule that one table can hold is a database constraint (an evaluation's design level belongs
to impact evaluations only: evidence.py; a claim about a row names the row: claims.py). The
rules here span tables:
- a finding that rates an effect (promising, worked, mixed, did not work) needs an impact
  evaluation, or monitored figures quoted from a source (a quoted claim on the outcomes or the
  headline result, where an entry gives its figures); otherwise it is "too early to say" or
  "not known";
- a commissioner's role that is not shown as the office's own claim needs a quote from a source
  that is not the office;
- a claim about a row names a row the entry records.
"""

from .models import (
    EFFECT_FINDINGS,
    EvaluationKind,
    EvidenceFinding,
    Statement,
)

# The claims that carry monitored figures.
FIGURES = [Statement.OUTCOMES, Statement.HEADLINE_RESULT]


def row_key(statement, row):
    """How a claim names `row`, a row of kind `statement`."""
    if statement == Statement.EVALUATION:
        return row.title
    if statement == Statement.COST:
        return f"{row.amount} {row.year} {row.kind}"
    if statement == Statement.FUNDER:
        return row.partner.slug if row.partner_id else ""
    return row.role


def finding_problem(finding, evaluations, claims):
    """Why `finding` says more than the evaluations and quoted claims support (None if not)."""
    if finding not in EFFECT_FINDINGS:
        return None
    if any(evaluation.kind == EvaluationKind.IMPACT for evaluation in evaluations):
        return None
    if any(claim.statement in FIGURES for claim in claims):
        return None
    label = EvidenceFinding(finding).label
    return (f"“{label}” rates an effect, which needs an impact evaluation (one that measured "
            f"outcomes) or monitored figures quoted from a source (a quoted claim on the "
            f"outcomes or the headline result). Otherwise the finding is "
            f"“{EvidenceFinding.TOO_EARLY.label}” or “{EvidenceFinding.NOT_KNOWN.label}”.")


def role_problems(roles, claims):
    """Why each role not shown as the office's claim lacks a quote from another source."""
    backed = {claim.row for claim in claims
              if claim.statement == Statement.COMMISSIONER_ROLE and not claim.said_by_office}
    return [f"“{role.get_role_display()}”: a role of the commissioner needs a quote from a "
            f"source that is not the commissioner's office. Add one under “Quoted claims”, or "
            f"tick “only the commissioner's office says so” on the role."
            for role in roles if not role.claimed_by_office and role.role not in backed]


def row_problems(claims, rows):
    """Why each claim about a row names no row the entry records. `rows` holds the rows of
    each kind: {statement: [rows]}."""
    keys = {statement: {row_key(statement, row) for row in found}
            for statement, found in rows.items()}
    return [f"The quoted claim about {Statement(claim.statement).label.lower()} “{claim.row}” "
            f"names none that this entry records."
            for claim in claims
            if claim.statement in keys and claim.row not in keys[claim.statement]]


def problems(initiative, **rows):
    """{field or None: [messages]} of everything in `initiative` that breaks the rules above.
    Rows not given (evaluations, costs, funders, commissioner_roles, claims) are read from the
    database."""
    def read(name):
        if name in rows:
            return rows[name]
        return list(getattr(initiative, name).all()) if initiative.pk else []

    claims = read("claims")
    found = {}
    finding = finding_problem(initiative.evidence_finding, read("evaluations"), claims)
    if finding:
        found["evidence_finding"] = [finding]
    roles = role_problems(read("commissioner_roles"), claims)
    named = row_problems(claims, {
        Statement.EVALUATION: read("evaluations"), Statement.COST: read("costs"),
        Statement.FUNDER: read("funders"), Statement.COMMISSIONER_ROLE:
            read("commissioner_roles")})
    if roles or named:
        found[None] = roles + named
    return found
