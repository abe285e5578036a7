"""The timeline: dated events across the corpus, oldest first, each citing every article that reports it.

A sentence with a resolved date (a year, month, day or decade, from the
article's dates) is an event on that date. Reports of one event in
different articles merge: same date, and sentences whose content words
overlap enough (IDF-weighted cosine, as the executive summary compares
sentences). Candidates for a merge come from an inverted index of each
event's rarest words within its date, never from all pairs, so the pass
stays close to linear in the corpus.

A sentence about what is planned or expected ("is expected to deliver ...
by 2025"), or dated after its article was published, is marked expected:
the timeline says it has not happened.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from generator.analysis.summarize import stem_tokens
from generator.models import Analysis, Article, Event, Timex

# Cosine above which two dated sentences report the same event.
SAME_EVENT = 0.2
# Groups a report is compared with (those sharing most words), and the most dated sentences a word
# may be on to find candidates: both bound the work on a date that thousands of sentences name.
CANDIDATES = 5
POSTINGS = 200
# Values the timeline places: a year, a month, a day, or a decade ("196").
_PLACEABLE = re.compile(r"(?:\d{3}|\d{4}(?:-\d{2}(?:-\d{2})?)?)")
_EXPECTED = re.compile(
    r"\b(?:will|shall|is (?:expected|set|due|scheduled|slated|poised) to|are (?:expected|set|due|scheduled|slated|poised) to|"
    r"plans? to|planned|aims? to|intends? to|projected|forecast|to be (?:completed|delivered|launched|held))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Report:
    """One dated sentence of one article."""

    date: str
    slug: str
    sentence: int
    expected: bool
    words: Counter[str]


def timeline(articles: Sequence[Article], analyses: dict[str, Analysis]) -> tuple[Event, ...]:
    """Every dated event, oldest first; reports of one event in several articles merged into one Event."""
    reports = [r for a in articles for r in _reports(a, analyses[a.slug])]
    df = Counter(w for r in reports for w in r.words)
    by_date: dict[str, list[_Report]] = defaultdict(list)
    for report in reports:
        by_date[report.date].append(report)
    total = len(reports)
    idf = {w: math.log(1 + total / n) for w, n in df.items()}
    events = [event for date in by_date for event in _merged(by_date[date], idf, df)]
    return tuple(sorted(events, key=_chronological))


def _reports(article: Article, analysis: Analysis) -> list[_Report]:
    """The article's dated sentences: each distinct placeable date of a sentence, once."""
    seen: set[tuple[int, str]] = set()
    published = article.meta.published.isoformat() if article.meta.published else None
    read: dict[int, tuple[bool, Counter[str]]] = {}  # a sentence with several dates is read once
    out = []
    for timex in analysis.dates:
        if not _placeable(timex) or (timex.sentence, timex.value) in seen:
            continue
        seen.add((timex.sentence, timex.value))
        if timex.sentence not in read:
            text = analysis.sentences[timex.sentence].text
            read[timex.sentence] = (_EXPECTED.search(text) is not None, Counter(stem_tokens(text)))
        planned, words = read[timex.sentence]
        later = published is not None and timex.value > published[: len(timex.value)]
        out.append(_Report(timex.value, article.slug, timex.sentence, later or planned, words))
    return out


def _placeable(timex: Timex) -> bool:
    return timex.type == "DATE" and timex.resolved and _PLACEABLE.fullmatch(timex.value) is not None


def _merged(reports: list[_Report], idf: dict[str, float], df: Counter[str]) -> list[Event]:
    """One date's reports grouped into events: a report joins the best-matching group it can from other articles."""
    groups: list[list[_Report]] = []
    firsts: list[
        tuple[dict[str, float], float]
    ] = []  # each group's first report's vector and norm: what a report is compared with
    slugs: list[set[str]] = []  # each group's articles: one report an article
    index: dict[str, list[int]] = defaultdict(list)  # rarer word -> groups whose first report has it
    for report in reports:
        vector = {w: c * idf[w] for w, c in report.words.items()}  # executive.idf_vector, its logarithms taken once
        norm = math.sqrt(sum(v * v for v in vector.values()))
        # Words on many of the corpus's dated sentences find no candidates: they would list every group.
        rare = [w for w in report.words if df[w] <= POSTINGS]
        shared = Counter(g for w in rare for g in index.get(w, ()))
        candidates = sorted(shared, key=lambda g: (-shared[g], g))[:CANDIDATES]
        home = next(
            (g for g in candidates if report.slug not in slugs[g] and _cosine(vector, norm, *firsts[g]) >= SAME_EVENT), None
        )
        if home is None:
            home = len(groups)
            groups.append([])
            firsts.append((vector, norm))
            slugs.append(set())
            for w in rare:
                index[w].append(home)
        groups[home].append(report)
        slugs[home].add(report.slug)
    return [_event(group) for group in groups]


def _cosine(a: dict[str, float], norm_a: float, b: dict[str, float], norm_b: float) -> float:
    """executive.cosine with both norms known: a group's first vector meets many reports."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    norm = norm_a * norm_b
    return dot / norm if norm else 0.0


def _event(group: list[_Report]) -> Event:
    first = group[0]
    return Event(
        date=first.date,
        sentence=(first.slug, first.sentence),
        reports=tuple((r.slug, r.sentence) for r in group),
        expected=all(r.expected for r in group),
    )


def _chronological(event: Event) -> tuple[str, str, str, int]:
    # A decade ("196") sorts before the years in it; then by the first report.
    date = event.date if len(event.date) > 3 else event.date + "0"
    return (date, event.date, *event.sentence)
