"""Story pages, the story index, the sources page and the home page's top stories, built from a small corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import build
from generator.config import Settings
from tests.conftest import project

QUAKE = (
    "A magnitude 7.1 earthquake struck Valparaiso on Tuesday, killing 14 people and injuring 230, officials said. "
    "Chilean President Gabriel Boric flew to Valparaiso to inspect the damage in the port district of Cerro Alegre. "
    "Rescue teams from Santiago searched collapsed buildings near the Muelle Prat through the night. "
    "The National Seismological Center said the quake was centred 40 kilometres off the coast at a depth of 30 kilometres."
)
QUAKE_TWO = (
    "Rescuers in Valparaiso pulled survivors from the rubble after the magnitude 7.1 earthquake killed 14 people. "
    "Gabriel Boric visited Cerro Alegre and promised emergency funds for the port city. "
    "The National Seismological Center recorded more than 40 aftershocks off the coast of Valparaiso. "
    "Officials in Santiago said 230 people were injured and 1,200 homes were damaged in Valparaiso."
)
MATCH = (
    "Manchester United beat Aston Villa 3-1 at Old Trafford on Saturday with two goals from Marcus Rashford. "
    "Erik ten Hag praised his midfield after the win lifted United to fifth in the Premier League table. "
    "Villa manager Unai Emery said his side paid for a slow start in the first half."
)
HOSTILE_SOURCE = "<script>alert('source')</script>"


def _md(title: str, source: str, body: str, published: str) -> str:
    return f"---\ntitle: {title!r}\nsource: {source!r}\npublished: {published}\n---\n{body}\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    files = {
        "quake-wire.md": _md("<img src=x onerror=alert(1)> Quake kills 14 in Valparaiso", "Wire One", QUAKE, "2024-03-05"),
        "quake-wire-update.md": _md(
            "Quake kills 14 in Valparaiso (updated)", "Wire One", QUAKE + " Power was restored by evening.", "2024-03-06"
        ),
        "quake-daily.md": _md("Valparaiso digs out after deadly quake", HOSTILE_SOURCE, QUAKE_TWO, "2024-03-06"),
        "football.md": _md("United beat Villa", "Sports Desk", MATCH, "2024-03-09"),
    }
    settings = project(tmp_path_factory.mktemp("stories"), files)
    build.generate(settings)
    return settings


def _page(settings: Settings, rel: str) -> str:
    return (settings.docs / rel).read_text(encoding="utf-8")


def _story_pages(settings: Settings) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in (settings.docs / "stories").glob("*.md") if p.name != "index.md"}


def test_the_quake_reports_form_one_story_and_the_match_stays_alone(site: Settings) -> None:
    pages = _story_pages(site)
    assert len(pages) == 1
    page = next(iter(pages.values()))
    for slug in ("quake-wire", "quake-wire-update", "quake-daily"):
        assert f"../articles/{slug}.md" in page
    assert "football" not in page


def test_a_near_duplicate_is_shown_as_a_version_and_counted_once(site: Settings) -> None:
    page = next(iter(_story_pages(site).values()))
    assert "*a version of* " in page
    assert "2 articles from 2 sources" in page  # three files, two texts, two sources
    assert "first reported 5 March 2024\\, last updated 6 March 2024" in page


def test_story_page_summary_cites_its_articles_and_lists_what_each_adds(site: Settings) -> None:
    page = next(iter(_story_pages(site).values()))
    summary = page.split("## Summary", 1)[1].split("##", 1)[0]
    assert re.search(r"\(\[[^]]+\]\(\.\./articles/quake-[a-z-]+\.md#sent-\d+\)\)", summary)
    assert "## What each source adds" in page


def test_story_index_lists_every_story_ranked_by_sources(site: Settings) -> None:
    index = _page(site, "stories/index.md")
    rows = [line for line in index.splitlines() if line.startswith("| [")]
    assert len(rows) == 2  # the quake story and the match
    assert "stories/" in rows[0] and "articles/football.md" in rows[1]


def test_sources_page_counts_stated_sources_and_the_matrix(site: Settings) -> None:
    page = _page(site, "sources/index.md")
    assert "## Wire One" in page and "## Sports Desk" in page
    assert "2 articles in 1 story" in page  # the wire's two versions
    assert "## Coverage of the main topics" in page


def test_home_leads_with_top_stories(site: Settings) -> None:
    home = _page(site, "index.md")
    assert home.index("## Top stories") < home.index("## Newest articles")
    top = home.split("## Top stories", 1)[1].split("##", 1)[0]
    assert "stories/" in top and "#sent-" in top


def test_hostile_titles_and_sources_stay_text_on_every_new_page(site: Settings) -> None:
    pages = [
        _page(site, "stories/index.md"),
        _page(site, "sources/index.md"),
        _page(site, "index.md"),
        *_story_pages(site).values(),
    ]
    for text in pages:
        assert not re.search(r"(?<!\\)<", text), "an unescaped < from an article"
    assert any(r"\<script\>" in text for text in pages) and any(r"\<img" in text for text in pages)


def test_single_source_story_is_flagged(tmp_path: Path) -> None:
    files = {
        "a.md": _md("Quake kills 14 in Valparaiso", "Wire One", QUAKE, "2024-03-05"),
        "b.md": _md("Valparaiso digs out", "Wire One", QUAKE_TWO, "2024-03-06"),
    }
    settings = project(tmp_path, files)
    build.generate(settings)
    page = next(iter(_story_pages(settings).values()))
    assert "**single source**" in page
    assert "## Stories that one source alone covers" in _page(settings, "sources/index.md")
    assert "No story of two or more articles" not in _page(settings, "sources/index.md")


def test_a_story_keeps_its_slug_when_an_earlier_report_joins_it(tmp_path: Path) -> None:
    files = {
        "b-quake.md": _md("Quake kills 14 in Valparaiso", "Wire One", QUAKE, "2024-03-05"),
        "c-quake.md": _md("Valparaiso digs out", "Wire Two", QUAKE_TWO, "2024-03-06"),
        "football.md": _md("United beat Villa", "Sports Desk", MATCH, "2024-03-09"),
    }
    settings = project(tmp_path, files)
    build.generate(settings)
    before = set(_story_pages(settings))
    assert len(before) == 1
    # An earlier report would name a fresh story after itself; the record keeps the old name.
    early = _md("Strong quake hits Chile", "Wire Three", QUAKE.replace("officials said", "the government said"), "2024-03-04")
    (settings.corpus / "a-quake.md").write_text(early, encoding="utf-8")
    build.generate(settings)
    after = _story_pages(settings)
    assert set(after) == before
    assert "../articles/a-quake.md" in next(iter(after.values()))
