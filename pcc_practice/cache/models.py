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
