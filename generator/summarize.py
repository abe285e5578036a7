"""Extractive summarizers behind one small interface, with a name registry.

Every method takes the same ``Document`` (our own sentences) and a sentence
budget, and returns sentence indexes in article order, so the evaluation
harness can run them side by side (as sumy's ``AVAILABLE_METHODS``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """Sentences to choose from; ``paragraphs[i]`` is sentence i's paragraph."""

    sentences: tuple[str, ...]
    paragraphs: tuple[int, ...]
    title: str | None = None


Summarizer = Callable[[Document, int], tuple[int, ...]]

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    """a an the and or but of to in on at for with by from as is are was were be been
    it its this that these those he she they we you i his her their our not no
    has have had will would can could may might do does did so than then there""".split()
)


def tokens(text: str) -> list[str]:
    """Lower-cased content words."""
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


def lead(doc: Document, k: int) -> tuple[int, ...]:
    """The first ``k`` sentences."""
    return tuple(range(min(k, len(doc.sentences))))


def lead3(doc: Document, k: int) -> tuple[int, ...]:
    """The first three sentences, whatever the budget."""
    return lead(doc, 3)


def centrality(doc: Document, k: int) -> tuple[int, ...]:
    """Position-weighted TF-IDF centrality with redundancy control."""
    bags = [Counter(tokens(s)) for s in doc.sentences]
    n = len(bags)
    if n <= k:
        return tuple(range(n))
    df = Counter(w for bag in bags for w in bag)
    vecs = [{w: c * math.log(1 + n / df[w]) for w, c in bag.items()} for bag in bags]
    norms = [math.sqrt(sum(v * v for v in vec.values())) or 1.0 for vec in vecs]

    def cos(i: int, j: int) -> float:
        a, b = vecs[i], vecs[j]
        if len(a) > len(b):
            a, b = b, a
        return sum(v * b.get(w, 0.0) for w, v in a.items()) / (norms[i] * norms[j])

    scores = [sum(cos(i, j) for j in range(n) if j != i) / (n - 1) for i in range(n)]
    scores = [s * (1 + 1 / (1 + i)) for i, s in enumerate(scores)]
    chosen: list[int] = []
    while len(chosen) < k:
        best = max(
            (i for i in range(n) if i not in chosen),
            key=lambda i: scores[i] - 0.5 * max((cos(i, j) for j in chosen), default=0.0),
        )
        chosen.append(best)
    return tuple(sorted(chosen))


METHODS: dict[str, Summarizer] = {
    "briefing": centrality,
    "lead3": lead3,
    "leadk": lead,
}


def summarize(doc: Document, k: int, method: str = "briefing") -> tuple[int, ...]:
    """Run the named method."""
    return METHODS[method](doc, k)
