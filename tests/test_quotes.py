"""Direct quotations with their speaker and role (generator/analysis/quotes.py).

Every sentence here is invented, except the demo-corpus expectation at the end.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analysis.quotes import Quote, quotes

DEMO_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def found(*paragraphs: str) -> list[tuple[int, str, str, str]]:
    """(paragraph, speaker, role, quoted words) of every quote, after checking each span."""
    result = quotes(paragraphs)
    for index, quote in result:
        assert paragraphs[index][quote.start : quote.end] == quote.text
    return [(index, q.speaker, q.role, q.text) for index, q in result]


def only(*paragraphs: str) -> Quote:
    result = quotes(paragraphs)
    assert len(result) == 1, result
    return result[0][1]


# ---------------------------------------------------------------- attribution patterns


@pytest.mark.parametrize(
    "paragraph",
    [
        '"We will not back down from this position," said Maria Lopez.',
        '"We will not back down from this position," Maria Lopez said.',
        "“We will not back down from this position,” Maria Lopez told reporters.",
        "“We will not back down from this position,” Maria Lopez later added.",
        "“We will not back down from this position,” warned Maria Lopez.",
        "“We will not back down from this position,” according to Maria Lopez.",
        "“We will not back down from this position” – Maria Lopez insisted.",
    ],
)
def test_attribution_after_the_quote(paragraph: str) -> None:
    quote = only(paragraph)
    assert (quote.speaker, quote.text) == ("Maria Lopez", "We will not back down from this position")


@pytest.mark.parametrize(
    "paragraph",
    [
        'Maria Lopez said: "We will not back down from this position."',
        "Maria Lopez said that “We will not back down from this position.”",
        "Maria Lopez told reporters on Monday: “We will not back down from this position.”",
        "According to Maria Lopez, “We will not back down from this position.”",
        "In a statement, Maria Lopez wrote, “We will not back down from this position.”",
    ],
)
def test_attribution_before_the_quote(paragraph: str) -> None:
    quote = only(paragraph)
    assert (quote.speaker, quote.text) == ("Maria Lopez", "We will not back down from this position.")


def test_span_excludes_the_marks_and_the_attribution_comma() -> None:
    paragraph = "“The talks have stalled,” said Maria Lopez."
    quote = only(paragraph)
    assert (quote.start, quote.end) == (1, 23)
    assert paragraph[quote.start : quote.end] == quote.text == "The talks have stalled"


def test_appositive_role_after_the_name_and_title_dropped() -> None:
    quote = only("“The talks have stalled for good reasons,” notes Dr. Eleanor Harding, Senior Fellow at the Kiel Institute.")
    assert (quote.speaker, quote.role) == ("Eleanor Harding", "Senior Fellow at the Kiel Institute")


def test_appositive_role_with_article_and_professor() -> None:
    quote = only("“The talks have stalled,” states Professor Alan Reid, a specialist in trade law at King’s College London.")
    assert (quote.speaker, quote.role) == ("Alan Reid", "specialist in trade law at King’s College London")


def test_professor_alone_is_the_role() -> None:
    assert (only("“The talks have stalled,” said Professor Alan Reid.").role) == "Professor"


def test_appositive_between_commas_before_the_verb() -> None:
    quote = only("Sergei Lavrov, the foreign minister, said that “the West has chosen confrontation over dialogue.”")
    assert (quote.speaker, quote.role) == ("Sergei Lavrov", "foreign minister")
    quote = only("“We are watching closely,” Tom Baker, a senior analyst at the Rand Corporation, said on Monday.")
    assert (quote.speaker, quote.role) == ("Tom Baker", "senior analyst at the Rand Corporation")


def test_an_appositive_that_is_not_a_role_is_ignored() -> None:
    quote = only("“We are watching closely,” said Mr. John Smith, adding that talks would resume.")
    assert (quote.speaker, quote.role) == ("John Smith", "")


@pytest.mark.parametrize(
    ("paragraph", "speaker", "role"),
    [
        ("Foreign Minister Sergei Lavrov said: “The West has chosen confrontation.”", "Sergei Lavrov", "Foreign Minister"),
        ("“Beijing opposes any interference,” said Chinese President Xi Jinping.", "Xi Jinping", "Chinese President"),
        (
            "“Beijing opposes any interference,” the Chinese foreign ministry spokesperson Mao Ning told reporters.",
            "Mao Ning",
            "Chinese foreign ministry spokesperson",
        ),
        (
            "“Beijing opposes any interference,” said the Chinese foreign ministry spokesperson Mao Ning.",
            "Mao Ning",
            "Chinese foreign ministry spokesperson",
        ),
        ("“This is a serious escalation,” warned Secretary of State Antony Blinken.", "Antony Blinken", "Secretary of State"),
    ],
)
def test_role_before_the_name(paragraph: str, speaker: str, role: str) -> None:
    quote = only(paragraph)
    assert (quote.speaker, quote.role) == (speaker, role)


@pytest.mark.parametrize(
    ("paragraph", "speaker"),
    [
        ("“The sanctions are illegal and will fail,” the Kremlin said.", "the Kremlin"),
        ("“The sanctions are illegal and will fail,” said the Kremlin.", "the Kremlin"),
        ("“The sanctions are illegal and will fail,” a senior official said.", "a senior official"),
        ("The foreign ministry said: “The sanctions are illegal and will fail.”", "the foreign ministry"),
    ],
)
def test_bodies_speak(paragraph: str, speaker: str) -> None:
    assert only(paragraph).speaker == speaker


def test_a_quote_may_span_sentences_and_the_next_one_continues_it() -> None:
    assert found("“We are ready. We always were,” said Maria Lopez. “But not under threat, and not today.”") == [
        (0, "Maria Lopez", "", "We are ready. We always were"),
        (0, "Maria Lopez", "", "But not under threat, and not today."),
    ]


def test_a_quote_interrupted_by_its_attribution() -> None:
    assert found("“I think,” said Maria Lopez, “that we have a deal now.”") == [
        (0, "Maria Lopez", "", "I think"),
        (0, "Maria Lopez", "", "that we have a deal now."),
    ]


def test_partial_quotes_in_reported_speech() -> None:
    assert found(
        "Lopez had met Dong Zhuo.", "Maria Lopez stressed that ties were ‘better than ever before’ and ‘still improving.’"
    ) == [
        (1, "Maria Lopez", "", "better than ever before"),
        (1, "Maria Lopez", "", "still improving."),
    ]


def test_nested_single_quotes_stay_inside() -> None:
    quote = only("“They said ‘no’ to every single proposal,” said Maria Lopez.")
    assert quote.text == "They said ‘no’ to every single proposal"


def test_apostrophes_are_not_quote_marks() -> None:
    assert found("The ministers’ talks went on; it’s Russia’s turn.") == []
    assert found("‘It’s Russia’s turn to move now,’ said Maria Lopez.") == [
        (0, "Maria Lopez", "", "It’s Russia’s turn to move now")
    ]


# ---------------------------------------------------------------- names, surnames and pronouns


def test_pronoun_resolves_to_the_last_named_speaker_with_role() -> None:
    paragraphs = (
        "“The border will stay open to trade,” said Foreign Minister Sergei Lavrov.",
        "Talks continued into the night.",
        "“We expect an answer by Friday,” he said.",
    )
    assert found(*paragraphs)[-1] == (2, "Sergei Lavrov", "Foreign Minister", "We expect an answer by Friday")


def test_pronoun_before_anyone_is_quoted_is_the_last_person_named() -> None:
    assert found("Angela Ruiz arrived from the Kiel Institute.", "“We are ready to talk at any time,” she said.") == [
        (1, "Angela Ruiz", "", "We are ready to talk at any time"),
    ]


def test_pronoun_with_no_one_named_is_dropped() -> None:
    assert found("“We are ready to talk at any time,” she said.") == []


def test_surname_resolves_to_the_full_name_and_role_given_earlier() -> None:
    paragraphs = (
        "Russian Defense Minister Andrei Volkov met his counterpart in Qingdao.",
        "“Our ties are at a historic high,” Volkov said.",
    )
    assert found(*paragraphs) == [(1, "Andrei Volkov", "Russian Defense Minister", "Our ties are at a historic high")]


def test_family_name_first() -> None:
    paragraphs = ("President Xi Jinping met the delegation.", "“Our friendship has no limits at all,” Xi said.")
    assert found(*paragraphs) == [(1, "Xi Jinping", "President", "Our friendship has no limits at all")]


# ---------------------------------------------------------------- what is not a quote


@pytest.mark.parametrize(
    "paragraph",
    [
        "The so-called “Joint Sword” exercises began at dawn.",
        "In 1992 they signed the “Joint Declaration on the Basis of Mutual Relations,” emphasizing mutual respect.",
        "Leaders emphasize their “no limits” partnership.",
        "A joint statement called for a system “free from hegemonism.”",
        "The minister said the plan was “dead” after the vote.",
        "“Vostok” and “Joint Sea” drills continue.",
        "“Our ties are at a historic high,” and then nothing followed.",
    ],
)
def test_scare_quotes_titles_and_unattributed_quotes_are_skipped(paragraph: str) -> None:
    assert found(paragraph) == []


def test_a_short_quote_with_its_own_speech_verb_is_kept() -> None:
    assert found("“No comment,” said Maria Lopez.") == [(0, "Maria Lopez", "", "No comment")]


def test_a_sentence_after_a_quote_is_not_its_attribution() -> None:
    assert found("“We have nothing more to add today.” Russia said the talks would resume.") == []
    assert found("“Why should we wait any longer?” Russia said the talks would resume.") == []
    assert found("“Why should we wait any longer?” Maria Lopez asked.") == [
        (0, "Maria Lopez", "", "Why should we wait any longer?")
    ]


# ---------------------------------------------------------------- hostile input


def test_an_unbalanced_mark_does_not_swallow_the_article() -> None:
    paragraph = "Maria Lopez said: “The talks " + "went on and on " * 100 + "forever. “We are done,” said Tom Baker."
    assert found(paragraph) == [(0, "Tom Baker", "", "We are done")]
    # A quote left open at the paragraph end runs to it (the convention for quotes over several paragraphs).
    assert found("Maria Lopez said: “The talks will go on for as long as it takes.") == [
        (0, "Maria Lopez", "", "The talks will go on for as long as it takes."),
    ]
    long_open = "Maria Lopez said: “" + "word " * 200
    assert found(long_open, "“We are done,” said Tom Baker.") == [(1, "Tom Baker", "", "We are done")]


@pytest.mark.parametrize(
    "unit",
    ['"', "“", "”", "‘", "’", "“ ”", '"a b c d" said ', "He said: “", " ‘a", "Dr. John Smith said, “a b c d” "],
)
def test_many_quote_marks_take_linear_time(unit: str) -> None:
    marks = sum(unit.count(mark) for mark in '"“”‘’')

    def seconds(total_marks: int) -> float:
        text = unit * (total_marks // marks)
        begin = time.perf_counter()
        quotes([text])
        return time.perf_counter() - begin

    seconds(1000)  # warm the regex cache
    small, large = seconds(10_000), seconds(100_000)
    assert large < 25 * max(small, 1e-3)  # ten times the marks: linear, not quadratic (a ratio, as a busy machine slows both)


def test_empty_and_markless_paragraphs() -> None:
    assert quotes([]) == ()
    assert quotes(["", "No quotes here at all.", '""', "“”"]) == ()


# ---------------------------------------------------------------- demo corpus


def test_demo_corpus() -> None:
    """Every quote-like span of the demo corpus, decided: the rest are titles and scare quotes."""
    got = []
    for path in sorted(DEMO_CORPUS.glob("*.txt")):
        paragraphs = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for _, quote in quotes(paragraphs):
            got.append((path.stem, quote.speaker, quote.role, " ".join(quote.text.split()[:4])))
    harding = "Senior Fellow at the International Studies Institute"
    davies = "specialist in Eurasian geopolitics at King’s College London"
    assert got == [
        ("exclusive-insights-secret-talks", "Andrei Bozhovsky", "Russian Defense Minister", "at an unprecedented high"),
        ("exclusive-insights-secret-talks", "Andrei Bozhovsky", "Russian Defense Minister", "continuing to show upward"),
        ("sino-russian-alignment-assessment", "Eleanor Harding", harding, "The fundamental drivers of"),
        ("sino-russian-alignment-assessment", "Eleanor Harding", harding, "Neither country seeks to"),
        ("sino-russian-alignment-assessment", "Alistair Davies", davies, "The Chinese are providing"),
        ("sino-russian-alignment-assessment", "Alistair Davies", davies, "This is not simply"),
    ]


@pytest.mark.parametrize(
    ("paragraph", "speaker", "role"),
    [
        (
            "The US Secretary of Defense, Lloyd Austin, said: “We are concerned about the drills.”",
            "Lloyd Austin",
            "US Secretary of Defense",
        ),
        ("“It is a mistake,” said former Prime Minister Boris Johnson.", "Boris Johnson", "former Prime Minister"),
        (
            '"We will respond accordingly," said Ursula von der Leyen, President of the European Commission.',
            "Ursula von der Leyen",
            "President of the European Commission",
        ),
        (
            "“We are ready,” said Lt. Gen. James Miller, commander of U.S. forces in Japan.",
            "James Miller",
            "commander of U.S. forces in Japan",
        ),
        (
            "Kremlin spokesman Dmitry Peskov said ties were “strong and getting stronger every year.”",
            "Dmitry Peskov",
            "Kremlin spokesman",
        ),
    ],
)
def test_harder_names_and_roles(paragraph: str, speaker: str, role: str) -> None:
    quote = only(paragraph)
    assert (quote.speaker, quote.role) == (speaker, role)


def test_a_quote_left_open_continues_in_the_next_paragraph() -> None:
    assert found("Lopez said: “We will fight on every front.", "“We will win in the end,” she added.") == [
        (0, "Lopez", "", "We will fight on every front."),
        (1, "Lopez", "", "We will win in the end"),
    ]


_PIECES = st.sampled_from(
    ["“", "”", "‘", "’", '"', "'", " ", ",", ".", ":", "a", "A", "Zed", " said ", " Maria Lopez ", " he ", " Dr. "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=60).map("".join), max_size=4))
def test_any_text_gives_ordered_spans_of_its_paragraphs(paragraphs: list[str]) -> None:
    result = quotes(paragraphs)
    assert [index for index, _ in result] == sorted(index for index, _ in result)
    for index, quote in result:
        assert paragraphs[index][quote.start : quote.end] == quote.text
        assert 0 < len(quote.text) <= 600 and quote.speaker
