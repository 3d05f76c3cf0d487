"""The anonymous page cache: served without queries, cleared by any content change."""

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.urls import path, reverse

LIST = reverse("website:initiative-list")
ROOT = Path(__file__).resolve().parents[1]


def uses_a_nonce(request):
    return HttpResponse(f'<script nonce="{get_nonce(request)}">let kept = 1;</script>' * 10)


urlpatterns = [path("nonce/", uses_a_nonce)]  # for the nonce test alone


def clear_caches():
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    clear_caches()
    yield
    clear_caches()


def test_a_repeat_visit_is_served_from_the_cache_without_queries(
        client, make_initiative, django_assert_num_queries):
    make_initiative("Street triage")
    first = client.get(LIST)
    assert "Street triage" in first.text
    with django_assert_num_queries(0):
        second = client.get(LIST)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Content-Security-Policy" in second and second["ETag"] == first["ETag"]


def test_a_page_from_the_cache_carries_every_header_of_the_first(client, make_initiative):
    make_initiative("Street triage")
    first = client.get(LIST)
    second = client.get(LIST)
    assert second["X-Page-Cache"] == "hit"
    for name in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options",
                 "Referrer-Policy", "Cross-Origin-Opener-Policy", "X-Frame-Options",
                 "Content-Type", "Cache-Control", "ETag"):
        assert second[name] == first[name], name


def test_a_plain_http_request_is_still_redirected_once_the_https_page_is_kept(
        client, settings, make_initiative):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    url = make_initiative("Street triage").get_absolute_url()
    assert client.get(url, secure=True).status_code == 200
    kept = client.get(url, secure=True)
    assert kept["X-Page-Cache"] == "hit" and kept["Strict-Transport-Security"]
    plain = client.get(url)
    assert plain.status_code == 301 and plain["Location"] == f"https://testserver{url}"


@pytest.mark.urls("tests.test_page_cache")
def test_a_page_that_uses_a_csp_nonce_is_never_shared(client, db):
    first, second = client.get("/nonce/"), client.get("/nonce/")
    assert "X-Page-Cache" not in second
    nonces = [re.search(r"'nonce-([^']+)'", page["Content-Security-Policy"])[1]
              for page in (first, second)]
    assert nonces[0] != nonces[1] and f'nonce="{nonces[1]}"' in second.text


def test_an_edit_shows_at_once(client, make_initiative, editor_client):
    initiative = make_initiative("Street triage")
    from django.test import Client

    reader = Client()
    assert "Street triage" in reader.get(initiative.get_absolute_url()).text
    initiative.title = "Street triage renamed"
    initiative.save()
    assert "Street triage renamed" in reader.get(initiative.get_absolute_url()).text
    assert "Street triage renamed" in reader.get(LIST).text


def test_a_relation_change_clears_the_cache(client, make_initiative, make_theme):
    initiative = make_initiative("Street triage")
    new_theme = make_theme("Brand new theme")
    client.get(initiative.get_absolute_url())
    initiative.themes.add(new_theme)
    assert "Brand new theme" in client.get(initiative.get_absolute_url()).text


def test_editors_always_get_fresh_pages(editor_client, make_initiative):
    make_initiative("Street triage")
    editor_client.get(LIST)
    response = editor_client.get(LIST)
    assert "X-Page-Cache" not in response


@pytest.mark.parametrize("accepted", ["", "gzip, deflate, br"])
def test_forms_are_never_cached(client, make_initiative, accepted):
    initiative = make_initiative()
    headers = {"accept-encoding": accepted}
    for url in (reverse("website:suggest"), reverse("website:contact"),
                reverse("website:report-problem", args=[initiative.slug])):
        first = client.get(url, headers=headers)
        assert first.has_header("Content-Encoding") == bool(accepted)
        assert "X-Page-Cache" not in client.get(url, headers=headers)


def test_browsers_that_accept_gzip_get_a_compressed_copy_kept_apart(client, make_initiative):
    make_initiative("Street triage")
    plain = client.get(LIST)
    packed = client.get(LIST, headers={"accept-encoding": "gzip, deflate, br"})
    assert packed["Content-Encoding"] == "gzip" and "X-Page-Cache" not in packed
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 3
    assert "Accept-Encoding" in packed["Vary"]
    again = client.get(LIST, headers={"accept-encoding": "gzip"})
    assert again["X-Page-Cache"] == "hit" and again["Content-Encoding"] == "gzip"
    assert gzip.decompress(again.content) == plain.content
    plain_again = client.get(LIST)
    assert plain_again["X-Page-Cache"] == "hit" and not plain_again.has_header("Content-Encoding")
    assert plain_again.content == plain.content


def test_browsers_revalidate_with_etags(client, make_initiative):
    make_initiative()
    etag = client.get(LIST)["ETag"]
    assert client.get(LIST, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(LIST, headers={"If-None-Match": '"other"'}).status_code == 200


def test_every_copy_of_a_page_has_the_same_etag_however_often_it_is_compressed(
        client, make_initiative):
    make_initiative("Street triage")
    gzipped = {"accept-encoding": "gzip"}
    first = client.get(LIST, headers=gzipped)
    clear_caches()  # as another worker, with its own cache, would compress the page again
    second = client.get(LIST, headers=gzipped)
    assert first["ETag"] == second["ETag"] and first["ETag"].startswith('W/"')
    clear_caches()
    again = client.get(LIST, headers={**gzipped, "if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert client.get(LIST)["ETag"] == first["ETag"].removeprefix("W/")
    # From the page cache too: either form of the tag, among others, or any tag at all.
    client.get(LIST, headers=gzipped)
    for asked in (first["ETag"], first["ETag"].removeprefix("W/"), f'"other", {first["ETag"]}',
                  "*"):
        kept = client.get(LIST, headers={**gzipped, "if-none-match": asked})
        assert kept.status_code == 304, asked
    assert client.get(LIST, headers={**gzipped, "if-none-match": '"other"'}).status_code == 200


def test_an_edit_made_in_another_worker_shows_once_the_version_is_read_again(
        client, settings, make_initiative):
    from casestudies.models import Initiative
    from pcc_practice.cache.models import ContentVersion, new_token

    initiative = make_initiative("Street triage")
    assert "Street triage" in client.get(LIST).text
    # Another worker process saves an edit: the database changes, this process's memory not.
    Initiative.objects.filter(pk=initiative.pk).update(title="Renamed in another worker")
    ContentVersion.objects.filter(pk=1).update(token=new_token())
    settings.CONTENT_VERSION_CHECK_SECONDS = 3600
    assert "Renamed in another worker" not in client.get(LIST).text
    settings.CONTENT_VERSION_CHECK_SECONDS = 0
    assert "Renamed in another worker" in client.get(LIST).text


def test_each_host_gets_its_own_absolute_addresses(client, settings, make_initiative):
    settings.ALLOWED_HOSTS = ["practice.example.org", "www.practice.example.org"]
    initiative = make_initiative("Street triage")
    url = initiative.get_absolute_url()
    first = client.get(url, headers={"host": "practice.example.org"}).text
    second = client.get(url, headers={"host": "www.practice.example.org"}).text
    assert "http://practice.example.org/practice/" in first
    assert "http://www.practice.example.org/practice/" in second
    assert "http://practice.example.org/practice/" not in second


def test_an_edit_saved_in_admin_shows_on_every_public_page_at_once(editor_client,
                                                                   make_initiative):
    from django.test import Client

    from tests.test_editing import admin_form_data, change_url

    initiative = make_initiative("Alpha scheme")
    reader = Client()
    pages = [LIST, initiative.get_absolute_url(), initiative.area.get_absolute_url(), "/"]
    for url in pages:
        assert "Alpha scheme" in reader.get(url).text
    response = editor_client.post(change_url(initiative),
                                  admin_form_data(initiative, title="Beta scheme"))
    assert response.status_code == 302
    for url in pages:
        page = reader.get(url).text
        assert "Beta scheme" in page and "Alpha scheme<" not in page, url


def test_unknown_query_parameters_share_the_pages_one_entry(client, make_initiative):
    """Anyone can add junk to an address: 5,000 such addresses keep one entry, served from
    the cache, and a filter's values in another order are the same page."""
    make_initiative("Street triage", status="operating")
    pages = caches["pages"]
    client.get(f"{LIST}?status=operating&sort=title")
    for n in range(5000):
        response = client.get(f"{LIST}?junk{n}={n}&sort=title&status=operating")
        assert response["X-Page-Cache"] == "hit"
    assert len(pages._cache) == 1  # LocMemCache's own store
    client.get("/practice/street-triage/?utm_source=a")  # not a parameter it reads
    assert len(pages._cache) == 2
    assert client.get("/practice/street-triage/?utm_source=x")["X-Page-Cache"] == "hit"


def test_a_page_asked_for_by_its_canonical_address_is_served_before_its_view_is_found(
        client, make_initiative, monkeypatch):
    """Only canonical addresses are kept, so one asked for as kept needs no look-up of its
    view; any other form of it is looked up, made canonical and served the same page."""
    from pcc_practice.cache import pages

    make_initiative("Street triage", status="operating")
    looked_up = []
    monkeypatch.setattr(pages, "declared_parameters",
                        lambda request: looked_up.append(request.path) or
                        frozenset(["sort", "status"]))
    first = client.get(f"{LIST}?sort=title&status=operating")
    assert looked_up == [LIST]
    again = client.get(f"{LIST}?sort=title&status=operating")
    assert (again["X-Page-Cache"], looked_up) == ("hit", [LIST])
    shuffled = client.get(f"{LIST}?status=operating&utm=1&sort=title")
    assert (shuffled["X-Page-Cache"], looked_up) == ("hit", [LIST, LIST])
    assert again.content == shuffled.content == first.content


def test_the_page_cache_holds_a_bounded_number_of_pages_whatever_the_addresses(
        client, settings, make_initiative):
    """Every search is a valid address: the cache of pages still keeps at most its cap."""
    settings.CACHES = {**settings.CACHES, "pages": {
        **settings.CACHES["pages"], "OPTIONS": {"MAX_ENTRIES": 20}}}
    make_initiative("Street triage")
    for n in range(200):
        assert client.get(f"{LIST}?q=triage+{n}").status_code == 200
    assert 0 < len(caches["pages"]._cache) <= 20


def test_pages_too_large_are_not_kept(client, settings, make_initiative):
    settings.PAGE_CACHE_MAX_BYTES = 1000
    make_initiative("Street triage")
    client.get(LIST)
    assert "X-Page-Cache" not in client.get(LIST)


def test_cache_keys_carry_the_release(settings, monkeypatch, tmp_path):
    """A deploy of new templates or code names a new release, so nothing cached under the
    old one is served; an operator may also name the release."""
    from pcc_practice import settings as site_settings

    assert all(c["KEY_PREFIX"].startswith(settings.RELEASE) for c in settings.CACHES.values())
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "base.html"
    template.write_text("<p>One</p>")
    monkeypatch.setattr(site_settings, "BASE_DIR", tmp_path)
    monkeypatch.delenv("PCC_RELEASE", raising=False)
    first = site_settings.release_id()
    template.write_text("<p>Two</p>")
    assert site_settings.release_id() != first
    monkeypatch.setenv("PCC_RELEASE", "2026-11-30.1")
    assert site_settings.release_id() == "2026-11-30.1"


def test_the_release_covers_every_app_templates_and_styles(monkeypatch, tmp_path):
    """A deploy that changes only the API, the alerts or a stylesheet is a new release too."""
    from django.apps import apps

    from pcc_practice import settings as site_settings

    base = site_settings.BASE_DIR
    for folder in ("templates", "api", "alerts", "static/css"):
        (tmp_path / folder).mkdir(parents=True)
    for package in ("api", "alerts"):
        (tmp_path / package / "__init__.py").write_text("")
    monkeypatch.setattr(site_settings, "BASE_DIR", tmp_path)
    monkeypatch.delenv("PCC_RELEASE", raising=False)
    seen = {site_settings.release_id()}
    for name, text in [("api/api.py", "LIMIT = 1"), ("alerts/mailing.py", "SUBJECT = 'x'"),
                       ("static/css/board-pack.css", "h1 { color: red }")]:
        (tmp_path / name).write_text(text)
        seen.add(site_settings.release_id())
    assert len(seen) == 4
    local = {Path(config.path).relative_to(base).parts[0] for config in apps.get_app_configs()
             if Path(config.path).is_relative_to(base) and ".venv" not in Path(config.path).parts}
    covered = {folder.name for folder in site_settings.code_folders(base)}
    assert local <= covered and {"templates", "static"} <= covered


@pytest.mark.parametrize("debug, kept", [("1", "0 0"), ("0", "600 600")])
def test_make_run_keeps_nothing_so_an_edited_template_shows_at_once(debug, kept):
    """Development (DJANGO_DEBUG=1, as `make run` sets it) keeps no page, value or fragment;
    production keeps them until content changes."""
    code = ("import pcc_practice.settings as s; "
            "print(s.PAGE_CACHE_SECONDS, s.FRAGMENT_CACHE_SECONDS)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PCC_"))}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True,
                            env={**env, "DJANGO_DEBUG": debug, "DJANGO_SECRET_KEY": "x"})
    assert result.stdout.strip() == kept


def test_what_readers_send_leaves_the_pages_kept(client, make_initiative, make_area,
                                                 make_theme):
    """A suggestion, a problem report or a message changes nothing the public sees, so every
    kept page stays kept (each used to clear every cache on the site)."""
    from tests.test_contact import MESSAGE
    from tests.test_evidence_and_feedback import SUGGESTION

    initiative = make_initiative("Street triage")
    suggestion = {**SUGGESTION, "area": make_area("Kent").slug,
                  "themes": [make_theme("Earlier").slug]}
    pages = [LIST, initiative.get_absolute_url(), "/"]
    for url in pages:
        client.get(url)
    sent = [
        client.post("/suggest/", suggestion),
        client.post(f"{initiative.get_absolute_url()}report/", {"problem": "A broken link."}),
        client.post("/contact/", MESSAGE),
    ]
    assert [response.status_code for response in sent] == [302, 302, 302]
    for url in pages:
        assert client.get(url)["X-Page-Cache"] == "hit", url


def test_a_page_shows_nothing_of_its_address_that_its_key_leaves_out(client, seed):
    """The page kept for an address is the page of every address with the same key: a
    parameter the page does not read never reaches it, and an order that matters (the
    shortlist's) is part of the key."""
    evil = "x=%22%3E%3Cb%3Eleaked%3C%2Fb%3E"
    for url in ("/data/", "/shortlist/?pick=cleveland-street-triage", "/practice/?page=2",
                "/about/"):
        joined = "&" if "?" in url else "?"
        first = client.get(f"{url}{joined}{evil}")
        assert first.status_code == 200 and "leaked" not in first.text, url
        again = client.get(url)
        assert again["X-Page-Cache"] == "hit" and "leaked" not in again.text, url
    one, other = (client.get(f"/shortlist/?pick={a}&pick={b}") for a, b in [
        ("cleveland-street-triage", "essex-street-triage"),
        ("essex-street-triage", "cleveland-street-triage")])
    assert "X-Page-Cache" not in other
    assert one.text.index("Street triage, Cleveland") < one.text.index("Street triage, Essex")
    assert other.text.index("Street triage, Essex") < other.text.index("Street triage, Cleveland")
