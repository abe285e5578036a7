"""Related articles: the array code gives what the plain per-article code gave, ties and rounding included."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from generator.config import Settings
from generator.incremental import link_record
from generator.linking import related as related_module
from generator.models import Analysis, Article, Keyphrase, Meta, Related, Topic


def reference(
    articles: Sequence[Article],
    topics: Sequence[Topic],
    article_topics: dict[str, tuple[str, ...]],
    analyses: dict[str, Analysis],
    settings: Settings,
) -> dict[str, tuple[Related, ...]]:
    """The code _related replaced, kept as the definition of its result."""
    by_slug = {t.slug: t for t in topics}
    weight = {t.slug: related_module.topic_weight(t) for t in topics}
    slugs = [a.slug for a in articles]
    number = {slug: i for i, slug in enumerate(slugs)}
    members = {t.slug: np.array([number[s] for s in t.articles], dtype=np.int64) for t in topics if t.linked}
    linked = {slug: [s for s in article_topics.get(slug, ()) if by_slug[s].linked] for slug in slugs}
    shares = {slug: frozenset(linked[slug]) for slug in slugs}
    keys = {slug: {k.key for k in analyses[slug].keyphrases} for slug in slugs}
    related: dict[str, tuple[Related, ...]] = {}
    for i, slug in enumerate(slugs):
        mine = {s: weight[s] for s in linked[slug]}
        rare = [s for s in mine if len(members[s]) <= related_module.CANDIDATE_TOPIC_LIMIT]
        candidates = finalists(members, weight, rare, me=i, k=3 * settings.related_articles)
        scored = [(round(math.fsum(mine[s] for s in shares[slugs[j]] & mine.keys()), 2), slugs[j]) for j in candidates]
        scored.sort(key=lambda c: (-c[0], -related_module._jaccard(keys[slug], keys[c[1]]), c[1]))
        related[slug] = tuple(
            Related(
                slug=other,
                shared=tuple(
                    by_slug[s].name
                    for s in sorted((s for s in linked[other] if s in mine), key=lambda s: (-mine[s], by_slug[s].name))
                ),
                score=score,
            )
            for score, other in scored[: settings.related_articles]
        )
    return related


def finalists(members: dict[str, np.ndarray], weight: dict[str, float], rare: list[str], *, me: int, k: int) -> list[int]:
    if k == 0 or not rare:
        return []
    index = np.concatenate([members[s] for s in rare])
    found, position = np.unique(index, return_inverse=True)
    scores = np.bincount(position, weights=np.repeat([weight[s] for s in rare], [len(members[s]) for s in rare]))
    keep = found != me
    found, scores = found[keep], scores[keep]
    if len(found) > k:
        cut = np.partition(scores, len(found) - k)[len(found) - k]
        found = found[scores >= cut - 1e-9]
    return [int(i) for i in found]


def corpus(
    seed: int, n_articles: int, n_topics: int
) -> tuple[list[Article], list[Topic], dict[str, tuple[str, ...]], dict[str, Analysis]]:
    """Random articles and topics, with many equal topic sizes (ties), shared names and a few unlinked topics."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    slugs = [f"a{i:03d}" for i in range(n_articles)]
    articles = [Article(slug=s, path=f"{s}.md", title=s, meta=Meta(), blocks=(), content_hash=s) for s in slugs]
    topics = []
    for t in range(n_topics):
        size = rng.choice([2, 2, 3, 3, 4, 6, 9, 15, n_articles // 2])
        chosen = tuple(rng.sample(slugs, min(size, n_articles)))
        name = f"Topic {rng.randrange(5)}"  # names repeat: order must still be stable
        topics.append(Topic(slug=f"t{t}", name=name, variants=(name,), articles=chosen, linked=rng.random() > 0.05))
    topics.sort(key=lambda t: (-len(t.articles), t.name.lower(), t.slug))
    per_article: dict[str, list[str]] = {}
    for topic in topics:
        for s in topic.articles:
            per_article.setdefault(s, []).append(topic.slug)
    words = ["oil", "gas", "pipeline", "talks", "summit", "sanctions"]
    analyses = {
        s: Analysis(sentences=(), summary=(), keyphrases=tuple(Keyphrase(w, w, 0.1) for w in rng.sample(words, rng.randrange(4))))
        for s in slugs
    }
    return articles, topics, {s: tuple(v) for s, v in per_article.items()}, analyses


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("related_articles", [0, 1, 5])
@pytest.mark.parametrize("block_cells", [related_module.BLOCK_CELLS, 7 * 80])  # one block, or blocks of 7 articles
def test_related_matches_the_plain_code(
    seed: int, related_articles: int, block_cells: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A low limit makes some topics common: they add to scores but bring no candidates.
    monkeypatch.setattr(related_module, "CANDIDATE_TOPIC_LIMIT", 8)
    monkeypatch.setattr(related_module, "BLOCK_CELLS", block_cells)
    articles, topics, article_topics, analyses = corpus(seed, n_articles=60, n_topics=80)
    settings = Settings(related_articles=related_articles)
    got = related_module.related_articles(articles, topics, article_topics, analyses, settings)
    want = reference(articles, topics, article_topics, analyses, settings)
    assert list(got) == list(want)
    assert got == want
    if related_articles:
        assert any(got.values())


def test_round2_is_round_of_fsum_at_and_near_half_hundredths() -> None:
    rng = random.Random(7)  # noqa: S311 - reproducible test data, not security
    weights = [1 / math.log(1 + n) for n in range(1, 400)]
    for _ in range(3000):
        row = rng.sample(weights, rng.randrange(1, 12))
        approx = sum(row)
        assert related_module._round2(np.array([approx]), np.array(row), np.array([len(row)]))[0] == round(math.fsum(row), 2)
    # Exactly on a boundary, and one float either side: fsum decides.
    for value in (0.125, 2.675, 1.005, math.nextafter(2.675, 0), math.nextafter(2.675, 3)):
        parts = np.array([value / 2, value / 2])
        assert related_module._round2(np.array([value]), parts, np.array([2]))[0] == round(math.fsum(parts.tolist()), 2)


def reference_related_topics(topic: Topic, by_slug: dict[str, Topic], article_topics: dict[str, tuple[str, ...]]) -> list[Topic]:
    """The Counter code CoTopics replaced, kept as the definition of its result."""
    counts: Counter[str] = Counter()
    for slug in topic.articles[: related_module.RELATED_TOPICS_SAMPLE]:
        counts.update(s for s in article_topics.get(slug, ()) if s != topic.slug and by_slug[s].linked)
    return [by_slug[s] for s, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:8]]


@pytest.mark.parametrize("seed", range(12))
def test_related_topics_match_the_counter_code(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # A small sample makes the cut at RELATED_TOPICS_SAMPLE articles matter.
    monkeypatch.setattr(related_module, "RELATED_TOPICS_SAMPLE", 5)
    _, topics, article_topics, _ = corpus(seed, n_articles=40, n_topics=120)
    article_topics = dict(list(article_topics.items())[1:])  # an article with no entry counts nothing
    by_slug = {t.slug: t for t in topics}
    counted = related_module.CoTopics(by_slug, article_topics)
    got = [[t.slug for t in counted.related(t)] for t in topics]
    assert got == [[t.slug for t in reference_related_topics(t, by_slug, article_topics)] for t in topics]
    assert sum(len(g) == 8 for g in got) > 10  # the top-8 cut and its ties were exercised


def _regroup(topics: list[Topic]) -> tuple[list[Topic], dict[str, tuple[str, ...]]]:
    """Topics in the order canonical_topics gives them, and each article's topic slugs in that order."""
    topics = sorted(topics, key=lambda t: (-len(t.articles), t.name.lower(), t.slug))
    per_article: dict[str, list[str]] = {}
    for topic in topics:
        for s in topic.articles:
            per_article.setdefault(s, []).append(topic.slug)
    return topics, {s: tuple(v) for s, v in per_article.items()}


def _changed(
    rng: random.Random, articles: list[Article], topics: list[Topic], analyses: dict[str, Analysis]
) -> tuple[list[Article], list[Topic], dict[str, Analysis]]:
    """The corpus after one random change: an article's keyphrases, a topic's members or name, or a new article."""
    slugs = [a.slug for a in articles]
    analyses = dict(analyses)
    topics = list(topics)
    change = rng.randrange(6)
    t = rng.randrange(len(topics))
    if change == 0:  # an edit that changes only the keyphrases: ties among its neighbours may turn
        s = rng.choice(slugs)
        words = ["oil", "gas", "pipeline", "talks", "summit", "sanctions"]
        analyses[s] = replace(analyses[s], keyphrases=tuple(Keyphrase(w, w, 0.1) for w in rng.sample(words, rng.randrange(4))))
    elif change == 1:  # an article joins a topic
        outside = [s for s in slugs if s not in topics[t].articles]
        topics[t] = replace(topics[t], articles=(*topics[t].articles, rng.choice(outside)))
    elif change == 2 and len(topics[t].articles) > 2:  # an article leaves one
        gone = rng.choice(topics[t].articles)
        topics[t] = replace(topics[t], articles=tuple(s for s in topics[t].articles if s != gone))
    elif change == 5:  # one article leaves a topic and another joins: the same size, other members
        outside = [s for s in slugs if s not in topics[t].articles]
        kept = list(topics[t].articles)
        kept[rng.randrange(len(kept))] = rng.choice(outside)
        topics[t] = replace(topics[t], articles=tuple(kept))
    elif change == 3:  # a topic is named differently
        topics[t] = replace(topics[t], name=f"Topic {rng.randrange(5)}")
    else:  # a new article on a few topics
        new = f"b{len(slugs):03d}"
        articles = [*articles, Article(slug=new, path=f"{new}.md", title=new, meta=Meta(), blocks=(), content_hash=new)]
        analyses[new] = Analysis(sentences=(), summary=(), keyphrases=(Keyphrase("oil", "oil", 0.1),))
        for t in rng.sample(range(len(topics)), 3):
            topics[t] = replace(topics[t], articles=(*topics[t].articles, new))
    return articles, topics, analyses


@pytest.mark.parametrize("seed", range(40))
def test_related_kept_by_key_equal_related_computed_again(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """An article whose related_keys entry did not change has the related articles it had: the key misses no input."""
    monkeypatch.setattr(related_module, "CANDIDATE_TOPIC_LIMIT", 8)  # common topics too, which count but bring no candidates
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    articles, topics, _, analyses = corpus(seed, n_articles=60, n_topics=80)
    settings = Settings(related_articles=3)

    def keyed(articles: list[Article], topics: list[Topic], analyses: dict[str, Analysis]) -> tuple[dict[str, str], Any]:
        topics, article_topics = _regroup(topics)
        identity = {s: repr(a.keyphrases) for s, a in analyses.items()}  # as the analysis key names the keyphrases
        keys = link_record.related_keys(articles, topics, article_topics, identity, settings)
        return keys, (articles, topics, article_topics, analyses, settings)

    keys, inputs = keyed(articles, topics, analyses)
    before = related_module.related_articles(*inputs)
    kept_total = 0
    for _ in range(6):
        articles, topics, analyses = _changed(rng, articles, topics, analyses)
        new_keys, inputs = keyed(articles, topics, analyses)
        known = {s: before[s] for s, k in new_keys.items() if keys.get(s) == k}
        kept_total += len(known)
        after = related_module.related_articles(*inputs)
        assert related_module.related_articles(*inputs, known=known) == after
        keys, before = new_keys, after
    assert 0 < kept_total < 6 * len(articles)
