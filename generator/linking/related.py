"""Related articles and related topics, from inverted indexes (topic -> articles), never an all-pairs loop."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import cast

import numpy as np

from generator.config import Settings
from generator.models import Analysis, Article, Related, Topic


def topic_weight(topic: Topic) -> float:
    """An IDF-like weight that ignores corpus size.

    Adding one article then changes only the scores of articles that share
    its topics, so an incremental build rewrites only their pages.
    """
    return 1 / math.log(1 + len(topic.articles))


# Topics on more articles than this generate no related-article candidates
# (they still add to the score of candidates found through rarer topics), so
# the work per article is bounded and the whole pass stays linear in corpus size.
CANDIDATE_TOPIC_LIMIT = 200
RELATED_TOPICS_SAMPLE = 200
BLOCK_CELLS = 2**20  # cells of the (article, topic) marks of one block of articles: 8 MB


def related_articles(
    articles: Sequence[Article],
    topics: Sequence[Topic],
    article_topics: dict[str, tuple[str, ...]],
    analyses: dict[str, Analysis],
    settings: Settings,
    *,
    known: dict[str, tuple[Related, ...]] | None = None,
) -> dict[str, tuple[Related, ...]]:
    """Each article's related articles; those in ``known`` are taken as they are."""
    known = known or {}
    index = _Index(articles, topics, article_topics)
    keys = _KeySets(index.slugs, analyses)
    k, n = 3 * settings.related_articles, settings.related_articles
    todo = np.array([i for i, slug in enumerate(index.slugs) if slug not in known], dtype=np.int64)
    finalists = [index.finalists(i, k) if k else _NONE for i in todo.tolist()]
    related = dict(known)
    for first in range(0, len(todo), index.block):
        related |= index.best(todo[first : first + index.block], finalists[first : first + index.block], keys, n)
    return {slug: related[slug] for slug in index.slugs}


_NONE = np.zeros(0, dtype=np.int64)


class _KeySets(dict[int, frozenset[str]]):
    """Article number -> its keyphrase keys, made on first use: only tied candidates compare them."""

    def __init__(self, slugs: list[str], analyses: dict[str, Analysis]) -> None:
        super().__init__()
        self.slugs, self.analyses = slugs, analyses

    def __missing__(self, i: int) -> frozenset[str]:
        found = self[i] = frozenset(k.key for k in self.analyses[self.slugs[i]].keyphrases)
        return found


class _Index:
    """Articles and their linked topics as integer arrays, for per-article sparse sums.

    A score is a sum of topic weights over shared topics. Finding an
    article's candidates runs in a sparse accumulator (Gustavson's): weights
    are added into a corpus-sized array at the candidates' positions only,
    read back and zeroed there, so the cost follows the candidates, never the
    corpus size, and no per-article sort (np.unique) is needed. Full scores
    are then computed for a block of articles at once.
    """

    def __init__(self, articles: Sequence[Article], topics: Sequence[Topic], article_topics: dict[str, tuple[str, ...]]) -> None:
        self.slugs = [a.slug for a in articles]
        self.topics = topics
        number = {slug: i for i, slug in enumerate(self.slugs)}
        linked = {t.slug: n for n, t in enumerate(topics) if t.linked}
        self.weight = np.array([topic_weight(t) for t in topics], dtype=np.float64)
        # Each article's linked topics in its own (topic) order: the order of the float sums, as before.
        own = [[n for s in article_topics.get(slug, ()) if (n := linked.get(s)) is not None] for slug in self.slugs]
        # Shared topics are listed heaviest first, then by name; equal keys keep
        # topic order, as a stable sort did. Each article keeps its topics by
        # that rank, so a plain sort of shared ranks gives the order.
        order = sorted(range(len(topics)), key=lambda t: (-self.weight[t], topics[t].name, t))
        self.ranked_names = [topics[t].name for t in order]
        rank = [0] * len(topics)
        for r, t in enumerate(order):
            rank[t] = r
        self.ranks = [list(map(rank.__getitem__, ts)) for ts in own]
        self.own_ptr, self.own = _csr(own)
        self.own_len = np.diff(self.own_ptr)
        rare = [len(t.articles) <= CANDIDATE_TOPIC_LIMIT for t in topics]
        self.rare_ptr, self.rare = _csr([list(filter(rare.__getitem__, ts)) for ts in own])
        self.member_ptr, self.members = _csr([[number[s] for s in t.articles] if t.linked else [] for t in topics])
        self._acc = np.zeros(len(self.slugs), dtype=np.float64)  # candidate -> score; all zero between articles
        self._pos = np.zeros(len(self.slugs), dtype=np.int64)  # candidate -> one of its entries
        # Rows of articles scored at once: enough to spend little time per array
        # operation, few enough that the block's topic marks stay small.
        self.block = max(1, min(1024, BLOCK_CELLS // max(1, len(topics))))
        self._marks = np.zeros(self.block * len(topics), dtype=np.float64)  # (row, topic) -> weight while marked

    def finalists(self, me: int, k: int) -> np.ndarray:
        """The k best candidates by their score from rarer topics, with every tie at the cut."""
        rare = self.rare[self.rare_ptr[me] : self.rare_ptr[me + 1]]
        if not len(rare):
            return _NONE
        found, topic = _gather(self.member_ptr, self.members, rare)
        # add.at adds entry by entry from zero, as bincount did: the same float sums, bit for bit.
        np.add.at(self._acc, found, self.weight[rare][topic])
        entry = np.arange(len(found))
        self._pos[found] = entry
        found = found[self._pos[found] == entry]  # each candidate once
        scores = self._acc[found]
        self._acc[found] = 0.0
        keep = found != me
        found, scores = found[keep], scores[keep]
        if len(found) > k:
            cut = np.partition(scores, len(found) - k)[len(found) - k]
            found = found[scores >= cut - 1e-9]  # float noise is a tie, not a rank
        return cast(np.ndarray, found)  # numpy's stubs type an indexed array as Any

    def best(
        self, block: np.ndarray, finalists: list[np.ndarray], keys: Mapping[int, frozenset[str]], n: int
    ) -> dict[str, tuple[Related, ...]]:
        """For a block of articles (their numbers): the n best finalists each, by full score.

        Full scores count common topics too; shared keyphrases break ties.
        One pass of array operations scores every finalist of the block.
        """
        numbers = block.tolist()
        slugs = [self.slugs[i] for i in numbers]
        me = np.repeat(np.arange(len(finalists)), [len(c) for c in finalists])  # row in the block, per pair
        if not len(me):
            return dict.fromkeys(slugs, ())
        others = np.concatenate(finalists)
        scores = self._scores(block, me, others)
        keep = _contenders(scores, me, n)  # ascending, so grouped by row
        bounds = np.searchsorted(me[keep], np.arange(len(finalists) + 1)).tolist()
        out: dict[str, tuple[Related, ...]] = {}
        for row, (number, slug) in enumerate(zip(numbers, slugs, strict=True)):
            pairs = keep[bounds[row] : bounds[row + 1]]
            rows = _ranked(scores[pairs].tolist(), others[pairs].tolist(), number, keys, self.slugs)
            ours = set(self.ranks[number])
            out[slug] = tuple(
                Related(
                    slug=self.slugs[other],
                    shared=tuple([self.ranked_names[r] for r in sorted(ours.intersection(self.ranks[other]))]),
                    score=score,
                )
                for score, other in rows[:n]
            )
        return out

    def _scores(self, block: np.ndarray, me: np.ndarray, others: np.ndarray) -> np.ndarray:
        """round(fsum(weights of shared topics), 2) for each (row, other) pair of the block."""
        # Mark each row's topics with their weights in a rows x topics matrix,
        # at those cells only, and clear them after: no corpus-sized work.
        mine, row_of = _gather(self.own_ptr, self.own, block)
        cells = row_of * len(self.topics) + mine
        self._marks[cells] = self.weight[mine]
        theirs, pair = _gather(self.own_ptr, self.own, others)
        shared = self._marks[me[pair] * len(self.topics) + theirs]  # 0 where not shared: every weight is positive
        self._marks[cells] = 0.0
        ends = np.cumsum(self.own_len[others])
        return _round2(np.bincount(pair, weights=shared, minlength=len(others)), shared, ends)


def _ranked(
    scores: list[float], others: list[int], me: int, keys: Mapping[int, frozenset[str]], slugs: list[str]
) -> list[tuple[float, int]]:
    """(score, other) best first: by score, then shared keyphrases, then slug."""
    # The keyphrase overlap only orders equal scores, so only those compute it.
    seen: set[float] = set()
    tied: set[float] = set()
    for score in scores:  # a Counter per article cost more than the sort below
        (tied if score in seen else seen).add(score)
    return sorted(
        zip(scores, others, strict=True),
        key=lambda r: (-r[0], -_jaccard(keys[me], keys[r[1]]) if r[0] in tied else 0.0, slugs[r[1]]),
    )


def _contenders(scores: np.ndarray, me: np.ndarray, n: int) -> np.ndarray:
    """The pairs scoring at least their row's n-th best score: only those can make its cut."""
    order = np.lexsort((-scores, me))
    count = np.bincount(me)
    start = np.cumsum(count) - count
    nth = np.full(len(count), -np.inf)
    full = count >= n
    nth[full] = scores[order[start[full] + n - 1]]
    return np.flatnonzero(scores >= nth[me])


def _csr(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Rows of integers as (offsets, values): row r is values[offsets[r]:offsets[r + 1]]."""
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=ptr[1:])
    return ptr, np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(ptr[-1]))


def _gather(ptr: np.ndarray, values: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The given rows' values end to end, and for each value the position of its row in ``rows``."""
    starts, lens = ptr[rows], ptr[rows + 1] - ptr[rows]
    owner = np.repeat(np.arange(len(rows)), lens)
    firsts = np.cumsum(lens) - lens
    return values[np.arange(int(lens.sum())) - firsts[owner] + starts[owner]], owner


def _round2(approx: np.ndarray, shared: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """round(math.fsum(weights), 2) per candidate, from float sums that may differ from fsum in the last bits.

    Away from a rounding boundary both round alike, and m / 100 is the float
    round() returns for the decimal m/100; near a boundary, fsum decides.
    """
    hundredths = approx * 100
    out = np.floor(hundredths + 0.5) / 100
    for c in np.flatnonzero(np.abs(hundredths - np.floor(hundredths) - 0.5) < 1e-6):
        start = int(ends[c - 1]) if c else 0
        out[c] = round(math.fsum(shared[start : int(ends[c])].tolist()), 2)
    return out


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not (a and b):
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)  # the size of a | b, without making it


class CoTopics:
    """Counts of linked topics that co-occur with a topic, over its first RELATED_TOPICS_SAMPLE articles.

    Counted over the topic's first articles only, so a topic on thousands of
    articles costs no more than one on a hundred. Articles' topics are held as
    integer arrays and counted with bincount: a Counter over every topic took
    seconds at 10,000 articles. Ties go to the topic whose slug sorts first.
    """

    def __init__(self, by_slug: dict[str, Topic], article_topics: dict[str, tuple[str, ...]]) -> None:
        self.topics = list(by_slug.values())
        self.number = {slug: i for i, slug in enumerate(by_slug)}
        self.articles = {slug: i for i, slug in enumerate(article_topics)}
        rows = [[self.number[s] for s in names if by_slug[s].linked] for names in article_topics.values()]
        self.ptr, self.values = _csr(rows)
        # Topic numbers in slug order, so that one lexsort breaks ties by slug.
        self.rank = np.empty(len(self.topics), dtype=np.int64)
        self.rank[sorted(range(len(self.topics)), key=lambda t: self.topics[t].slug)] = np.arange(len(self.topics))

    def related(self, topic: Topic, top: int = 8) -> list[Topic]:
        sample = [self.articles[s] for s in topic.articles[:RELATED_TOPICS_SAMPLE] if s in self.articles]
        found, _ = _gather(self.ptr, self.values, np.array(sample, dtype=np.int64))
        counts = np.bincount(found[found != self.number[topic.slug]], minlength=len(self.topics))
        seen = np.flatnonzero(counts)
        best = seen[np.lexsort((self.rank[seen], -counts[seen]))[:top]]
        return [self.topics[t] for t in best.tolist()]
