"""The built sites in a real browser: search, navigation, and the hostile corpus running no script.

Headless Chromium (Debian's, driven by Playwright through executable_path) loads
the site from a local http.server. Every request is routed: one to any host
but localhost fails the test. Without a Chromium the tests are skipped.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.config import Settings

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (chromium, chromium-browser, google-chrome)")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL = {"127.0.0.1", "localhost"}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@functools.cache
def _serve(folder: Path) -> str:
    """Serve ``folder`` on 127.0.0.1 from a daemon thread, once per folder; return the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


class Watch:
    """What the page did that it must not: dialogs, console errors, requests off localhost."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []

    def clean(self) -> bool:
        return not (self.dialogs or self.errors or self.foreign)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, tmp_path: Path) -> Iterator[tuple[Any, Watch]]:
    watch = Watch()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")

    def route(r: Any) -> None:
        if urlsplit(r.request.url).hostname in LOCAL:
            r.continue_()
        else:
            watch.foreign.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    p = context.new_page()
    p.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
    p.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: watch.errors.append(str(e)))
    p.on("request", lambda r: watch.foreign.append(r.url) if urlsplit(r.url).hostname not in LOCAL else None)
    yield p, watch
    context.close()


def _search(p: Any, query: str) -> list[str]:
    """Type ``query`` into Material's search box; the result links, resolved to site paths."""
    box = p.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.type(query, delay=20)
    p.wait_for_selector(".md-search-result__item, .md-search-result__meta:has-text('No matching')", timeout=10_000)
    p.wait_for_timeout(300)  # results render in batches; let the first settle
    links = p.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")
    return [urlsplit(h).path + (f"#{urlsplit(h).fragment}" if urlsplit(h).fragment else "") for h in links]


def test_search_finds_an_article_and_a_topic(demo_site: Settings, page: tuple[Any, Watch]) -> None:
    p, watch = page
    base = _serve(demo_site.site)
    p.goto(base)
    hits = _search(p, "Qingdao")
    assert any("/articles/russia-china-defense-ministers-qingdao/" in h for h in hits), hits
    name, slug = _a_topic(demo_site)
    hits = _search(p, name)
    assert any(h.startswith(f"/topics/{slug}/") for h in hits), (name, hits)
    assert watch.clean(), vars(watch)


INDEX_PAGES = {"/", "/articles/", "/topics/", "/people/", "/organizations/", "/places/"}
QINGDAO = "/articles/russia-china-defense-ministers-qingdao/"


def test_search_indexes_summaries_and_headings_not_full_text(demo_site: Settings, page: tuple[Any, Watch]) -> None:
    # README "What search indexes": an article is found by its title, summary, keyphrases and
    # headings; a word only its full text holds finds nothing, and no list page repeats a hit.
    p, watch = page
    html = (demo_site.site / QINGDAO.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "hypersonic" in html and "hypersonic" not in html.split('id="full-text"')[0]  # only in the full text
    p.goto(_serve(demo_site.site))
    assert not any(QINGDAO in h for h in _search(p, "hypersonic")), "full text is indexed"
    hits = _search(p, "Bozhovsky")  # in the summary and the keyphrases
    assert any(h.startswith(QINGDAO) for h in hits), hits
    assert not INDEX_PAGES & {h.split("#")[0] for h in hits}, hits
    hits = _search(p, "Historical Background")  # a heading inside the full text
    assert "/articles/china-russia-partnership-western-order/#historical-background-of-china-russia-relations" in hits, hits
    assert watch.clean(), vars(watch)


def _a_topic(site: Settings) -> tuple[str, str]:
    """A topic with a page and a multi-word name, chosen from what the build produced."""
    for page in sorted((site.site / "topics").glob("*/index.html")):
        h1 = re.search(r"<h1[^>]*>(.*?)<", page.read_text(encoding="utf-8"))
        if h1 and " " in h1.group(1).strip():
            return h1.group(1).strip(), page.parent.name
    pytest.fail("the demo site has no topic page with a multi-word name")


def _follow(p: Any, selector: str, target: str) -> str:
    """Click the first link matching ``selector``; wait until a page whose path matches ``target`` has loaded."""
    before = p.url
    p.locator(selector).first.click()
    p.wait_for_url(lambda url: url != before and re.search(target, urlsplit(url).path) is not None)
    p.wait_for_load_state("load")
    assert p.locator("article.md-content__inner h1").is_visible()
    return str(p.url)


def test_navigation_home_topic_article_related(demo_site: Settings, page: tuple[Any, Watch]) -> None:
    p, watch = page
    p.goto(_serve(demo_site.site))
    _follow(p, "article a[href^='topics/']:not([href='topics/'])", r"^/topics/[a-z0-9-]+/$")
    _follow(p, "article li strong a[href*='articles/']", r"^/articles/[a-z0-9-]+/$")
    _follow(p, "#related-articles + ul a", r"^/articles/[a-z0-9-]+/$")
    assert watch.clean(), vars(watch)


def test_hostile_pages_run_no_script(hostile_site: tuple[Settings, Any], page: tuple[Any, Watch]) -> None:
    settings, _ = hostile_site
    p, watch = page
    base = _serve(settings.site)
    pages = sorted(settings.site.rglob("index.html"))
    assert len(pages) > 20
    for html in pages:
        p.goto(base + html.parent.relative_to(settings.site).as_posix() + "/", wait_until="load")
        assert watch.clean(), (html, vars(watch))


@pytest.mark.parametrize("query", ["script", "alert", "onerror", "title"])
def test_hostile_search_results_are_text(hostile_site: tuple[Settings, Any], page: tuple[Any, Watch], query: str) -> None:
    settings, _ = hostile_site
    p, watch = page
    p.goto(_serve(settings.site))
    assert _search(p, query)
    injected = p.locator(".md-search-result :is(script, img, iframe, object, embed, [onerror], [onload], [onclick])")
    assert injected.count() == 0
    p.wait_for_timeout(300)
    assert watch.clean(), vars(watch)


def test_the_watch_sees_dialogs_errors_and_foreign_requests(page: tuple[Any, Watch], tmp_path: Path) -> None:
    # A checker that never fires proves nothing: a page that does all three must be caught.
    (tmp_path / "index.html").write_text(
        '<p>x</p><img src="http://example.invalid/p.png"><script>alert("caught"); undefinedCall();</script>', encoding="utf-8"
    )
    p, watch = page
    p.goto(_serve(tmp_path))
    p.wait_for_timeout(200)
    assert watch.dialogs == ["caught"]
    assert any("undefinedCall" in e for e in watch.errors)
    assert watch.foreign == ["http://example.invalid/p.png"] * len(watch.foreign) and watch.foreign
