"""Keyphrases: boundaries, merging, casing, variants, fragments."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.analysis import keyphrases
from generator.analysis.names import key
from generator.ingest.clean import clean
from generator.ingest.readers import read

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def demo_segments() -> dict[str, list[str]]:
    out = {}
    for path in sorted(CORPUS.glob("*.txt")):
        article = clean(read(path, CORPUS, 10_000_000))
        out[article.slug] = [article.title] + [b.text for b in article.blocks]
    return out


def texts(segments: list[str], top: int = 10) -> list[str]:
    return [k.text for k in keyphrases.briefing(segments, top)]


def test_variant_keys_merge_plurals_and_spellings() -> None:
    assert key("sanctions") == key("Sanction")
    assert key("Shanghai Cooperation Organisation") == key("Shanghai Cooperation Organization")
    assert key("defence policies") == key("defense policy")
    assert key("colour") == key("color") and key("centre") == key("center")
    assert key("four hours") == "four hour"


def test_no_phrase_crosses_a_segment() -> None:
    segments = ["Economic Cooperation", "Economic ties grew. Economic Cooperation deepened between the two economies."]
    for phrase in texts(segments):
        assert any(phrase.lower() in " ".join(s.split()).lower() for s in segments), phrase
    assert "Economic Cooperation Economic" not in texts(segments)


def test_overlapping_name_fragments_become_one() -> None:
    segments = [
        "Defense talks",
        "Russian Defense Minister Andrei Bozhovsky met his counterpart in Qingdao.",
        "Bozhovsky said the talks went well. Russian Defense Minister Andrei Bozhovsky left on Friday.",
    ]
    found = texts(segments)
    with_name = [p for p in found if "Andrei" in p or "Bozhovsky" in p]
    assert len(with_name) == 1, found
    assert with_name[0].endswith("Bozhovsky")


def test_case_restored_from_running_text() -> None:
    segments = ["SANCTIONS BITE", "New sanctions hit Moscow.", "The sanctions were announced by the European Union."]
    found = texts(segments)
    assert "sanctions" in found or "European Union" in found
    assert all(not p.isupper() or len(p) <= 5 for p in found)


def test_plural_variants_listed_once() -> None:
    text = "A sanction was lifted. More sanctions followed. Sanctions hurt trade. The sanction regime widened."
    segments = ["Sanction talks", text]
    keys = [k.key for k in keyphrases.briefing(segments, 10)]
    assert len(keys) == len(set(keys))


def test_fragments_ending_in_adjectives_are_dropped() -> None:
    segments = [
        "Alignment",
        "The specter of unified geopolitical opposition, once relegated to academic speculation, is real.",
        "Unified geopolitical opposition worries analysts. Academic speculation faded.",
    ]
    found = texts(segments)
    assert "specter of unified" not in found
    assert "relegated to academic" not in found


def test_lone_adjectives_are_dropped() -> None:
    segments = ["Trade", "Economic growth slowed. The economic outlook is global. Global trade and economic ties matter."]
    assert "economic" not in texts(segments)
    assert "global" not in texts(segments)


def test_empty_input() -> None:
    assert keyphrases.briefing([], 10) == ()
    assert keyphrases.briefing(["", "  "], 10) == ()


def test_title_only() -> None:
    assert texts(["Singer Michael Buble weds TV star Luisana Lopilato"])


@pytest.mark.skipif(keyphrases.RUST_YAKE is None, reason="yake-rust not installed")
def test_rust_backend_agrees_with_reference() -> None:
    text = "Daniel Craig will do Stieg Larsson justice, film producer Soren Staermose has said. Daniel Craig agreed."
    rust = [p for p, _ in keyphrases.RUST_YAKE(text, 3, 5)]  # type: ignore[misc]
    assert rust == [p for p, _ in keyphrases.python_yake(text, 3, 5)]


def test_demo_keyphrases_hold_no_phrase_inside_another() -> None:
    for slug, segments in demo_segments().items():
        words = [f" {' '.join(k.key.split())} " for k in keyphrases.briefing(segments, 8)]
        for a in words:
            for b in words:
                assert a == b or a not in b, (slug, a, b)


def test_demo_keyphrases_never_cross_a_heading() -> None:
    for slug, segments in demo_segments().items():
        joined = [" ".join(s.split()).lower() for s in segments]
        for phrase in texts(segments, 8):
            assert any(phrase.lower() in s for s in joined), (slug, phrase)


def test_stopwords_are_yakes_own() -> None:
    """Read from YAKE's data file without importing yake, the list is exactly YAKE's."""
    import yake

    assert frozenset(yake.KeywordExtractor(lan="en").stopword_set) == keyphrases.STOPWORDS
    assert {"the", "of", "and"} <= keyphrases.STOPWORDS


def test_generator_does_not_import_yake() -> None:
    """The default backend is yake-rust: the generator's start-up must not pay for yake's networkx import."""
    import subprocess
    import sys

    code = "import sys, generator.build; print('yake' in sys.modules, 'networkx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
