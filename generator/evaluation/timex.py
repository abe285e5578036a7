"""Temporal expressions (TIMEX3): our rules against dateparser, side by side.

The protocol is TempEval-3's (UzZaman et al., SemEval 2013), micro-averaged over
every expression of every document:

- strict: a predicted span counts when it is identical to a gold span;
- relaxed: it counts when it overlaps one, each gold span matched at most once
  (greedy, in document order, the largest overlap first);
- type and value accuracy: the share of relaxed matches whose type / value equals gold;
- value F1 = value accuracy × relaxed F1, which is how TempEval-3 reports attribute F1.

Scores are percentages rounded to two decimals; ``ms_per_doc`` is wall time.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from generator.analysis.dates import extract

METRICS = (
    "strict_p",
    "strict_r",
    "strict_f1",
    "relaxed_p",
    "relaxed_r",
    "relaxed_f1",
    "type_accuracy",
    "value_accuracy",
    "value_f1",
    "ms_per_doc",
)


@dataclass(frozen=True)
class Span:
    """One expression as the scorer sees it: where it is and what it says."""

    start: int
    end: int
    type: str
    value: str


Method = Callable[[str, datetime.date], list[Span]]


def evaluate(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """TempEval-3 scores of every available method on ``records`` (the timex JSON Lines format)."""
    methods: dict[str, Method] = {"briefing": briefing_spans}
    notes: list[str] = []
    baseline = dateparser_method()
    if baseline is None:
        notes.append("dateparser is not installed: its baseline was skipped (pip install dateparser==1.5.0)")
    else:
        methods["dateparser"] = baseline
    result: dict[str, Any] = {"n": len(records), "methods": {name: score_method(m, records) for name, m in methods.items()}}
    if notes:
        result["notes"] = notes
    return result


def briefing_spans(text: str, dct: datetime.date) -> list[Span]:
    """Our extractor, anchored on the document's creation time."""
    return [Span(t.start, t.end, t.type, t.value) for t in extract(text, dct)]


def gold_spans(record: dict[str, Any]) -> list[Span]:
    """The record's gold expressions, in document order."""
    spans = [Span(int(t["start"]), int(t["end"]), str(t["type"]), str(t["value"])) for t in record.get("timexes") or ()]
    return sorted(spans, key=lambda s: (s.start, s.end))


def score_method(method: Method, records: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Micro-averaged TempEval-3 measures of one method over all records."""
    n_sys = n_gold = strict = relaxed = type_ok = value_ok = 0
    elapsed = 0.0
    for record in records:
        dct = datetime.date.fromisoformat(str(record["dct"])[:10])
        text = str(record.get("text") or "")
        began = time.perf_counter()
        predicted = sorted(method(text, dct), key=lambda s: (s.start, s.end))
        elapsed += time.perf_counter() - began
        gold = gold_spans(record)
        n_sys += len(predicted)
        n_gold += len(gold)
        gold_exact = {(g.start, g.end) for g in gold}
        strict += sum(1 for p in predicted if (p.start, p.end) in gold_exact)
        for p, g in match_relaxed(predicted, gold):
            relaxed += 1
            type_ok += p.type == g.type
            value_ok += p.value == g.value
    scores = _prf("strict", strict, n_sys, n_gold) | _prf("relaxed", relaxed, n_sys, n_gold)
    scores["type_accuracy"] = _pct(type_ok, relaxed)
    scores["value_accuracy"] = _pct(value_ok, relaxed)
    scores["value_f1"] = round(scores["value_accuracy"] * scores["relaxed_f1"] / 100, 2)
    scores["ms_per_doc"] = round(1000 * elapsed / max(len(records), 1), 2)
    return {k: scores[k] for k in METRICS}


def match_relaxed(predicted: Sequence[Span], gold: Sequence[Span]) -> list[tuple[Span, Span]]:
    """One-to-one pairs of overlapping spans: each prediction, in order, takes the free gold span it overlaps most."""
    used: set[int] = set()
    pairs: list[tuple[Span, Span]] = []
    for p in predicted:
        best, best_overlap = -1, 0
        for i, g in enumerate(gold):
            if g.start >= p.end:
                break  # gold is sorted: nothing further can overlap
            overlap = min(p.end, g.end) - max(p.start, g.start)
            if i not in used and overlap > best_overlap:
                best, best_overlap = i, overlap
        if best >= 0:
            used.add(best)
            pairs.append((p, gold[best]))
    return pairs


def _prf(prefix: str, hits: int, n_sys: int, n_gold: int) -> dict[str, float]:
    p = hits / n_sys if n_sys else 0.0
    r = hits / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {f"{prefix}_p": round(100 * p, 2), f"{prefix}_r": round(100 * r, 2), f"{prefix}_f1": round(100 * f, 2)}


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


# dateparser returns datetimes, not granularities: a found string with a day number is a day,
# one with a month name but no day a month, a bare year a year.
_DAY_NUMBER = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\b(?!\s*(?:years?|months?|weeks?|hours?|minutes?)\b)", re.IGNORECASE)
_MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?", re.IGNORECASE)
_YEAR_ONLY = re.compile(r"^\D*\d{4}\D*$")


def dateparser_method() -> Method | None:
    """The ``dateparser.search.search_dates`` baseline, or None when dateparser is not installed."""
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None

    def spans(text: str, dct: datetime.date) -> list[Span]:
        base = datetime.datetime(dct.year, dct.month, dct.day)
        found = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
        out: list[Span] = []
        cursor = 0
        for string, moment in found:
            at = text.find(string, cursor)
            if at < 0:
                continue
            cursor = at + len(string)
            out.append(Span(at, cursor, "DATE", _granular_value(string, moment)))
        return out

    return spans


def _granular_value(string: str, moment: datetime.datetime) -> str:
    if _YEAR_ONLY.match(string) and not _MONTH_NAME.search(string):
        return f"{moment.year:04d}"
    if _MONTH_NAME.search(string) and not _DAY_NUMBER.search(_MONTH_NAME.sub(" ", string).replace(str(moment.year), " ")):
        return f"{moment.year:04d}-{moment.month:02d}"
    return moment.date().isoformat()
