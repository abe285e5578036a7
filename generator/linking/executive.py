"""The executive summary: a multi-document extractive summary of the corpus.

Candidates are each article's own summary sentences (already the central
ones of their article). A candidate ranks higher the more *other* articles
share its content words, so the summary states what the sources agree on;
a greedy pass then skips any candidate too similar to one already chosen,
so the same fact reported by two sources appears once, citing one of them.

Cost stays close to linear in corpus size: document frequencies come from
one pass over each article's vocabulary (an inverted count, never a loop
over pairs of articles), and redundancy is checked only against the ``n``
sentences already chosen.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from generator.analysis.summarize import stem_tokens
from generator.models import Analysis

# Cosine above which two sentences are taken to state the same fact.
REDUNDANT = 0.35
# A word must appear in at least this many articles to count as shared.
MIN_SHARED = 2


def executive_summary(items: Sequence[tuple[str, Analysis]], n: int) -> tuple[tuple[str, int], ...]:
    """Up to ``n`` (article slug, sentence id) pairs stating what sources agree on.

    Deterministic: ties break on article slug, then sentence id. The result
    is ordered by rank, best first.
    """
    if n <= 0 or not items:
        return ()
    article_df = _article_frequencies(items)
    total = len(items)
    ranked = sorted(_candidates(items, article_df), key=lambda c: (-c[0], c[1], c[2]))
    chosen: list[tuple[str, int]] = []
    chosen_vectors: list[dict[str, float]] = []
    for _, slug, sentence_id, words in ranked:
        if len(chosen) >= n:
            break
        # Vectors only for the few candidates looked at, not for every one ranked.
        vector = idf_vector(words, article_df, total)
        if any(cosine(vector, other) >= REDUNDANT for other in chosen_vectors):
            continue
        chosen.append((slug, sentence_id))
        chosen_vectors.append(vector)
    return tuple(chosen)


def _article_frequencies(items: Sequence[tuple[str, Analysis]]) -> Counter[str]:
    # In how many articles each word appears: one set per article, so this is
    # linear in the corpus, never a loop over pairs of articles.
    df: Counter[str] = Counter()
    for _, analysis in items:
        df.update(analysis.vocabulary)
    return df


def _candidates(items: Sequence[tuple[str, Analysis]], article_df: Counter[str]) -> list[tuple[float, str, int, Counter[str]]]:
    total = len(items)
    out: list[tuple[float, str, int, Counter[str]]] = []
    for slug, analysis in items:
        sentences = analysis.sentences
        for sentence_id in analysis.summary:
            # A sentence's id is its position (analyze numbers them in order): no lookup table per article.
            if not 0 <= sentence_id < len(sentences) or sentences[sentence_id].id != sentence_id:
                continue
            words = Counter(stem_tokens(sentences[sentence_id].text))  # each word's stem is cached in summarize
            if not words:
                continue
            out.append((_agreement(words, article_df, total), slug, sentence_id, words))
    return out


def _agreement(words: Counter[str], article_df: Counter[str], total: int) -> float:
    # Share of the sentence's distinct words found in other articles, weighted
    # by how widely: "pipeline" in 4 of 5 sources says more than a name in 1.
    # The square root damps the advantage of long sentences.
    others = max(1, total - 1)
    shared = sum([(df - 1) / others for w in words if (df := article_df[w]) >= MIN_SHARED])
    return shared / math.sqrt(len(words))


def idf_vector(words: Counter[str], article_df: Counter[str], total: int) -> dict[str, float]:
    """A sentence's words weighted by count and by how few articles use them."""
    # IDF over articles so that words every source uses ("Russia", "China")
    # do not make every pair of sentences look redundant.
    return {w: c * math.log(1 + total / article_df[w]) for w, c in words.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """The cosine of two sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0
