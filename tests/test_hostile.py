"""The hostile corpus: every case is rendered as text or refused with a message naming the file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from unittest.mock import patch

import feedparser
import pytest

from generator import build, cli
from generator.config import Settings
from generator.ingest.clean import slugify
from generator.ingest.readers import find_articles
from tests.conftest import ROOT, config_file, project
from tests.hostile import CASES, REFUSED, RENDERED, WARNED, Case, big_article, rendered, write_corpus

UNSAFE_SCHEMES = ("javascript", "data", "vbscript", "file")
# Elements no article may produce; Material's own pages use none of them.
FORBIDDEN_TAGS = {"iframe", "object", "embed", "img", "style", "base", "frame", "frameset", "meta-refresh"}


def _messages_for(case: Case, lines: list[str]) -> list[str]:
    # Messages name the file first; another file's message may quote this one's name.
    return [line for line in lines if line.startswith((f"{case.name}: ", f"Error processing article '{case.name}'"))]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.cls)
def test_each_case_has_its_outcome(hostile_site: tuple[Settings, build.Report], case: Case) -> None:
    settings, report = hostile_site
    errors, warnings = _messages_for(case, report.errors), _messages_for(case, report.warnings)
    pages = {p.stem for p in (settings.docs / "articles").glob("*.md")}
    slug = slugify(case.name.rsplit(".", 1)[0])
    has_page = any(p == slug or p.startswith(slug + "-") for p in pages)
    if case.outcome == REFUSED:
        assert len(errors) == 1 and case.reason in errors[0], (errors, report.errors)
        assert errors[0].startswith(f"Error processing article '{case.name}': ")
        assert not has_page
    elif case.outcome == WARNED:
        assert not errors and warnings and all(case.reason in w for w in warnings), (errors, warnings)
        assert has_page or "duplicate" in case.reason
    else:
        assert case.outcome == RENDERED
        assert not errors and not warnings, (errors, warnings)
        assert has_page, (slug, sorted(pages))


def test_every_case_is_in_the_outcome_table() -> None:
    assert {c.outcome for c in CASES} == {RENDERED, WARNED, REFUSED}
    assert len({c.name for c in CASES}) == len(CASES)


class _Scan(HTMLParser):
    """Collects every element and attribute an article could have turned into markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            scheme = (value or "").strip().lower().split(":", 1)[0]
            if name in ("href", "src", "action", "formaction", "srcset", "xlink:href") and scheme in UNSAFE_SCHEMES:
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script" and not any(n == "src" and (v or "").startswith(("assets/", "../")) for n, v in attrs):
            self.in_script = True
        self.in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self.in_script = self.in_script and tag != "script"
        self.in_title = self.in_title and tag != "title"

    def handle_data(self, data: str) -> None:
        # Material's inline scripts hold its config only; any article word there ran as code.
        if self.in_script and re.search(r"alert|onerror|Qingdao", data):
            self.problems.append(f"script text {data[:80]!r}")


def _scan(html: str) -> list[str]:
    scanner = _Scan()
    scanner.feed(html)
    return scanner.problems


def test_the_scan_finds_markup() -> None:
    # A checker that never fires proves nothing.
    assert len(_scan('<p onclick="x()">a</p><a href=" JavaScript:alert(1)">b</a><img src=x><script>alert(1)</script>')) == 4
    assert _scan('<a href="../x/">ok</a><script src="assets/javascripts/bundle.js"></script><p>&lt;script&gt;</p>') == []


def test_built_pages_hold_no_markup_from_articles(hostile_site: tuple[Settings, build.Report]) -> None:
    settings, _ = hostile_site
    pages = sorted(settings.site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert _scan(html) == [], page
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        assert title and "<" not in title.group(1), page


def test_hostile_text_is_shown_as_text(hostile_site: tuple[Settings, build.Report]) -> None:
    settings, _ = hostile_site
    html = (settings.site / "articles" / "html-and-scripts" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert('body')&lt;/script&gt;" in html
    assert "[javascript link](javascript:alert('link'))" in html
    templates = (settings.site / "articles" / "templates" / "index.html").read_text(encoding="utf-8")
    assert "{{ config.extra }}" in templates and "{% for x in range(10) %}" in templates
    breakers = (settings.site / "articles" / "markdown-breakers" / "index.html").read_text(encoding="utf-8")
    assert "==marked==" in breakers and "<mark>marked</mark>" not in breakers
    assert "[ref]: javascript:alert('ref')" in breakers


def test_search_index_holds_no_markup_from_articles(hostile_site: tuple[Settings, build.Report]) -> None:
    # Material renders search results from this index as HTML: its text must be escaped.
    settings, _ = hostile_site
    index = json.loads((settings.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for field in ("title", "text"):
            assert _scan(doc.get(field, "")) == [], (doc["location"], field)
            assert not re.search(r"<\s*(script|svg|img|iframe|div|a)\b", doc.get(field, ""), re.I), (doc["location"], field)


def test_feed_shows_hostile_titles_and_sources_as_text(hostile_site: tuple[Settings, build.Report]) -> None:
    # Feed readers render type="html" as markup; every field of ours is type="text", escaped by the XML writer.
    settings, _ = hostile_site
    xml = (settings.site / "feed.xml").read_bytes()
    assert not re.search(rb"<\s*(script|svg|img|iframe|div|a)\b", xml, re.I)
    parsed = feedparser.parse(xml)
    assert parsed.bozo == 0 and len(parsed.entries) > 10
    assert "</title><script>alert('title')</script>" in {e.title for e in parsed.entries}
    assert "<img src=x onerror=alert('source')>" in {a.name for e in parsed.entries for a in e.get("authors", [])}
    for entry in parsed.entries:
        assert entry.title_detail.type == entry.summary_detail.type == "text/plain", entry.link


def test_rendered_cases_build_with_mkdocs_strict(tmp_path: Path) -> None:
    settings = project(tmp_path, strict=True)
    write_corpus(settings.corpus, rendered())
    report = build.build(settings)
    assert report.problems == []
    assert (settings.site / "articles" / "title-breakout" / "index.html").exists()


def test_check_lists_every_problem_and_strict_fails(
    hostile_site: tuple[Settings, build.Report], capsys: pytest.CaptureFixture[str]
) -> None:
    settings, _ = hostile_site
    conf = config_file(settings, settings.docs.parent / "briefing.yml")
    assert cli.main(["check", "--config", str(conf)]) == 1
    out = capsys.readouterr().err
    for case in CASES:
        if case.outcome != RENDERED:
            assert case.name in out, case.name
    assert re.search(r"^(\d+) problem\(s\) found\.$", out, re.M)
    assert cli.main(["generate", "--config", str(conf)]) == 0
    assert cli.main(["generate", "--strict", "--config", str(conf)]) == 1


def test_twenty_megabyte_article_is_refused_quickly(tmp_path: Path) -> None:
    settings = project(
        tmp_path, {"huge.txt": big_article(), "small.txt": "Small article\n\nIt has one short paragraph of text.\n"}
    )
    start = time.perf_counter()
    report = build.generate(settings)
    assert time.perf_counter() - start < 10
    assert report.errors == [
        f"Error processing article 'huge.txt': file is {(settings.corpus / 'huge.txt').stat().st_size:,} bytes, "
        "over the limit of 5,000,000 (setting max_article_bytes)"
    ]
    assert (settings.docs / "articles" / "small.md").exists()


def test_symlink_out_of_the_corpus_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Private notes\n\nThe password is hunter2, kept outside the corpus.\n", encoding="utf-8")
    settings = project(tmp_path / "p", {"a.txt": "Public article\n\nThis text is meant to be published.\n"})
    (settings.corpus / "leak.txt").symlink_to(secret)
    (settings.corpus / "inside.txt").symlink_to(settings.corpus / "a.txt")  # inside the corpus: only a duplicate
    report = build.generate(settings)
    assert report.errors == ["Error processing article 'leak.txt': is a symbolic link to a file outside the corpus folder"]
    assert not any("hunter2" in p.read_text(encoding="utf-8") for p in settings.docs.rglob("*.md"))


def test_file_under_a_symlinked_folder_out_of_the_corpus_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text(
        "Private notes\n\nThe password is hunter2, kept outside.\n", encoding="utf-8"
    )
    settings = project(tmp_path / "p", {"a.txt": "Public article\n\nThis text is meant to be published.\n"})
    (settings.corpus / "more").mkdir()
    (settings.corpus / "more" / "far").symlink_to(tmp_path / "outside")
    with patch(
        "generator.build.find_articles", return_value=[*find_articles(settings.corpus), settings.corpus / "more/far/secret.txt"]
    ):
        report = build.generate(settings)
    assert report.errors == [
        "Error processing article 'more/far/secret.txt': is a symbolic link to a file outside the corpus folder"
    ]
    assert not any("hunter2" in p.read_text(encoding="utf-8") for p in settings.docs.rglob("*.md"))


# Runs a build in a child and prints the largest resident set of it and its children (MkDocs), in KiB.
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run([sys.executable, "-m", "generator", "build", "--config", sys.argv[1]], capture_output=True).returncode
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.perf_counter() - start)
"""


def test_hostile_build_peak_memory_and_time(tmp_path: Path) -> None:
    settings = project(tmp_path)
    write_corpus(settings.corpus)
    conf = config_file(settings, tmp_path / "briefing.yml")
    run = subprocess.run([sys.executable, "-c", MEASURE, str(conf)], cwd=ROOT, capture_output=True, text=True, check=True)
    code, peak_kib, seconds = run.stdout.split()
    print(f"hostile corpus build: peak RSS {int(peak_kib) / 1024:.0f} MiB, {float(seconds):.1f} s")  # for SECURITY.md
    assert code == "0"
    assert int(peak_kib) < 400 * 1024  # the 20 MB file is never read: refused by its size first
    assert float(seconds) < 60
