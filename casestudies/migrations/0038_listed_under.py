"""Each entry's themes' slugs and partners' types, stored on its row so that the list's theme
and partner-type counts come from the one read of the results (a new search at 10,000 matched
its words twice more for them). Every migrate then works them out (casestudies/apps.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('casestudies', '0037_sort_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='initiative',
            name='partner_types',
            field=models.TextField(blank=True, default='', editable=False, help_text="Its partners' types, each once, space-separated, which the list's counts read."),
        ),
        migrations.AddField(
            model_name='initiative',
            name='theme_slugs',
            field=models.TextField(blank=True, default='', editable=False, help_text="Its themes' slugs, space-separated, which the list's theme counts read."),
        ),
    ]
