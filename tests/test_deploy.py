"""The deployment recipe in deploy/ says what the code does: its environment file lists every
setting the site reads, and its units run commands that exist."""

import configparser
import re
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
ENV_FILE = DEPLOY / "pcc-practice.env"
# os.environ.get("X"), os.environ["X"], os.getenv("X") and settings.py's env_flag/env_list.
READ = re.compile(r"""(?:os\.environ(?:\.get)?\(|os\.environ\[|os\.getenv\(|env_flag\(|env_list\()
                      \s*["']([A-Z][A-Z0-9_]*)["']""", re.VERBOSE)
# Read by libraries rather than by our code: dj-database-url and gunicorn.
READ_ELSEWHERE = {"DATABASE_URL", "WEB_CONCURRENCY"}


def site_modules():
    skipped = {"tests", "node_modules", "docs", "staticfiles", "build"}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if not parts[0].startswith(".") and parts[0] not in skipped:
            yield path


def settings_read():
    return {name for path in site_modules() for name in READ.findall(path.read_text())}


def listed():
    """Each setting the file names, set (NAME=...) or left at its default (# NAME=...)."""
    names = re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", ENV_FILE.read_text(), re.MULTILINE)
    return names


def test_the_scan_finds_the_settings_it_should():
    found = settings_read()
    assert {"DJANGO_SECRET_KEY", "REDIS_URL", "PCC_TRUSTED_PROXIES", "DJANGO_HTTPS",
            "DJANGO_ALLOWED_HOSTS", "DJANGO_ADMIN_PATH"} <= found


def test_the_environment_file_lists_every_setting_the_site_reads():
    missing = (settings_read() | READ_ELSEWHERE) - set(listed())
    assert not missing, f"add these to deploy/pcc-practice.env: {sorted(missing)}"


def test_the_environment_file_lists_only_settings_something_reads():
    unknown = set(listed()) - settings_read() - READ_ELSEWHERE
    assert not unknown, f"nothing reads these: {sorted(unknown)}"


def test_each_setting_is_listed_once_with_its_default_or_a_value():
    names = listed()
    assert len(names) == len(set(names))
    setting = re.compile(r"^#? ?[A-Z][A-Z0-9_]*=")
    explained, comment = {}, []
    for line in ENV_FILE.read_text().splitlines():
        if setting.match(line):
            # Settings listed together share the explanation above the first of them.
            explained[line.lstrip("# ").split("=")[0]] = " ".join(comment)
        elif line.startswith("#"):
            comment = [] if explained.get("_after_setting") else comment
            comment.append(line)
            explained.pop("_after_setting", None)
            continue
        explained["_after_setting"] = True
    explained.pop("_after_setting", None)
    undocumented = [name for name, text in explained.items()
                    if "Default" not in text and "Required" not in text]
    assert not undocumented, f"say the default of: {undocumented}"


def unit(name):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / name)
    return parser


@pytest.mark.parametrize("timer", sorted(p.name for p in (DEPLOY / "systemd").glob("*.timer")))
def test_each_timer_starts_a_service_that_runs_a_command_of_the_site(timer):
    service = unit(timer.replace(".timer", ".service"))
    assert unit(timer)["Timer"]["OnCalendar"]
    command = service["Service"]["ExecStart"].split()
    assert command[1].endswith("manage.py")
    assert command[2] in get_commands()
    assert service["Service"]["EnvironmentFile"] == "/etc/pcc-practice/pcc-practice.env"


def test_the_app_node_runs_gunicorn_on_the_site_with_the_environment_file():
    service = unit("pcc-practice.service")["Service"]
    assert service["ExecStart"].split()[:2] == ["/srv/pcc-practice/.venv/bin/gunicorn",
                                               "pcc_practice.wsgi"]
    assert service["EnvironmentFile"] == "/etc/pcc-practice/pcc-practice.env"


def test_the_app_node_listens_on_a_port_systemd_holds_through_a_restart():
    service = unit("pcc-practice.service")
    assert service["Unit"]["Requires"] == "pcc-practice.socket"
    assert "--bind" not in service["Service"]["ExecStart"]  # gunicorn takes systemd's socket
    assert unit("pcc-practice.socket")["Socket"]["ListenStream"] == "8000"


def test_the_proxy_sends_the_client_and_the_scheme_and_retries_only_on_failure():
    site = (DEPLOY / "nginx" / "pcc-practice.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert re.search(r"proxy_next_upstream error timeout;", site)
    assert "non_idempotent" not in site  # a POST that reached a node is never sent again
    assert len(re.findall(r"^\s+server \S+ max_fails=\d+ fail_timeout=\d+s;", site,
                          re.MULTILINE)) == 2
