"""Full-text search of initiatives: ranked PostgreSQL search, with a portable fallback.

On PostgreSQL the search is weighted (title, then summary, then the rest of the text), uses
English stemming and web-search syntax ("quoted phrases", -word), and reads the stored
`search_document` column of migration 0010 (kept up to date by a trigger, with a GIN index), so
that ranking does not recompute the vectors. Elsewhere every word must appear,
case-insensitively, in the same fields; "phrases" and -word work there too.
"""

import re

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When

CONFIG = "english"
TERM = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')
EXCERPT_LENGTH = 220


def parse(text):
    """Splits a query into (wanted, unwanted) lists of words and phrases."""
    wanted, unwanted = [], []
    for minus_phrase, phrase, minus_word, word in TERM.findall(text):
        term = (phrase or word).strip()
        if not term or term == "-":
            continue
        (unwanted if (minus_phrase or minus_word) else wanted).append(term)
    return wanted, unwanted


def uses_postgres():
    return connection.vendor == "postgresql"


def stored_document(model):
    """The stored search vector of `model`'s rows, as a column (renamed with its table in
    subqueries). It is not a model field, because SQLite has no tsvector type."""
    from django.contrib.postgres.search import SearchVectorField
    from django.db.models.expressions import Col

    field = SearchVectorField()
    field.set_attributes_from_name("search_document")
    field.model = model
    return Col(model._meta.db_table, field)


def search(queryset, text):
    """Filters `queryset` to initiatives matching `text`, annotated with a `rank`."""
    if uses_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        return queryset.annotate(search=stored_document(queryset.model)).filter(
            search=query
        ).annotate(rank=SearchRank(F("search"), query))
    wanted, unwanted = parse(text)
    fields = ("title", "summary", "headline_result", "description", "outcomes", "mechanism",
              "context", "harms", "pcc_role_note", "cost_note")
    for term in wanted:
        queryset = queryset.filter(_any_field(fields, term))
    for term in unwanted:
        queryset = queryset.exclude(_any_field(fields, term))
    # A rough rank: a term in the title counts most, then the summary.
    weights = [
        Case(When(title__icontains=term, then=Value(4)),
             When(summary__icontains=term, then=Value(2)),
             default=Value(1), output_field=IntegerField())
        for term in wanted
    ] or [Value(0, output_field=IntegerField())]
    rank = weights[0]
    for weight in weights[1:]:
        rank = rank + weight
    return queryset.annotate(rank=rank)


def _any_field(fields, term):
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": term})
    return condition


def excerpt(text, query):
    """A short extract of `text` around the first match, for templates/includes/excerpt.html:
    {"before": text was cut before, "parts": [(text, is a match), ...], "after": cut after},
    or None when nothing matches."""
    wanted, _ = parse(query)
    # Match the start of each word, so that "triage" also marks "triaged".
    words = sorted({w for term in wanted for w in term.split() if len(w) > 1}, key=len,
                   reverse=True)
    if not words:
        return None
    pattern = re.compile(r"\b(" + "|".join(re.escape(w[:max(4, len(w) - 2)]) for w in words)
                         + r")\w*", re.IGNORECASE)
    match = pattern.search(text)
    if not match:
        return None
    start = max(0, match.start() - EXCERPT_LENGTH // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + EXCERPT_LENGTH)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    piece = text[start:end]
    parts, last = [], 0
    for m in pattern.finditer(piece):
        parts += [(piece[last:m.start()], False), (m.group(0), True)]
        last = m.end()
    parts.append((piece[last:], False))
    return {"before": bool(start), "parts": parts, "after": end < len(text)}
