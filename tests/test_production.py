"""Settings from the environment, and static files as production serves them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[1]
CSS = ROOT / "assets" / "css" / "app.css"


def load_settings(**env):
    """Imports the settings in a fresh interpreter with exactly this environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    code = (
        "import json, pcc_practice.settings as s; "
        "print(json.dumps([s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE']]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings()
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_settings_come_from_the_environment():
    result = load_settings(
        DJANGO_SECRET_KEY="x", DJANGO_ALLOWED_HOSTS="practice.example.org",
        DATABASE_URL="postgres://u@db.example.org/practice",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '[false, ["practice.example.org"], "django.db.backends.postgresql"]'
    )


def test_sqlite_is_the_default_and_debug_needs_no_key():
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert '"django.db.backends.sqlite3"' in result.stdout


@pytest.mark.skipif(
    not CSS.exists() and not os.environ.get("CI"), reason="`make assets` builds the CSS"
)
def test_collected_static_files_are_hashed_and_compressed(client, tmp_path, db):
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        html = client.get("/").text
    hashed = [p.name for p in (tmp_path / "css").glob("app.*.css")]
    assert hashed, "collectstatic wrote no hashed stylesheet"
    assert f'href="/static/css/{hashed[0]}"' in html
    assert (tmp_path / "css" / f"{hashed[0]}.gz").exists()
    assert "GDS Transport" not in CSS.read_text()
