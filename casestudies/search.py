"""Full-text search of initiatives: ranked PostgreSQL search, with a word-by-word fallback.

A query is split into terms: words, "quoted phrases" and -left-out terms. Each term matches
as words, never inside a longer word, and the field's own abbreviations match both ways
(SYNONYMS: s136 and section 136, RCRP and Right Care, Right Person, ...), as do "control
room" and "control-room".

On PostgreSQL each term is a phrase query with English stemming against the stored
`search_document` column of migration 0010 (kept up to date by a trigger, with a GIN index),
ranked by weight (title, then summary, then the rest). On SQLite each term is a phrase query
on an FTS5 index of the same fields with Porter stemming (SQLITE_INDEX, kept up to date by
triggers), ranked by bm25 with the same weights.
"""

import difflib
import re

from django.db import connection, transaction
from django.db.models import F, FloatField, IntegerField, Value
from django.db.models.expressions import RawSQL

from .fields import INITIATIVE

CONFIG = "english"
TERM = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')
TOKEN = re.compile(r"[a-z0-9&]+")
EXCERPT_LENGTH = 220
# The searched fields and their weights, as declared (casestudies/fields.py); on PostgreSQL the
# stored document's trigger (migrations 0010 and 0019) must cover the same (a test checks).
WEIGHTS = dict(INITIATIVE.searched())
FIELDS = tuple(WEIGHTS)

# Ways of writing the same thing in this field's texts, each matched wherever any is typed.
SYNONYMS = [
    ("section 136", "s136", "s.136", "s 136"),
    ("section 135", "s135", "s.135", "s 135"),
    ("right care, right person", "rcrp"),
    ("liaison and diversion", "l&d", "l and d", "liaison & diversion"),
    ("police and crime commissioner", "pcc", "opcc", "pfcc", "police, fire and crime "
     "commissioner"),
    ("a&e", "accident and emergency", "emergency department"),
    ("mental health act", "mha"),
    ("clinical commissioning group", "ccg"),
    ("integrated care board", "icb"),
    ("health-based place of safety", "hbpos", "place of safety"),
    ("high intensity", "frequent", "repeat", "repeatedly"),
    ("withdrawn", "stopped", "decommissioned", "discontinued", "ended", "scrapped"),
]


def tokens(text):
    """The words of `text` as search compares them: lower case, without punctuation, with
    hyphens as spaces ("control-room" is "control room")."""
    return tuple(TOKEN.findall(text.lower().replace(".", " ")))


SYNONYM_OF = {tokens(variant): group for group in SYNONYMS for variant in group}
LONGEST = max(len(key) for key in SYNONYM_OF)


def parse(text):
    """Splits a query into (wanted, unwanted) lists of terms; each term is a list of the
    ways of writing it (one, unless it has synonyms)."""
    wanted, unwanted, words = [], [], []

    def flush():
        # Unquoted words, with runs that spell a synonym (longest first) taken together.
        index = 0
        while index < len(words):
            for size in range(min(LONGEST, len(words) - index), 0, -1):
                run = tuple(t for word in words[index:index + size] for t in tokens(word))
                if run in SYNONYM_OF:
                    wanted.append(list(SYNONYM_OF[run]))
                    index += size
                    break
            else:
                if tokens(words[index]):
                    wanted.append([words[index]])
                index += 1
        words.clear()

    for minus_phrase, phrase, minus_word, word in TERM.findall(text):
        term = (phrase or word).strip()
        if not tokens(term):
            continue
        if minus_phrase or minus_word:
            unwanted.append(list(SYNONYM_OF.get(tokens(term), [term])))
        elif phrase:
            flush()
            wanted.append(list(SYNONYM_OF.get(tokens(term), [term])))
        else:
            words.append(term)
    flush()
    wanted, unwanted = distinct(wanted), distinct(unwanted)
    if len(wanted) + len(unwanted) > MAX_TERMS:
        raise TooManyTerms(f"Search for at most {MAX_TERMS} different words or phrases at a "
                           f"time; this search has {len(wanted) + len(unwanted)}.")
    return wanted, unwanted


# Each term is a condition over every searched field: a search of more terms costs more
# than it can find (80 made SQLite's parser give up), so it is refused in words.
MAX_TERMS = 12


class TooManyTerms(ValueError):
    pass


def distinct(terms):
    """`terms` without repeats: searching for a word twice finds what searching once does."""
    return list({tuple(term): term for term in terms}.values())


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


def pattern(variant):
    """A regular expression for one way of writing a term: its words in order, each whole
    (with a common ending allowed), separated by spaces or hyphens."""
    parts = []
    for token in tokens(variant):
        if len(token) > 4 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        parts.append(re.escape(token) + r"(?:s|es|ed|d|ing)?")
    return r"\b" + r"[\s,.\-]+".join(parts) + r"\b"


def term_query(term, leave_out=False):
    """PostgreSQL: any of a term's ways of writing, each as a phrase; with `leave_out`, none
    of them (written as "not a and not b", as a combined query cannot be negated)."""
    from django.contrib.postgres.search import SearchQuery

    queries = [SearchQuery(" ".join(tokens(variant)), config=CONFIG, search_type="phrase",
                           invert=leave_out)
               for variant in term]
    query = queries[0]
    for other in queries[1:]:
        query = query & other if leave_out else query | other
    return query


def search(queryset, text):
    """Filters `queryset` to initiatives matching `text`, annotated with a `rank`."""
    wanted, unwanted = parse(text)
    if not wanted and not unwanted:  # only punctuation: as if there were no search
        return queryset.annotate(rank=Value(0, output_field=IntegerField()))
    if uses_postgres():
        from django.contrib.postgres.search import SearchRank

        query = None
        for term in wanted:
            query = term_query(term) if query is None else query & term_query(term)
        for term in unwanted:
            left_out = term_query(term, leave_out=True)
            query = left_out if query is None else query & left_out
        return queryset.annotate(search=stored_document(queryset.model)).filter(
            search=query
        ).annotate(rank=SearchRank(F("search"), query))
    if not wanted:  # only left-out terms: everything but what they match
        return (queryset.exclude(pk__in=fts_match(fts_query(unwanted, any_of=True)))
                .annotate(rank=Value(0, output_field=IntegerField())))
    expression = fts_query(wanted)
    if unwanted:
        expression = f"{expression} NOT ({fts_query(unwanted, any_of=True)})"
    matching = fts_match(expression)
    # bm25 is lower for a better match; its weights follow the columns' order.
    weights = ", ".join(str(FTS_WEIGHT[weight]) for weight in WEIGHTS.values())
    table = queryset.model._meta.db_table
    # Names and weights are the code's own; the reader's words are a parameter.
    rank = RawSQL(f"SELECT -bm25({FTS}, {weights}) FROM {FTS} "  # noqa: S608, S611
                  f"WHERE {FTS} MATCH %s AND {FTS}.rowid = {table}.id", matching.params,
                  output_field=FloatField())
    return queryset.filter(pk__in=matching).annotate(rank=rank)


FTS = "casestudies_initiative_fts"
FTS_WEIGHT = {"A": 10.0, "B": 4.0, "C": 1.0}


def fts_match(expression):
    return RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [expression])  # noqa: S608, S611


def fts_phrase(variant):
    return '"' + " ".join(token for token in tokens(variant)) + '"'


def fts_query(terms, any_of=False):
    """An FTS5 query: each term any of its ways of writing as a phrase; every term needed,
    or with `any_of` any one of them."""
    groups = ["(" + " OR ".join(fts_phrase(variant) for variant in term) + ")" for term in terms]
    return (" OR " if any_of else " AND ").join(groups)


def sqlite_index_statements():
    """The FTS5 index of the searched fields and the triggers that keep it up to date. Run
    after every migrate (apps.py), as SQLite drops a table's triggers when a migration
    rebuilds the table. Every name is the code's own."""
    columns = ", ".join(FIELDS)
    new = ", ".join(f"new.{name}" for name in FIELDS)
    old = ", ".join(f"old.{name}" for name in FIELDS)
    table = "casestudies_initiative"
    remove = f"INSERT INTO {FTS}({FTS}, rowid, {columns}) VALUES ('delete', old.id, {old});"  # noqa: S608
    add = f"INSERT INTO {FTS}(rowid, {columns}) VALUES (new.id, {new});"  # noqa: S608
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5({columns}, content='{table}', "
        "content_rowid='id', tokenize='porter unicode61')",
        f"CREATE TRIGGER IF NOT EXISTS {FTS}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS}_update AFTER UPDATE ON {table} "
        f"BEGIN {remove} {add} END",
        f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",  # noqa: S608
    ]


def build_sqlite_index(using):
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA table_info({FTS})")
        columns = [row[1] for row in cursor.fetchall()]
        if columns and columns != list(FIELDS):  # the searched fields changed: index anew
            for trigger in ("insert", "update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{trigger}")
            cursor.execute(f"DROP TABLE {FTS}")
        for statement in sqlite_index_statements():
            cursor.execute(statement)


def did_you_mean(queryset, text):
    """For a search that found nothing: the query with each word that matches nothing
    replaced by the closest word of the library's texts, or None. PostgreSQL ranks words by
    trigram similarity (pg_trgm); elsewhere Python's difflib does."""
    wanted, _ = parse(text)
    changed, replaced = text, False
    for term in wanted:
        word = term[0]
        if len(term) > 1 or len(tokens(word)) != 1 or len(word) < 4:
            continue
        if search(queryset, word).exists():
            continue
        better = closest_word(word.lower())
        if better and better != word.lower():
            changed = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", better, changed, count=1)
            replaced = True
    return changed if replaced else None


WORD = re.compile(r"[^\W\d_]{4,}")
# The texts whose words a search is corrected to.
VOCABULARY_TEXTS = ("title", "summary", "description")


def closest_word(word):
    """The word of the published library closest to `word` (None if none is close):
    PostgreSQL ranks them by trigram similarity (pg_trgm), elsewhere difflib does."""
    from .models import Word

    if uses_postgres():
        from django.contrib.postgres.search import TrigramSimilarity

        closest = (Word.objects.annotate(similarity=TrigramSimilarity("text", word))
                   .filter(similarity__gt=0.35).order_by("-similarity", "text").first())
        return closest.text if closest else None
    vocabulary = Word.objects.filter(text__startswith=word[:1]).values_list("text", flat=True)
    found = difflib.get_close_matches(word, list(vocabulary), n=1, cutoff=0.75)
    return found[0] if found else None


def words_of(initiative):
    return {match.lower()[:60] for name in VOCABULARY_TEXTS
            for match in WORD.findall(getattr(initiative, name))}


def remember_words(initiative):
    """Keeps the words of a published entry for correcting searches."""
    from .models import Word

    Word.objects.bulk_create([Word(text=text) for text in words_of(initiative)],
                             ignore_conflicts=True)


def rebuild_words(published):
    """The words of every published entry, and only theirs."""
    from .models import Word

    kept = set()
    for initiative in published.only(*VOCABULARY_TEXTS).iterator(chunk_size=500):
        kept |= words_of(initiative)
    with transaction.atomic():
        Word.objects.all().delete()
        Word.objects.bulk_create([Word(text=text) for text in sorted(kept)], batch_size=1000)


def excerpt(text, query):
    """A short extract of `text` around the first match, for templates/includes/excerpt.html:
    {"before": text was cut before, "parts": [(text, is a match), ...], "after": cut after},
    or None when nothing matches."""
    wanted, _ = parse(query)
    variants = sorted({variant for term in wanted for variant in term}, key=len, reverse=True)
    if not variants:
        return None
    found = re.compile("|".join(f"(?:{pattern(v)})" for v in variants), re.IGNORECASE)
    match = found.search(text)
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
    for m in found.finditer(piece):
        parts += [(piece[last:m.start()], False), (m.group(0), True)]
        last = m.end()
    parts.append((piece[last:], False))
    return {"before": bool(start), "parts": parts, "after": end < len(text)}
