"""Production settings, security headers, the Content-Security-Policy and admin sign-in."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def test_deploy_checks_pass_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
               DJANGO_ALLOWED_HOSTS="practice.example.org", DJANGO_HTTPS="1", DJANGO_DEBUG="0")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("url", ["/", "/practice/", "/practice/cleveland-street-triage/",
                                 "/compare/areas/", "/no-such-page/"])
def test_public_pages_send_the_security_headers(client, seed, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp  # a nonce is added only where a page needs a script
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_https_settings_redirect_and_send_hsts(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/practice/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/practice/"
    secure = client.get("/practice/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert client.get("/healthz").status_code == 200, "health checks are not redirected"


def test_pages_carry_no_inline_script_or_style(client, seed):
    for url in ("/", "/practice/", "/practice/cleveland-street-triage/", "/compare/areas/"):
        html = client.get(url).text
        assert "<script>" not in html and "<style" not in html and " style=" not in html


def test_sign_in_locks_after_repeated_failures(client, editor, settings):
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login, {"username": "editor", "password": "wrong"})
        assert response.status_code == 200
    assert client.post(login, {"username": "editor", "password": "wrong"}).status_code == 429
    response = client.post(login, {"username": "editor", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "Sign-in locked" in response.text
    assert "_auth_user_id" not in client.session


def test_a_correct_password_signs_in_before_the_limit(client, editor):
    login = reverse("admin:login")
    client.post(login, {"username": "editor", "password": "wrong"})
    response = client.post(login, {"username": "editor", "password": "correct horse battery",
                                   "next": "/admin/"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_sessions_expire(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


def test_the_admin_address_can_be_moved():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ADMIN_PATH"}
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='tests.settings'; "
            "django.setup(); from django.urls import reverse; print(reverse('admin:index'))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, env={**env, "DJANGO_ADMIN_PATH": "staff-only/"},
                            check=False)
    assert result.stdout.strip() == "/staff-only/", result.stderr
