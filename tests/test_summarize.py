"""The summarizers behind the registry, ours first."""

from __future__ import annotations

from generator.analysis.summarize import METHODS, Document, briefing, summarize

SENTENCES = (
    "Russia and China signed a gas pipeline deal worth $400 billion on Wednesday.",
    "The deal took ten years to negotiate.",
    "The pipeline will carry gas from Siberia to northern China from 2019.",
    "Officials in Moscow praised the gas deal as historic for the pipeline industry.",
    "It rained in Shanghai.",
    "Analysts said the pipeline deal gives Russia a new market for gas.",
    "Analysts said the pipeline deal gives Russia a new market for gas exports.",
)
DOC = Document(SENTENCES, (0, 0, 0, 1, 1, 2, 2), title="Russia and China sign gas pipeline deal")


def test_registry_has_ours_and_the_leads() -> None:
    assert {"briefing", "lead3", "leadk"} <= set(METHODS)
    assert summarize(DOC, 2, "leadk") == (0, 1)
    assert summarize(DOC, 5, "lead3") == (0, 1, 2)


def test_returns_k_indexes_in_article_order() -> None:
    chosen = briefing(DOC, 3)
    assert len(chosen) == 3
    assert list(chosen) == sorted(set(chosen))


def test_keeps_the_lead_and_skips_the_off_topic() -> None:
    chosen = briefing(DOC, 3)
    assert 0 in chosen
    assert 4 not in chosen


def test_redundancy_control_skips_near_duplicates() -> None:
    chosen = briefing(DOC, 4)
    assert not {5, 6} <= set(chosen)


def test_short_documents_and_empty() -> None:
    assert briefing(Document(("One.", "Two."), (0, 0)), 3) == (0, 1)
    assert briefing(Document((), ()), 3) == ()


def test_deterministic_with_ties() -> None:
    same = Document(("Same words here.",) * 5, (0,) * 5)
    assert briefing(same, 2) == briefing(same, 2) == (0, 1)


def test_skips_bylines_and_datelines_before_the_lead() -> None:
    junk = ("By .", "Daily Mail Reporter .", "PUBLISHED: .", "10:42 EST, 21 May 2013 .")
    doc = Document(junk + SENTENCES, (0,) * len(junk) + DOC.paragraphs, title=None)
    chosen = briefing(doc, 3)
    assert not set(chosen) & set(range(len(junk)))
    assert len(junk) in chosen  # the real lead


def test_lead_prior_grows_as_the_budget_shrinks() -> None:
    # A long article whose lead is not its most repeated theme: a one-sentence
    # summary (small share) keeps the lead, while half the article follows
    # the centre of the article.
    body = tuple(f"The council budget vote on item {i} was delayed by the council budget row." for i in range(9))
    doc = Document(("A fire closed the city bridge on Monday morning after a lorry crash.", *body), (0,) * 10)
    assert briefing(doc, 1) == (0,)
    assert 0 not in briefing(doc, 5)
