"""Temporal expressions (TIMEX3) found by rules, normalized against the article's date.

``extract(text, anchor)`` returns every date, time, duration and set it recognizes, each with
its character span, TIMEX3 type and normalized value, in document order and never overlapping.
The conventions are TimeML's (as annotated in TimeBank and TempEval-3), because that is what
the evaluation data uses and what a timeline needs:

- the determiner is inside the span ("the third quarter", "the past"); prepositions are not,
  nor "about" / "over" before a length, while "nearly" / "more than" / "at least" are;
- relative expressions are resolved against ``anchor``, the publication date: "Friday" is the
  nearest Friday on or before it (news reports the past) unless its clause speaks of the
  future ("will", "scheduled", "next"...), then the nearest on or after;
- a month without a year takes the anchor's year, except five or more months ahead (last
  year's: news looks back) or eight or more behind (next year's); in a future clause it is the
  next such month; "last February" read in March is the previous year's, as TimeBank reads it;
- earnings news is about the last completed quarter: "the quarter" / "the latest period" is
  that one, and "a year ago" / "year-earlier" in an article that names quarters is the same
  quarter a year before (elsewhere just the previous year);
- vague references are ``PAST_REF`` ("recently"), ``PRESENT_REF`` ("now", "currently") and
  ``FUTURE_REF`` ("the future"); vague amounts put ``X`` in the value ("several years" is
  ``PXY``); ages ("6-year-old") and "former" are not temporal expressions.

Without an anchor a relative expression keeps an unresolved value ("XXXX", "XXXX-WXX-5",
"XXXX-03-21", "PAST_REF") and ``resolved=False``, so it never lands on a timeline. Two-digit
decades ("the '60s", "the 50s") are read as the most recent such decade at or before the
anchor (the 20th century without one); a bare "the 50s" is skipped next to temperature words.
A day that does not exist ("February 30, 2023") keeps only its month ("2023-02").

Every pattern is precompiled at import and is a bounded alternation without nested
quantifiers, so the cost is linear and hostile input cannot make it backtrack. A rule only
runs in windows around the words it cannot match without (one pass over the words finds
them), which gives the same output as running every rule over the whole text, five times faster;
and not in a window that lacks a piece its match cannot lack (_NEEDS_SOURCE: a colon for a
24-hour clock), which with cheaper windows makes it nearly twice as fast again.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.models import Timex, TimexType


@dataclass(frozen=True)
class _Found:
    """What a rule makes of a match, before spans are chosen."""

    type: TimexType
    value: str
    resolved: bool = True
    start: int | None = None  # a rule may trim its match (a leading preposition)


@dataclass(frozen=True)
class _Context:
    text: str
    anchor: datetime.date | None


Handler = Callable[[re.Match[str], _Context], _Found | None]

# ---------------------------------------------------------------- vocabulary

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
# Month names are matched case-sensitively: "march" and "may" are verbs, "Jan" a first name,
# so a bare abbreviation needs a period or a day number after it.
_MONTH_NAME = r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November|December|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)\b)"
_MONTH_ABBR = r"(?-i:(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.)"
_MONTH_BARE_ABBR = r"(?-i:(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b)"
MONTH = rf"(?:{_MONTH_NAME}|{_MONTH_ABBR})"
MONTH_DAYED = rf"(?:{_MONTH_NAME}|{_MONTH_ABBR}|{_MONTH_BARE_ABBR})"

_WEEKDAYS = {"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7}
WEEKDAY = (
    r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY)"
)
WEEKDAY_ABBR = r"(?-i:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?)"

_ONES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "thirtieth": 30,
}  # fmt: skip
_ONES_RE = "|".join(sorted(_ONES, key=len, reverse=True))
_TENS_RE = "|".join(_TENS)
NUMWORD = rf"(?:(?:{_TENS_RE})(?:[- ](?:{_ONES_RE}))?|{_ONES_RE}|a hundred|one hundred|hundred|a thousand|thousand)"
# A count of units: digits, words, or a vague amount ("several", "a few") that gives an X.
_VAGUE = r"several|a few|few|a couple of|couple of|some|many|a number of|a|an"
QUANT = rf"(?:\d{{1,3}}(?:,\d{{3}})*(?:\.\d+)?(?: 1/2| and a half)?|{NUMWORD}(?: and a half)?|{_VAGUE})"
UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?|decades?|centuries|century)"
_UNIT_CODE = {
    "second": ("T", "S", 1), "minute": ("T", "M", 1), "hour": ("T", "H", 1), "day": ("", "D", 1), "week": ("", "W", 1),
    "fortnight": ("", "W", 2), "month": ("", "M", 1), "quarter": ("", "Q", 1), "year": ("", "Y", 1),
    "decade": ("", "Y", 10), "century": ("", "Y", 100),
}  # fmt: skip
_PART_OF_DAY = {
    "morning": "MO",
    "afternoon": "AF",
    "mid-afternoon": "AF",
    "mid afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "overnight": "NI",
}
PART = r"(?:morning|afternoon|evening|night)"
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
SEASON = r"(?:spring|summer|fall|autumn|winter)"
YEAR4 = r"(?:1[0-9]{3}|20[0-9]{2})"
# TimeBank keeps "nearly", "more than", "at least" inside a duration's span but leaves "about",
# "only" and "over" (mostly a preposition: "over three years") outside; "about ... ago" stays whole.
MODIFIER = r"(?:nearly|almost|more than|less than|fewer than|under|at least|at most|up to|no more than|no less than|just over|just under|well over|the better part of)"
MODIFIER_AGO = r"(?:about|around|approximately|roughly|some|nearly|almost|more than|less than|at least|just over|just under|well over|barely|only)"
EDGE = r"(?:early|late|mid|the end of|the beginning of|the start of|the middle of|the first half of|the second half of)"
_FUTURE_CUE = re.compile(
    r"\b(?:will|won't|shall|'ll|going to|is to|are to|is due|are due|due to|scheduled|expected to|plans? to|planning to|planned|set to|next|upcoming|as soon as)\b",
    re.IGNORECASE,
)
_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|per\b|[a-z]*metres?\b|[a-z]*meters?\b|km\b|kilo|miles?\b|feet\b|ft\b|yards?\b|inches\b|acres?\b|hectares?\b|tons?\b|tonnes?\b|"
    r"pounds?\b|lbs?\b|kg\b|grams?\b|dollars?\b|euros?\b|yen\b|barrels?\b|people\b|persons?\b|troops\b|soldiers\b|men\b|women\b|children\b|workers\b|"
    r"employees\b|jobs\b|points?\b|shares?\b|units?\b|cars?\b|votes?\b|hours?\b|hrs\b|GMT\b|minutes?\b|calories\b|pages?\b|words?\b|rooms?\b|"
    r"seats?\b|members?\b|cases\b|deaths\b|homes\b|houses\b|students\b|[ap]\.?m\b|degrees?\b|mph\b|:\d|[.,]\d|-(?:odd|strong)\b|th\b|st\b)",
    re.IGNORECASE,
)
_NOT_YEAR_BEFORE = re.compile(
    r"(?:[$£€¥#]|\bNo\.|\bnumber|\bRoute|\bHighway|\bFlight|\bRoom|\bpage|\bp\.|\bat|\bArticle|\bResolution|\bPub\.|\bL\.|\bBill|[\d,.]|\bfrom \d+ to|\bto)\s*$",
    re.IGNORECASE,
)
_TEMPERATURE = re.compile(r"degrees?|temperature|fahrenheit|celsius|\bhighs?\b|\blows?\b", re.IGNORECASE)
_SET_RATE_BEFORE = re.compile(r"(?:\d|million|billion|dollars?|cents?|percent|%|times|once|twice)\W{0,3}$", re.IGNORECASE)

# ---------------------------------------------------------------- small calendar helpers


def _iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _quarter(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def _valid_day(year: int | None, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    # Without a year, February 29 is possible.
    return day <= (calendar.monthrange(year, month)[1] if year is not None and 1 <= year <= 9999 else (29 if month == 2 else 31))


def _month_year(month: int, anchor: datetime.date, future: bool = False) -> int:
    """Year of a month named without one.

    In a sentence about the future, the next such month; otherwise the anchor's year, unless that
    puts the month well ahead of the anchor (news mostly looks back, and "Nov. 1" a week ahead is
    still this year's).
    """
    diff = month - anchor.month
    if future:
        return anchor.year if diff >= -1 else anchor.year + 1
    if diff >= 5:
        return anchor.year - 1
    if diff <= -8:
        return anchor.year + 1  # "January" in a November article is mostly the coming one
    return anchor.year


def _date_value(year: int | None, month: int, day: int | None) -> tuple[str, bool]:
    """A day's (or, when the day does not exist, the month's) value; year None gives ``XXXX``."""
    y = f"{year:04d}" if year is not None else "XXXX"
    if day is None or not _valid_day(year, month, day):
        return f"{y}-{month:02d}", year is not None
    return f"{y}-{month:02d}-{day:02d}", year is not None


def _number(words: str) -> float | None:
    """The number a count spells ("twenty four", "2 1/2", "a couple of"), or None when it is vague."""
    s = words.lower().replace(",", "").strip()
    half = 0.0
    for tail in (" and a half", " 1/2"):
        if s.endswith(tail):
            s, half = s[: -len(tail)].strip(), 0.5
    if s in ("a", "an", "one", "the"):
        return 1 + half
    if s in ("a couple of", "couple of"):
        return 2.0
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s) + half
    total = 0
    for part in re.split(r"[- ]", s):
        if part in _ONES:
            total += _ONES[part]
        elif part in _TENS:
            total += _TENS[part]
        elif part in ("hundred",):
            total = max(total, 1) * 100
        elif part in ("thousand",):
            total = max(total, 1) * 1000
        elif part not in ("a", "and"):
            return None
    return total + half if total else None


def _fmt(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def _duration(count: float | None, unit: str) -> str:
    unit = unit.lower().rstrip("s")
    if unit == "centurie":
        unit = "century"
    t, code, factor = _UNIT_CODE[unit]
    if count is None:
        return f"P{t}X{ {'decade': 'DE', 'century': 'CE'}.get(unit, code) }"
    amount = count * factor
    if amount != int(amount):
        # TIMEX3 values have whole numbers: 2.5 years are P2Y6M, 1.5 hours PT1H30M
        smaller = (
            {"H": ("M", 60), "M": ("S", 60)} if t else {"Y": ("M", 12), "M": ("D", 30), "D": ("H", 24), "W": ("D", 7)}
        ).get(code)
        if smaller is not None:
            inner = "T" if code in ("H", "D") and not t else ""
            whole, rest = int(amount), round((amount - int(amount)) * smaller[1])
            head = f"{whole}{code}" if whole else ""
            return f"P{t}{head}{inner}{rest}{smaller[0]}"
    return f"P{t}{_fmt(amount)}{code}"


def _unit_name(unit: str) -> str:
    u = unit.lower()
    if u in ("centuries", "century"):
        return "century"
    return u.rstrip("s")


def _shift(anchor: datetime.date, unit: str, amount: int) -> str:  # noqa: PLR0911 -- one return per unit
    """The anchor moved by whole units, at the unit's granularity ("two years ago" is a year)."""
    u = _unit_name(unit)
    if u in ("day", "hour", "minute", "second"):
        days = amount if u == "day" else 0
        return (anchor + datetime.timedelta(days=days)).isoformat()
    if u in ("week", "fortnight"):
        return _iso_week(anchor + datetime.timedelta(weeks=amount * (2 if u == "fortnight" else 1)))
    if u == "month":
        y, m = _add_months(anchor.year, anchor.month, amount)
        return f"{y:04d}-{m:02d}"
    if u == "quarter":
        y, m = _add_months(anchor.year, anchor.month, 3 * amount)
        return f"{y:04d}-Q{(m - 1) // 3 + 1}"
    if u == "decade":
        return f"{(anchor.year + 10 * amount) // 10:03d}"
    if u == "century":
        return f"{(anchor.year + 100 * amount) // 100:02d}"
    return f"{anchor.year + amount:04d}"


_UNRESOLVED = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "fortnight": "XXXX-WXX", "month": "XXXX-XX", "quarter": "XXXX-QX",
               "year": "XXXX", "decade": "XXX", "century": "XX", "hour": "XXXX-XX-XX", "minute": "XXXX-XX-XX", "second": "XXXX-XX-XX"}  # fmt: skip


def _relative(ctx: _Context, unit: str, amount: int) -> _Found:
    if ctx.anchor is None:
        return _Found("DATE", _UNRESOLVED[_unit_name(unit)], resolved=False)
    return _Found("DATE", _shift(ctx.anchor, unit, amount))


def _weekday_date(ctx: _Context, weekday: int, at: int, mode: str) -> datetime.date | None:
    """The date of a weekday named near ``at``: the nearest on or before the anchor, or after it in a future sentence."""
    anchor = ctx.anchor
    if anchor is None:
        return None
    back = (anchor.isoweekday() - weekday) % 7
    ahead = (weekday - anchor.isoweekday()) % 7
    if mode == "last":
        return anchor - datetime.timedelta(days=back or 7)
    if mode == "next":
        return anchor + datetime.timedelta(days=ahead or 7)
    if mode == "this" or _future_sentence(ctx.text, at):
        return anchor + datetime.timedelta(days=ahead)
    return anchor - datetime.timedelta(days=back)


def _future_sentence(text: str, at: int) -> bool:
    """Whether the clause before ``at`` speaks of the future ("will meet on Friday")."""
    begin = max(0, at - 80)
    before = text[begin:at]
    cut = max(before.rfind(". "), before.rfind("\n"), before.rfind("; "))
    return _FUTURE_CUE.search(before[cut + 1 :]) is not None


def _group(m: re.Match[str], name: str) -> str | None:
    return m.group(name) if name in m.re.groupindex else None


def _year_of(text: str) -> int:
    return int(text)


# ---------------------------------------------------------------- rules


def _iso(m: re.Match[str], ctx: _Context) -> _Found | None:
    year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
    if not _valid_day(year, month, day):
        return _Found("DATE", f"{year:04d}-{month:02d}") if 1 <= month <= 12 else None
    if m["hh"]:
        return _Found("TIME", f"{year:04d}-{month:02d}-{day:02d}T{m['hh']}:{m['mm']}")
    return _Found("DATE", f"{year:04d}-{month:02d}-{day:02d}")


def _numeric(m: re.Match[str], ctx: _Context) -> _Found | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    year = y if len(m["y"]) == 4 else (1900 + y if y >= 50 else 2000 + y)
    month, day = (a, b) if a <= 12 else (b, a)  # US order, unless the first number cannot be a month
    if not 1 <= month <= 12:
        return None
    value, _ = _date_value(year, month, day)
    return _Found("DATE", value)


def _month_day(m: re.Match[str], ctx: _Context) -> _Found | None:
    month = _MONTHS[m["mon"].lower().rstrip(".")]
    day = int(m["day"]) if m["day"] else _ORDINALS.get((m["dayword"] or "").lower(), 0)
    if m["year"]:
        year: int | None = int(m["year"])
    elif m["wd"] and ctx.anchor is not None:
        year = _weekday_year(ctx.anchor, month, day, _WEEKDAYS[m["wd"].lower()])
    else:
        year = _month_year(month, ctx.anchor, _future_sentence(ctx.text, m.start())) if ctx.anchor is not None else None
    value, resolved = _date_value(year, month, day)
    return _Found("DATE", value, resolved)


def _weekday_year(anchor: datetime.date, month: int, day: int, weekday: int) -> int:
    """The year near the anchor in which that month and day fall on that weekday ("Tuesday, March 21")."""
    guess = _month_year(month, anchor)
    for year in (guess, guess - 1, guess + 1, anchor.year):
        if _valid_day(year, month, day) and datetime.date(year, month, day).isoweekday() == weekday:
            return year
    return guess


def _month_year_rule(m: re.Match[str], ctx: _Context) -> _Found | None:
    month = _MONTHS[m["mon"].lower().rstrip(".")]
    if m["year"]:
        return _Found("DATE", f"{int(m['year']):04d}-{month:02d}")
    spelled = _group(m, "yword")
    if spelled and (year_of_words := _spelled_year_text(spelled)) is not None:
        return _Found("DATE", f"{year_of_words:04d}-{month:02d}")
    rel = (m["rel"] or "").lower()
    if ctx.anchor is None:
        return _Found("DATE", f"XXXX-{month:02d}", resolved=False)
    anchor = ctx.anchor
    if rel in ("last", "this past", "past"):
        # "last February" read in March is a year back: the one just ended would be plain "February"
        year = anchor.year if month < anchor.month - 1 else anchor.year - 1
    elif rel in ("next", "this coming", "coming"):
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif rel == "this":
        year = anchor.year
    else:
        year = _month_year(month, anchor, _future_sentence(ctx.text, m.start()))
    if m["ryear"]:
        year = anchor.year + {"last": -1, "this": 0, "next": 1}[m["ryear"].lower()]
    return _Found("DATE", f"{year:04d}-{month:02d}")


def _month_alone(m: re.Match[str], ctx: _Context) -> _Found | None:
    word = m["mon"]
    if word in ("May", "MAY") and m["lead"] is None and not m["rel"]:
        return None  # "May" alone is usually the verb at a sentence start
    return _month_year_rule(m, ctx)


def _year(m: re.Match[str], ctx: _Context) -> _Found | None:
    year = int(m["year"])
    before = ctx.text[max(0, m.start("year") - 24) : m.start("year")]
    if _NOT_YEAR_AFTER.match(ctx.text, m.end("year")):
        return None
    if not m["lead"] and _NOT_YEAR_BEFORE.search(before):
        return None
    if (
        year < 1600
        and not m["lead"]
        and not re.search(r"\b(?:in|since|by|of|from|until|till|before|after|around|circa|c\.)\s+$", before, re.I)
    ):
        return None  # "1500" is more often a count than a year unless a preposition says otherwise
    if ctx.anchor is not None and year > ctx.anchor.year + 30:
        return None
    return _Found("DATE", f"{year:04d}", start=m.start("year") if m["prep"] else None)


def _spelled_year(m: re.Match[str], ctx: _Context) -> _Found | None:
    century = _ONES.get(m["cent"].lower(), 0)
    rest = _number(m["rest"])
    if not century or rest is None or rest >= 100:
        return None
    return _Found("DATE", f"{century * 100 + int(rest):04d}")


def _two_thousand(m: re.Match[str], ctx: _Context) -> _Found | None:
    rest = _number(m["rest"]) if m["rest"] else 0
    if rest is None or rest >= 100:
        return None
    return _Found("DATE", f"{2000 + int(rest):04d}")


def _decade(m: re.Match[str], ctx: _Context) -> _Found | None:
    digits = m["digits"]
    if len(digits) == 4:
        return _Found("DATE", digits[:3])
    if not m["apos"] and _TEMPERATURE.search(ctx.text[max(0, m.start() - 40) : m.end() + 20]):
        return None  # "highs in the 50s" are degrees
    tens = int(digits[0])
    return _Found("DATE", _two_digit_decade(tens, ctx.anchor))


def _two_digit_decade(tens: int, anchor: datetime.date | None) -> str:
    year = anchor.year if anchor is not None else 1999
    century = year // 100
    if century * 100 + tens * 10 > year:
        century -= 1
    return f"{century:02d}{tens}"


_DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}


def _decade_word(m: re.Match[str], ctx: _Context) -> _Found | None:
    return _Found("DATE", _two_digit_decade(_DECADE_WORDS[m["word"].lower()], ctx.anchor))


def _century(m: re.Match[str], ctx: _Context) -> _Found | None:
    n = int(m["n"]) if m["n"] else _ORDINALS.get((m["nword"] or "").lower(), 0)
    if not 1 <= n <= 30:
        return None
    return _Found("DATE", f"{n - 1:02d}")


def _season(m: re.Match[str], ctx: _Context) -> _Found | None:
    code = _SEASONS[m["season"].lower()]
    if m["year"]:
        return _Found("DATE", f"{int(m['year']):04d}-{code}")
    if m["yword"]:
        found = _spelled_year_text(m["yword"])
        if found is not None:
            return _Found("DATE", f"{found:04d}-{code}")
    rel = (m["rel"] or m["det"] or "").lower()
    if not rel:
        return None  # a bare "fall" is a verb
    if ctx.anchor is None:
        return _Found("DATE", f"XXXX-{code}", resolved=False)
    anchor = ctx.anchor
    year = anchor.year
    start = _SEASON_MONTH[code]
    if rel == "last":
        year = anchor.year - 1  # "last spring" is the previous year's, as TimeBank reads it
    elif rel in ("this past", "past"):
        year = anchor.year if start + 2 < anchor.month else anchor.year - 1
    elif rel in ("next", "this coming", "coming"):
        year = anchor.year if start > anchor.month else anchor.year + 1
    return _Found("DATE", f"{year:04d}-{code}")


def _spelled_year_text(text: str) -> int | None:
    m = _SPELLED_YEAR.fullmatch(text)
    if not m:
        return None
    century, rest = _ONES.get(m["cent"].lower(), 0), _number(m["rest"])
    return century * 100 + int(rest) if century and rest is not None and rest < 100 else None


_QUARTER_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4, "last": 4}


def _quarter_rule(m: re.Match[str], ctx: _Context) -> _Found | None:
    n = _QUARTER_WORDS[m["q"].lower()]
    if m["year"]:
        return _Found("DATE", f"{int(m['year']):04d}-Q{n}")
    if m["year2"]:
        return _Found("DATE", f"{int(m['year2']):04d}-Q{n}")
    if ctx.anchor is None:
        return _Found("DATE", f"XXXX-Q{n}", resolved=False)
    anchor = ctx.anchor
    if m["ryear"]:
        return _Found("DATE", f"{anchor.year + {'last': -1, 'this': 0, 'next': 1}[m['ryear'].lower()]:04d}-Q{n}")
    # A quarter named alone is the latest one with that number: this year's unless it is still ahead.
    year = anchor.year if n <= _quarter(anchor) else anchor.year - 1
    return _Found("DATE", f"{year:04d}-Q{n}")


def _half_rule(m: re.Match[str], ctx: _Context) -> _Found | None:
    n = 1 if m["h"].lower() == "first" else 2
    if m["year"]:
        return _Found("DATE", f"{int(m['year']):04d}-H{n}")
    if ctx.anchor is None:
        return _Found("DATE", f"XXXX-H{n}", resolved=False)
    year = ctx.anchor.year if n == 1 or ctx.anchor.month > 6 else ctx.anchor.year - 1
    return _Found("DATE", f"{year:04d}-H{n}")


def _year_period(m: re.Match[str], ctx: _Context) -> _Found | None:
    return _Found("DATE", f"@QYEAR{m['year']}")


def _this_quarter(m: re.Match[str], ctx: _Context) -> _Found | None:
    rel = m["rel"].lower()
    if ctx.anchor is None:
        return _Found("DATE", "XXXX-QX", resolved=False)
    if rel in ("the", "the latest", "the most recent", "the recent"):
        return _Found("DATE", "@QUARTER")  # the quarter the article is about; resolved after all rules ran
    offset = {"this": 0, "the current": 0, "current": 0, "last": -1, "the last": -1, "the previous": -1, "the prior": -1,
              "the past": -1, "next": 1, "the next": 1, "the coming": 1, "the following": 1}.get(rel, 0)  # fmt: skip
    return _relative(ctx, "quarter", offset)


def _year_ago(m: re.Match[str], ctx: _Context) -> _Found | None:
    if ctx.anchor is None:
        return _Found("DATE", "XXXX", resolved=False)
    return _Found("DATE", "@YEARAGO")


_DAY_WORDS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def _day_word(m: re.Match[str], ctx: _Context) -> _Found | None:
    word = m["word"].lower()
    offset = {"the day before yesterday": -2, "the day after tomorrow": 2}.get(word, _DAY_WORDS.get(word, 0))
    part = _PART_OF_DAY.get((m["part"] or "").lower(), "")
    if ctx.anchor is None:
        return _Found("DATE", "XXXX-XX-XX", resolved=False)
    day = (ctx.anchor + datetime.timedelta(days=offset)).isoformat()
    if part:
        return _Found("TIME", f"{day}T{part}")
    return _Found("DATE", day)


def _part_of_day(m: re.Match[str], ctx: _Context) -> _Found | None:
    word = (m["part"] or m["part2"]).lower()
    rel = (m["rel"] or "").lower()
    offset = -1 if rel == "last" else 0
    if word == "night" and rel == "this":
        word = "night"
    if ctx.anchor is None:
        return _Found("TIME", f"XXXX-XX-XXT{_PART_OF_DAY[word]}", resolved=False)
    day = ctx.anchor + datetime.timedelta(days=offset)
    return _Found("TIME", f"{day.isoformat()}T{_PART_OF_DAY[word]}")


def _weekday(m: re.Match[str], ctx: _Context) -> _Found | None:
    weekday = _WEEKDAYS[m["wd"].lower()]
    rel = (m["rel"] or "").lower()
    mode = (
        "last"
        if rel in ("last", "the previous")
        else "next"
        if rel in ("next", "this coming", "coming", "the following")
        else "this"
        if rel == "this"
        else ""
    )
    day = _weekday_date(ctx, weekday, m.start(), mode)
    part = _PART_OF_DAY.get((m["part"] or "").lower(), "")
    if day is None:
        return _Found("DATE", f"XXXX-WXX-{weekday}" + (f"T{part}" if part else ""), resolved=False)
    if part:
        # TimeBank annotates "Friday night" as a DATE with the part of the day in its value.
        return _Found("DATE", f"{day.isoformat()}T{part}")
    return _Found("DATE", day.isoformat())


def _weekday_set(m: re.Match[str], ctx: _Context) -> _Found | None:
    return _Found("SET", f"XXXX-WXX-{_WEEKDAYS[(m['wd'] or m['wd2']).lower()]}")


def _this_unit(m: re.Match[str], ctx: _Context) -> _Found | None:
    rel = m["rel"].lower().split()
    unit = m["unit"].lower()
    offset = -1 if rel[-1] in ("last", "past", "previous", "prior") else 1 if rel[-1] in ("next", "coming", "following") else 0
    if unit == "weekend":
        if ctx.anchor is None:
            return _Found("DATE", "XXXX-WXX-WE", resolved=False)
        day = ctx.anchor + datetime.timedelta(weeks=offset)
        if offset == 0 and rel[-1] == "the" and day.isoweekday() < 5:
            day -= datetime.timedelta(weeks=1)  # "the weekend" read on a Tuesday is the one just past
        return _Found("DATE", _iso_week(day) + "-WE")
    if unit in ("decade", "century") and offset == 0:
        return _Found("DURATION", "P10Y" if unit == "decade" else "P100Y")
    return _relative(ctx, unit, offset)


def _the_unit(m: re.Match[str], ctx: _Context) -> _Found | None:
    unit = m["unit"].lower()
    if ctx.anchor is None:
        return _Found("DATE", _UNRESOLVED[unit], resolved=False)
    if unit == "week":
        return _Found("DATE", f"{ctx.anchor.year:04d}-WXX")
    if unit == "month":
        return _Found("DATE", f"{ctx.anchor.year:04d}-{ctx.anchor.month:02d}")
    if unit == "day":
        return _Found("DATE", ctx.anchor.isoformat())
    return _Found("DURATION", "P1Y")  # "for the year" in reports is the whole year, a length


def _edge_this(m: re.Match[str], ctx: _Context) -> _Found | None:
    rel = m["rel"].lower()
    unit = m["unit"].lower()
    offset = {"last": -1, "this": 0, "next": 1}[rel]
    return _relative(ctx, unit, offset)


def _ago(m: re.Match[str], ctx: _Context) -> _Found | None:  # noqa: PLR0911 -- one return per reading of the phrase
    count = _number(m["n"])
    unit = _unit_name(m["unit"])
    direction = m["dir"].lower()
    sign = -1 if direction in ("ago", "earlier", "before", "back") else 1
    if count is None:
        return _Found("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", resolved=ctx.anchor is not None)
    if unit == "year" and count == 1 and direction in ("ago", "earlier"):
        return _year_ago(m, ctx)
    if direction in ("earlier", "later", "before", "after") and unit in ("day", "hour", "minute", "second"):
        return _Found("DURATION", _duration(count, m["unit"]))  # "a day earlier" is annotated as the gap
    if count != int(count) or count > 10000:
        return _Found("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    if ctx.anchor is None:
        return _Found("DATE", _UNRESOLVED[unit], resolved=False)
    amount = int(count) * sign
    if unit in ("hour", "minute", "second"):
        return _Found("DATE", ctx.anchor.isoformat())
    if unit in ("week", "fortnight"):
        # "two weeks ago" names a day about then, not an ISO week
        return _Found("DATE", (ctx.anchor + datetime.timedelta(weeks=amount * (2 if unit == "fortnight" else 1))).isoformat())
    return _Found("DATE", _shift(ctx.anchor, unit, amount))


def _duration_rule(m: re.Match[str], ctx: _Context) -> _Found | None:
    count = _number(m["n"])
    unit = m["unit"].lower()
    if m["n"].lower() in ("a", "an") and unit in ("quarter", "second"):
        return None  # "a quarter of the votes", "a second time"
    if count is not None and count > 100000:
        return None
    if count is not None and m["half"]:
        count += 0.5
    return _Found("DURATION", _duration(count, unit))


def _hyphen_duration(m: re.Match[str], ctx: _Context) -> _Found | None:
    count = _number(m["n"])
    return _Found("DURATION", _duration(count, m["unit"]))


def _bare_units(m: re.Match[str], ctx: _Context) -> _Found | None:
    return _Found("DURATION", _duration(None, m["unit"]), start=m.start("unit"))


def _ref(value: str) -> Handler:
    def handler(m: re.Match[str], ctx: _Context) -> _Found | None:
        # "recently" is relative too: without an anchor it does not say when it is relative to.
        return _Found("DATE", value, resolved=ctx.anchor is not None)

    return handler


def _recent_units(m: re.Match[str], ctx: _Context) -> _Found | None:
    unit = m["unit"].lower()
    if unit == "years":
        return _Found("DATE", "PAST_REF")  # "in recent years" is a vague past; "recent weeks" a vague length
    return _Found("DURATION", _duration(None, unit))


def _clock(m: re.Match[str], ctx: _Context) -> _Found | None:
    hour = int(m["h"])
    minute = int(m["min"] or 0)
    ampm = (m["ampm"] or "").lower().replace(".", "").replace(" ", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    day, resolved = _clock_day(m, ctx)
    return _Found("TIME", f"{day}T{hour:02d}:{minute:02d}", resolved)


def _clock_day(m: re.Match[str], ctx: _Context) -> tuple[str, bool]:
    """The day a clock time is on: the date or weekday after it, or the anchor."""
    anchor = ctx.anchor
    if m["wd2"]:
        day = _weekday_date(ctx, _WEEKDAYS[m["wd2"].lower()], m.start(), "")
        return (day.isoformat(), True) if day else ("XXXX-XX-XX", False)
    if m["dw2"]:
        if anchor is None:
            return "XXXX-XX-XX", False
        return (anchor + datetime.timedelta(days=_DAY_WORDS[m["dw2"].lower()])).isoformat(), True
    if m["mon2"]:
        month = _MONTHS[m["mon2"].lower().rstrip(".")]
        year = int(m["year2"]) if m["year2"] else (_month_year(month, anchor) if anchor else None)
        value, resolved = _date_value(year, month, int(m["day2"]))
        return value, resolved
    # No day after the time: the day named just before it ("March 21, at 10 a.m."), else the
    # anchor's; which one is known only once all expressions are chosen.
    return "@DAY", anchor is not None


def _named_time(m: re.Match[str], ctx: _Context) -> _Found | None:
    word = m["word"].lower()
    clock = "24:00" if word == "midnight" else "12:00"
    day, resolved = _clock_day(m, ctx)
    return _Found("TIME", f"{day}T{clock}", resolved)


_SET_UNITS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "quarterly": "P1Q", "annually": "P1Y", "yearly": "P1Y",
              "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W", "semiannually": "P6M", "annual": "P1Y"}  # fmt: skip


def _set_word(m: re.Match[str], ctx: _Context) -> _Found | None:
    return _Found("SET", _SET_UNITS[m["word"].lower()])


def _every(m: re.Match[str], ctx: _Context) -> _Found | None:
    unit = m["unit"]
    low = unit.lower()
    if low in _WEEKDAYS:
        return _Found("SET", f"XXXX-WXX-{_WEEKDAYS[low]}")
    if low.rstrip(".") in _MONTHS:
        return _Found("SET", f"XXXX-{_MONTHS[low.rstrip('.')]:02d}")
    if low in _PART_OF_DAY:
        return _Found("SET", f"TXX{_PART_OF_DAY[low]}" if False else "P1D")
    if low in _SEASONS:
        return _Found("SET", "P1Y")
    count = _number(m["n"]) if m["n"] else 1.0
    if m["other"]:
        count = 2.0
    return _Found("SET", _duration(count, low))


def _rate(m: re.Match[str], ctx: _Context) -> _Found | None:
    if m.group(0).lower().startswith("per") or _SET_RATE_BEFORE.search(ctx.text, max(0, m.start() - 30), m.start()):
        return _Found("SET", _duration(1, m["unit"]))
    return None


def _holiday(m: re.Match[str], ctx: _Context) -> _Found | None:
    name = re.sub(r"\s+", " ", m["name"].lower()).replace("’", "'")
    year = int(m["year"]) if m["year"] else None
    if year is None:
        if ctx.anchor is None:
            return _Found("DATE", "XXXX-XX-XX", resolved=False)
        year = ctx.anchor.year
    day = _holiday_date(name, year)
    if day is not None and not m["year"] and ctx.anchor is not None:
        day = _holiday_date(name, _month_year(day.month, ctx.anchor, _future_sentence(ctx.text, m.start())))
    return _Found("DATE", day.isoformat()) if day else None


def _holiday_date(name: str, year: int) -> datetime.date | None:  # noqa: PLR0911 -- one return per kind of holiday
    fixed = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1),
             "new year's eve": (12, 31), "halloween": (10, 31), "valentine's day": (2, 14), "independence day": (7, 4),
             "the fourth of july": (7, 4), "boxing day": (12, 26), "bastille day": (7, 14), "st. patrick's day": (3, 17)}  # fmt: skip
    if not 1 <= year <= 9999:
        return None
    if name in fixed:
        return datetime.date(year, *fixed[name])
    if name in ("thanksgiving", "thanksgiving day"):
        first = datetime.date(year, 11, 1)
        return first + datetime.timedelta(days=(4 - first.isoweekday()) % 7 + 21)
    if name == "labor day":
        first = datetime.date(year, 9, 1)
        return first + datetime.timedelta(days=(1 - first.isoweekday()) % 7)
    if name == "memorial day":
        last = datetime.date(year, 5, 31)
        return last - datetime.timedelta(days=(last.isoweekday() - 1) % 7)
    if name in ("easter", "easter sunday"):
        return _easter(year)
    return None


def _easter(year: int) -> datetime.date:
    """Gregorian Easter Sunday (the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _year_end(m: re.Match[str], ctx: _Context) -> _Found | None:
    if m["year"]:
        return _Found("DATE", f"{int(m['year']):04d}-12-31")
    if ctx.anchor is None:
        return _Found("DATE", "XXXX-12-31", resolved=False)
    return _Found("DATE", f"{ctx.anchor.year:04d}-12-31")


def _fiscal_year(m: re.Match[str], ctx: _Context) -> _Found | None:
    rel = (m["rel"] or "").lower()
    if rel in ("", "the") and not m["fiscal"]:
        return None
    if ctx.anchor is None:
        return _Found("DATE", "XXXX", resolved=False)
    if rel in ("", "the"):
        return _Found("DURATION", "P1Y")
    offset = (
        -1
        if rel in ("last", "the last", "the previous", "the prior", "the latest")
        else 1
        if rel in ("next", "the next", "the coming")
        else 0
    )
    return _Found("DATE", f"{ctx.anchor.year + offset:04d}")


def _past_units(m: re.Match[str], ctx: _Context) -> _Found | None:
    """ "the past year", "the last decade": the period just before the anchor, named as a date."""
    unit = m["unit"].lower()
    if ctx.anchor is None:
        return _Found("DATE", _UNRESOLVED[unit], resolved=False)
    return _Found("DATE", _shift(ctx.anchor, unit, -1))


def _edge_in(m: re.Match[str], ctx: _Context) -> _Found | None:
    return _relative(ctx, m["unit"], 0)


def _year_end_wrap(m: re.Match[str], ctx: _Context) -> _Found | None:
    text = m.group(0).lower()
    if "end" not in text:
        return None
    if text.startswith(("the end of", "end of")) and not m["year"]:
        return _relative(ctx, "year", 0)
    return _year_end(m, ctx)


def _vague_long(m: re.Match[str], ctx: _Context) -> _Found | None:
    return _Found("DURATION", _duration(None, m.group(0).split("-")[0]))


def _recent_wrap(m: re.Match[str], ctx: _Context) -> _Found | None:
    found = _recent_units(m, ctx)
    return found if found is None or not m["det"] else _Found(found.type, found.value, found.resolved, start=m.start("unit") - 7)


S = r"\s+"
_LEAD_YEAR = r"(?:(?P<prep>in|since|by|of|from|until|till|before|after|during|through)\s+|(?:early|late|mid|fiscal|calendar|the year|the end of|the beginning of|the start of|the middle of|the first half of|the second half of)[-\s]+)"
_SPELLED_YEAR = re.compile(rf"(?P<cent>nineteen|eighteen|seventeen)[- ](?P<rest>{NUMWORD}|hundred)", re.IGNORECASE)

_RULES_SOURCE: list[tuple[str, Handler]] = [
    (r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:T(?P<hh>\d{2}):(?P<mm>\d{2}))?\b", _iso),
    (r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])", _numeric),
    # Tuesday, March 21, 2023 / March 21st / March eighth
    (
        rf"(?:(?P<wd>{WEEKDAY})(?:,\s*|\s+)(?:the\s+)?)?(?P<mon>{MONTH_DAYED})\s+(?:(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)|(?P<dayword>(?-i:[a-z]+th|first|second|third|twenty-first)))"
        rf"(?:,?\s+(?P<year>{YEAR4})\b)?(?![\d,.]\d|\s*(?:%|percent|million|billion))",
        _month_day,
    ),
    # Tuesday, 21 March 2023 / the 21st of March
    (
        rf"(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?<![\d.,])(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<mon>{MONTH_DAYED})(?P<dayword>)"
        rf"(?:,?\s+(?P<year>{YEAR4})\b)?",
        _month_day,
    ),
    (
        rf"(?:(?P<rel>last|this|next|this past|this coming|early|late|mid|the end of|the beginning of|the middle of)[-\s]+)?(?P<mon>{MONTH})(?:,?\s+(?:of\s+)?(?:(?P<year>{YEAR4})\b|(?P<yword>(?:nineteen|eighteen)[- ]{NUMWORD})\b)|\s+(?P<ryear>last|this|next)\s+year)",
        _month_year_rule,
    ),
    (
        rf"(?P<lead>(?<=\bin )|(?<=\bsince )|(?<=\bby )|(?<=\buntil )|(?<=\bthrough )|(?<=\bof )|(?<=\bbefore )|(?<=\bafter )|(?<=\bduring )|(?<=\bfrom )|(?<=\bto ))?"
        rf"(?:(?P<rel>last|this|next|this past|this coming|early|late|mid|the end of|the beginning of|the middle of)[-\s]+)?(?P<mon>{MONTH})(?![-\w])(?P<year>)(?P<ryear>)",
        _month_alone,
    ),
    (rf"(?P<lead>{_LEAD_YEAR})?(?<![\w$£€.,/-])(?P<year>{YEAR4})(?!\w|['’](?!s\b)|[.,/-]\d)", _year),
    (rf"(?:the\s+year\s+)?(?P<cent>nineteen|eighteen)[- ](?P<rest>{NUMWORD})\b", _spelled_year),
    (rf"(?:the\s+year\s+)?two thousand(?:(?: and)? (?P<rest>{NUMWORD}))?\b", _two_thousand),
    (
        r"(?:the\s+)?(?:(?:early|late|mid|the early|the late|the mid|the last half of the|the first half of the)[-\s]+)?(?P<apos>['’])?(?P<digits>(?:1[0-9]|20)?[0-9]0)['’]?s\b",
        _decade,
    ),
    (
        r"(?:the\s+)?(?:(?:early|late|mid)[-\s]+)?(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
        _decade_word,
    ),
    (
        rf"(?:the\s+)?(?:(?:early|late|mid)[-\s]+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<nword>{'|'.join(_ORDINALS)}))[-\s]century\b",
        _century,
    ),
    (
        rf"(?:(?P<det>the|this|last|next|this past|this coming|early|late|mid|the end of the|the early|the late)[-\s]+)?(?:(?P<rel>last|next|this past|this coming|past|coming)\s+)?(?P<season>{SEASON})\b"
        rf"(?:,?\s+(?:of\s+)?(?:(?P<year>{YEAR4})\b|(?P<yword>(?:nineteen|eighteen)[- ]{NUMWORD})))?",
        _season,
    ),
    (
        r"(?:the\s+(?![a-z]+-quarter))?(?:(?:latest|comparable|same|fiscal|calendar|current)\s+)?(?:(?P<year>"
        + YEAR4
        + r")\s+|(?P<ryear>last|this|next)\s+year['’]s\s+)?(?:fiscal[-\s])?"
        r"(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|final)[-\s](?:fiscal[-\s])?quarter\b(?:\s+of\s+(?:fiscal\s+)?(?P<year2>"
        + YEAR4
        + r")\b)?",
        _quarter_rule,
    ),
    (rf"the\s+(?P<year>{YEAR4})\s+(?:period|quarter)\b", _year_period),
    (rf"(?:the\s+)?(?P<h>first|second)\s+half(?:\s+of\s+(?:fiscal\s+)?(?P<year>{YEAR4}))?\b", _half_rule),
    (
        r"(?P<rel>this|the current|current|last|the last|the previous|the prior|the past|next|the next|the coming|the following|the latest|the most recent|the recent|the)\s+(?:fiscal\s+)?(?:quarter\b|(?<=latest )period\b)(?![-\s]century)",
        _this_quarter,
    ),
    (
        r"(?:the\s+(?!year-(?:ago|earlier)\b(?!\s+(?:quarter|period))))?(?:(?:comparable|same|corresponding)\s+)?(?:year[-\s]ago|year[-\s]earlier|prior[-\s]year|previous[-\s]year)(?:\s+(?:third|second|first|fourth)?\s*(?:quarter|period))?\b"
        r"|the\s+(?:quarter|period)\s+a\s+year\s+(?:ago|earlier)\b|the\s+(?:same|corresponding|comparable)\s+(?:period|quarter)\s+(?:of\s+)?(?:last|a)\s+year\b",
        _year_ago,
    ),
    (
        rf"(?:(?:late|early|earlier|later)\s+)?(?P<word>the day before yesterday|the day after tomorrow|today|tonight|yesterday|tomorrow)(?!\w)(?:\s+(?P<part>{PART}))?",
        _day_word,
    ),
    (r"(?P<part>mid-afternoon|mid afternoon)\s+(?P<word>yesterday|today)", _day_word),
    (
        r"(?:(?P<rel>this|last|later this|earlier this|early this|late this|the)\s+)(?P<part>morning|afternoon|evening|night)\b(?!\s+of\b)|(?P<part2>overnight)\b",
        _part_of_day,
    ),
    (
        rf"(?:(?P<rel>last|next|this|this coming|coming|early|late|the following|the previous)\s+)?(?P<wd>{WEEKDAY})(?!\w)(?:\s+(?P<part>{PART})(?!s))?",
        _weekday,
    ),
    (rf"(?P<wd>{WEEKDAY})s\b|(?:every|each)\s+(?P<wd2>{WEEKDAY})", _weekday_set),
    (
        r"(?P<rel>last|this|next|the past|the coming|the current|the previous|the following|this past|this coming|past|coming|current|previous|the(?=\s+weekend))\s+(?P<unit>week|month|year|weekend|decade|century)\b(?![-\s]?(?:old|long))",
        _this_unit,
    ),
    (r"the\s+(?P<unit>week|month|day|year)\b(?!['’]\w\w|-|\s+(?:before|after|of|ago|earlier))", _the_unit),
    (r"the\s+full\s+(?P<unit>year)\b(?P<rel>)", _edge_in),
    (r"(?:(?:earlier|later|early|late|sometime)\s+)?(?:in\s+)?(?P<rel>last|this|next)\s+(?P<unit>week|month|year)\b", _edge_this),
    (r"(?:earlier|later)\s+in\s+the\s+(?P<unit>week|month|year)\b(?P<rel>)", _edge_in),
    (
        r"(?:(?:the\s+)?end\s+of\s+(?:the\s+)?|year[-\s])(?:year|(?P<year>" + YEAR4 + r"))\b|(?:the\s+)?year[-\s]end\b(?P<y2>)",
        _year_end_wrap,
    ),
    (
        r"(?P<rel>the current|the last|the previous|the prior|the latest|the next|the coming|this|last|next|the)?\s*(?P<fiscal>fiscal)?\s*year\b(?=\s*(?:ending|ended|that|,|\.|\bbegin))",
        _fiscal_year,
    ),
    (r"(?P<rel>the past|the last|past)\s+(?P<unit>year|decade|month|week)\b(?!s|-)", _past_units),
    (
        rf"(?:{MODIFIER_AGO}\s+)?(?P<n>{QUANT})(?:\s+or\s+so)?(?:\s+(?:more|additional|full|long|straight|consecutive))?\s+(?P<unit>{UNIT})(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|from now|hence)\b",
        _ago,
    ),
    (
        rf"(?P<lead>(?:each of\s+)?(?:the\s+)?(?:(?:first|last|past|next|coming|previous|latest|final|following|prior|remaining|recent|entire|whole|full|same|initial|subsequent|ensuing|year-earlier)\s+){{0,3}})(?:{MODIFIER}\s+)?"
        rf"(?P<n>{QUANT})(?:\s+or\s+so)?(?:\s+(?:more|additional|full|long|straight|consecutive|extra|trading|business|working))?\s+(?P<unit>{UNIT})(?P<half>\s+and\s+a\s+half)?(?![-\w]|\s+old\b)",
        _duration_rule,
    ),
    (
        rf"(?P<n>\d{{1,4}}(?:\.\d+)?|{NUMWORD}|several|a few)-(?P<unit>second|minute|hour|day|week|month|quarter|year|decade|century)(?!(?<=year)-old)(?:-old|-long)?\b",
        _hyphen_duration,
    ),
    (r"(?:decades|years|centuries|months|weeks)-long\b", _vague_long),
    (
        r"\b(?:for|over|within|in|of|take|took|takes|lasted|last)\s+(?P<unit>years|months|weeks|decades|centuries|hours|minutes)\b(?!\s+(?:ago|later|earlier|of|old))",
        _bare_units,
    ),
    (r"(?:(?P<det>in|of|over)\s+)?recent\s+(?P<unit>years|months|weeks|days|quarters)\b", _recent_wrap),
    (
        r"(?:(?:more\s+)?recently|the\s+recent\s+past|the\s+past(?!\s+(?:\d|few|several|two|three|four|five|six|seven|eight|nine|ten|week|month|year|decade|quarter|century))|lately|in\s+recent\s+times)\b",
        _ref("PAST_REF"),
    ),
    (r"\brecent\b(?!\s+(?:years|months|weeks|days|quarters|times|past))", _ref("PAST_REF")),
    (
        r"\b(?:now|currently|nowadays|presently|at present|at the moment|these days|for the time being|the present)\b(?![-’'])",
        _ref("PRESENT_REF"),
    ),
    (r"\bcurrent\b(?!\s+(?:account|assets|liabilities|events|affairs|flows?|density|and))", _ref("PRESENT_REF")),
    (
        r"(?:the\s+(?:(?:near|distant|foreseeable|immediate|not too distant|not-too-distant)\s+)?|(?<=\bin )|(?<=\bfor ))future\b(?![-\s](?:contracts?|tense))|as soon as possible|in the coming (?:days|weeks|months|years)",
        _ref("FUTURE_REF"),
    ),
    (
        rf"(?:(?:around|shortly after|shortly before|just after|just before)\s+)?(?P<h>[01]?\d|2[0-4])(?:[:.](?P<min>[0-5]\d))?\s*(?P<ampm>a\.\s?m\.?|p\.\s?m\.?|(?-i:am|pm|AM|PM)\b|o'clock)"
        rf"(?:\s+(?:(?-i:[ECMP][SD]T|GMT|UTC|BST|CET|local time)))?"
        rf"(?:(?:,\s*|\s+)(?:on\s+)?(?:(?P<wd2>{WEEKDAY})|(?P<dw2>today|yesterday|tomorrow)|(?P<mon2>{MONTH_DAYED})\s+(?P<day2>[0-3]?\d)\b(?:,?\s+(?P<year2>{YEAR4}))?))?",
        _clock,
    ),
    # A 24-hour clock needs a zone or "hours" after it: "14:30" alone may be a score or a ratio.
    (
        r"(?P<h>[01]?\d|2[0-3]):(?P<min>[0-5]\d)\s*(?:(?-i:GMT|UTC|BST|CET|[ECMP][SD]T)|hrs\b|hours\b|local time)"
        r"(?P<ampm>)(?P<wd2>)(?P<dw2>)(?P<mon2>)(?P<day2>)(?P<year2>)",
        _clock,
    ),
    (
        rf"(?P<word>noon|midnight|midday)\b(?:(?:,\s*|\s+)(?:on\s+)?(?:(?P<wd2>{WEEKDAY})|(?P<dw2>today|yesterday|tomorrow)|(?P<mon2>{MONTH_DAYED})\s+(?P<day2>[0-3]?\d)\b(?:,?\s+(?P<year2>{YEAR4}))?))?",
        _named_time,
    ),
    (r"(?P<word>daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly|semiannually)\b", _set_word),
    (
        rf"(?:every|each)\s+(?:(?P<other>other)\s+|(?P<n>{QUANT})\s+)?(?P<unit>seconds?|minutes?|hours?|days?|weeks?|months?|quarters?|years?|decades?|morning|afternoon|evening|night|summer|winter|spring|fall|{MONTH})\b",
        _every,
    ),
    (r"(?:a|an|per)\s+(?P<unit>year|month|week|day|hour|quarter)\b(?!\s+(?:ago|earlier|later|before|after|or|and))", _rate),
    (
        rf"(?P<name>Christmas Eve|Christmas Day|Christmas|New Year['’]s Day|New Year['’]s Eve|Halloween|Valentine['’]s Day|Independence Day|the Fourth of July|Thanksgiving Day|Thanksgiving|Labor Day|Memorial Day|Boxing Day|Bastille Day|Easter Sunday|St\. Patrick['’]s Day)\b(?:,?\s+(?P<year>{YEAR4})\b)?"
        # "a Christmas party" names an event, not the day
        r"(?!\s+(?:party|parties|trees?|cards?|gifts?|presents?|lights|decorations|carols?|dinner|lunch|markets?|shopping|shoppers|spirit|songs?|music|movies?|films?|specials?|sales?|bonus(?:es)?|parade|weekend|holidays?|break|season|rush)\b)",
        _holiday,
    ),
]


def _compile(source: str) -> re.Pattern[str]:
    # Every rule starts at a word boundary, so a match never begins inside a word.
    return re.compile(rf"(?<![\w'’])(?:{source})", re.IGNORECASE)


_RULES: tuple[tuple[re.Pattern[str], Handler], ...] = tuple((_compile(src), handler) for src, handler in _RULES_SOURCE)

# Speed: a rule only runs near a word it cannot match without ("quarter" for the quarter rules),
# found by one pass over the words. "#" stands for any number. The lists follow _RULES_SOURCE.
_UNIT_WORDS = "second seconds minute minutes hour hours day days week weeks fortnight fortnights month months quarter quarters year years decade decades century centuries"
_PLURAL_UNITS = "years months weeks decades centuries hours minutes days quarters"
_MONTH_WORDS = " ".join(_MONTHS)
_WEEKDAY_WORDS = " ".join(_WEEKDAYS)
_TRIGGER_SOURCE = (
    "#", "#", _MONTH_WORDS, _MONTH_WORDS, _MONTH_WORDS, _MONTH_WORDS, "#", "nineteen eighteen", "thousand", "#",
    " ".join(_DECADE_WORDS), "century", "spring summer fall autumn winter", "quarter", "period quarter", "half", "quarter period", "year",
    "today tonight yesterday tomorrow", "yesterday today", "morning afternoon evening night overnight", _WEEKDAY_WORDS,
    _WEEKDAY_WORDS + " " + " ".join(w + "s" for w in _WEEKDAYS), "week month year weekend decade century",
    "week month day year", "year", "week month year", "week month year", "end", "year", "year decade month week",
    "ago earlier later now hence", _UNIT_WORDS, _UNIT_WORDS, "long", _PLURAL_UNITS, "recent",
    "recently recent past lately times", "recent", "now currently nowadays presently present moment days being", "current",
    "future possible coming", "#", "#", "noon midnight midday", " ".join(_SET_UNITS), "every each", "year month week day hour quarter",
    "christmas new halloween valentine independence fourth thanksgiving labor memorial boxing bastille easter patrick",
)  # fmt: skip
assert len(_TRIGGER_SOURCE) == len(_RULES), "one trigger list per rule"


def _trigger_index() -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for rule, words in enumerate(_TRIGGER_SOURCE):
        for word in words.split():
            index.setdefault(word, []).append(rule)
    return {word: tuple(rules) for word, rules in index.items()}


_TRIGGERS = _trigger_index()
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGIT_RUN = re.compile(r"\d+")
_TRIGGER_SET = frozenset(_TRIGGERS) - {"#"}
_DIGITS_TRIGGER = "#" in _TRIGGERS


def _alternation(words: list[str]) -> str:
    """A regex matching any of ``words``, with shared beginnings factored out ("da(?:y|ys|ily)" for
    day, days and daily), so the engine drops most words at their first letter rather than one by one."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0], []).append(word[1:])
    branches = []
    for first, rests in sorted(by_first.items()):
        longer = [rest for rest in rests if rest]
        if not longer:
            branches.append(re.escape(first))
        else:
            branches.append(re.escape(first) + f"(?:{_alternation(longer)})" + ("?" if "" in rests else ""))
    return "|".join(branches)


# The trigger words as whole runs of letters in lower-cased ASCII, where _LETTERS is [a-z]+.
_ASCII_TRIGGERS = re.compile(rf"(?<![a-z])(?:{_alternation(sorted(_TRIGGER_SET))})(?![a-z])")
# The only letters that ignore-case matching takes for ASCII ones though they are not ("ſ" for
# "s", the Kelvin sign for "k", dotted and dotless i), found by trying every code point.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


@functools.cache
def _occurrences(word: str) -> re.Pattern[str]:
    """Where ``word`` stands as a whole run of letters, in any case."""
    return re.compile(r"(?<![^\W\d_])" + re.escape(word) + r"(?![^\W\d_])", re.IGNORECASE)


# Speed: what a rule's match cannot lack, as a small regex that is quick to search: a window
# without it holds no match, so the rule is not run there. Each is a piece of its rule, compiled
# with the same flags, so it matches wherever the rule's match would; and none has a \b, a
# negative lookaround or an anchor, which a window's end could satisfy where the text's does not
# ("next week" ends a window cut inside "next weeks"), so one absent from the text is absent from
# every window. Most begin with a digit, a capital or a punctuation mark, which the regex engine
# skips to; the others with the space between two words the rule needs (see _space_between).
# Keyed by rule, as above.


def _space_between(before: str, after: str, digit: bool = False) -> str:
    """The first space between a word of ``before`` (or a digit, with ``digit``) and a word of ``after``.

    Found from the space, with the words around it looked at only there: the engine then jumps from
    space to space, where a regex starting with a word would try every word at every letter.
    """
    behind = "|".join([r"(?<=\d\s)"] * digit + [rf"(?<=\b{word}\s)" for word in before.split()])
    return rf"\s(?=\s*(?:{after}))(?:{behind})"


_UNIT_END = "half hundred thousand " + " ".join(_ONES) + " " + " ".join(_TENS)
_NEEDS_SOURCE: dict[int, tuple[Handler, str]] = {
    # a punctuation mark first where there is one: the engine finds it fastest
    0: (_iso, r"-\d{2}-\d{2}"),
    1: (_numeric, r"/\d{1,2}/\d"),
    # a month is matched case-sensitively, and every spelling begins with one of these
    **{rule: (_RULES[rule][1], r"(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)")
       for rule in (2, 3, 4, 5)},
    6: (_year, YEAR4),
    9: (_decade, r"0['’]?s"),
    24: (_the_unit, _space_between("the", "week|month|day|year")),
    29: (_fiscal_year, r"year\s*(?:ending|ended|that|,|\.|begin)"),
    23: (_this_unit, _space_between("last this next past coming current previous following the", "week|month|year|weekend|decade|century")),
    26: (_edge_this, _space_between("last this next", "week|month|year")),
    30: (_past_units, _space_between("past last", "year|decade|month|week")),
    # the unit (or "or so") just before the direction
    31: (_ago, _space_between(_UNIT_WORDS + " so", "ago|earlier|later|from now|hence")),
    # what can stand just before the unit: the end of a count, "or so", or a word like "more"
    32: (_duration_rule, _space_between(_UNIT_END + " several few of some many a an so more additional full long straight consecutive extra trading business working", UNIT, digit=True)),
    33: (_hyphen_duration, r"-(?:second|minute|hour|day|week|month|quarter|year|decade|century)"),
    35: (_bare_units, _space_between("for over within in of take took takes lasted last", "years|months|weeks|decades|centuries|hours|minutes")),
    42: (_clock, r"\d\s*(?:a\.|p\.|am|pm|o'clock)"),
    43: (_clock, r":[0-5]\d"),
    47: (_rate, _space_between("a an per", "year|month|week|day|hour|quarter")),
}  # fmt: skip
assert all(_RULES[rule][1] is handler for rule, (handler, _) in _NEEDS_SOURCE.items()), "needs follow _RULES_SOURCE"
_NEEDS = tuple(
    re.compile(_NEEDS_SOURCE[rule][1], re.IGNORECASE) if rule in _NEEDS_SOURCE else None for rule in range(len(_RULES))
)


# How far an expression may reach before and after the word that triggers it: 100 characters,
# less for the rules triggered by any number (news is full of numbers) whose matches sit close to it.
_REACH = (100, 100)
_REACH_BY_HANDLER: dict[Handler, tuple[int, int]] = {
    _iso: (5, 25), _numeric: (5, 15), _year: (45, 10), _decade: (45, 10), _clock: (45, 80), _hyphen_duration: (30, 30),
}  # fmt: skip
_RULE_REACH = tuple(_REACH_BY_HANDLER.get(handler, _REACH) for _, handler in _RULES)


def _window_groups() -> tuple[tuple[tuple[tuple[int, ...], tuple[int, int]], ...], dict[str, tuple[int, ...]]]:
    """Rules with the same trigger words and reach, which always get the same windows; and each word's groups."""
    rules_of: dict[tuple[frozenset[str], tuple[int, int]], list[int]] = {}
    for rule, words in enumerate(_TRIGGER_SOURCE):
        assert words == "#" or "#" not in words.split(), "a rule is triggered by numbers or by words, not both"
        rules_of.setdefault((frozenset(words.split()), _RULE_REACH[rule]), []).append(rule)
    groups = tuple((tuple(rules), reach) for (_, reach), rules in rules_of.items())
    of_word: dict[str, list[int]] = {}
    for group, (trigger_words, _) in enumerate(rules_of):
        for word in trigger_words:
            of_word.setdefault(word, []).append(group)
    return groups, {word: tuple(found) for word, found in of_word.items()}


_GROUPS, _GROUPS_OF_WORD = _window_groups()


# ---------------------------------------------------------------- extraction


def extract(text: str, anchor: datetime.date | None, sentence: int = 0) -> tuple[Timex, ...]:
    """Every temporal expression in ``text``, in order and non-overlapping, normalized against ``anchor``.

    ``anchor`` is the article's publication date; without it relative expressions come back with
    ``resolved=False`` and an unresolved value ("XXXX-WXX-5"). ``sentence`` is the number the
    Timexes carry (``text`` being that sentence of an article).
    """
    if not text:
        return ()
    windows = _windows(text)
    if not windows:
        return ()  # no trigger word and no number: nearly half of all sentences
    ctx = _Context(text, anchor)
    candidates: list[tuple[int, int, int, _Found]] = []
    for priority, window_start, window_end in windows:
        pattern, handler = _RULES[priority]
        for m in pattern.finditer(text, window_start, window_end):
            try:
                found = handler(m, ctx)
            except (OverflowError, ValueError):
                continue  # an anchor near year 1 or 9999 moved out of the calendar: no value to give
            if found is None:
                continue
            start = m.start() if found.start is None else found.start
            end = _trim_end(text, start, m.end())
            if end > start:
                candidates.append((start, end, priority, found))
    chosen = _choose(candidates)
    return tuple(_finish(text, chosen, anchor, sentence))


def _windows(text: str) -> list[tuple[int, int, int]]:
    """(rule, start, end) stretches of text where a rule may match: around the words it needs, merged."""
    if not text.isascii() and _FOLDS_TO_ASCII.search(text):
        # The rules' ignore-case matching reads "ſeconds" as "seconds", lower() does not: the
        # word-by-word scan says exactly which of those occurrences count.
        return _windows_by_word(text)
    positions: dict[int, list[int]] = {}  # window group -> where its trigger words stand, in order
    # One pass over the runs of letters, each looked up lower-cased: a regex pass per trigger word
    # present (and a list of all the words to find which are) took twice as long. Lower-casing
    # ASCII moves no offset, so most texts are lower-cased once and the trigger words found in C.
    ascii_text = text.isascii()
    for m in _ASCII_TRIGGERS.finditer(text.lower()) if ascii_text else _LETTERS.finditer(text):
        groups = _GROUPS_OF_WORD.get(m[0] if ascii_text else m[0].lower())
        if groups is not None:
            at = m.start()
            for group in groups:
                positions.setdefault(group, []).append(at)
    if _DIGITS_TRIGGER and (digits := [m.start() for m in _DIGIT_RUN.finditer(text)]):
        for group in _GROUPS_OF_WORD["#"]:
            positions[group] = digits
    size = len(text)
    out: list[tuple[int, int, int]] = []
    for group, found in positions.items():
        # A rule whose need is nowhere in the text needs no windows (most numbers are no clock time).
        rules = [rule for rule in _GROUPS[group][0] if (need := _NEEDS[rule]) is None or need.search(text)]
        if not rules:
            continue
        back, ahead = _GROUPS[group][1]
        for start, end in _merged(found, back, ahead, size):
            whole = start == 0 and end == size  # a sentence is mostly one window: its need was just found
            out.extend(
                (rule, start, end) for rule in rules if whole or (need := _NEEDS[rule]) is None or need.search(text, start, end)
            )
    return out


def _merged(positions: list[int], back: int, ahead: int, size: int) -> list[tuple[int, int]]:
    """The stretches ``back`` before to ``ahead`` after each of the sorted ``positions``, overlapping ones merged."""
    spans: list[tuple[int, int]] = []
    start = end = -1
    for at in positions:
        lo, hi = max(0, at - back), min(size, at + ahead)
        if lo > end:
            if end >= 0:
                spans.append((start, end))
            start = lo
        end = hi
    spans.append((start, end))
    return spans


def _windows_by_word(text: str) -> list[tuple[int, int, int]]:
    """The windows as _windows gives them, found word by word: the exact reading of exotic case folding."""
    positions: dict[int, list[int]] = {}
    for word in _TRIGGER_SET.intersection(map(str.lower, _LETTERS.findall(text))):
        for rule in _TRIGGERS[word]:
            positions.setdefault(rule, []).extend(m.start() for m in _occurrences(word).finditer(text))
    if _DIGITS_TRIGGER and (digits := [m.start() for m in _DIGIT_RUN.finditer(text)]):
        for rule in _TRIGGERS["#"]:
            positions.setdefault(rule, []).extend(digits)
    size = len(text)
    out: list[tuple[int, int, int]] = []
    for rule in sorted(positions):
        back, ahead = _RULE_REACH[rule]
        out.extend((rule, start, end) for start, end in _merged(sorted(positions[rule]), back, ahead, size))
    return out


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\n,":
        end -= 1
    return end


def _choose(candidates: list[tuple[int, int, int, _Found]]) -> list[tuple[int, int, _Found]]:
    """Leftmost-longest, non-overlapping; on a tie the earlier rule wins."""
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0]), c[2]))
    chosen: list[tuple[int, int, _Found]] = []
    last_end = -1
    for start, end, _, found in candidates:
        if start >= last_end:
            chosen.append((start, end, found))
            last_end = end
        elif chosen and end - start > chosen[-1][1] - chosen[-1][0] and start >= (chosen[-2][1] if len(chosen) > 1 else -1):
            # A longer expression starting inside the previous one replaces it ("May 5" beats "May").
            chosen[-1] = (start, end, found)
            last_end = end
    return chosen


_FULL_DAY = re.compile(r"^(?:\d{4}|XXXX)-\d{2}-\d{2}$")
_BETWEEN_DAY_AND_TIME = re.compile(r"[\s,]*(?:(?:at|from|by|until|around)\s+)?", re.IGNORECASE)


def _day_of_time(text: str, previous: Timex | None, start: int, anchor: datetime.date | None, clock: str) -> tuple[str, bool]:
    """A clock time's day: the full date just before it in the text, or the anchor."""
    if previous is not None and _FULL_DAY.match(previous.value):
        gap = _BETWEEN_DAY_AND_TIME.match(text, previous.end, start)
        if gap is not None and gap.end() == start:
            return previous.value + clock, previous.resolved
    if anchor is None:
        return "XXXX-XX-XX" + clock, False
    return anchor.isoformat() + clock, True


_QUARTER_VALUE = re.compile(r"^(\d{4})-Q(\d)$")


def _finish(text: str, chosen: list[tuple[int, int, _Found]], anchor: datetime.date | None, sentence: int) -> list[Timex]:
    """Resolve the values that depend on the article (which quarter it is about), then build the Timexes."""
    out: list[Timex] = []
    # An earnings report is about the last completed quarter: "the quarter" is that one, and
    # "a year ago" in an article that speaks of quarters is the same quarter a year before.
    quarters = False
    for start, end, found in chosen:
        value = found.value
        if value in ("@QUARTER", "@YEARAGO") and anchor is not None:
            q = _quarter(anchor) - 1 or 4
            year = anchor.year if q < _quarter(anchor) else anchor.year - 1
            if value == "@QUARTER":
                value = f"{year:04d}-Q{q}"
            elif quarters:
                value = f"{year - 1:04d}-Q{q}"
            else:
                value = f"{anchor.year - 1:04d}"
        elif value.startswith("@QYEAR"):
            # "the 1988 period" in an earnings report is that year's quarter of the same number
            q = (_quarter(anchor) - 1 or 4) if anchor is not None else 0
            value = f"{value[6:]}-Q{q}" if q else value[6:]
        quarters = quarters or _QUARTER_VALUE.match(value) is not None
        resolved = found.resolved
        if value.startswith("@DAY"):
            value, resolved = _day_of_time(text, out[-1] if out else None, start, anchor, value[4:])
        out.append(Timex(start, end, text[start:end], found.type, value, resolved, sentence))
    return out


_DATELINE_DAY = re.compile(r"^(\d{4}|XXXX)-(\d{2})-(\d{2})$")


def publication_from_dateline(first_lines: str, year_hint: int | None) -> datetime.date | None:
    """The day a dateline gives ("WASHINGTON, March 21 (AP) -"), or None.

    Only the first full day named in ``first_lines`` counts; a day without a year takes ``year_hint``
    (the year of the file or feed), and without a hint it is not a publication date.
    """
    for timex in extract(first_lines[:300], None):
        day = _DATELINE_DAY.match(timex.value)
        if timex.type != "DATE" or day is None:
            continue
        year = int(day[1]) if day[1] != "XXXX" else year_hint
        if year is None or not _valid_day(year, int(day[2]), int(day[3])) or not 1 <= year <= 9999:
            return None
        return datetime.date(year, int(day[2]), int(day[3]))
    return None
