"""Linking: everything that needs the whole corpus.

Topics come from keyphrases shared across articles; related articles come
from an inverted index of topics (no all-pairs loop over articles).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

from generator.clean import slugify
from generator.config import Settings
from generator.models import Analysis, Article, Digest, Related, Topic


def link(articles: Sequence[Article], analyses: dict[str, Analysis], settings: Settings) -> Digest:
    """Build the corpus-level Digest from articles and their analyses."""
    ordered = tuple(sorted(articles, key=_newest_first))
    topics, article_topics = _topics(ordered, analyses, settings)
    return Digest(
        articles=ordered,
        analyses=analyses,
        topics=topics,
        article_topics=article_topics,
        related=_related(ordered, topics, article_topics, settings),
        executive=_executive(ordered, analyses),
    )


def _newest_first(article: Article) -> tuple[int, str, str]:
    ordinal = article.meta.published.toordinal() if article.meta.published else 0
    return (-ordinal, article.title.lower(), article.slug)


def _topics(
    articles: Sequence[Article], analyses: dict[str, Analysis], settings: Settings
) -> tuple[tuple[Topic, ...], dict[str, tuple[str, ...]]]:
    by_key: dict[str, list[str]] = defaultdict(list)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for kp in analyses[article.slug].keyphrases:
            if article.slug not in by_key[kp.key]:
                by_key[kp.key].append(article.slug)
            names[kp.key][kp.text] += 1
    n = max(len(articles), 1)
    topics: list[Topic] = []
    for key, slugs in sorted(by_key.items()):
        if len(slugs) < settings.topic_min_articles:
            continue
        name = min(names[key].items(), key=lambda item: (-item[1], item[0]))[0]
        topics.append(
            Topic(
                slug=slugify(key),
                name=name,
                variants=tuple(sorted(names[key])),
                articles=tuple(slugs),
                linked=len(slugs) / n <= settings.topic_max_share,
            )
        )
    topics.sort(key=lambda t: (-len(t.articles), t.name.lower()))
    article_topics: dict[str, list[str]] = defaultdict(list)
    for topic in topics:
        for slug in topic.articles:
            article_topics[slug].append(topic.slug)
    return tuple(topics), {slug: tuple(v) for slug, v in article_topics.items()}


def _related(
    articles: Sequence[Article], topics: Sequence[Topic], article_topics: dict[str, tuple[str, ...]], settings: Settings
) -> dict[str, tuple[Related, ...]]:
    n = max(len(articles), 1)
    by_slug = {t.slug: t for t in topics}
    related: dict[str, tuple[Related, ...]] = {}
    for article in articles:
        scores: dict[str, float] = defaultdict(float)
        shared: dict[str, list[str]] = defaultdict(list)
        for topic_slug in article_topics.get(article.slug, ()):
            topic = by_slug[topic_slug]
            if not topic.linked:
                continue
            # An IDF-like weight that ignores corpus size: adding one article then
            # changes only the scores of articles that share its topics.
            idf = 1 / math.log(1 + len(topic.articles))
            for other in topic.articles:
                if other != article.slug:
                    scores[other] += idf
                    shared[other].append(topic.name)
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[: settings.related_articles]
        related[article.slug] = tuple(Related(slug=s, shared=tuple(shared[s]), score=round(sc, 3)) for s, sc in best)
    return related


def _executive(articles: Sequence[Article], analyses: dict[str, Analysis]) -> tuple[tuple[str, int], ...]:
    return tuple((a.slug, analyses[a.slug].summary[0]) for a in articles[:5] if analyses[a.slug].summary)
