from django.db import models
from simple_history.models import HistoricalRecords


class ThemeManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Theme(models.Model):
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    summary = models.TextField(
        help_text="What the theme means for a commissioner, in plain English."
    )
    display_order = models.PositiveSmallIntegerField(
        default=0, help_text="Themes are listed in ascending order of this number."
    )

    history = HistoricalRecords()

    objects = ThemeManager()

    class Meta:
        ordering = ["display_order", "name"]

    def __str__(self):
        return self.name


    def natural_key(self):
        return (self.slug,)
