"""Linking: everything that needs the whole corpus.

Canonical topics come from topics.py; related articles and related topics come
from inverted indexes (topic -> articles), never an all-pairs loop.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from generator.config import Settings
from generator.executive import executive_summary
from generator.models import Analysis, Article, Digest, Related, Topic
from generator.topics import canonical_topics


def link(articles: Sequence[Article], analyses: dict[str, Analysis], settings: Settings) -> Digest:
    """Build the corpus-level Digest from articles and their analyses."""
    ordered = tuple(sorted(articles, key=_newest_first))
    topics, article_topics = canonical_topics([(a.slug, analyses[a.slug].terms) for a in ordered], settings)
    return Digest(
        articles=ordered,
        analyses=analyses,
        topics=topics,
        article_topics=article_topics,
        related=_related(ordered, topics, article_topics, analyses, settings),
        executive=executive_summary([(a.slug, analyses[a.slug]) for a in ordered], settings.executive_sentences),
    )


def _newest_first(article: Article) -> tuple[int, str, str]:
    ordinal = article.meta.published.toordinal() if article.meta.published else 0
    return (-ordinal, article.title.lower(), article.slug)


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


def _related(
    articles: Sequence[Article],
    topics: Sequence[Topic],
    article_topics: dict[str, tuple[str, ...]],
    analyses: dict[str, Analysis],
    settings: Settings,
) -> dict[str, tuple[Related, ...]]:
    by_slug = {t.slug: t for t in topics}
    weight = {t.slug: topic_weight(t) for t in topics}
    slugs = [a.slug for a in articles]
    number = {slug: i for i, slug in enumerate(slugs)}
    # Candidates come through rarer topics: one sparse sum per article (numpy's
    # bincount) instead of a Python dict update per member.
    members = {t.slug: np.array([number[s] for s in t.articles], dtype=np.int64) for t in topics if t.linked}
    linked = {slug: [s for s in article_topics.get(slug, ()) if by_slug[s].linked] for slug in slugs}
    shares = {slug: frozenset(linked[slug]) for slug in slugs}
    keys = {slug: {k.key for k in analyses[slug].keyphrases} for slug in slugs}
    related: dict[str, tuple[Related, ...]] = {}
    for i, slug in enumerate(slugs):
        mine = {s: weight[s] for s in linked[slug]}
        rare = [s for s in mine if len(members[s]) <= CANDIDATE_TOPIC_LIMIT]
        candidates = _finalists(members, weight, rare, me=i, k=3 * settings.related_articles)
        # Full scores count common topics too; shared keyphrases break ties.
        # fsum: a set's order varies between runs; an exact sum does not.
        scored = [(round(math.fsum(mine[s] for s in shares[slugs[j]] & mine.keys()), 2), slugs[j]) for j in candidates]
        scored.sort(key=lambda c: (-c[0], -_jaccard(keys[slug], keys[c[1]]), c[1]))
        related[slug] = tuple(
            _related_entry(other, score, mine, linked[other], by_slug) for score, other in scored[: settings.related_articles]
        )
    return related


def _finalists(members: dict[str, np.ndarray], weight: dict[str, float], rare: list[str], *, me: int, k: int) -> list[int]:
    """The k best candidates by their score from rarer topics, with every tie at the cut."""
    if k == 0 or not rare:
        return []
    index = np.concatenate([members[s] for s in rare])
    # Sums per distinct candidate (np.unique, not a corpus-sized array), so the
    # cost follows the candidates, never the corpus size.
    found, position = np.unique(index, return_inverse=True)
    scores = np.bincount(position, weights=np.repeat([weight[s] for s in rare], [len(members[s]) for s in rare]))
    keep = found != me
    found, scores = found[keep], scores[keep]
    if len(found) > k:
        cut = np.partition(scores, len(found) - k)[len(found) - k]
        found = found[scores >= cut - 1e-9]  # float noise is a tie, not a rank
    return [int(i) for i in found]


def _related_entry(other: str, score: float, mine: dict[str, float], theirs: list[str], by_slug: dict[str, Topic]) -> Related:
    shared = sorted((s for s in theirs if s in mine), key=lambda s: (-mine[s], by_slug[s].name))
    return Related(slug=other, shared=tuple(by_slug[s].name for s in shared), score=score)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def related_topics(
    topic: Topic, by_slug: dict[str, Topic], article_topics: dict[str, tuple[str, ...]], top: int = 8
) -> list[Topic]:
    """Topics that co-occur with ``topic`` in the same articles, most often first.

    Counted over the topic's first articles only, so a topic on thousands of
    articles costs no more than one on a hundred.
    """
    counts: Counter[str] = Counter()
    for slug in topic.articles[:RELATED_TOPICS_SAMPLE]:
        counts.update(s for s in article_topics.get(slug, ()) if s != topic.slug and by_slug[s].linked)
    return [by_slug[s] for s, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]]
