"""The fields that the commissioner questions replaced, once their values have moved
(migration 0017): the free-text cost band, the "last reviewed" date and the hand-set ripe flag,
which is now worked out from each entry's data."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0017_move_replaced_values")]

    operations = [
        migrations.RemoveField(
            model_name='historicalinitiative',
            name='last_reviewed',
        ),
        migrations.RemoveField(
            model_name='historicalinitiative',
            name='replication_cost_band',
        ),
        migrations.RemoveField(
            model_name='historicalinitiative',
            name='ripe_for_replication',
        ),
        migrations.RemoveField(
            model_name='initiative',
            name='last_reviewed',
        ),
        migrations.RemoveField(
            model_name='initiative',
            name='replication_cost_band',
        ),
        migrations.RemoveField(
            model_name='initiative',
            name='ripe_for_replication',
        ),
    ]
