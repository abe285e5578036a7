"""Figures extraction scored against gold quantities: our extractor beside quantulum3.

Protocol (``shared/eval/README.md``): within each sentence, predicted and gold
quantities are matched one to one; a pair matches on value when both values are
equal within 1e-6 relative (a range matches a range equal at both ends), and on
value and unit when the units are also equal. Precision, recall and F1 are
micro-averaged over quantities and given as percentages, two decimals.

quantulum3 runs as ``parser.parse(text)`` with its classifier switched off, and
its unit names are mapped onto the gold vocabulary by ``QUANTULUM_UNITS`` (names
it already shares, such as ``dollar`` or ``metre``, pass through unchanged;
``dimensionless`` becomes no unit).
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from generator.analysis.figures import extract

# A figure reduced to what the protocol compares: (low, high) where a single
# value has low == high, and its unit.
Figure = tuple[float, float, str | None]
Method = Callable[[str], list[Figure]]

# quantulum3's unit names where they differ from the gold vocabulary; the
# others (``dollar``, ``metre``, ``pound-mass``, ...) are already its names.
# quantulum3 has no ages: "29 years old" comes out as the duration "year", so
# its durations are read as ages, the only way the vocabulary has them. Its
# "tonne" is the vocabulary's "metric ton" (1,000 kg).
QUANTULUM_UNITS: dict[str, str | None] = {
    "dimensionless": None,
    "unk": None,
    "united states dollar": "dollar",
    "degree Celsius": "celsius",
    "degree fahrenheit": "fahrenheit",
    "degree angle": "degree",
    "year": "year of age",
    "month": "month of age",
    "week": "week of age",
    "day": "day of age",
    "tonne": "metric ton",
}

_REL_TOLERANCE = 1e-6


def evaluate(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Scores of every figures method on ``records`` (the figures JSON Lines format)."""
    golds = [[_gold_figure(q) for q in record.get("quantities") or ()] for record in records]
    texts = [str(record.get("text") or "") for record in records]
    methods: dict[str, Any] = {"briefing": _score(_briefing, texts, golds)}
    notes: list[str] = []
    quantulum = _quantulum_method()
    if quantulum is None:
        notes.append("quantulum3 is not importable: its baseline was skipped")
    else:
        methods["quantulum3"] = _score(quantulum, texts, golds)
    result: dict[str, Any] = {"n": len(records), "methods": methods}
    if notes:
        result["notes"] = notes
    return result


def _gold_figure(quantity: dict[str, Any]) -> Figure:
    span = quantity.get("range")
    unit = quantity.get("unit")
    if span:
        return float(span[0]), float(span[1]), unit
    value = quantity.get("value")
    number = math.nan if value is None else float(value)
    return number, number, unit


def _briefing(text: str) -> list[Figure]:
    figures: list[Figure] = []
    for q in extract(text):
        if q.value is not None:
            figures.append((q.value, q.value, q.unit))
        elif q.low is not None and q.high is not None:
            figures.append((q.low, q.high, q.unit))
    return figures


def _quantulum_method() -> Method | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import classifier, parser
    except ImportError:
        return None
    # The protocol runs quantulum3 without its classifier, whatever is installed.
    classifier.USE_CLF = False
    parser.parse("a warm-up of 1 metre")  # loads its unit tables outside the timed run

    def run(text: str) -> list[Figure]:
        figures: list[Figure] = []
        for q in parser.parse(text):
            name = q.unit.name
            unit = QUANTULUM_UNITS.get(name, name)
            figures.append((float(q.value), float(q.value), unit))
        return figures

    return run


def same_number(a: float, b: float) -> bool:
    """Equal within the protocol's relative tolerance (exactly equal for zero)."""
    if math.isnan(a) or math.isnan(b):
        return False
    return abs(a - b) <= _REL_TOLERANCE * max(abs(a), abs(b))


def matches(predicted: Sequence[Figure], gold: Sequence[Figure], with_unit: bool) -> int:
    """Size of a one-to-one matching of equal figures (greedy is maximal: equality is transitive here)."""
    used = [False] * len(predicted)
    hits = 0
    for g_low, g_high, g_unit in gold:
        for i, (p_low, p_high, p_unit) in enumerate(predicted):
            if used[i] or not (same_number(p_low, g_low) and same_number(p_high, g_high)):
                continue
            if with_unit and p_unit != g_unit:
                continue
            used[i] = True
            hits += 1
            break
    return hits


def _prf(hits: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    precision = hits / n_pred if n_pred else 0.0
    recall = hits / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return round(100 * precision, 2), round(100 * recall, 2), round(100 * f1, 2)


def _score(method: Method, texts: list[str], golds: list[list[Figure]]) -> dict[str, float]:
    start = time.perf_counter()
    predictions = [method(text) for text in texts]
    elapsed = time.perf_counter() - start
    n_pred = sum(len(p) for p in predictions)
    n_gold = sum(len(g) for g in golds)
    value_hits = sum(matches(p, g, with_unit=False) for p, g in zip(predictions, golds, strict=True))
    unit_hits = sum(matches(p, g, with_unit=True) for p, g in zip(predictions, golds, strict=True))
    vp, vr, vf = _prf(value_hits, n_pred, n_gold)
    up, ur, uf = _prf(unit_hits, n_pred, n_gold)
    return {
        "value_p": vp,
        "value_r": vr,
        "value_f1": vf,
        "unit_p": up,
        "unit_r": ur,
        "unit_f1": uf,
        "ms_per_sentence": round(1000 * elapsed / len(texts), 3) if texts else 0.0,
    }
