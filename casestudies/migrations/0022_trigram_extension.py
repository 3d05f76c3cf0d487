"""PostgreSQL's pg_trgm, for the "Did you mean" of a search that finds nothing
(casestudies.search.closest_word). Elsewhere this does nothing."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0021_reword_seed_cost")]

    operations = [TrigramExtension()]
