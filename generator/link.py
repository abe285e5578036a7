"""Linking: everything that needs the whole corpus.

Canonical topics come from topics.py; related articles and related topics come
from inverted indexes (topic -> articles), never an all-pairs loop.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

from generator.config import Settings
from generator.models import Analysis, Article, Digest, Related, Topic
from generator.topics import canonical_topics


def link(articles: Sequence[Article], analyses: dict[str, Analysis], settings: Settings) -> Digest:
    """Build the corpus-level Digest from articles and their analyses."""
    ordered = tuple(sorted(articles, key=_newest_first))
    topics, article_topics = canonical_topics([(a.slug, a, analyses[a.slug]) for a in ordered], settings)
    return Digest(
        articles=ordered,
        analyses=analyses,
        topics=topics,
        article_topics=article_topics,
        related=_related(ordered, topics, article_topics, analyses, settings),
        executive=_executive(ordered, analyses),
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


def _related(
    articles: Sequence[Article],
    topics: Sequence[Topic],
    article_topics: dict[str, tuple[str, ...]],
    analyses: dict[str, Analysis],
    settings: Settings,
) -> dict[str, tuple[Related, ...]]:
    by_slug = {t.slug: t for t in topics}
    keys = {a.slug: {k.key for k in analyses[a.slug].keyphrases} for a in articles}
    related: dict[str, tuple[Related, ...]] = {}
    for article in articles:
        scores: dict[str, float] = defaultdict(float)
        shared: dict[str, list[Topic]] = defaultdict(list)
        for topic_slug in article_topics.get(article.slug, ()):
            topic = by_slug[topic_slug]
            if not topic.linked:
                continue
            for other in topic.articles:
                if other != article.slug:
                    scores[other] += topic_weight(topic)
                    shared[other].append(topic)
        # Text similarity (shared keyphrases) breaks ties between equal topic scores.
        similarity = {o: _jaccard(keys[article.slug], keys[o]) for o in scores}
        best = sorted(scores, key=lambda o: (-round(scores[o], 6), -similarity[o], o))[: settings.related_articles]
        related[article.slug] = tuple(
            Related(slug=o, shared=tuple(t.name for t in sorted(shared[o], key=lambda t: (-topic_weight(t), t.name))), score=round(scores[o], 2))
            for o in best
        )
    return related


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def related_topics(topic: Topic, topics: Sequence[Topic], article_topics: dict[str, tuple[str, ...]], top: int = 8) -> list[Topic]:
    """Topics that co-occur with ``topic`` in the same articles, most often first."""
    by_slug = {t.slug: t for t in topics}
    counts: Counter[str] = Counter()
    for slug in topic.articles:
        counts.update(s for s in article_topics.get(slug, ()) if s != topic.slug and by_slug[s].linked)
    return [by_slug[s] for s, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]]


def _executive(articles: Sequence[Article], analyses: dict[str, Analysis]) -> tuple[tuple[str, int], ...]:
    return tuple((a.slug, analyses[a.slug].summary[0]) for a in articles[:5] if analyses[a.slug].summary)
