"""``briefing eval keyphrases``: our keyphrases against raw YAKE, side by side.

The usual protocol (as in the YAKE papers and ``shared/eval/README.md``):
every method gets the same document (``title + "\\n" + text``), n-gram size
and count; a predicted phrase matches a gold one when both are equal after
lower-casing and Porter stemming each word. Gold phrases are deduplicated
after that normalization, and so are predictions (first occurrence kept)
before the cut at k, which is how the README's raw YAKE figures were measured.
Scores are P, R and F1 at 5 and 10, macro-averaged, as percentages.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from nltk.stem import PorterStemmer

from generator.analysis.keyphrases import METHODS, Extractor

CUTOFFS = (5, 10)
TOP = max(CUTOFFS)

_STEMMER = PorterStemmer()


def evaluate(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Scores of every keyphrase method on ``records`` (the JSON Lines format)."""
    golds = [gold_set(r.get("keyphrases") or ()) for r in records]
    docs = [document_segments(r) for r in records]
    methods = {name: _score_method(METHODS[name], docs, golds) for name in ("briefing", "yake")}
    return {"n": len(records), "methods": methods}


def document_segments(record: dict[str, Any]) -> list[str]:
    """Title, then each line of the text: the boundaries our method respects.

    Raw YAKE joins them with newlines, which gives exactly ``title + "\\n" + text``.
    """
    title = record.get("title") or ""
    text = record.get("text") or ""
    return [title, *text.split("\n")]


def normalize(phrase: str) -> str:
    """Lower-cased, Porter-stemmed words, the matching key of the protocol."""
    return " ".join(_stem(w) for w in re.findall(r"\w+", phrase.lower()))


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_STEMMER.stem(word))


def gold_set(phrases: Sequence[str]) -> frozenset[str]:
    """Gold phrases, deduplicated after normalization."""
    return frozenset(k for k in (normalize(p) for p in phrases) if k)


def scores_at(predicted: Sequence[str], gold: frozenset[str], k: int) -> tuple[float, float, float]:
    """(P, R, F1) of the first ``k`` predictions, as fractions; P divides by ``k``."""
    top = list(dict.fromkeys(normalize(p) for p in predicted))[:k]
    hits = len(set(top) & gold)
    precision = hits / k
    recall = hits / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def _score_method(method: Extractor, docs: list[list[str]], golds: list[frozenset[str]]) -> dict[str, float]:
    totals = dict.fromkeys((f"{m}@{k}" for k in CUTOFFS for m in ("p", "r", "f1")), 0.0)
    start = time.perf_counter()
    predictions = [[kp.text for kp in method(segments, TOP)] for segments in docs]
    elapsed = time.perf_counter() - start
    for predicted, gold in zip(predictions, golds, strict=True):
        for k in CUTOFFS:
            p, r, f = scores_at(predicted, gold, k)
            totals[f"p@{k}"] += p
            totals[f"r@{k}"] += r
            totals[f"f1@{k}"] += f
    n = max(len(docs), 1)
    result = {name: round(100 * value / n, 2) for name, value in totals.items()}
    result["ms_per_doc"] = round(1000 * elapsed / n, 2)
    return result
