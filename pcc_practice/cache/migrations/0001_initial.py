from django.db import migrations, models

import pcc_practice.cache.models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("token", models.BigIntegerField(default=pcc_practice.cache.models.new_token)),
            ],
        ),
    ]
