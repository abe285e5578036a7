"""Sentence splitter on the hard cases of news text."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.ingest import sentences

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

# (paragraph, expected sentences). Shared with the splitter measurement in
# the report, so every case is one a news splitter must get right.
HARD_CASES: list[tuple[str, list[str]]] = [
    (
        "The U.S. economy grew by 3.5% last year. Growth slowed in Jan. and Feb. as expected.",
        ["The U.S. economy grew by 3.5% last year.", "Growth slowed in Jan. and Feb. as expected."],
    ),
    (
        "Dr. Eleanor Harding and Prof. Alistair Davies disagree. Both spoke in London.",
        ["Dr. Eleanor Harding and Prof. Alistair Davies disagree.", "Both spoke in London."],
    ),
    (
        "Bilateral trade reached over $200 billion in 2023. The dollar reached $1.2871 against the euro.",
        ["Bilateral trade reached over $200 billion in 2023.", "The dollar reached $1.2871 against the euro."],
    ),
    (
        "Settlements in local currencies reduce dependency on the U.S. dollar. This worries Washington.",
        ["Settlements in local currencies reduce dependency on the U.S. dollar.", "This worries Washington."],
    ),
    (
        "The talks were held in the U.S. The outcome is unclear.",
        ["The talks were held in the U.S.", "The outcome is unclear."],
    ),
    (
        "Author J. K. Rowling said so. Her agent agreed.",
        ["Author J. K. Rowling said so.", "Her agent agreed."],
    ),
    (
        "He lives at No. 10 Downing Street. Others, e.g. Mr. Smith, do not.",
        ["He lives at No. 10 Downing Street.", "Others, e.g. Mr. Smith, do not."],
    ),
    (
        'Mr Hague replied: "No. Definitely not." His determination was clear.',
        ['Mr Hague replied: "No.', 'Definitely not."', "His determination was clear."],
    ),
    (
        "A 2023 joint statement called for a reformed international system “free from hegemonism.” "
        "This ideological convergence has led to increased cooperation.",
        [
            "A 2023 joint statement called for a reformed international system “free from hegemonism.”",
            "This ideological convergence has led to increased cooperation.",
        ],
    ),
    (
        '"I think the chairman is taking a sanguine view," said Robert Sinche. "He is taking a longer-term view."',
        ['"I think the chairman is taking a sanguine view," said Robert Sinche.', '"He is taking a longer-term view."'],
    ),
    (
        "“We are ready. We will act,” he said. Nobody replied.",
        ["“We are ready. We will act,” he said.", "Nobody replied."],
    ),
    (
        '"Why not?" he asked. She laughed!  Then she left.',
        ['"Why not?" he asked.', "She laughed!", "Then she left."],
    ),
    (
        "He teaches science (He previously worked for 5 years as an engineer.) at the local university. He is 40.",
        ["He teaches science (He previously worked for 5 years as an engineer.) at the local university.", "He is 40."],
    ),
    (
        "The firm declined to comment. (It had said the same in March.) Shares fell.",
        ["The firm declined to comment.", "(It had said the same in March.)", "Shares fell."],
    ),
    (
        "Apple Inc. said revenue rose. Shares of Acme Corp. fell 2.5 per cent. The market closed at 4 p.m. Trading was light.",
        [
            "Apple Inc. said revenue rose.",
            "Shares of Acme Corp. fell 2.5 per cent.",
            "The market closed at 4 p.m.",
            "Trading was light.",
        ],
    ),
    (
        "But growth of 0.1%... in the third quarter was weak. Analysts were surprised.",
        ["But growth of 0.1%... in the third quarter was weak.", "Analysts were surprised."],
    ),
    (
        "Gen. Li Shangfu met Sen. Jones on Jan. 5 in Qingdao. They talked for 3.5 hours.",
        ["Gen. Li Shangfu met Sen. Jones on Jan. 5 in Qingdao.", "They talked for 3.5 hours."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), HARD_CASES)
def test_hard_cases(text: str, expected: list[str]) -> None:
    assert sentences.split(text) == expected


def test_spans_point_into_the_text() -> None:
    text = "  First one.  Second one?\nThird!  "
    spans = sentences.split_spans(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one?", "Third!"]


def test_empty_and_unterminated() -> None:
    assert sentences.split("") == []
    assert sentences.split("   ") == []
    assert sentences.split("no full stop here") == ["no full stop here"]


def test_demo_corpus_quote_and_doctor() -> None:
    line = (CORPUS / "sino-russian-alignment-assessment.txt").read_text(encoding="utf-8").splitlines()[3]
    found = sentences.split(line)
    assert any(s.startswith("“The fundamental drivers") and s.endswith("Studies Institute.") for s in found)
    assert "Dr. Eleanor Harding" in next(s for s in found if "Harding" in s)
    assert found[-1].startswith("“Neither country seeks") and found[-1].endswith("allies.”")


def test_demo_corpus_closing_quote() -> None:
    line = (CORPUS / "russia-china-defense-ministers-qingdao.txt").read_text(encoding="utf-8").splitlines()[12]
    first, second = sentences.split(line)
    assert first.endswith("“free from hegemonism.”")
    assert second.startswith("This ideological convergence")


def test_demo_corpus_amounts_and_us() -> None:
    text = (CORPUS / "putin-visit-russia-china-friendship.txt").read_text(encoding="utf-8")
    found = [s for line in text.splitlines() for s in sentences.split(line)]
    assert any(s.startswith("In 2023, bilateral trade reached a record high of over $200 billion") for s in found)
    assert any("advanced U.S. missile defense systems in South Korea" in s for s in found)
    assert not any(s.endswith("U.S.") for s in found)


def test_fast_on_long_paragraphs() -> None:
    paragraph = " ".join(text for text, _ in HARD_CASES)
    started = time.perf_counter()
    for _ in range(200):
        sentences.split_spans(paragraph)
    # About 10 KB of hard text per loop; the build splits every paragraph.
    assert (time.perf_counter() - started) / 200 < 0.005
