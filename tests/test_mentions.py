"""In-text topic links: first mention only, whole words, never overlapping."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.linking import mentions


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


def test_odd_case_lists_every_character_re_matches_to_an_ascii_letter() -> None:
    # The substring search in Names.search stands for re.IGNORECASE only where
    # lowercasing agrees with it; these characters are where it does not.
    letter = re.compile("[a-z]", re.IGNORECASE)
    odd = {chr(c) for c in range(0x80, 0x110000) if letter.fullmatch(chr(c))}
    assert odd == mentions.ODD_CASE


@given(
    # Whole words among the letters, so that matches are common.
    text=st.lists(st.sampled_from([*"abkisSKI -.’\x00\nİıſ\u212aÉé", "Road ", "Belt", " SCO"]), max_size=40).map("".join),
    names=st.lists(st.text(alphabet=st.sampled_from(list("abkisSKI -.’İıſé")), min_size=1, max_size=8), min_size=1, max_size=3),
)
@example(text="a ſ b", names=["s"]).via("re matches the long s to s")
@example(text="İ k", names=["i"]).via("and the dotted capital I to i, though its lowercase is two characters")
@settings(max_examples=400, deadline=None)
def test_the_substring_shortcut_finds_what_the_regex_finds(text: str, names: list[str]) -> None:
    found = mentions.pattern(names)
    if found is None:
        return
    fast, slow = found.search(text, mentions.fold(text)), found.regex.search(text)
    assert (fast and fast.span()) == (slow and slow.span())
