"""Claims across sources: agreement, dispute and single sources over invented articles."""

from __future__ import annotations

import re
import time
from dataclasses import replace

from generator.analysis import figures
from generator.linking.claims import Claim, claims
from generator.models import Quantity

_YEAR = re.compile(r"\b(?:19|20)[0-9]{2}\b")


def _figures(*sentences: str) -> list[tuple[int, Quantity]]:
    """Figures of invented sentences, each year in them passed as its period (as analysis does)."""
    out: list[tuple[int, Quantity]] = []
    for sid, sentence in enumerate(sentences):
        periods = [(m.start(), m.end(), m.group()) for m in _YEAR.finditer(sentence)]
        out.extend((sid, q) for q in figures.extract(sentence, periods))
    return out


def _only(result: tuple[Claim, ...], measure_word: str) -> Claim:
    found = [c for c in result if measure_word in c.measure]
    assert len(found) == 1, found
    return found[0]


TRADE = [
    ("a", "Reuters", _figures("Bilateral trade reached over $200 billion in 2023.")),
    ("b", "TASS", _figures("Trade between the two countries hit a record $200 billion in 2023.")),
    ("c", "Xinhua", _figures("Bilateral trade was $200bn in 2023.")),
]


def test_three_wordings_of_one_figure_corroborate() -> None:
    claim = _only(claims(TRADE), "trade")
    assert claim.status == "corroborated"
    assert claim.articles == 3
    assert claim.measure == "bilateral trade"
    assert (claim.period, claim.unit) == ("2023", "dollar")
    assert claim.value == "$200 billion"
    assert claim.sources == ("Reuters", "TASS", "Xinhua")
    assert sorted(s.slug for s in claim.statements) == ["a", "b", "c"]
    assert claim.statements[-1].quantity.qualifier == "over"  # exact wordings lead


def test_corroborated_claims_come_first() -> None:
    result = claims(TRADE)
    assert result[0].status == "corroborated"
    assert all(c.status == "single source" for c in result[1:])


def test_disagreeing_sources_are_a_dispute() -> None:
    result = claims(
        [
            ("a", "Reuters", _figures("Trade grew 30% in 2023.")),
            ("b", "TASS", _figures("Trade grew 45% in 2023.")),
        ]
    )
    claim = _only(result, "trade")
    assert claim.status == "contradicted"
    assert claim.articles == 2
    assert claim.value == "30% / 45%"
    assert [s.slug for s in claim.statements] == ["a", "b"]


def test_rounding_and_qualifiers_agree() -> None:
    result = claims(
        [
            ("a", None, _figures("Exports reached 200.4 million tonnes in 2023.")),
            ("b", None, _figures("Exports reached about 210 million tonnes in 2023.")),
            ("c", None, _figures("Exports reached up to 250 million tonnes in 2023.")),
            ("d", None, _figures("Exports were 190-205 million tonnes in 2023.")),
        ]
    )
    claim = _only(result, "export")
    assert claim.status == "corroborated", claim
    assert claim.articles == 4
    assert claim.value == "200.4 million tonnes"


def test_a_value_outside_a_bound_disputes_it() -> None:
    result = claims(
        [
            ("a", None, _figures("Exports reached up to 250 million tonnes in 2023.")),
            ("b", None, _figures("Exports reached 300 million tonnes in 2023.")),
            ("c", None, _figures("Exports reached over 300 million tonnes in 2023.")),
        ]
    )
    claim = _only(result, "export")
    assert claim.status == "contradicted"
    assert claim.value == "300 million tonnes / up to 250 million tonnes"


def test_percentage_points_are_not_percent() -> None:
    result = claims(
        [
            ("a", None, _figures("Exports rose 3.5 percentage points in 2023.")),
            ("b", None, _figures("Exports rose 3.5% in 2023.")),
        ]
    )
    assert [c.status for c in result] == ["single source", "single source"]


def test_versions_do_not_corroborate_each_other() -> None:
    result = claims(TRADE[:2], versions={"b": "a"})
    claim = _only(result, "trade")
    assert claim.status == "single source"
    assert claim.articles == 1
    assert len(claim.statements) == 2  # every version's figure is kept


def test_version_chains_count_once() -> None:
    result = claims(TRADE, versions={"c": "b", "b": "a"})
    assert _only(result, "trade").articles == 1


def test_a_cycle_of_versions_is_one_article() -> None:
    result = claims(TRADE, versions={"a": "b", "b": "a"})
    claim = _only(result, "trade")
    assert (claim.status, claim.articles) == ("corroborated", 2)


def test_sources_are_counted_only_when_stated() -> None:
    articles = [(slug, source, found) for (slug, _, found), source in zip(TRADE, ["Reuters", None, " "], strict=True)]
    claim = _only(claims(articles), "trade")
    assert claim.articles == 3
    assert claim.sources == ("Reuters",)


def test_different_periods_are_different_claims() -> None:
    result = claims(
        [
            ("a", None, _figures("Bilateral trade was $45 billion in 2014.")),
            ("b", None, _figures("Bilateral trade was $200 billion in 2023.")),
        ]
    )
    trade = [c for c in result if c.measure == "bilateral trade"]
    assert sorted((c.period, c.value, c.status) for c in trade) == [
        ("2014", "$45 billion", "single source"),
        ("2023", "$200 billion", "single source"),
    ]
    assert len({c.slug for c in result}) == len(result)


def test_a_figure_without_a_measure_joins_only_its_value() -> None:
    result = claims(
        [
            *TRADE[:1],
            ("x", None, _figures("In 2023 it was over $200 billion.")),
            ("y", None, _figures("In 2023 it was $90 billion.")),
        ]
    )
    claim = _only(result, "trade")
    assert sorted(s.slug for s in claim.statements) == ["a", "x"]
    assert claim.status == "corroborated"
    assert any(c.measure == "" and c.value == "$90 billion" for c in result)


def test_undated_bare_counts_stay_apart() -> None:
    result = claims([("a", None, _figures("The two nations met.")), ("b", None, _figures("The two nations met."))])
    assert [c.status for c in result] == ["single source", "single source"]
    assert len({c.slug for c in result}) == 2


def test_deterministic_whatever_the_input_order() -> None:
    articles = [*TRADE, ("d", "AP", _figures("Trade grew 30% in 2023.")), ("e", "AP", _figures("Trade grew 45% in 2023."))]
    assert claims(articles) == claims(list(reversed(articles))) == claims(articles)


def _tag(n: int) -> str:
    """A word naming fact ``n`` ("xbab"): measures are compared by their words, digits aside."""
    return "x" + "".join(chr(97 + int(d)) for d in f"{n:03d}")


def test_ten_thousand_articles() -> None:
    """A synthetic corpus: 200 facts, each stated by 50 articles of 10,000, one article in ten disputing it."""
    templates = [
        q
        for _, q in _figures(
            "Bilateral trade reached $200 billion in 2023.",
            "Gas exports rose 30% in 2023.",
            "Oil output reached 38 million tonnes in 2023.",
            "The army recruited 5,000 soldiers in 2023.",
            "Investment by the fund reached about $4.5 billion in 2023.",
        )
    ]
    assert len(templates) == 5
    articles = []
    for n in range(10_000):
        found = []
        for k, q in enumerate(templates):
            fact = (n + k) % 200
            assert q.value is not None
            value = q.value * (1.5 if n % 10 == 0 else 1.0)
            found.append((k, replace(q, value=value, measure=f"{q.measure} {_tag(fact)}", period=str(1800 + fact))))
        articles.append((f"article-{n}", f"source-{n % 37}", found))
    started = time.perf_counter()
    result = claims(articles)
    elapsed = time.perf_counter() - started
    print(f"claims over 10,000 articles, 50,000 figures: {elapsed:.2f} s, {len(result)} claims")
    assert len(result) == 1000  # five figures of 200 facts
    assert sum(len(c.statements) for c in result) == 50_000
    assert all(c.articles == 50 for c in result)
    assert len({c.slug for c in result}) == len(result)
    assert all(c.status != "single source" for c in result)
    assert {c.status for c in result} <= {"corroborated", "contradicted"}


def test_one_measure_with_ten_thousand_values() -> None:
    """The worst case for a dispute: every article gives bilateral trade in 2023 a value of its own."""
    (_, q), *_ = _figures("Bilateral trade reached $200 billion in 2023.")
    articles = [(f"a{n}", None, [(0, replace(q, value=float(n + 1) * 1e9))]) for n in range(10_000)]
    started = time.perf_counter()
    (claim,) = claims(articles)
    print(f"one measure, 10,000 values: {time.perf_counter() - started:.2f} s")
    assert claim.status == "contradicted"
    assert claim.articles == 10_000
    assert len(claim.statements) == 10_000
    assert len(claim.value.split(" / ")) == 8


def test_ten_thousand_phrases_sharing_a_word() -> None:
    """The worst case for grouping: 10,000 measures in one bucket, all "... trade", none the same."""
    (_, q), *_ = _figures("Bilateral trade reached $200 billion in 2023.")
    articles = [(f"a{n}", None, [(0, replace(q, measure=f"{_tag(n)} trade"))]) for n in range(10_000)]
    unnamed = [(f"u{n}", None, [(0, replace(q, measure=""))]) for n in range(2_000)]
    started = time.perf_counter()
    result = claims(articles + unnamed)
    print(f"one bucket, 10,000 phrases, 2,000 unnamed: {time.perf_counter() - started:.2f} s, {len(result)} claims")
    assert len(result) == 10_000  # the unnamed figures join one claim of their value
    assert sum(len(c.statements) for c in result) == 12_000
    assert result[0].articles == 2_001
    assert len({c.slug for c in result}) == len(result)


def test_values_are_written_as_a_reader_writes_them() -> None:
    result = claims(
        [
            ("a", None, _figures("Russia supplied 38 bcm of gas in 2023.")),
            ("b", None, _figures("Russia supplied 38 billion cubic metres of gas in 2023.")),
            ("c", None, _figures("Oil exports were 190-205 million tonnes in 2022.")),
            ("d", None, _figures("Gas exports reached 1.5 billion yuan in 2021.")),
        ]
    )
    (gas,) = [c for c in result if c.measure == "gas"]
    assert (gas.status, gas.value, gas.slug) == ("corroborated", "38 billion cubic metres", "gas-2023-cubic-metre")
    assert _only(result, "oil").value == "190 to 205 million tonnes"
    assert _only(result, "gas exports").value == "1.5 billion yuan"
