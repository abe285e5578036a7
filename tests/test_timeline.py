"""The timeline: dates resolved against each article's date, events merged across articles, pages and the PDF chapter."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from generator import build
from generator.ingest.dateline import dateline_date
from generator.models import Digest
from generator.report import Report
from generator.site import pdf as printed
from tests.conftest import project

TRADE_A = """---
title: Trade hits a record
source: Wire One
published: 2024-02-10
---
Bilateral trade between the two countries reached a record $200 billion in 2023, officials said.

Last year the two sides also signed a customs accord.
"""
TRADE_B = """---
title: Record trade figures
source: Wire Two
published: 2024-02-12
---
In 2023, bilateral trade between the two countries reached a record of about $200 billion.

The pipeline is expected to deliver 38 billion cubic metres of gas a year by 2027.
"""
UNDATED = "Undated story\n\nLast year the ministers met twice in the capital to discuss the border.\n\nThe talks went on into the night.\n"


def _digest(tmp_path: Path, files: dict[str, str]) -> Digest:
    return build.corpus_digest(project(tmp_path, files), Report(), use_cache=False)


def _events(digest: Digest) -> list[tuple[str, tuple[str, ...], bool, str]]:
    return [
        (e.date, tuple(s for s, _ in e.reports), e.expected, digest.analyses[e.sentence[0]].sentences[e.sentence[1]].text)
        for e in digest.timeline
    ]


def test_same_event_in_two_articles_is_one_event_citing_both(tmp_path: Path) -> None:
    events = _events(_digest(tmp_path, {"a.md": TRADE_A, "b.md": TRADE_B}))
    trade = [e for e in events if e[0] == "2023" and "trade" in e[3]]
    assert len(trade) == 1
    assert sorted(trade[0][1]) == ["a", "b"]


def test_relative_dates_resolve_against_the_publication_date_and_undated_ones_stay_off(tmp_path: Path) -> None:
    events = _events(_digest(tmp_path, {"a.md": TRADE_A, "undated.txt": UNDATED}))
    assert ("2023", ("a",), False, "Last year the two sides also signed a customs accord.") in events
    assert all("undated" not in e[1] for e in events)  # "last year" of an undated article has no year


def test_planned_events_are_marked_expected(tmp_path: Path) -> None:
    events = _events(_digest(tmp_path, {"b.md": TRADE_B}))
    assert [(e[0], e[2]) for e in events] == [("2023", False), ("2027", True)]


def test_events_come_in_date_order_with_decades_before_their_years(tmp_path: Path) -> None:
    text = "History\n\nIn 1992 a treaty was signed.\n\nThe split came in the 1960s.\n\nIn March 1965 talks failed.\n\nBy 1961 trade had collapsed.\n"
    assert [e[0] for e in _events(_digest(tmp_path, {"h.txt": text}))] == ["196", "1961", "1965-03", "1992"]


def test_a_dateline_dates_a_plain_text_article() -> None:
    assert dateline_date("MOSCOW, March 3, 2024 (Reuters) - The Kremlin said") == date(2024, 3, 3)
    assert dateline_date("BEIJING, 21 May 2024 /Xinhua/ -- China said") == date(2024, 5, 21)
    assert dateline_date("MOSCOW, March 3 (Reuters) - no year, no day") is None
    assert dateline_date("LONDON, February 30, 2024 (AP) - no such day") is None
    assert dateline_date("On March 3, 2024, troops crossed the river - a date in the story") is None


def test_dateline_date_resolves_relative_dates_and_counts_for_pdf_since(tmp_path: Path) -> None:
    text = "Border talks\n\nMOSCOW, March 3, 2024 (Reuters) - Ministers met on Tuesday to revive a deal struck last year.\n\nMore talks follow.\n"
    digest = _digest(tmp_path, {"wire.txt": text})
    assert digest.articles[0].meta.published == date(2024, 3, 3)
    assert {e.date for e in digest.timeline} >= {"2023", "2024-02-27"}
    assert [a.slug for a in printed.select(digest, since=date(2024, 3, 1)).digest.articles] == ["wire"]


def test_odd_dates_give_no_crash_and_no_entry(tmp_path: Path) -> None:
    text = (
        "Odd dates\n\nThe plan runs to the year 99999 and beyond.\n\nIt was signed on February 30, 2021 in error.\n\n"
        "Temperatures in the 50s were common.\n"
    )
    digest = _digest(tmp_path, {"odd.txt": text})
    assert all(len(e.date) < 10 or e.date != "2021-02-30" for e in digest.timeline)
    assert not any("99999" in e.date for e in digest.timeline)


def test_future_dated_article_puts_its_later_dates_as_expected(tmp_path: Path) -> None:
    future = "---\ntitle: From the future\npublished: 2091-01-05\n---\nIn 2095 the bridge opened to traffic.\n\nIn 2090 the work began.\n"
    events = {e.date: e.expected for e in _digest(tmp_path, {"f.md": future}).timeline}
    assert events == {"2090": False, "2095": True}


def test_timeline_page_lists_the_demo_years_in_order(tmp_path: Path) -> None:
    settings = project(tmp_path, demo=True)
    build.generate(settings)
    page = (settings.docs / "timeline" / "index.md").read_text(encoding="utf-8")
    years = re.findall(r"^## (\d{4}s?)$", page, flags=re.MULTILINE)
    assert [y for y in years if y in {"1991", "1992", "2001", "2019", "2023"}] == ["1991", "1992", "2001", "2019", "2023"]
    section = dict(re.findall(r"^## (\S+)\n(.*?)(?=^## |\Z)", page, flags=re.MULTILINE | re.DOTALL))
    assert "Joint Declaration" in section["1992"] and "putin-visit-russia-china-friendship.md#sent-" in section["1992"]
    assert "Treaty of Good" in section["2001"] and "china-russia-partnership-western-order.md#sent-" in section["2001"]
    trade = next(line for line in section["2023"].splitlines() if "bilateral trade" in line)
    assert len(set(re.findall(r"\(\.\./articles/([a-z0-9-]+)\.md#sent-\d+\)", trade))) >= 3


def test_hostile_text_in_a_dated_sentence_stays_text(tmp_path: Path) -> None:
    files = {
        "h.txt": "Hostile\n\nIn 2020 <script>alert(1)</script> and [link](javascript:alert(2)) were seen.\n\nMore text here.\n"
    }
    settings = project(tmp_path, files)
    build.generate(settings)
    page = (settings.docs / "timeline" / "index.md").read_text(encoding="utf-8")
    assert "<script>" not in page and "](javascript:" not in page
    assert r"\<script\>" in page
