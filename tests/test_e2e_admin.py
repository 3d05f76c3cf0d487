"""The admin works in a real browser under the strict Content-Security-Policy."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from casestudies.models import Initiative

pytestmark = pytest.mark.e2e


def test_editor_signs_in_and_the_admin_scripts_run_under_the_csp(site, page):
    User.objects.create_superuser("chief", password="a long admin password")
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{site}/admin/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("a long admin password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Content")).to_be_visible()

    initiative = Initiative.objects.get(slug="cleveland-street-triage")
    page.goto(f"{site}/admin/casestudies/initiative/{initiative.pk}/change/")
    # The autocomplete widgets are built by the admin's JavaScript.
    expect(page.locator(".select2-container").first).to_be_visible()
    page.get_by_label("Summary").fill("Edited in the browser.")
    page.get_by_role("button", name=re.compile("^Save$")).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto(f"{site}/admin/casestudies/initiative/add/")
    page.locator("#id_title").press_sequentially("A new scheme")
    expect(page.get_by_label("Slug")).to_have_value("a-new-scheme")  # prepopulated by a script
    scripts = [v for v in violations if "script" in v.lower()]
    assert not scripts, scripts
    initiative.refresh_from_db()
    assert initiative.summary == "Edited in the browser."
