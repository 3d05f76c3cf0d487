from django.db import models


class Word(models.Model):
    """A word of a published entry's title, summary or description: what a search that found
    nothing is corrected to (casestudies/search.py), kept as entries are saved."""

    text = models.CharField(max_length=60, unique=True)

    def __str__(self):
        return self.text
