"""A board pack's PDF, made by WeasyPrint from the pack's HTML. WeasyPrint may read nothing but
the site's own static files: no address a template prints, from content or otherwise, can
make the server fetch a web page or read a file. Run as `python -m website.pdf BASE_URL` (as
the board-pack view does), it reads the HTML on standard input and writes the PDF to standard
output, so that WeasyPrint (which needs Pango) is never loaded into a web worker."""

import mimetypes
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "board-pack.css"


class StaticFilesOnly(URLFetcher):
    """Answers addresses under the site's STATIC_URL from the static files on disk, and
    refuses every other address (WeasyPrint then leaves the resource out)."""

    def __init__(self, base_url):
        super().__init__(allowed_protocols=(), allow_redirects=False, timeout=1)
        self.prefix = f"{base_url.rstrip('/')}/{settings.STATIC_URL.strip('/')}/"

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if not url.startswith(self.prefix) or parts.query or ".." in parts.path:
            raise ValueError(f"A board pack uses only the site's static files, not {url[:200]}")
        name = unquote(parts.path.removeprefix(urlsplit(self.prefix).path))
        found = finders.find(name)
        if not found:
            raise ValueError(f"No static file {name[:200]}")
        kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(found).read_bytes(), headers={"Content-Type": kind})


def render(html, base_url):
    """The PDF of `html`, whose relative addresses are read against `base_url`."""
    fetcher = StaticFilesOnly(base_url)
    stylesheet = CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet])


if __name__ == "__main__":
    import django

    django.setup()
    sys.stdout.buffer.write(render(sys.stdin.buffer.read().decode(), sys.argv[1]))
