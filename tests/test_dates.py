"""Temporal expressions: spans, TIMEX3 values, resolution against the publication date.

Every sentence here is invented for the test.
"""

from __future__ import annotations

import datetime
import time

import pytest

from generator.analysis.dates import Timex, extract, publication_from_dateline
from generator.evaluation.timex import Span, evaluate, match_relaxed

# A Wednesday.
ANCHOR = datetime.date(2023, 3, 22)


def found(text: str, anchor: datetime.date | None = ANCHOR) -> list[tuple[str, str, str]]:
    return [(t.text, t.type, t.value) for t in extract(text, anchor)]


def test_spans_are_slices_of_the_source() -> None:
    text = "The ferry resumed on March 21, 2023, two years after the storm."
    timexes = extract(text, ANCHOR)
    # "after the storm" is an event, not a date: TimeML marks only the length, "two years".
    assert [(t.start, t.end, t.type) for t in timexes] == [(21, 35, "DATE"), (37, 46, "DURATION")]
    assert all(text[t.start : t.end] == t.text for t in timexes)
    assert timexes[0] == Timex(21, 35, "March 21, 2023", "DATE", "2023-03-21", True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The mayor signed it on March 21, 2023.", ("March 21, 2023", "DATE", "2023-03-21")),
        ("The mayor signed it on 21 March 2023.", ("21 March 2023", "DATE", "2023-03-21")),
        ("Filed 2023-03-21 in the county register.", ("2023-03-21", "DATE", "2023-03-21")),
        ("The form is dated 3/21/2023.", ("3/21/2023", "DATE", "2023-03-21")),
        ("The bridge closed Sept. 4, 1998.", ("Sept. 4, 1998", "DATE", "1998-09-04")),
        ("The museum opened in May 1996.", ("May 1996", "DATE", "1996-05")),
        ("The lighthouse was rebuilt in the spring of 1954.", ("the spring of 1954", "DATE", "1954-SP")),
        ("Harvests failed in fall 1998.", ("fall 1998", "DATE", "1998-FA")),
        ("The club was founded in the 1960s.", ("the 1960s", "DATE", "196")),
        ("Vinyl sales peaked in the '70s.", ("the '70s", "DATE", "197")),
        ("Profit rose in the first quarter.", ("the first quarter", "DATE", "2023-Q1")),
        ("Profit rose in the fourth quarter of 2021.", ("the fourth quarter of 2021", "DATE", "2021-Q4")),
        ("The chapel dates from the 12th century.", ("the 12th century", "DATE", "11")),
    ],
)
def test_absolute_dates(text: str, expected: tuple[str, str, str]) -> None:
    assert found(text) == [expected]


def test_weekday_with_date_takes_the_year_that_fits() -> None:
    # March 21 was a Tuesday in 2023.
    assert found("Tuesday, March 21 was the coldest day.") == [("Tuesday, March 21", "DATE", "2023-03-21")]


def test_prepositions_stay_outside_the_span() -> None:
    assert found("Sales have doubled since 2019.") == [("2019", "DATE", "2019")]


def test_numbers_that_are_not_years() -> None:
    text = "The army sent 2,023 troops, paid $2019 each, and camped at 1500 metres for 1999 people."
    assert found(text) == []


def test_a_year_after_a_preposition_is_a_year() -> None:
    assert found("The levee was raised in 1992 and again in 2004.") == [("1992", "DATE", "1992"), ("2004", "DATE", "2004")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The vote is today.", ("today", "DATE", "2023-03-22")),
        ("The vote was yesterday.", ("yesterday", "DATE", "2023-03-21")),
        ("The vote is tomorrow.", ("tomorrow", "DATE", "2023-03-23")),
        ("The board met on Monday.", ("Monday", "DATE", "2023-03-20")),
        ("The board met on Wednesday.", ("Wednesday", "DATE", "2023-03-22")),
        ("The board will meet on Friday.", ("Friday", "DATE", "2023-03-24")),
        ("The board met last Wednesday.", ("last Wednesday", "DATE", "2023-03-15")),
        ("Prices fell last year.", ("last year", "DATE", "2022")),
        ("Prices fell this month.", ("this month", "DATE", "2023-03")),
        ("Prices fall next month.", ("next month", "DATE", "2023-04")),
        ("The pier opened two years ago.", ("two years ago", "DATE", "2021")),
        ("The pier opened five months ago.", ("five months ago", "DATE", "2022-10")),
        ("The pier reopened earlier this week.", ("earlier this week", "DATE", "2023-W12")),
        ("The pier reopened last week.", ("last week", "DATE", "2023-W11")),
        ("Rents rose in the first half.", ("the first half", "DATE", "2023-H1")),
        ("Snow fell this morning.", ("this morning", "TIME", "2023-03-22TMO")),
        ("The ferry leaves at 2 p.m.", ("2 p.m.", "TIME", "2023-03-22T14:00")),
        ("The ferry left at 7:45 a.m. Tuesday.", ("7:45 a.m. Tuesday", "TIME", "2023-03-21T07:45")),
    ],
)
def test_relative_expressions_resolve_against_the_anchor(text: str, expected: tuple[str, str, str]) -> None:
    assert found(text) == [expected]
    assert all(t.resolved for t in extract(text, ANCHOR))


def test_a_bare_month_takes_the_nearest_plausible_year() -> None:
    # Read in March: November is last year's, April this year's, and a future sentence looks ahead.
    assert found("The plant closed in November.") == [("November", "DATE", "2022-11")]
    assert found("The plant closed in January.") == [("January", "DATE", "2023-01")]
    assert found("The plant will reopen in January.") == [("January", "DATE", "2024-01")]


def test_without_an_anchor_relative_expressions_stay_unresolved() -> None:
    timexes = extract("The board met on Friday and will meet again next year; prices rose last month.", None)
    assert [(t.text, t.value, t.resolved) for t in timexes] == [
        ("Friday", "XXXX-WXX-5", False),
        ("next year", "XXXX", False),
        ("last month", "XXXX-XX", False),
    ]
    assert [(t.value, t.resolved) for t in extract("Prices rose recently and are high now.", None)] == [
        ("PAST_REF", False),
        ("PRESENT_REF", False),
    ]
    # An absolute date or a length needs no anchor.
    assert extract("It lasted five years.", None)[0].resolved
    assert extract("It opened on June 2, 1990.", None)[0].resolved


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Prices were higher recently.", "PAST_REF"),
        ("Prices are currently high.", "PRESENT_REF"),
        ("Prices may fall in the future.", "FUTURE_REF"),
    ],
)
def test_vague_references(text: str, value: str) -> None:
    assert [t.value for t in extract(text, ANCHOR)] == [value]


def test_former_is_not_a_temporal_expression() -> None:
    assert found("The former mayor spoke.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The trial lasted five years.", ("five years", "DURATION", "P5Y")),
        ("They signed a three-month lease.", ("three-month", "DURATION", "P3M")),
        ("It took a decade.", ("a decade", "DURATION", "P10Y")),
        ("The strike lasted 24 hours.", ("24 hours", "DURATION", "PT24H")),
        ("The rebuild took 2 1/2 years.", ("2 1/2 years", "DURATION", "P2Y6M")),
        ("Rain fell for the past three weeks.", ("the past three weeks", "DURATION", "P3W")),
        ("It could take several months.", ("several months", "DURATION", "PXM")),
        ("The market is held every year.", ("every year", "SET", "P1Y")),
        ("The paper is printed weekly.", ("weekly", "SET", "P1W")),
        ("The fee is paid annually.", ("annually", "SET", "P1Y")),
        ("The ferry sails every Thursday.", ("every Thursday", "SET", "XXXX-WXX-4")),
    ],
)
def test_durations_and_sets(text: str, expected: tuple[str, str, str]) -> None:
    assert found(text) == [expected]


def test_ages_are_not_durations() -> None:
    assert found("A 6-year-old boy and a 40-year-old teacher were rescued.") == []


def test_quarters_in_an_earnings_report() -> None:
    # Read in late October, the quarter just reported is the third; "a year earlier" is its twin.
    text = "Net income rose in the third quarter. Sales in the quarter beat the level of a year earlier."
    assert found(text, datetime.date(2022, 10, 27)) == [
        ("the third quarter", "DATE", "2022-Q3"),
        ("the quarter", "DATE", "2022-Q3"),
        ("a year earlier", "DATE", "2021-Q3"),
    ]
    # Without quarters in sight, "a year ago" is just last year.
    assert found("Crime fell from a year ago.", datetime.date(2022, 10, 27)) == [("a year ago", "DATE", "2021")]


def test_decade_choice_for_two_digits() -> None:
    # A two-digit decade is the latest one at or before the anchor; temperatures are not decades.
    assert found("Music of the 50s filled the hall.") == [("the 50s", "DATE", "195")]
    assert found("Music of the 10s filled the hall.") == [("the 10s", "DATE", "201")]
    assert found("Highs will be in the 50s on Sunday.") == [("Sunday", "DATE", "2023-03-26")]


@pytest.mark.parametrize(
    "text",
    [
        "February 30, 2023 was printed on the ticket.",
        "Their motto: 99999 years of service.",
        "Year 99999 and month 13/45/2023 and 9999-99-99.",
        "Été 2023 — 😀 München, März, 東京 2020年, ١٩٩٨",
        "",
        " ",
        "'" * 500,
    ],
)
def test_hostile_input_does_not_crash(text: str) -> None:
    for anchor in (ANCHOR, None, datetime.date(1, 1, 1), datetime.date(9999, 12, 31)):
        for t in extract(text, anchor):
            assert text[t.start : t.end] == t.text


def test_impossible_days_keep_only_the_month() -> None:
    assert found("The ticket said February 30, 2023.") == [("February 30, 2023", "DATE", "2023-02")]


def test_implausible_years_are_not_dates() -> None:
    assert found("The ledger lists 99999 entries.") == []


def test_huge_text_is_linear() -> None:
    unit = "On Tuesday, March 21, the board met for three hours and agreed to meet every month in 2023. "
    small, big = unit * 200, unit * 2000
    began = time.perf_counter()
    extract(small, ANCHOR)
    t_small = time.perf_counter() - began
    began = time.perf_counter()
    timexes = extract(big, ANCHOR)
    t_big = time.perf_counter() - began
    assert len(timexes) == 2000 * 4
    assert t_big < 30 * max(t_small, 1e-3)  # ten times the text, not a hundred times the time
    extract("9" * 100_000 + " March " * 10_000 + "the " * 20_000, ANCHOR)


def test_output_is_deterministic() -> None:
    text = "Last Friday, a year after the 1998 floods, the council met twice a week."
    assert extract(text, ANCHOR) == extract(text, ANCHOR)


# ---------------------------------------------------------------- evaluation


def _gold(text: str, phrase: str, type_: str, value: str) -> dict[str, object]:
    start = text.index(phrase)
    return {"start": start, "end": start + len(phrase), "text": phrase, "type": type_, "value": value}


_TEXT_A = "The mill reopened yesterday after losses in the third quarter and a stoppage of two days"
_TEXT_B = "Prices rose on March 1, 2023 and every week since"
RECORDS = [
    {
        "id": "a",
        "title": "Invented one",
        "dct": "2023-03-22",
        "text": _TEXT_A,
        "timexes": [
            _gold(_TEXT_A, "yesterday", "DATE", "2023-03-21"),
            _gold(_TEXT_A, "the third quarter", "DATE", "2022-Q3"),  # read in March, Q3 is last year's
            _gold(_TEXT_A, "two days", "DATE", "P2D"),  # wrong type on purpose: we say DURATION
        ],
    },
    {
        "id": "b",
        "title": "Invented two",
        "dct": "2023-03-22",
        "text": _TEXT_B,
        # gold marks only "March 1" and a wrong value; "every week" is left unannotated
        "timexes": [_gold(_TEXT_B, "March 1", "DATE", "2023-03-02")],
    },
]


def test_evaluate_scores_both_methods_in_the_protocol_order() -> None:
    result = evaluate(RECORDS)
    assert result["n"] == 2
    ours = result["methods"]["briefing"]
    assert list(ours) == [
        "strict_p",
        "strict_r",
        "strict_f1",
        "relaxed_p",
        "relaxed_r",
        "relaxed_f1",
        "type_accuracy",
        "value_accuracy",
        "value_f1",
        "ms_per_doc",
    ]
    # We predict 5: yesterday, the third quarter, two days (all exact), "March 1, 2023" (overlaps
    # gold "March 1": relaxed only) and "every week" (unannotated: a false positive). Gold has 4.
    assert ours["strict_p"] == 60.0
    assert ours["strict_r"] == 75.0
    assert ours["strict_f1"] == 66.67
    assert ours["relaxed_p"] == 80.0
    assert ours["relaxed_r"] == 100.0
    assert ours["relaxed_f1"] == 88.89
    assert ours["type_accuracy"] == 75.0  # "two days" is DATE in this gold
    assert ours["value_accuracy"] == 75.0  # March 1 is not March 2
    assert ours["value_f1"] == 66.67  # 75% of 88.89
    assert "dateparser" in result["methods"] or result["notes"]


def test_relaxed_matching_counts_like_tempeval3() -> None:
    # One prediction across two gold spans: precision 1 of 1, recall 2 of 2 (the official scorer's
    # overlap rule); its attributes are judged against the gold span it overlaps most.
    gold = [Span(0, 5, "DATE", "x"), Span(6, 10, "DATE", "y")]
    assert match_relaxed([Span(0, 10, "DATE", "x")], gold) == [(Span(0, 10, "DATE", "x"), gold[0])]
    text = "March 1 to March 9"
    record = {
        "id": "c",
        "title": None,
        "dct": "2023-03-22",
        "text": text,
        "timexes": [_gold(text, "March 1", "DATE", "2023-03-01"), _gold(text, "March 9", "DATE", "2023-03-09")],
    }
    ours = evaluate([record])["methods"]["briefing"]
    assert (ours["strict_f1"], ours["relaxed_f1"], ours["value_accuracy"]) == (100.0, 100.0, 100.0)


def test_more_news_forms() -> None:
    anchor = datetime.date(2013, 6, 5)
    assert found("The 2013 budget and 2013's deficit were debated.", anchor) == [
        ("2013", "DATE", "2013"),
        ("2013", "DATE", "2013"),
    ]
    assert found("It happened in January nineteen ninety-seven.", anchor) == [
        ("January nineteen ninety-seven", "DATE", "1997-01")
    ]
    assert found("Trains left at 14:30 GMT and at 10.30am.", anchor) == [
        ("14:30 GMT", "TIME", "2013-06-05T14:30"),
        ("10.30am", "TIME", "2013-06-05T10:30"),
    ]
    assert found("The final score was 14:30 after extra time.", anchor) == []
    assert found("Shares fell in mid-afternoon yesterday.", anchor) == [("mid-afternoon yesterday", "TIME", "2013-06-04TAF")]
    # Read in June: a past sentence means last Christmas, a future one the coming Christmas.
    assert found("Shops closed on Christmas Day.", anchor) == [("Christmas Day", "DATE", "2012-12-25")]
    assert found("Shops will close on Christmas Day.", anchor) == [("Christmas Day", "DATE", "2013-12-25")]


def test_publication_from_dateline() -> None:
    assert publication_from_dateline("HARBOURTOWN, March 21 (Wire) - The ferry sank.", 2023) == datetime.date(2023, 3, 21)
    assert publication_from_dateline("HARBOURTOWN, March 21 (Wire) - The ferry sank.", None) is None
    assert publication_from_dateline("Posted June 2, 1990 by the desk", None) == datetime.date(1990, 6, 2)
    assert publication_from_dateline("HARBOURTOWN (Wire) - The ferry sank on Friday.", 2023) is None


def test_event_words_are_not_dates() -> None:
    anchor = datetime.date(2010, 12, 10)
    text = "The office Christmas party ended before Christmas. On the night of the vote it rained; it rained last night."
    assert found(text, anchor) == [("Christmas", "DATE", "2010-12-25"), ("last night", "TIME", "2010-12-09TNI")]
    # A bare "fall" is a verb, with or without an anchor; "the fall" is the season.
    assert found("Prices fall when supply grows.", None) == []
    assert found("Prices fell in the fall.", anchor) == [("the fall", "DATE", "2010-FA")]


def test_running_rules_only_near_their_trigger_words_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # The speed-up must be invisible: every rule over the whole text gives the same expressions.
    from generator.analysis import dates

    text = (
        "On Tuesday, March 21, 2023, at 10:30 a.m. EST, the board met for nearly three hours; a year earlier, in the "
        "third quarter, it met every week. The mayor's pastor, Mr. Novak, said Christmases past were colder, "
        "that in the 1990s the river froze in the winter of 1996, and that the plan runs through fiscal 2025, "
        "sometime next year, for the past 18 months and the next two weeks, at noon Friday or at 14:30 GMT."
    )
    gated = dates.extract(text, ANCHOR)
    monkeypatch.setattr(dates, "_windows", lambda source: [(rule, 0, len(source)) for rule in range(len(dates._RULES))])
    assert dates.extract(text, ANCHOR) == gated
    assert len(gated) == 14
    assert gated[1].value == "2023-03-21T10:30"  # the time takes the day named just before it
