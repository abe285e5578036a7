"""In-text topic links: first mention only, whole words, never overlapping."""

from __future__ import annotations

from generator import mentions


def test_first_mention_links_once_per_article() -> None:
    pending = {"pos": mentions.pattern(["Power of Siberia"])}
    assert mentions.first_mentions("The Power of Siberia pipeline.", pending) == [(4, 20, "pos")]
    assert mentions.first_mentions("Power of Siberia again.", pending) == []


def test_whole_words_only_and_acronyms_case_sensitive() -> None:
    pending = {"sco": mentions.pattern(["SCO", "Shanghai Cooperation Organisation"])}
    assert mentions.first_mentions("A disco and a sco event.", pending) == []
    assert mentions.first_mentions("Members of the SCO met.", pending) == [(15, 18, "sco")]


def test_overlapping_mentions_keep_the_earliest() -> None:
    pending = {
        "bri": mentions.pattern(["Belt and Road Initiative"]),
        "road": mentions.pattern(["Road Initiative"]),
        "xi": mentions.pattern(["Xi Jinping"]),
    }
    spans = mentions.first_mentions("The Belt and Road Initiative of Xi Jinping.", pending)
    assert [slug for _, _, slug in spans] == ["bri", "xi"]
    assert "road" in pending  # not linked inside another link; may link later


def test_names_spanning_line_breaks_match() -> None:
    pending = {"pos": mentions.pattern(["Power of Siberia"])}
    assert mentions.first_mentions("the Power of\nSiberia line", pending) == [(4, 20, "pos")]
