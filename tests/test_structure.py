"""How the code hangs together: dependencies run one way, and templates never show their own
syntax to readers."""

import ast
import re
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
# Each package, and the site packages it must not import.
FORBIDDEN = {
    "pcc_practice": {"casestudies", "themes", "api", "alerts"},
    "themes": {"casestudies", "api", "alerts"},
    "casestudies": {"api", "alerts"},
}


def imported_packages(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_dependencies_run_one_way(package):
    """pcc_practice (settings and the cache) depends on no app; themes not on casestudies;
    nothing on the API or alerts, which read casestudies and themes."""
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in imported_packages(path)
        if name in FORBIDDEN[package]
    ]
    assert not wrong


def test_the_dependency_check_sees_an_import(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from casestudies.models import Initiative\n")
    assert "casestudies" in set(imported_packages(module))


TEMPLATE_SYNTAX = re.compile(r"\{[{%#]|[}%#]\}")
# Structured data is JSON, whose nested objects end in "}}".
JSON_LD = re.compile(r'<script type="application/ld\+json">.*?</script>', re.S)


def public_addresses():
    from casestudies.models import Area, Initiative
    from themes.models import Theme

    initiative = Initiative.objects.published().first()
    return [
        "/", "/practice/", "/practice/?q=triage", "/practice/?area=nowhere",
        "/practice/?theme=intervening-earlier&status=operating&sort=title",
        initiative.get_absolute_url(), f"{initiative.get_absolute_url()}report/",
        "/areas/", *[a.get_absolute_url() for a in Area.objects.all()],
        "/themes/", *[t.get_absolute_url() for t in Theme.objects.all()],
        "/compare/areas/", "/compare/areas/?empty=show",
        f"/compare/practice/?item={initiative.slug}", "/compare/practice/?item=x",
        "/suggest/", "/suggest/thanks/", "/contact/", "/contact/thanks/", "/about/",
        "/about/evidence/", "/glossary/",
        "/accessibility/", "/no-such-page/", "/picture/", "/data/", "/api/",
        "/alerts/?area=norfolk", "/alerts/privacy/",
        f"/shortlist/?pick={initiative.slug}", f"{initiative.get_absolute_url()}board-pack/",
    ]


def test_no_page_shows_template_syntax(client, seed):
    for url in public_addresses():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        found = TEMPLATE_SYNTAX.findall(JSON_LD.sub("", response.text))
        assert not found, (url, found)


def test_the_template_syntax_check_sees_a_leaked_comment(client, seed, settings, tmp_path):
    folder = tmp_path / "templates" / "pages"
    folder.mkdir(parents=True)
    (folder / "about.html").write_text("{% extends 'base.html' %}{% block content %}"
                                       "{# one line\n and another #}{% endblock %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0],
                           "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}]
    assert TEMPLATE_SYNTAX.findall(client.get("/about/").text)


def test_a_refused_form_gets_the_sites_page_and_keeps_nothing(db):
    from casestudies.models import Suggestion

    client = Client(enforce_csrf_checks=True)
    response = client.post("/suggest/", {"title": "Crisis cafe"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.text
    assert "nothing you entered has been saved" in response.text
    assert "Skip to main content" in response.text  # the site's own layout
    assert not Suggestion.objects.exists()
