"""Precision and recall at 10 of the library's search over the judged queries of
tests/search_quality/queries.json (each query with the entries a reader expects to find).

Recall at 10 counts the expected entries among the first ten results, out of the expected
entries or ten, whichever is fewer (ten results cannot hold more); precision at 10 counts them
out of the results shown, up to ten. Run it on the seed data, on SQLite or PostgreSQL.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand

from casestudies.filters import SORT_ORDERS
from casestudies.models import Initiative

QUERIES = settings.BASE_DIR / "tests" / "search_quality" / "queries.json"


def first_ten(query):
    found = Initiative.objects.published().search(query).order_by(*SORT_ORDERS["relevance"])
    return list(found.values_list("slug", flat=True)[:10])


def scores(judged):
    """(precision, recall, slugs shown) at 10 of one judged query."""
    shown, expected = first_ten(judged["query"]), set(judged["expected"])
    hits = len(expected & set(shown))
    precision = hits / len(shown) if shown else (1.0 if not expected else 0.0)
    return precision, hits / min(10, len(expected)) if expected else 1.0, shown


def judged_queries():
    return json.loads(QUERIES.read_text())


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def handle(self, *args, **options):
        rows = [(judged["query"], *scores(judged)[:2]) for judged in judged_queries()]
        for query, precision, recall in rows:
            self.stdout.write(f"{precision:5.2f} {recall:5.2f}  {query}")
        n = len(rows)
        self.stdout.write(f"{n} queries: precision at 10 {sum(r[1] for r in rows) / n:.3f}, "
                          f"recall at 10 {sum(r[2] for r in rows) / n:.3f}")
