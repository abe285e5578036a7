"""The Atom feed: read back by feedparser, dated by metadata or by first sight, the same across rebuilds."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import feedparser
import pytest

from generator import build
from generator.config import Settings, site_address
from generator.errors import ConfigError, OwnershipError
from generator.incremental import first_seen
from generator.report import Report
from generator.site import feed
from generator.site.feed import FEED, NO_SITE_URL
from tests.conftest import project, write_files

DEMO_URL = "https://briefing.example.org/"  # mkdocs.yml's site_url when BRIEFING_SITE_URL is not set
JUNE_1, JUNE_9 = "1717200000", "1717891200"  # SOURCE_DATE_EPOCH: the days a run "first sees" an undated article
PARAGRAPHS = {
    "gas": "Officials from Russia and China met in Qingdao to discuss the Power of Siberia pipeline. "
    "The talks covered gas exports, joint drills and new trade routes. Both delegations expect more gas next year.\n",
    "rail": "A new freight rail link between Harbin and Vladivostok opened to traffic on Monday. "
    "Operators said the line would carry timber, grain and coal. Traffic is expected to double within two years.\n",
    "bank": "The central banks of both countries signed a currency swap agreement worth ten billion dollars. "
    "Analysts said the deal would ease trade settlement. Exporters welcomed the decision in statements on Tuesday.\n",
}


@pytest.fixture(autouse=True)
def _demo_site_url(monkeypatch: pytest.MonkeyPatch) -> None:
    # The workflow sets BRIEFING_SITE_URL for its build; these tests read mkdocs.yml's own default.
    monkeypatch.delenv("BRIEFING_SITE_URL", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JUNE_1)


def _parse(path: Path | bytes) -> Any:
    parsed = feedparser.parse(path if isinstance(path, bytes) else path.read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def _dates(parsed: Any) -> dict[str, tuple[str, str]]:
    """{entry id: (published, updated)}."""
    return {e.id: (e.published, e.updated) for e in parsed.entries}


def _small(tmp_path: Path, **overrides: Any) -> Settings:
    """Three articles: dated by front matter (with a source), by a dateline, and not at all."""
    files = {
        "dated.md": f"---\ntitle: Pipeline talks resume\nsource: Example News\npublished: 2024-05-16\n---\n{PARAGRAPHS['gas']}",
        "wire.txt": f"Rail link opens\n\nMOSCOW, March 3, 2024 (Reuters) - {PARAGRAPHS['rail']}",
        "undated.txt": f"Currency swap signed\n\n{PARAGRAPHS['bank']}",
    }
    return project(tmp_path, files, **overrides)


# ---------------------------------------------------------------- the demo site, built once with --strict


def test_demo_build_writes_a_feed_of_complete_entries(demo_site: Settings) -> None:
    parsed = _parse(demo_site.site / "feed.xml")
    assert parsed.feed.id == DEMO_URL and parsed.feed.links[0].href == DEMO_URL
    entries = parsed.entries
    assert len(entries) >= 5
    for entry in entries:
        assert entry.title and entry.link and entry.id and entry.summary, entry
        assert entry.get("updated") or entry.get("published"), entry
        assert entry.summary_detail.type == "text/plain" and entry.title_detail.type == "text/plain"
    assert len({e.id for e in entries}) == len(entries)
    assert parsed.feed.updated == max(e.updated for e in entries)  # dated by its newest entry, not by the clock


def test_every_entry_links_a_built_page(demo_site: Settings) -> None:
    entries = _parse(demo_site.site / "feed.xml").entries
    kinds = set()
    for entry in entries:
        assert entry.link.startswith(DEMO_URL), entry.link
        page = entry.link.removeprefix(DEMO_URL)
        assert page.endswith("/") and (demo_site.site / page / "index.html").is_file(), entry.link
        kinds.add(page.split("/")[0])
    assert kinds == {"articles", "stories"}  # article pages and story updates


def test_every_page_names_the_feed_in_its_head(demo_site: Settings) -> None:
    pages = sorted(demo_site.site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        link = re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">', head)
        assert link, page
        href = link.group(1)  # relative; 404.html is served at any path, so its links start at the site's root
        target = demo_site.site / href.removeprefix("/") if page.name == "404.html" else page.parent / href
        assert target.resolve() == (demo_site.site / FEED).resolve(), page


# ---------------------------------------------------------------- dates, sources, the cap


def test_entries_are_dated_by_metadata_or_first_sight_and_name_stated_sources(tmp_path: Path) -> None:
    settings = _small(tmp_path)
    build.generate(settings)
    parsed = _parse(settings.docs / FEED)
    by_title = {e.title: e for e in parsed.entries}
    assert by_title["Pipeline talks resume"].published.startswith("2024-05-16")
    assert by_title["Rail link opens"].published.startswith("2024-03-03")  # the dateline's date, as pdf --since reads it
    assert by_title["Currency swap signed"].published.startswith("2024-06-01")  # first seen under SOURCE_DATE_EPOCH
    assert [a.name for a in by_title["Pipeline talks resume"].authors] == ["Example News"]
    assert "authors" not in by_title["Rail link opens"]  # source not stated: no author of its own
    assert parsed.feed.author == settings.title  # the feed's author is the site
    assert [e.title for e in parsed.entries] == ["Currency swap signed", "Pipeline talks resume", "Rail link opens"]
    assert parsed.feed.updated.startswith("2024-06-01")


def test_feed_entries_caps_the_feed_at_the_newest(tmp_path: Path) -> None:
    settings = _small(tmp_path, feed_entries=2)
    build.generate(settings)
    assert [e.title for e in _parse(settings.docs / FEED).entries] == ["Currency swap signed", "Pipeline talks resume"]


def test_feed_entries_zero_writes_no_feed_and_warns_nothing(tmp_path: Path) -> None:
    settings = _small(tmp_path, feed_entries=0)
    report = build.generate(settings)
    assert not (settings.docs / FEED).exists() and report.warnings == []


# ---------------------------------------------------------------- rebuilds


def test_rebuild_keeps_every_id_and_date_and_undated_articles_their_first_seen_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = project(tmp_path / "a", demo=True)
    build.generate(settings)
    first = (settings.docs / FEED).read_bytes()
    recorded = first_seen.load(settings.cache)
    assert len(recorded) == 5 and {d.isoformat() for d in recorded.values()} == {"2024-06-01"}

    # A week later the same corpus is rebuilt (the no-change shortcut defeated): the same bytes.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JUNE_9)
    (settings.cache / "state.json").unlink()
    build.generate(settings)
    assert (settings.docs / FEED).read_bytes() == first

    # The same corpus and records in another checkout give the same bytes too.
    other = project(tmp_path / "b", demo=True)
    other.cache.mkdir(parents=True)
    shutil.copy(settings.cache / first_seen.RECORD, other.cache / first_seen.RECORD)
    build.generate(other)
    assert (other.docs / FEED).read_bytes() == first

    # An undated article added that week is dated by that day; the others keep theirs, and the record keeps them.
    write_files(settings.corpus, {"swap.txt": f"Currency swap signed\n\n{PARAGRAPHS['bank']}"})
    build.generate(settings)
    before, after = _dates(_parse(first)), _dates(_parse(settings.docs / FEED))
    articles = {i for i in before if "/articles/" in i}
    assert {i: after[i] for i in articles} == {i: before[i] for i in articles}
    assert after[DEMO_URL + "articles/swap/"][0].startswith("2024-06-09")
    assert first_seen.load(settings.cache) == {**recorded, "swap": first_seen.load(settings.cache)["swap"]}
    assert first_seen.load(settings.cache)["swap"].isoformat() == "2024-06-09"


def test_a_corrupt_first_seen_record_is_a_fresh_start(tmp_path: Path) -> None:
    settings = _small(tmp_path)
    settings.cache.mkdir(parents=True)
    (settings.cache / first_seen.RECORD).write_text('{"schema": "briefing-first-seen/1", "seen": {"undated": 5}}')
    build.generate(settings)
    assert first_seen.load(settings.cache)["undated"].isoformat() == "2024-06-01"


# ---------------------------------------------------------------- site_url


def _without_site_url(settings: Settings) -> None:
    config = Path(settings.mkdocs_config)
    text = config.read_text(encoding="utf-8")
    assert "\nsite_url:" in text
    config.write_text(re.sub(r"(?m)^site_url:.*\n", "", text), encoding="utf-8")


def test_without_site_url_there_is_no_feed_and_a_warning(tmp_path: Path) -> None:
    settings = _small(tmp_path)
    build.generate(settings)
    assert (settings.docs / FEED).is_file()
    _without_site_url(settings)
    report = build.generate(settings)
    assert not (settings.docs / FEED).exists()  # the feed written before is the generator's own: removed
    assert NO_SITE_URL in report.warnings and report.exit_code() == 0
    again = build.generate(settings)  # the no-change shortcut replays the warning
    assert NO_SITE_URL in again.warnings
    strict = build.generate(_small(tmp_path / "strict", strict=True, mkdocs_config=settings.mkdocs_config))
    assert strict.exit_code() == 1 and NO_SITE_URL in strict.problems


def test_site_url_comes_from_the_environment_and_changes_the_feed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _small(tmp_path)
    build.generate(settings)
    monkeypatch.setenv("BRIEFING_SITE_URL", "https://owner.github.io/briefing")
    assert site_address(settings).url == "https://owner.github.io/briefing/"
    build.generate(settings)  # not the no-change shortcut: where the site is published is an input
    assert {e.link.split("articles/")[0] for e in _parse(settings.docs / FEED).entries} == {"https://owner.github.io/briefing/"}
    monkeypatch.setenv("BRIEFING_SITE_URL", "javascript:alert(1)")
    with pytest.raises(ConfigError, match="site_url"):
        site_address(settings)


def test_a_hand_written_feed_is_never_overwritten(tmp_path: Path) -> None:
    settings = _small(tmp_path)
    mine = settings.docs / FEED
    mine.write_text("<feed>my own</feed>", encoding="utf-8")
    with pytest.raises(OwnershipError):
        build.generate(settings)
    assert mine.read_text(encoding="utf-8") == "<feed>my own</feed>"
    assert not (settings.docs / "index.md").exists()  # the run stopped before writing anything


def test_a_hostile_title_is_escaped_text_and_characters_xml_cannot_carry_are_dropped(tmp_path: Path) -> None:
    # Ingest already strips control characters; the feed writer must not depend on it.
    settings = _small(tmp_path)
    digest = build.corpus_digest(settings, Report())
    hostile = "</title><script>alert(1)</script>\x00\x0b & ]]> \ufffe"
    article = dataclasses.replace(digest.articles[0], title=hostile)
    digest = dataclasses.replace(digest, articles=(article, *digest.articles[1:]))
    xml = feed.atom(digest, dict.fromkeys((a.slug for a in digest.articles), date(2024, 6, 1)), settings, site_address(settings))
    assert b"<script" not in xml and b"&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt;" in xml
    entry = next(e for e in _parse(xml).entries if e.link.endswith(f"/articles/{article.slug}/"))
    assert entry.title == "</title><script>alert(1)</script> & ]]>" and entry.title_detail.type == "text/plain"
