"""In-text topic links: first mention only, whole words, never overlapping."""

from __future__ import annotations

from generator import mentions


def _first(text: str, **names: list[str]) -> list[mentions.Span]:
    patterns = {slug: p for slug, ns in names.items() if (p := mentions.pattern(ns))}
    return mentions.first_mentions(text, patterns)


def test_only_the_first_mention_is_linked() -> None:
    assert _first("The Power of Siberia pipeline. Power of Siberia again.", pos=["Power of Siberia"]) == [(4, 20, "pos")]


def test_whole_words_only_and_acronyms_case_sensitive() -> None:
    assert _first("A disco and a sco event.", sco=["SCO", "Shanghai Cooperation Organisation"]) == []
    assert _first("Members of the SCO met.", sco=["SCO"]) == [(15, 18, "sco")]


def test_overlapping_mentions_keep_the_earliest_and_the_other_waits() -> None:
    text = "The Belt and Road Initiative of Xi Jinping. Later the Road Initiative alone."
    spans = _first(text, bri=["Belt and Road Initiative"], road=["Road Initiative"], xi=["Xi Jinping"])
    assert [slug for _, _, slug in spans] == ["bri", "xi", "road"]
    road = next(s for s in spans if s[2] == "road")
    assert text[road[0] : road[1]] == "Road Initiative" and road[0] > text.index("Later")


def test_names_spanning_line_breaks_match_but_not_across_sentences() -> None:
    assert _first("the Power of\nSiberia line", pos=["Power of Siberia"]) == [(4, 20, "pos")]
    assert _first("the Power" + mentions.SEPARATOR + "of Siberia", pos=["Power of Siberia"]) == []
