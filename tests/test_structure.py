"""How the code hangs together: dependencies run one way, modules and template lines stay
short, and templates never show their own syntax to readers."""

import ast
import re
from pathlib import Path

import pytest
from django.test import Client

from tests.pages import JSON_LD, select, soup

ROOT = Path(__file__).resolve().parents[1]
# Each package of the site, and the packages it may import, name models of (app labels in
# strings) or link to (URL namespaces). Dependencies run one way: infrastructure
# (pcc_practice) uses no app; the library (themes, casestudies) no feature; each feature the
# library, and only the features listed.
MAY_USE = {
    "pcc_practice": set(),
    "themes": {"pcc_practice"},
    "casestudies": {"pcc_practice", "themes"},
    "website": {"pcc_practice", "themes", "casestudies"},
    "opendata": {"pcc_practice", "themes", "casestudies", "website"},  # links to its pages
    "api": {"pcc_practice", "themes", "casestudies"},
    "alerts": {"pcc_practice", "themes", "casestudies", "website"},  # links to the list
    "workbench": {"pcc_practice", "themes", "casestudies", "alerts"},  # counts subscriptions
}
# The project's wiring, which names every app.
WIRING = {ROOT / "pcc_practice" / "settings.py", ROOT / "pcc_practice" / "urls.py"}
APP_LABELS = {"themes": "themes", "casestudies": "casestudies", "alerts": "alerts",
              "content_cache": "pcc_practice"}
NAMESPACES = {"website": "website", "opendata": "opendata", "workbench": "workbench",
              "alerts": "alerts", "api-v1": "api"}
NAMESPACE = re.compile(r"""["']({}):[\w-]+["']""".format("|".join(NAMESPACES)))
MODEL_LABEL = re.compile(r"""["']({})\.\w+["']""".format("|".join(APP_LABELS)))
GET_MODEL = re.compile(r"""get_model\(\s*["'](\w+)["']""")
MAX_LINES = 400


def imported_packages(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def packages_used(path):
    """(how, package) for each package of the site that the module at `path` uses."""
    text = path.read_text()
    for name in imported_packages(path):
        if name in MAY_USE:
            yield "imports", name
    for match in NAMESPACE.finditer(text):
        yield "links to", NAMESPACES[match.group(1)]
    for match in [*MODEL_LABEL.finditer(text), *GET_MODEL.finditer(text)]:
        if match.group(1) in APP_LABELS:
            yield "names models of", APP_LABELS[match.group(1)]


def modules(package):
    return [path for path in sorted((ROOT / package).rglob("*.py"))
            if "migrations" not in path.parts and path not in WIRING]


@pytest.mark.parametrize("package", sorted(MAY_USE))
def test_dependencies_run_one_way(package):
    wrong = [
        f"{path.relative_to(ROOT)} {how} {used}"
        for path in modules(package)
        for how, used in packages_used(path)
        if used != package and used not in MAY_USE[package]
    ]
    assert not wrong


def test_every_app_of_the_site_has_its_place_in_the_table():
    from django.apps import apps

    local = {config.name.split(".")[0] for config in apps.get_app_configs()
             if Path(config.path).is_relative_to(ROOT) and ".venv" not in Path(config.path).parts}
    assert local == set(MAY_USE)


def test_the_dependency_check_sees_imports_links_and_model_names(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from casestudies.models import Initiative\n"
                      "    reverse('website:home')\n    apps.get_model('alerts', 'Sent')\n"
                      "    user.has_perm('themes.change_theme')\n")
    assert set(packages_used(module)) == {("imports", "casestudies"), ("links to", "website"),
                                          ("names models of", "alerts"),
                                          ("names models of", "themes")}


def test_no_module_is_too_long_to_read():
    """Settings and migrations aside, no module passes MAX_LINES lines."""
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in sorted(ROOT.rglob("*.py"))
        if not {".venv", "node_modules", "migrations"} & set(path.parts)
        and path.name != "settings.py"
        and (lines := len(path.read_text().splitlines())) > MAX_LINES
    ]
    assert not long


MAX_TEMPLATE_LINE = 160


def template_lines_too_long(folder):
    """'path:line: length' for each line of a file under `folder` longer than MAX_TEMPLATE_LINE."""
    return [
        f"{path.relative_to(folder.parent)}:{number}: {len(line)} characters"
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if len(line) > MAX_TEMPLATE_LINE
    ]


def test_no_template_line_is_too_long_to_read():
    """Templates wrap at MAX_TEMPLATE_LINE characters. Where a break must add no space (in a
    title, between inline tags, in a plain-text email), a line ends in {% comment %} and the
    next begins with {% endcomment %}, since {# #} cannot span lines."""
    assert not template_lines_too_long(ROOT / "templates")


def test_the_line_check_names_the_file_and_line(tmp_path):
    folder = tmp_path / "templates"
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / "long.html").write_text("<p>short</p>\n" + "x" * 161 + "\n")
    (folder / "short.txt").write_text("x" * 160 + "\n")
    assert template_lines_too_long(folder) == ["templates/pages/long.html:2: 161 characters"]


TEMPLATE_SYNTAX = re.compile(r"\{[{%#]|[}%#]\}")


def without_json_ld(response):
    """The page less its structured data: JSON, whose nested objects end in "}}"."""
    html = response.text
    for script in select(soup(response, JSON_LD), 'script[type="application/ld+json"]'):
        html = html.replace(script.string, "")
    return html


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
        found = TEMPLATE_SYNTAX.findall(without_json_ld(response))
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
