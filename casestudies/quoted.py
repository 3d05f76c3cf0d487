"""An entry's quoted claims as its pages show them: numbered in the order of the case study
(the order of Statement), found by the statement they support, and for a row by the row."""

from .labels import row_key
from .models import CHECKLIST_FIELDS, Statement

ORDER = {value: index for index, value in enumerate(Statement.values)}
ROWS = {Statement.EVALUATION: "evaluations", Statement.COST: "costs",
        Statement.FUNDER: "funders", Statement.COMMISSIONER_ROLE: "commissioner_roles"}


class Notes:
    """The numbered claims of one entry, one number for each quote of a source however many
    statements it supports (iterating gives each once). `notes.by_statement[name]` holds the
    claims about the field `name` (templates read `notes.by_statement.summary`); `quote_rows`
    gives each row of a kind its own claims, as `row.quoted`."""

    def __init__(self, claims):
        self.by_statement, self.by_row = {}, {}
        self.claims, numbers = [], {}
        for claim in sorted(claims, key=lambda claim: (ORDER.get(claim.statement, 0),
                                                       claim.row, claim.pk or 0)):
            # The same words of the same source behind several statements are one note.
            key = (claim.source_id, claim.quote)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                self.claims.append(claim)
            claim.number = numbers[key]
            if claim.row:
                self.by_row.setdefault((claim.statement, claim.row), []).append(claim)
            else:
                self.by_statement.setdefault(claim.statement, []).append(claim)

    def __iter__(self):
        return iter(self.claims)

    def __len__(self):
        return len(self.claims)

    def quote_rows(self, statement, rows):
        """`rows`, each with `quoted`: the claims about it."""
        rows = list(rows)
        for row in rows:
            row.quoted = self.by_row.get((statement, row_key(statement, row)), [])
        return rows


def notes(initiative):
    """The Notes of `initiative`, with the rows it records given their claims (from prefetched
    relations where the caller prefetched them: `claims__source` and the rows)."""
    found = Notes(initiative.claims.all())
    for statement, name in ROWS.items():
        found.quote_rows(statement, getattr(initiative, name).all())
    return found


# The statements of an entry that need a quoted claim when the entry says them: each figure
# of the headline result and the outcomes, the status and its year, the lead organisation and
# each item of the replication checklist; and each row (evaluations, costs, funders and the
# commissioner's roles).
MATERIAL = [Statement.LEAD_ORGANISATION, Statement.STATUS, Statement.OUTCOMES,
            Statement.HEADLINE_RESULT, *CHECKLIST_FIELDS]


def unquoted(initiative):
    """What `initiative` says that no quoted claim supports: field names, and rows as
    "statement: row"."""
    claims = list(initiative.claims.all())
    fields = {claim.statement for claim in claims if not claim.row}
    rows = {(claim.statement, claim.row) for claim in claims if claim.row}
    missing = [name for name in MATERIAL
               if name not in fields and str(getattr(initiative, name) or "").strip()]
    for statement, name in ROWS.items():
        for row in getattr(initiative, name).all():
            if (statement, row_key(statement, row)) not in rows:
                missing.append(f"{statement}: {row_key(statement, row)}")
    return missing
