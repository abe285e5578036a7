"""Linking: everything that needs the whole corpus.

Canonical topics come from topics.py; related articles and related topics come
from inverted indexes (topic -> articles), never an all-pairs loop.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Sequence

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
    linked = {a.slug: [s for s in article_topics.get(a.slug, ()) if by_slug[s].linked] for a in articles}
    keys = {a.slug: {k.key for k in analyses[a.slug].keyphrases} for a in articles}
    related: dict[str, tuple[Related, ...]] = {}
    for article in articles:
        scores: dict[str, float] = {}
        for s in linked[article.slug]:
            members = by_slug[s].articles
            if len(members) <= CANDIDATE_TOPIC_LIMIT:
                for other in members:
                    scores[other] = scores.get(other, 0.0) + weight[s]
        scores.pop(article.slug, None)
        mine = set(linked[article.slug])
        entries = [_related_entry(o, mine, linked[o], by_slug, weight) for o in _finalists(scores, 3 * settings.related_articles)]
        # Full scores count common topics too; shared keyphrases break ties.
        entries.sort(key=lambda r: (-r.score, -_jaccard(keys[article.slug], keys[r.slug]), r.slug))
        related[article.slug] = tuple(entries[: settings.related_articles])
    return related


def _finalists(scores: dict[str, float], k: int) -> list[str]:
    """The k best candidates by their score from rarer topics, with every tie at the cut."""
    if k == 0 or not scores:
        return []
    rounded = {o: round(v, 6) for o, v in scores.items()}
    cut = heapq.nlargest(k, rounded.values())[-1]
    return [o for o, v in rounded.items() if v >= cut]


def _related_entry(other: str, mine: set[str], theirs: list[str], by_slug: dict[str, Topic], weight: dict[str, float]) -> Related:
    shared = sorted((s for s in theirs if s in mine), key=lambda s: (-weight[s], by_slug[s].name))
    return Related(slug=other, shared=tuple(by_slug[s].name for s in shared), score=round(sum(weight[s] for s in shared), 2))


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
