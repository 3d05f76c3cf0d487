"""Test settings: the real settings with a throwaway key, plain static storage and fast hashing."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("DJANGO_HTTPS", "0")  # the test client speaks plain HTTP

from pcc_practice.settings import *  # noqa: E402, F403
from pcc_practice.settings import STORAGES  # noqa: E402

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The live server's threads must not keep connections open, or PostgreSQL cannot drop the
# test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Tests share one in-memory cache while each rolls its database back: the page cache is
# switched on only by the tests of the cache itself.
PAGE_CACHE_SECONDS = 0

# Board-pack PDFs are kept in a folder of this run's own (the tests empty it).
if CACHES["boardpacks"]["BACKEND"].endswith("FileBasedCache"):  # noqa: F405
    import tempfile

    CACHES["boardpacks"]["LOCATION"] = tempfile.mkdtemp(prefix="pcc-test-packs-")  # noqa: F405
