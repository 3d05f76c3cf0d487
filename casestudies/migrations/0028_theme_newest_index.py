"""An index on each theme's initiatives, newest first, so that related practice reads only the
newest few of each theme (website/related.py) rather than every initiative of it."""

from django.db import migrations

INDEX = "casestudies_initiative_themes_theme_newest"


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0027_stored_profiles")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON casestudies_initiative_themes (theme_id, initiative_id)",
            f"DROP INDEX {INDEX}",
        ),
    ]
