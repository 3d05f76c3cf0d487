"""Board-pack PDFs take seconds to make: each is made once per shortlist and content version,
few are made at once across all workers (past that, a busy answer at once, never a wait), each
address may ask for few, and WeasyPrint fetches nothing but the site's own static files."""

import http.server
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from casestudies.models import Initiative
from pcc_practice.ratelimit import slot

PDF = reverse("website:board-pack-pdf")
PICKS = ["cleveland-street-triage", "essex-street-triage"]


def other_workers_rendering():
    """Every render slot taken, as by other workers in the middle of their PDFs."""
    return slot("board-pack", django_settings.BOARD_PACK_RENDERS, 120)


def test_a_pdf_is_made_once_per_shortlist_and_content_version(client, seed, today):
    made = client.get(PDF, {"pick": PICKS})
    assert made["Content-Type"] == "application/pdf"
    with other_workers_rendering() as held:
        assert held
        # The same shortlist, with a repeat and an unknown pick, needs no render.
        again = client.get(PDF, {"pick": [*PICKS, PICKS[0], "no-such-entry"]})
        assert again.status_code == 200 and again.content == made.content
        # Another shortlist does, and is told to come back rather than kept waiting.
        busy = client.get(PDF, {"pick": PICKS[:1]})
        assert busy.status_code == 503 and int(busy["Retry-After"]) > 0
        assert "Open the print-ready page" in busy.text
        # An edit changes what a pack shows: the kept PDF is not served any more.
        initiative = Initiative.objects.get(slug=PICKS[0])
        initiative.summary += " Extended to weekends."
        initiative.save()
        assert client.get(PDF, {"pick": PICKS}).status_code == 503
    assert client.get(PDF, {"pick": PICKS}).status_code == 200  # the slot is free again


def test_a_case_study_pdf_is_refused_at_once_while_every_slot_is_taken(client, seed, today):
    url = reverse("website:initiative-board-pack-pdf", args=[PICKS[0]])
    with other_workers_rendering():
        busy = client.get(url)
    assert busy.status_code == 503 and busy["Cache-Control"] == "no-store"
    assert f'href="{reverse("website:initiative-board-pack", args=[PICKS[0]])}"' in busy.text
    assert client.get(url)["Content-Type"] == "application/pdf"


def test_each_address_may_have_few_pdfs_made(client, seed, today, settings):
    settings.BOARD_PACK_RATE_LIMIT = (1, 600)
    assert client.get(PDF, {"pick": PICKS}).status_code == 200
    refused = client.get(PDF, {"pick": PICKS[:1]})
    assert refused.status_code == 429 and refused["Retry-After"] == "600"
    assert "Try again in about 10 minutes" in refused.text
    # A PDF already made costs nothing and is not refused; another address has its own count.
    assert client.get(PDF, {"pick": PICKS}).status_code == 200
    assert client.get(PDF, {"pick": PICKS[:1]}, REMOTE_ADDR="203.0.113.5").status_code == 200


@pytest.fixture
def web_server():
    """A web server on loopback that counts the requests it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def test_a_pdf_fetches_nothing_but_the_sites_static_files(web_server, tmp_path):
    from website.pdf import StaticFilesOnly, render

    address, hits = web_server
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: blue }")
    html = (f'<link rel="stylesheet" href="{address}/remote.css">'
            f'<link rel="stylesheet" href="file://{secret}">'
            f'<img src="{address}/image.png" alt=""><p>Board pack</p>')
    assert render(html, "http://testserver/").startswith(b"%PDF")
    assert hits == []
    fetcher = StaticFilesOnly("http://testserver/")
    css = fetcher.fetch("http://testserver/static/css/board-pack.css")
    assert css.read() == (Path(django_settings.BASE_DIR) / "static/css/board-pack.css") \
        .read_bytes()
    for refused in (f"file://{secret}", f"{address}/static/css/board-pack.css",
                    "http://testserver/static/../pcc_practice/settings.py",
                    "http://testserver/media/x.css", "data:text/css,body{}"):
        with pytest.raises(ValueError):
            fetcher.fetch(refused)


def test_a_render_that_fails_gets_the_print_ready_page_not_an_error(client, seed, today,
                                                                    monkeypatch):
    monkeypatch.setattr("website.boardpack.sys.executable", "/bin/false")
    response = client.get(PDF, {"pick": PICKS})
    assert response.status_code == 503 and "Open the print-ready page" in response.text
