import secrets

from django.db import models


def new_token():
    return secrets.randbits(62)


class ContentVersion(models.Model):
    """One row whose token changes whenever public content changes.

    It lives in the database so that every worker process sees a change, whatever the cache
    backend; a random token, not a counter, so that a rolled-back change or a restored backup
    never brings back a token that older cache entries were stored under.
    """

    token = models.BigIntegerField(default=new_token)

    def __str__(self):
        return f"Content version {self.token}"


class Counter(models.Model):
    """A count that every worker process shares, for rate limits and for the few slots of
    costly work (board-pack PDFs). In the database, where no cached page can push it out; it
    runs until `expires`, when the next count starts a new window."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count} until {self.expires:%H:%M:%S}"
