"""Printing a page of the built site from a real browser gives clean paper."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator import build
from generator.config import Settings
from tests.conftest import project

pytestmark = pytest.mark.slow

SLUG = "russia-china-defense-ministers-qingdao"


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    pytest.skip("no Chromium or Chrome on PATH (scripts/install-system-deps.sh installs chromium)")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(demo_site: Settings) -> Iterator[str]:
    """The built demo site on 127.0.0.1, as a browser would see it published."""
    with _serve(demo_site.site) as url:
        yield url


@contextmanager
def _serve(folder: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _print(url: str, tmp_path: Path) -> str:
    """Print ``url`` to PDF with headless Chromium and return its text (pdftotext), white space collapsed."""
    out = tmp_path / "page.pdf"
    cmd = [
        _browser(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-pdf-header-footer",  # the browser's own header repeats the page title and URL
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--print-to-pdf={out}",
        url,
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=90)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_printed_article_page_has_the_article_and_no_site_chrome(demo_site: Settings, served: str, tmp_path: Path) -> None:
    page = (demo_site.site / "articles" / SLUG / "index.html").read_text(encoding="utf-8")
    main = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', page, re.S)
    first = re.search(r'<mark class="s[^"]*" id="sent-0">(.*?)</mark>', page, re.S)
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', page, re.S)
    assert main and first and nav
    article_text = _text(main.group(1))
    # Navigation labels that the article itself does not use: those must vanish from paper.
    labels = {_text(a) for a in re.findall(r'<a href="[^"]*" class="md-nav__link">(.*?)</a>', nav.group(0), re.S)}
    chrome = sorted(label for label in labels if label and label not in article_text)
    assert len(chrome) >= 2, labels

    printed = _print(f"{served}/articles/{SLUG}/", tmp_path)

    assert _text(first.group(1)) in printed
    for label in chrome:
        assert label not in printed, label
    for widget in ("Skip to content", "Made with", "Back to top", "Type to start searching"):
        assert widget not in printed, widget


def test_printed_page_shows_where_external_links_lead_but_not_internal_ones(tmp_path: Path) -> None:
    _browser()  # skip before building anything when there is no browser
    article = "---\ntitle: Pipeline talks\nsource: Example News\nurl: https://example.com/news/1\n---\nThe Power of Siberia pipeline talks resumed in Beijing. Gas prices were the sticking point.\n"
    settings = project(tmp_path / "site", {"talks.md": article})
    build.build(settings)
    with _serve(settings.site) as url:
        printed = _print(f"{url}/articles/talks/", tmp_path)
    assert "original (https://example.com/news/1)" in printed
    assert "#sent-" not in printed and "↓" not in printed
