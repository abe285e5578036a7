"""Linking: everything that needs the whole corpus.

Canonical topics come from topics.py; related articles and related topics come
from inverted indexes (topic -> articles), never an all-pairs loop.
"""

from __future__ import annotations

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
    topics, article_topics = canonical_topics([(a.slug, a, analyses[a.slug]) for a in ordered], settings)
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


def _related(
    articles: Sequence[Article],
    topics: Sequence[Topic],
    article_topics: dict[str, tuple[str, ...]],
    analyses: dict[str, Analysis],
    settings: Settings,
) -> dict[str, tuple[Related, ...]]:
    by_slug = {t.slug: t for t in topics}
    weight = {t.slug: topic_weight(t) for t in topics}
    linked = {a.slug: {s for s in article_topics.get(a.slug, ()) if by_slug[s].linked} for a in articles}
    keys = {a.slug: {k.key for k in analyses[a.slug].keyphrases} for a in articles}
    related: dict[str, tuple[Related, ...]] = {}
    for article in articles:
        mine = linked[article.slug]
        candidates = {o for s in mine if len(by_slug[s].articles) <= CANDIDATE_TOPIC_LIMIT for o in by_slug[s].articles}
        candidates.discard(article.slug)
        shared = {o: sorted(mine & linked[o], key=lambda s: (-weight[s], by_slug[s].name)) for o in candidates}
        scores = {o: round(sum(weight[s] for s in shared[o]), 6) for o in candidates}
        # Text similarity (shared keyphrases) breaks ties between equal topic scores.
        best = sorted(candidates, key=lambda o: (-scores[o], -_jaccard(keys[article.slug], keys[o]), o))[: settings.related_articles]
        related[article.slug] = tuple(Related(slug=o, shared=tuple(by_slug[s].name for s in shared[o]), score=round(scores[o], 2)) for o in best)
    return related


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def related_topics(topic: Topic, by_slug: dict[str, Topic], article_topics: dict[str, tuple[str, ...]], top: int = 8) -> list[Topic]:
    """Topics that co-occur with ``topic`` in the same articles, most often first."""
    counts: Counter[str] = Counter()
    for slug in topic.articles:
        counts.update(s for s in article_topics.get(slug, ()) if s != topic.slug and by_slug[s].linked)
    return [by_slug[s] for s, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]]
