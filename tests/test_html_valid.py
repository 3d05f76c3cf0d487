"""Every public page is valid HTML, by the Nu HTML Checker (npm vnu-jar, run on Java)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_e2e_accessibility import PAGES

VNU = Path(__file__).resolve().parents[1] / "node_modules/vnu-jar/build/dist/vnu.jar"

pytestmark = pytest.mark.e2e


def vnu_messages(*paths):
    java = shutil.which("java")
    assert java, "Java is needed for the HTML checker (make test installs it)"
    assert VNU.exists(), "run npm ci (make test does) to get the HTML checker"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--stdout", *map(str, paths)],
        capture_output=True, text=True, check=False,
    )
    return json.loads(result.stdout)["messages"]


def test_every_page_is_valid_html(client, seed, tmp_path):
    files = {}
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        files[path.name] = name
    # Pages that need a POST or a particular state.
    from casestudies.models import Initiative, State, VerificationRequest
    from workbench import verification

    request = VerificationRequest.objects.create(
        initiative=Initiative.objects.get(slug="cleveland-street-triage"), email="a@example.org")
    confirm = f"/confirm-entry/{verification.token_for(request)}/"
    Initiative.objects.filter(slug="dorset-street-triage-pilot").update(state=State.ARCHIVED)
    extra = {
        "suggest-errors": client.post("/suggest/", {}),
        "contact-errors": client.post("/contact/", {"kind": "format"}),
        "confirm-entry": client.get(confirm),
        "confirm-entry-errors": client.post(confirm, {"answer": "changed"}),
        "confirm-entry-sent": client.post(confirm, {"answer": "running"}, follow=True),
        "confirm-entry-used": client.get(confirm),
        "archived": client.get("/practice/dorset-street-triage-pilot/"),
        "export with invalid filters": client.get("/practice/export.csv?area=atlantis"),
    }
    for name, response in extra.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files[path.name] = name
    messages = vnu_messages(*tmp_path.glob("*.html"))
    errors = []
    for m in messages:
        if m["type"] == "error":
            page = files.get(m.get("url", "").rsplit("/", 1)[-1], m.get("url"))
            errors.append(f"{page}: line {m.get('lastLine')}: {m['message']}")
    assert not errors, "\n".join(errors)


def test_the_checker_catches_invalid_html(tmp_path):
    """Proves the checker runs, so a clean report above is not a silent pass."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html lang='en'><title>t</title><p><div></span></html>")
    assert any(m["type"] == "error" for m in vnu_messages(bad))
