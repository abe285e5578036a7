"""Executive summary: agreement across sources, no repeated facts, citations."""

from __future__ import annotations

import time

from generator.analysis.summarize import vocabulary
from generator.linking.executive import executive_summary
from generator.models import Analysis, Sentence


def make_analysis(*texts: str, summary: tuple[int, ...] | None = None) -> Analysis:
    sentences = tuple(Sentence(i, 0, 0, len(t), t) for i, t in enumerate(texts))
    return Analysis(
        sentences=sentences,
        summary=summary if summary is not None else tuple(range(len(texts))),
        keyphrases=(),
        vocabulary=vocabulary(texts),
    )


ITEMS = [
    (
        "a",
        make_analysis(
            "Bilateral trade between Russia and China reached a record $200 billion in 2023.",
            "The author once visited a tea house in Kazan.",
        ),
    ),
    (
        "b",
        make_analysis(
            "Trade between China and Russia hit a record $200 billion in 2023, driven by energy.",
            "A local football club changed its manager.",
        ),
    ),
    (
        "c",
        make_analysis(
            "The Power of Siberia pipeline carries Russian gas to China.",
            "Energy exports from Russia to China keep growing through the pipeline.",
        ),
    ),
    ("d", make_analysis("Gas flows through the Power of Siberia pipeline to China rose again.", "Weather was mild.")),
]


def test_shared_content_ranks_first_and_cites_its_source() -> None:
    result = executive_summary(ITEMS, 2)
    assert len(result) == 2
    texts = {_text(slug, sid) for slug, sid in result}
    assert any("200 billion" in t for t in texts)
    assert any("pipeline" in t for t in texts)


def test_same_fact_from_two_articles_appears_once() -> None:
    result = executive_summary(ITEMS, 4)
    trade = [pair for pair in result if "200 billion" in _text(*pair)]
    assert len(trade) == 1


def test_only_summary_sentences_are_candidates() -> None:
    items = [(slug, make_analysis(*(s.text for s in a.sentences), summary=(1,))) for slug, a in ITEMS]
    result = executive_summary(items, 10)
    assert all(sid == 1 for _, sid in result)


def test_unshared_sentences_rank_below_shared_ones() -> None:
    result = executive_summary(ITEMS, 10)
    ranked = [_text(*pair) for pair in result]
    assert "Weather was mild." not in ranked[:3]
    assert "tea house" not in " ".join(ranked[:3])


def test_deterministic_and_order_independent_for_ties() -> None:
    assert executive_summary(ITEMS, 3) == executive_summary(list(ITEMS), 3)
    assert executive_summary(ITEMS, 3) == executive_summary(list(reversed(ITEMS)), 3)


def test_empty_inputs() -> None:
    assert executive_summary([], 5) == ()
    assert executive_summary(ITEMS, 0) == ()


def test_scales_roughly_linearly() -> None:
    def corpus(size: int) -> list[tuple[str, Analysis]]:
        return [(f"a{i:05d}", make_analysis(f"Topic {i % 50} trade rose {i} percent.", "Both agreed.")) for i in range(size)]

    started = time.perf_counter()
    executive_summary(corpus(2000), 10)
    assert time.perf_counter() - started < 2.0


def _text(slug: str, sentence_id: int) -> str:
    analysis = dict(ITEMS)[slug]
    return analysis.sentences[sentence_id].text
