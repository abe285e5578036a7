"""The printed briefing: real WeasyPrint output read back with pypdf and poppler."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from bench.__main__ import time_pdf
from generator import build
from generator.config import Settings
from generator.errors import BriefingError
from generator.models import Digest
from generator.site import pdf as printed
from tests.conftest import project

pytestmark = pytest.mark.slow

GENERATED = date(2023, 11, 14)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _pages_text(path: Path) -> list[str]:
    """Each page's text as pdftotext -layout prints it, white space collapsed."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [_norm(page) for page in out.split("\f")[: len(PdfReader(path).pages)]]


def _outline(reader: PdfReader) -> list[tuple[str, int]]:
    """(title, 1-based page) for every outline entry, depth first."""

    def walk(items: list[Any]) -> Iterator[tuple[str, int]]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield str(item.title), reader.get_destination_page_number(item) + 1

    return list(walk(reader.outline))


def _digest(settings: Settings) -> Digest:
    return build.corpus_digest(settings, build.Report())


@pytest.fixture(scope="module")
def demo_pdf(demo_site: Settings) -> Path:
    """The PDF that `briefing build` wrote into the demo site."""
    return demo_site.site / "briefing.pdf"


@pytest.fixture(scope="module")
def demo_titles(demo_site: Settings) -> list[str]:
    return [_norm(a.title) for a in _digest(demo_site).articles]


def test_build_writes_the_pdf_and_the_home_page_links_it(demo_site: Settings, demo_pdf: Path) -> None:
    assert demo_pdf.read_bytes().startswith(b"%PDF-")
    home = (demo_site.site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="md-button briefing-pdf" href="briefing.pdf"[^>]*>Download the PDF briefing</a>', home)


def test_every_demo_article_title_is_in_the_pdf(demo_pdf: Path, demo_titles: list[str]) -> None:
    text = " ".join(_pages_text(demo_pdf))
    assert len(demo_titles) == 5
    for title in demo_titles:
        assert title in text, title


def test_outline_has_an_entry_per_article(demo_pdf: Path, demo_titles: list[str]) -> None:
    entries = [_norm(title) for title, _ in _outline(PdfReader(demo_pdf))]
    for title in demo_titles:
        assert entries.count(title) == 1, title
    for chapter in ("Executive summary", "Top stories", "Figures and claims", "Timeline", "Articles", "Sources"):
        assert chapter in entries


def test_top_stories_chapter_holds_each_top_story_once_where_the_contents_say(demo_site: Settings, demo_pdf: Path) -> None:
    pages = _pages_text(demo_pdf)
    contents = next(p for p in pages if "Contents Executive summary" in p)
    assert "Main topics" not in contents
    match = re.search(r"Top stories[\s.]*?(\d+)\b", contents)
    assert match, "no contents entry for the top stories"
    first = int(match.group(1))
    end = int(re.search(r"Timeline[\s.]*?(\d+)\b", contents).group(1))  # type: ignore[union-attr]
    chapter = " ".join(pages[first - 1 : end - 1])
    top = _digest(demo_site).stories[: demo_site.executive_sentences]
    at = [chapter.find(_norm(story.headline)) for story in top]
    assert -1 not in at and at == sorted(at), [s.headline for s in top]  # every top story, in rank order
    for story in top:
        assert f"{len(story.reports)} articles, sources not stated" in chapter or len(story.reports) == 1


def test_figures_chapter_gives_the_corroborated_trade_figure_and_the_quoted_experts(demo_pdf: Path) -> None:
    pages = _pages_text(demo_pdf)
    contents = next(p for p in pages if "Contents Executive summary" in p)
    match = re.search(r"Figures and claims[\s.]*?(\d+)\b", contents)
    assert match, "no contents entry for the figures"
    chapter = " ".join(pages[int(match.group(1)) - 1 :])
    assert "Figures several articles agree on" in pages[int(match.group(1)) - 1]
    corroborated = chapter.split("Corroborated (1)", 1)[1].split("Contradicted", 1)[0]
    assert "bilateral trade, 2023: $200 billion — 3 articles" in corroborated
    assert "Eleanor Harding, Senior Fellow at the International Studies Institute" in chapter


def test_timeline_chapter_lists_dated_events_where_the_contents_say(demo_pdf: Path) -> None:
    pages = _pages_text(demo_pdf)
    contents = next(p for p in pages if "Contents Executive summary" in p)
    match = re.search(r"Timeline[\s.]*?(\d+)\b", contents)
    assert match, "no contents entry for the timeline"
    assert "Events the articles date, oldest first" in pages[int(match.group(1)) - 1]
    chapter = " ".join(pages[int(match.group(1)) - 1 :])
    for year, words in (("1992", "Joint Declaration"), ("2001", "Treaty of Good"), ("2019", "Power of Siberia pipeline")):
        assert re.search(year + r" — [^—]*" + words, chapter), year
    assert chapter.index("1992 —") < chapter.index("2001 —") < chapter.index("2019 —") < chapter.index("2023 —")


def test_contents_page_numbers_are_where_the_articles_are(demo_pdf: Path, demo_titles: list[str]) -> None:
    pages = _pages_text(demo_pdf)
    contents = next(p for p in pages if "Contents Executive summary" in p)
    outline = {_norm(t): page for t, page in _outline(PdfReader(demo_pdf))}
    for title in demo_titles:
        match = re.search(re.escape(title) + r"[\s.]*?(\d+)\b", contents)
        assert match, f"no contents entry for {title!r}"
        printed_page = int(match.group(1))
        assert title in pages[printed_page - 1], (title, printed_page)
        assert outline[title] == printed_page, (title, printed_page, outline[title])
        assert f"Page {printed_page} of {len(pages)}" in pages[printed_page - 1]


def test_page_numbers_and_running_header_are_printed(demo_site: Settings, demo_pdf: Path) -> None:
    pages = _pages_text(demo_pdf)
    assert len(pages) >= 6
    assert "Page 1 of" not in pages[0]  # the cover is counted, not numbered
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in text, number
    assert all(p.startswith(demo_site.title) for p in pages[2:])  # running header: the briefing title


def test_first_pages_are_not_blank(demo_pdf: Path, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-gray", "-r", "30", "-f", "1", "-l", "3", str(demo_pdf), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.pgm"))
    assert len(images) == 3
    for image in images:
        width, height, pixels = _read_pgm(image)
        inked = sum(1 for value in pixels if value < 160)
        assert inked > width * height * 0.003, (image.name, inked)


def _read_pgm(path: Path) -> tuple[int, int, bytes]:
    """Binary PGM (P5) as pdftoppm -gray writes it: header tokens, then one byte per pixel."""
    data = path.read_bytes()
    magic, width, height, maxval = data.split(maxsplit=4)[:4]
    assert magic == b"P5" and int(maxval) == 255
    header = len(b" ".join([magic, width, height, maxval])) + 1
    return int(width), int(height), data[header:]


def test_paper_is_a4_by_default_and_letter_on_request(demo_site: Settings, demo_pdf: Path, tmp_path: Path) -> None:
    a4 = PdfReader(demo_pdf).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    letter = replace(demo_site, paper="Letter")
    out = printed.write(printed.select(_digest(letter)), letter, tmp_path / "letter.pdf", generated=GENERATED)
    box = PdfReader(out.path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_topic_briefing_has_only_that_topics_articles(demo_site: Settings, demo_pdf: Path, tmp_path: Path) -> None:
    digest = _digest(demo_site)
    topic = next(t for t in digest.topics if 1 < len(t.articles) < len(digest.articles))
    out = tmp_path / "topic.pdf"
    build.pdf(demo_site, topic=topic.name.upper(), output=out)  # any case matches
    inside = {_norm(a.title) for a in digest.articles if a.slug in topic.articles}
    outside = {_norm(a.title) for a in digest.articles} - inside
    entries = {_norm(t) for t, _ in _outline(PdfReader(out))}
    assert inside <= entries and not outside & entries
    assert len(PdfReader(out).pages) < len(PdfReader(demo_pdf).pages)
    assert f"Topic: {topic.name}" in _pages_text(out)[0]


def test_unknown_topic_names_close_matches(demo_site: Settings) -> None:
    topic = next(t for t in _digest(demo_site).topics if len(t.name) > 8)
    with pytest.raises(BriefingError, match=re.escape(topic.name)) as info:
        build.pdf(demo_site, topic=topic.name[:-2] + "zz")
    assert "Close matches" in str(info.value)


DATED = {
    "old.md": "---\ntitle: Old pipeline news\npublished: 2024-05-01\nsource: Daily Example\n---\nThe Power of Siberia pipeline was discussed in Moscow. Officials met in May.\n",
    "mid.md": "---\ntitle: Middle pipeline news\npublished: 2024-05-10\nsource: Weekly Example\nurl: https://example.com/mid\n---\nThe Power of Siberia pipeline talks went on in Beijing. Gas prices were the sticking point.\n",
    "new.md": "---\ntitle: New pipeline news\npublished: 2024-05-20\nsource: Daily Example\n---\nThe Power of Siberia pipeline deal is close, officials said. A signing may come in June.\n",
    "undated.txt": (
        "Undated pipeline news\n\nThe Power of Siberia pipeline has no date in this story. Nobody said when. "
        "Engineers surveyed the route twice. Farmers along it asked for compensation. "
        "A second survey team arrived later. The weather delayed the work for weeks.\n"
    ),
}


def test_since_keeps_recent_dated_articles_and_says_undated_ones_were_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = project(tmp_path, DATED)
    out = tmp_path / "since.pdf"
    build.pdf(settings, since=date(2024, 5, 10), output=out)
    text = " ".join(_pages_text(out))
    assert "Middle pipeline news" in text and "New pipeline news" in text
    assert "Old pipeline news" not in text and "Undated pipeline news" not in text
    assert "1 article(s) without a date were left out." in _pages_text(out)[0]
    assert "without a date were left out" in capsys.readouterr().err
    with pytest.raises(BriefingError, match="No article was published on or after 2030-01-01"):
        build.pdf(settings, since=date(2030, 1, 1), output=out)


def test_cover_sources_appendix_full_text_setting_and_reproducible_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    settings = project(tmp_path, DATED)
    build.pdf(settings)
    build.pdf(settings, output=tmp_path / "again.pdf")
    assert (tmp_path / "again.pdf").read_bytes() == (settings.site / "briefing.pdf").read_bytes()
    pages = _pages_text(settings.site / "briefing.pdf")
    cover = pages[0]
    assert "1 May 2024 to 20 May 2024" in cover and "4 articles from 2 sources" in cover and "14 November 2023" in cover
    assert "https://example.com/mid" in pages[-1] and "Weekly Example" in pages[-1]
    digest = _digest(settings)
    analysis = digest.analyses["undated"]
    left_out = next(s.text for s in analysis.sentences if s.id not in analysis.summary)
    assert left_out not in " ".join(pages)  # full text is off by default
    full = replace(settings, pdf_full_text=True)
    build.pdf(full, output=tmp_path / "full.pdf")
    assert left_out in " ".join(_pages_text(tmp_path / "full.pdf"))


class _Recorder(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tripwire() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request: any hit means the PDF fetched something."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Recorder))
    server.hits = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.hits  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def test_hostile_article_text_is_printed_literally_and_fetches_nothing(tmp_path: Path, tripwire: tuple[str, list[str]]) -> None:
    base, hits = tripwire
    hostile = (
        f"---\ntitle: <script>alert(1)</script> pipeline\nurl: javascript:alert(1)\nsource: <b>Bold</b> News\n---\n"
        f'The <script>alert("x")</script> pipeline was discussed. '
        f'An image <img src="{base}/img.png" onerror="alert(2)"> sat in the text. '
        f'A style <link rel="stylesheet" href="{base}/style.css"> and @import url({base}/import.css) too.\n'
    )
    settings = project(
        tmp_path, {"hostile.md": hostile, "other.txt": "Other news\n\nThe pipeline was discussed again. Nothing else.\n"}
    )
    settings = replace(settings, pdf_full_text=True)
    scope = printed.select(_digest(settings))
    result = printed.write(scope, settings, tmp_path / "hostile.pdf", generated=GENERATED)
    text = " ".join(_pages_text(result.path))
    assert "<script>alert(1)</script> pipeline" in text
    assert f'<img src="{base}/img.png" onerror="alert(2)">' in text
    assert "<b>Bold</b> News" in text
    assert hits == [] and result.refused_urls == ()
    uris = [
        str(annot.get_object().get("/A", {}).get("/URI", ""))
        for page in PdfReader(result.path).pages
        for annot in page.get("/Annots", [])
    ]
    assert not any(uri.lower().startswith("javascript") for uri in uris)


def test_the_url_fetcher_refuses_everything(tripwire: tuple[str, list[str]]) -> None:
    from weasyprint import HTML

    base, hits = tripwire
    fetcher = printed._refusing_fetcher()
    html = f'<link rel="stylesheet" href="{base}/a.css"><img src="{base}/b.png"><p style="background: url({base}/c.png)">x</p>'
    HTML(string=html, url_fetcher=fetcher).render()
    assert hits == []
    assert sorted(fetcher.refused) == [f"{base}/a.css", f"{base}/b.png", f"{base}/c.png"]


def test_bench_reports_time_size_and_pages(tmp_path: Path) -> None:
    settings = project(tmp_path, DATED)
    figures = time_pdf(settings, tmp_path / "bench.pdf")
    assert figures["bytes"] == (tmp_path / "bench.pdf").stat().st_size
    assert figures["pages"] >= 5 and figures["articles"] == 4 and figures["seconds"] > 0


def test_pdftotext_and_pdftoppm_are_installed() -> None:
    # The assertions above read the PDF with poppler; say so plainly if it is missing.
    assert shutil.which("pdftotext") and shutil.which("pdftoppm"), "install poppler-utils (scripts/install-system-deps.sh)"
