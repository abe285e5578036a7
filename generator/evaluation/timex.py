"""Temporal expressions (TIMEX3): our rules against dateparser, side by side.

The protocol is TempEval-3's (UzZaman et al., SemEval 2013), micro-averaged over
every expression of every document:

- strict: a predicted span counts when it is identical to a gold span;
- relaxed: as the official TempEval-3 scorer counts it, precision is the share of predicted
  spans that overlap some gold span and recall the share of gold spans some prediction overlaps
  (not one-to-one: that is what reproduces the README's baselines, 63.6 relaxed F1 for dateparser);
- type and value accuracy: over the predicted spans that overlap gold, each compared with the gold
  span it overlaps most, the share whose type / value equals it;
- value F1 = value accuracy × relaxed F1, which is how TempEval-3 reports attribute F1.

Scores are percentages rounded to two decimals; ``ms_per_doc`` is wall time.
"""

from __future__ import annotations

import datetime
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
    n_sys = n_gold = strict = relaxed_sys = relaxed_gold = type_ok = value_ok = 0
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
        pairs = match_relaxed(predicted, gold)
        relaxed_sys += len(pairs)
        relaxed_gold += sum(1 for g in gold if any(_overlap(p, g) > 0 for p in predicted))
        for p, g in pairs:
            type_ok += p.type == g.type
            value_ok += p.value == g.value
    scores = _prf("strict", strict, strict, n_sys, n_gold) | _prf("relaxed", relaxed_sys, relaxed_gold, n_sys, n_gold)
    scores["type_accuracy"] = _pct(type_ok, relaxed_sys)
    scores["value_accuracy"] = _pct(value_ok, relaxed_sys)
    scores["value_f1"] = round(scores["value_accuracy"] * scores["relaxed_f1"] / 100, 2)
    scores["ms_per_doc"] = round(1000 * elapsed / max(len(records), 1), 2)
    return {k: scores[k] for k in METRICS}


def match_relaxed(predicted: Sequence[Span], gold: Sequence[Span]) -> list[tuple[Span, Span]]:
    """Each prediction that overlaps gold, paired with the gold span (sorted) it overlaps most; the first on a tie."""
    pairs: list[tuple[Span, Span]] = []
    for p in predicted:
        best: Span | None = None
        best_overlap = 0
        for g in gold:
            if g.start >= p.end:
                break  # gold is sorted: nothing further can overlap
            overlap = _overlap(p, g)
            if overlap > best_overlap:
                best, best_overlap = g, overlap
        if best is not None:
            pairs.append((p, best))
    return pairs


def _overlap(a: Span, b: Span) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def _prf(prefix: str, hits_sys: int, hits_gold: int, n_sys: int, n_gold: int) -> dict[str, float]:
    p = hits_sys / n_sys if n_sys else 0.0
    r = hits_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {f"{prefix}_p": round(100 * p, 2), f"{prefix}_r": round(100 * r, 2), f"{prefix}_f1": round(100 * f, 2)}


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


def dateparser_method() -> Method | None:
    """The ``dateparser.search.search_dates`` baseline, or None when dateparser is not installed."""
    try:
        from dateparser.date import DateDataParser
        from dateparser.search import search_dates
    except ImportError:
        return None

    def spans(text: str, dct: datetime.date) -> list[Span]:
        settings = {"RELATIVE_BASE": datetime.datetime(dct.year, dct.month, dct.day)}
        found = search_dates(text, languages=["en"], settings=settings) or []
        parser = DateDataParser(languages=["en"], settings=settings)
        out: list[Span] = []
        cursor = 0
        for string, moment in found:
            at = text.find(string, cursor)
            if at < 0:
                continue
            cursor = at + len(string)
            # search_dates gives a datetime; the granularity is the period dateparser reads in the string.
            data = parser.get_date_data(string)
            out.append(
                Span(at, cursor, "DATE", _period_value(moment, (data.period if data and data.date_obj else None) or "day"))
            )
        return out

    return spans


def _period_value(moment: datetime.datetime, period: str) -> str:
    if period == "year":
        return f"{moment.year:04d}"
    if period == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if period == "week":
        year, week, _ = moment.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if period == "time":
        return moment.strftime("%Y-%m-%dT%H:%M")
    return moment.date().isoformat()
