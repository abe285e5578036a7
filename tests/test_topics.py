"""Canonical topics: variants, acronyms, partial names, kinds, links."""

from __future__ import annotations

import re
from pathlib import Path

from generator.analysis.analyze import analyze, find_acronyms
from generator.analysis.terms import terms
from generator.config import Settings
from generator.ingest.clean import clean
from generator.ingest.readers import read
from generator.linking.topics import canonical_topics
from generator.models import Article, Block, Keyphrase, Meta, Terms, Topic

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def make_article(slug: str, *paragraphs: str, title: str = "A title") -> Article:
    blocks = tuple(Block("paragraph", p) for p in paragraphs)
    return Article(slug=slug, path=f"{slug}.txt", title=title, meta=Meta(), blocks=blocks, content_hash=slug)


def make_terms(article: Article, *keyphrases: str) -> Terms:
    text = " ".join(b.text for b in article.blocks)
    kps = tuple(Keyphrase(k, k.lower(), 0.1) for k in keyphrases)
    return terms(article.title, article.blocks, kps, find_acronyms(text))


def topics_of(*articles: Article, settings: Settings | None = None) -> tuple[tuple[Topic, ...], dict[str, tuple[str, ...]]]:
    items = [(a.slug, make_terms(a)) for a in articles]
    return canonical_topics(items, settings or Settings())


def by_variant(topics: tuple[Topic, ...], variant: str) -> Topic:
    matches = [t for t in topics if variant in t.variants]
    assert len(matches) == 1, (variant, [t.name for t in topics])
    return matches[0]


def test_acronym_joins_both_spellings_of_its_expansion() -> None:
    a = make_article("a", "Leaders met at the Shanghai Cooperation Organisation (SCO) summit. The SCO grew.")
    b = make_article("b", "The Shanghai Cooperation Organization admitted Iran this year.")
    c = make_article("c", "Delegates of the SCO arrived on Monday.")
    topics, per_article = topics_of(a, b, c)
    sco = by_variant(topics, "SCO")
    assert {"Shanghai Cooperation Organisation", "Shanghai Cooperation Organization"} <= set(sco.variants)
    assert sco.articles and set(sco.articles) == {"a", "b", "c"}
    assert sco.kind == "organization"
    assert all(sco.slug in per_article[s] for s in "abc")


def test_title_and_partial_names_join_the_full_name() -> None:
    a = make_article("a", "Talks were led by President Xi Jinping on Monday.")
    b = make_article("b", "Officials said Xi Jinping would travel, and Xi later confirmed it.")
    c = make_article("c", "In Beijing, Xi spoke at length.")
    topics, _ = topics_of(a, b, c)
    xi = by_variant(topics, "Xi Jinping")
    assert xi.name == "Xi Jinping"
    assert "Xi" in xi.variants
    assert set(xi.articles) == {"a", "b", "c"}
    assert xi.kind == "person"


def test_topic_found_where_it_is_mentioned_not_only_ranked() -> None:
    a = make_article("a", "Gas flows through the Power of Siberia pipeline to China.")
    b = make_article("b", "Officials praised the Power of Siberia in a speech.")
    c = make_article("c", "Nothing about pipelines here.")
    topics, per_article = topics_of(a, b, c)
    pipe = by_variant(topics, "Power of Siberia")
    assert set(pipe.articles) == {"a", "b"}
    assert "c" not in per_article or pipe.slug not in per_article["c"]


def test_common_terms_are_shown_but_not_linked() -> None:
    articles = [make_article(s, f"Officials in Russia met in Kazan on day {s}.") for s in "abcde"]
    topics, _ = topics_of(*articles, settings=Settings(topic_max_share=0.8))
    assert not by_variant(topics, "Russia").linked


def test_a_topic_needs_min_articles() -> None:
    a = make_article("a", "The Eurasian Economic Union met.")
    b = make_article("b", "Nothing in common.")
    topics, _ = topics_of(a, b)
    assert not [t for t in topics if "Eurasian Economic Union" in t.variants]


def test_place_cue_and_deterministic_output() -> None:
    a = make_article("a", "The ministers met in Qingdao on Tuesday.")
    b = make_article("b", "Ships docked in Qingdao later.")
    first = topics_of(a, b)
    assert by_variant(first[0], "Qingdao").kind == "place"
    assert topics_of(b, a) == first


def test_conjunction_of_names_is_not_one_topic() -> None:
    a = make_article("a", "Talks between Moscow and Beijing continued.")
    b = make_article("b", "Moscow and Beijing signed a deal.")
    topics, _ = topics_of(a, b)
    assert not [t for t in topics if "Moscow and Beijing" in t.variants]
    assert by_variant(topics, "Beijing").articles == ("a", "b")  # a lone word at a sentence start is no evidence


# --------------------------------------------------------------- demo corpus


def demo_topics() -> tuple[tuple[Topic, ...], dict[str, tuple[str, ...]], dict[str, str]]:
    items = []
    texts = {}
    for path in sorted(CORPUS.glob("*.txt")):
        article = clean(read(path, CORPUS, 10_000_000))
        items.append((article.slug, analyze(article, Settings()).terms))
        texts[article.slug] = " ".join([article.title] + [b.text for b in article.blocks])
    topics, per_article = canonical_topics(items, Settings())
    return topics, per_article, texts


def test_demo_corpus_acceptance() -> None:
    topics, per_article, texts = demo_topics()
    siberia = by_variant(topics, "Power of Siberia")
    assert set(siberia.articles) == {s for s, t in texts.items() if re.search(r"Power of Siberia(?! \d)", t)}
    assert siberia.linked
    second = by_variant(topics, "Power of Siberia 2")  # another pipeline: names that differ by a number are not one
    assert second is not siberia and set(second.articles) == {s for s, t in texts.items() if "Power of Siberia 2" in t}
    sco = by_variant(topics, "SCO")
    assert {"Shanghai Cooperation Organisation", "Shanghai Cooperation Organization"} <= set(sco.variants)
    assert by_variant(topics, "BRI") is by_variant(topics, "Belt and Road Initiative")
    qingdao = by_variant(topics, "Qingdao")
    assert set(qingdao.articles) == {"russia-china-defense-ministers-qingdao", "exclusive-insights-secret-talks"}
    assert qingdao.linked
    assert not by_variant(topics, "Russia").linked and not by_variant(topics, "China").linked
    for slug, slugs in per_article.items():
        assert len(slugs) == len(set(slugs)), slug
