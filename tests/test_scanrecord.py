"""The topic scan's record: a run that reuses it finds exactly what a full scan finds."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.config import Settings
from generator.incremental import link_record
from generator.linking import topics
from generator.linking.topics import Found, Matches, Result, Scanned, Seeds, canonical_topics_again, scan
from generator.models import Article, Segment, Terms
from tests.test_topics import make_article, make_terms

Items = list[tuple[str, Terms]]

BASE = {
    "a": ("Traders said the crude oil price fell. Elvira Nabiullina spoke in Moscow.", "oil price"),
    "b": ("The oil price moved markets in Moscow on Monday.", "oil price"),
    "c": ("Gazprom and the Power of Siberia pipeline carried gas to China.", "power of siberia", "natural gas"),
    "d": ("Natural gas prices rose as the Power of Siberia pipeline filled.", "natural gas"),
    "e": ("Officials of the Shanghai Cooperation Organisation met. The SCO grew.", "shanghai cooperation organisation"),
}


def items_of(texts: dict[str, tuple[str, ...]]) -> Items:
    out = []
    for slug, (text, *keyphrases) in sorted(texts.items()):
        article: Article = make_article(slug, text)
        out.append((slug, make_terms(article, *keyphrases)))
    return out


def identity(items: Items) -> dict[str, str]:
    return {slug: hashlib.sha256(repr(terms.segments).encode()).hexdigest() for slug, terms in items}


def run(items: Items, previous: Scanned | None) -> tuple[Result, Scanned]:
    return canonical_topics_again(items, Settings(), previous, identity(items))


def found_of(items: Items, previous: Scanned | None) -> Found:
    seeds = Seeds()
    for _, terms in items:
        seeds.add(terms)
    return scan(dict(items), seeds.groups(), previous, identity(items))[0]


def step(texts: dict[str, tuple[str, ...]], previous: Scanned, tmp_path: Path) -> Scanned:
    """One run from the recorded previous one, checked against a run from nothing."""
    link_record.save(tmp_path, link_record.Previous(previous, {}))
    loaded = link_record.load(tmp_path).scanned
    assert loaded == previous
    items = items_of(texts)
    (again, scanned), (fresh, fresh_scanned) = run(items, loaded), run(items, None)
    assert again == fresh
    assert scanned == fresh_scanned
    # As from the cache: no Terms holds its scan text, which is made again for the articles scanned.
    remade: list[str] = []

    def remake(slug: str) -> tuple[Segment, ...]:
        remade.append(slug)
        segments = dict(items)[slug].segments
        assert segments is not None
        return segments

    cached = [(slug, replace(terms, segments=None)) for slug, terms in items]
    assert canonical_topics_again(cached, Settings(), loaded, identity(items), remake=remake) == (fresh, fresh_scanned)
    assert len(remade) < len(items) or not loaded.articles
    want = found_of(items, None)
    got = found_of(items, loaded)
    assert got == want
    # The order the counters fill in is the same too.
    assert list(got.articles) == list(want.articles)
    assert {r: list(c) for r, c in got.forms.items()} == {r: list(c) for r, c in want.forms.items()}
    return scanned


def matches(scanned: Scanned, slug: str) -> set[str]:
    return {key for key, _, _ in scanned.articles[slug][1]}


def test_incremental_scan_equals_a_full_scan_through_adds_edits_and_removals(tmp_path: Path) -> None:
    texts = dict(BASE)
    _, scanned = run(items_of(texts), None)
    assert "oil price" in matches(scanned, "a")

    texts["f"] = ("The Shanghai Cooperation Organisation admitted Iran.", "shanghai cooperation organisation")
    scanned = step(texts, scanned, tmp_path)  # an article added

    texts["b"] = ("The oil price moved markets in Moscow on Tuesday, and natural gas rose.", "oil price")
    scanned = step(texts, scanned, tmp_path)  # an article edited

    del texts["e"]
    scanned = step(texts, scanned, tmp_path)  # an article removed

    # A new, longer variant wins over "oil price" in an article that did not change.
    texts["g"] = ("A cap on the crude oil price began.", "crude oil price")
    scanned = step(texts, scanned, tmp_path)
    assert matches(scanned, "a") >= {"crude oil price"} and "oil price" not in matches(scanned, "a")

    # The only article holding that variant goes: the shorter match comes back in "a".
    del texts["g"]
    scanned = step(texts, scanned, tmp_path)
    assert "crude oil price" not in matches(scanned, "a") and "oil price" in matches(scanned, "a")


def test_a_run_with_the_record_scans_only_what_it_must(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    texts = dict(BASE)
    _, scanned = run(items_of(texts), None)
    texts["b"] = ("The oil price moved markets in Moscow on Friday.", "oil price")
    items = items_of(texts)
    fresh = run(items, None)
    seen: list[tuple[Segment, ...]] = []
    original = topics._matches

    def counted(segments: tuple[Segment, ...], automaton: Any) -> Matches:
        seen.append(segments)
        return original(segments, automaton)

    monkeypatch.setattr(topics, "_matches", counted)
    assert run(items, scanned) == fresh
    assert seen == [dict(items)["b"].segments]  # only the edited article; its new "Friday" occurs nowhere else


@pytest.mark.parametrize(
    "forge",
    [
        lambda d: d.update(schema="briefing-scan/0"),
        lambda d: d.update(salt="other code"),
        lambda d: d.update(keys="oil price"),
        lambda d: d.update(keys=[1, 2]),
        lambda d: d.update(articles=[]),
        lambda d: d["articles"].update(a=["id", [999], ["Oil price"], [1]]),
        lambda d: d["articles"].update(a=["id", [-1], ["Oil price"], [1]]),
        lambda d: d["articles"].update(a=["id", [0], ["Oil price"], [0]]),
        lambda d: d["articles"].update(a=["id", [0], ["Oil price"], [True]]),
        lambda d: d["articles"].update(a=["id", [0], [5], [1]]),
        lambda d: d["articles"].update(a=["id", [0, 1], ["Oil price"], [1]]),
        lambda d: d["articles"].update(a=["id", "0", "Oil price", "1"]),
        lambda d: d["articles"].update(a=[None, [], [], []]),
        lambda d: d["articles"].update(a=["id"]),
    ],
)
def test_a_forged_or_foreign_record_is_ignored(tmp_path: Path, forge: Callable[[dict[str, Any]], None]) -> None:
    _, scanned = run(items_of(BASE), None)
    link_record.save(tmp_path, link_record.Previous(scanned, {}))
    data = json.loads((tmp_path / link_record.RECORD).read_text(encoding="utf-8"))
    forge(data)
    (tmp_path / link_record.RECORD).write_text(json.dumps(data), encoding="utf-8")
    assert link_record.load(tmp_path) is link_record.EMPTY


def test_a_missing_or_corrupt_record_is_ignored(tmp_path: Path) -> None:
    assert link_record.load(tmp_path) is link_record.EMPTY
    (tmp_path / link_record.RECORD).write_text("{not json", encoding="utf-8")
    assert link_record.load(tmp_path) is link_record.EMPTY
    (tmp_path / link_record.RECORD).write_bytes(b"\xff\xfe")
    assert link_record.load(tmp_path) is link_record.EMPTY


def test_recorded_matches_under_another_identity_are_not_used(tmp_path: Path) -> None:
    items = items_of(BASE)
    _, scanned = run(items, None)
    forged = Scanned(scanned.keys, dict.fromkeys(scanned.articles, ("not this text", ())))
    assert run(items, forged) == run(items, None)


def test_recorded_matches_of_a_variant_no_longer_known_are_not_used() -> None:
    items = items_of(BASE)
    _, scanned = run(items, None)
    slug, (recorded, _) = next(iter(scanned.articles.items()))
    forged = Scanned(scanned.keys | {"no such variant"}, {slug: (recorded, (("no such variant", "No such variant", 1),))})
    assert run(items, forged) == run(items, None)


WORDS = ("oil", "price", "gas", "power", "of", "siberia", "sco", "moscow")


@given(
    st.lists(st.lists(st.sampled_from(WORDS), max_size=8), max_size=4),
    st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3), min_size=1, max_size=4),
)
def test_the_rescan_probe_misses_no_variant_that_occurs(segments: list[list[str]], variants: list[list[str]]) -> None:
    # The probe asks only the article's distinct words (Terms.keyset): it may
    # rescan needlessly, but an article in which a changed variant occurs is always rescanned.
    keysets = " ".join(sorted({w for s in segments for w in s}))
    keys = [" ".join(v) for v in variants]
    occurs = any(f" {key} " in f" {' '.join(s)} " for s in segments for key in keys)
    may = topics._Probe(sorted(set(keys))).may_hold(keysets)
    assert may or not occurs
    assert may == any(set(v) <= set(keysets.split()) for v in variants)
