"""Extractive summarizers behind one small interface, with a name registry.

Every method takes the same ``Document`` (our own sentences) and a sentence
budget, and returns sentence indexes in article order, so the evaluation
harness can run them side by side (as sumy's ``AVAILABLE_METHODS``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np


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

# Tuned on the BBC development set only, and kept few and coarse on purpose.
LEAD_SCALE = 0.2  # budget share (summary / article sentences) at which the lead restart has fallen to 1/e
LEAD_DECAY = 0.5  # the lead prior of the i-th sentence is 1 / (1 + i) ** LEAD_DECAY
TITLE = 0.25  # weight of TF-IDF cosine with the title
REDUNDANCY = 0.3  # MMR: penalty per unit of cosine with a sentence already chosen
DUPLICATE = 0.8  # cosine at which a sentence repeats a chosen one: never picked while others remain
MIN_WORDS = 4  # fewer content words than this (a byline, a dateline, "Why?") is not summary material

_LETTERS = re.compile(r"[a-z]+")


def tokens(text: str) -> list[str]:
    """Lower-cased content words."""
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


def vocabulary(texts: Iterable[str]) -> tuple[str, ...]:
    """The distinct stemmed content words of ``texts``, sorted."""
    return tuple(sorted({w for t in texts for w in stem_tokens(t)}))


@lru_cache(maxsize=4096)
def stem_tokens(text: str) -> tuple[str, ...]:
    """Content words with plurals folded ("talks" -> "talk"), for matching.

    Cached: analysis stems a sentence for its summary, then again for its vocabulary.
    """
    return tuple([_stem(w) for w in tokens(text)])


@lru_cache(maxsize=65536)  # a corpus reuses a few tens of thousands of words
def _stem(word: str) -> str:
    # Only plurals: stronger suffix stripping measured worse on the dev set.
    for suffix in ("ies", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def lead(doc: Document, k: int) -> tuple[int, ...]:
    """The first ``k`` sentences."""
    return tuple(range(min(k, len(doc.sentences))))


def lead3(doc: Document, k: int) -> tuple[int, ...]:
    """The first three sentences, whatever the budget."""
    return lead(doc, 3)


def briefing(doc: Document, k: int) -> tuple[int, ...]:
    """Our method: position-aware eigenvector centrality, title similarity, MMR.

    Sentences are ranked by personalised PageRank over TextRank's similarity
    graph: the random walk restarts at the lead (a prior falling with
    position) with a probability that grows as the budget shrinks relative to
    the article, so a three-sentence summary of a long story stays close to
    its lead while a long summary goes for what the whole article is about.
    Title similarity is added, then sentences are picked greedily, each
    penalised by its similarity to those already picked (maximal marginal
    relevance), and returned in article order. Sentences with too few
    content words (bylines, datelines) are skipped while others remain.
    """
    n = len(doc.sentences)
    if n <= k:
        return tuple(range(n))
    content = [i for i, s in enumerate(doc.sentences) if _content_words(s) >= MIN_WORDS]
    if len(content) <= k:
        content = list(range(n))
    bags = [Counter(stem_tokens(doc.sentences[i])) for i in content]
    vectors, title = _tfidf(bags, Counter(stem_tokens(doc.title or "")))
    central = _centrality(bags, k)
    top = max(central) or 1.0
    squares = [_squares(v) for v in vectors]
    title_squares = _squares(title)
    scores = [
        round(central[i] / top + TITLE * _cosine(vectors[i], title, squares[i], title_squares), 9) for i in range(len(bags))
    ]
    return tuple(sorted(content[i] for i in _mmr(scores, vectors, squares, k)))


def _content_words(sentence: str) -> int:
    return sum(1 for w in _LETTERS.findall(sentence.lower()) if w not in _STOP)


def _centrality(bags: list[Counter[str]], k: int) -> list[float]:
    # Eigenvector centrality (TextRank / LexRank) rather than a degree sum:
    # a sentence is central when it is similar to sentences that are
    # themselves central. The walk restarts at the lead with a probability
    # that is high for a short summary of a long article (journalists'
    # highlights follow the lead) and faint when the budget is a large
    # share of the article (see _restart). Solved
    # exactly, not iterated.
    n = len(bags)
    weights = np.zeros((n, n))
    logs = [math.log(1 + sum(bag.values())) for bag in bags]
    for (i, j), shared in _overlaps(bags).items():
        # TextRank's similarity: shared words over the sum of log lengths,
        # so long, informative sentences are not penalised as cosine does.
        weights[i, j] = weights[j, i] = shared / ((logs[i] + logs[j]) or 1.0)
    votes = weights.sum(axis=0)
    walk = weights / np.where(votes > 0, votes, 1.0)  # column j shares sentence j's vote
    prior = 1.0 / (1.0 + np.arange(n)) ** LEAD_DECAY
    restart = _restart(k / n)
    rank = np.linalg.solve(np.eye(n) - (1 - restart) * walk, restart * prior / prior.sum())
    return [float(x) for x in rank]


def _restart(share: float) -> float:
    # About 0.8 for a one-in-ten summary (highlights of a long story), 0.5
    # for three of 18 sentences, under 0.05 for BBC's six of 18. A Gaussian
    # rather than an exponential fall: measured, the exponential either gave
    # up BBC's centrality or left two-sentence summaries below LEAD-2.
    return math.exp(-((min(1.0, share) / LEAD_SCALE) ** 2))


def _overlaps(bags: list[Counter[str]]) -> dict[tuple[int, int], int]:
    # Inverted index: only pairs of sentences that share a word are visited.
    postings: dict[str, list[tuple[int, int]]] = {}
    for i, bag in enumerate(bags):
        for word, count in bag.items():
            postings.setdefault(word, []).append((i, count))
    overlap: dict[tuple[int, int], int] = {}
    for posting in postings.values():
        for a, (i, ci) in enumerate(posting):
            for j, cj in posting[a + 1 :]:
                overlap[i, j] = overlap.get((i, j), 0) + min(ci, cj)
    return overlap


def _tfidf(bags: list[Counter[str]], title: Counter[str]) -> tuple[list[dict[str, float]], dict[str, float]]:
    n = len(bags)
    df = Counter(w for bag in bags for w in bag)

    def vector(bag: Counter[str]) -> dict[str, float]:
        return {w: c * math.log(1 + n / (df[w] or 1)) for w, c in bag.items()}

    return [vector(bag) for bag in bags], vector(title)


def _mmr(scores: list[float], vectors: list[dict[str, float]], squares: list[float], k: int) -> tuple[int, ...]:
    chosen: list[int] = []
    left = set(range(len(scores)))
    closest = dict.fromkeys(left, 0.0)  # highest cosine with any chosen sentence
    while len(chosen) < k and left:
        fresh = [i for i in left if closest[i] < DUPLICATE] or list(left)
        # Ties go to the earlier sentence, so the result is deterministic.
        best = max(fresh, key=lambda i: (scores[i] - REDUNDANCY * closest[i], -i))
        chosen.append(best)
        left.remove(best)
        for i in left:
            closest[i] = max(closest[i], _cosine(vectors[i], vectors[best], squares[i], squares[best]))
    return tuple(sorted(chosen))


def _squares(vector: dict[str, float]) -> float:
    return sum(v * v for v in vector.values())


def _cosine(a: dict[str, float], b: dict[str, float], a_squares: float, b_squares: float) -> float:
    """Cosine of two vectors, given each one's sum of squares (computed once per vector, not per pair)."""
    if len(a) > len(b):
        a, b, a_squares, b_squares = b, a, b_squares, a_squares
    # Only shared words: the others would add exact zeros, so the sum is the same.
    dot = sum(v * b[w] for w, v in a.items() if w in b)
    norm = math.sqrt(a_squares * b_squares)
    return dot / norm if norm else 0.0


METHODS: dict[str, Summarizer] = {
    "briefing": briefing,
    "lead3": lead3,
    "leadk": lead,
}


def summarize(doc: Document, k: int, method: str = "briefing") -> tuple[int, ...]:
    """Run the named method."""
    return METHODS[method](doc, k)
