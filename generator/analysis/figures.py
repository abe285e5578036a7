"""Figures in news sentences: money, percentages, measures, ages and counted things.

Rules, not a model: a number (digits, with commas, decimals, fractions and
scale words, or number words) is found first; what surrounds it then says what
it is: a currency before it or after it, a percent sign or word, a unit of
measure, "years old", or a counted noun. Numbers that are not figures are left
out by the cues a reader uses: years, dates and times, ordinals, codes glued to
letters ("F-16", "777F", "G20"), labels ("Article 5"), sports scores.

Units are named in the gold vocabulary of ``shared/eval/README.md`` (lower-case
British names); counted things by the lemma of their noun ("vehicle",
"people"). A unit that cannot be named with confidence is None: better null
than wrong. Every pattern is precompiled and anchored at a known position, and
look-behinds read a bounded window, so a sentence costs linear time.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from generator.models import FigureKind as Kind
from generator.models import Quantity


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ---------------------------------------------------------------- number words

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "lakh": 1e5, "lakhs": 1e5, "crore": 1e7,
    "crores": 1e7,
}  # fmt: skip


def _trie_pattern(words: Sequence[str]) -> str:
    """An alternation of ``words`` factored by first letters, so a regex fails fast where none starts."""
    if "" in words and len(words) == 1:
        return ""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[:1], []).append(word[1:])
    branches = []
    optional = "" in groups
    for first, rests in sorted(groups.items()):
        if first == "":
            continue
        branches.append(re.escape(first) + _trie_pattern(rests))
    body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
    return body + "?" if optional else body


_NUMWORD = _trie_pattern(sorted({*_UNITS, *_TENS, "hundred", "dozen", *_SCALES}))

# Digits, or number words. Dates and times written with digits are matched first so that their
# parts are never read as figures. Only ASCII digits: other scripts are left alone.
_CORE = re.compile(
    rf"""
    (?P<skip>\b[0-9]{{1,2}}:[0-9]{{2}}(?::[0-9]{{2}})?\b
        | \b[0-9]{{1,4}}(?P<sep>[/.-])[0-9]{{1,2}}(?P=sep)[0-9]{{1,4}}\b
        | \b[0-9]{{1,2}}/[0-9]{{1,2}}\b(?!\s*+(?:miles?|inch|inches|mile|cup|cups|of)\b))
    | (?P<frac>(?<![0-9/])[0-9]{{1,2}}/(?:2|3|4|8|16)(?![0-9/]))
    | (?P<digits>(?<![0-9])(?:[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)(?:\.[0-9]+)?)
    | (?P<words>\b(?:half\s++an?\s++(?:{_NUMWORD})|an?\s++(?:hundred|thousand|million|billion|trillion|dozen)|(?:{_NUMWORD}))
        (?:(?:\s++and\s++|\s*+-\s*+|\s++)(?:{_NUMWORD}))*\b)
    | (?P<half>\bhalf\s++an?(?=\s++[^\W\d_]))
    """,
    re.IGNORECASE | re.VERBOSE,
)
_DIGIT = re.compile(r"[0-9]")
_DIGITS = re.compile(r"[0-9]+")
# A number word standing as a word of its own ("Two", "dozen", "half"): the words and half of _CORE
# begin only at one. Three forms of one test, the last two for ASCII text lower-cased (see _has_number_word).
_NUMBER_WORD = re.compile(rf"\b(?:{_NUMWORD}|half)\b", re.IGNORECASE)
_NUMBER_WORD_AT_START = re.compile(rf"(?:{_NUMWORD}|half)\b")
_NUMBER_WORD_INSIDE = re.compile(rf"[^a-z0-9_](?:{_NUMWORD}|half)\b")
# The words that may open a match of _CORE's words and half, in the same two forms.
_CORE_WORD_AT_START = re.compile(rf"(?:an?|half|{_NUMWORD})\b")
_CORE_WORD_INSIDE = re.compile(rf"[^a-z0-9_](?:an?|half|{_NUMWORD})\b")
_WORD_TOKEN = re.compile(r"[a-z]+", re.IGNORECASE)


@dataclass
class _WordsState:
    """What a parse of number words has read so far; mutable, it lives for one parse only."""

    total: float = 0.0
    current: float = 0.0
    last: str = ""  # kind of the last word: "unit", "ten", "hundred", "scale", "and", "a", "half"
    half: bool = False


def _parse_words(text: str) -> tuple[float, int] | None:
    """Value of the longest well-formed prefix of number words, and where it ends in ``text``."""
    state = _WordsState()
    end = 0
    for m in _WORD_TOKEN.finditer(text):
        word = m.group().lower()
        if word in ("a", "an", "half", "and"):
            if not _filler_word(state, word, started=end > 0):
                break
            continue
        if not _number_word(state, word):
            break
        end = m.end()
    if not end:
        return None
    value = state.total + state.current
    return (value / 2 if state.half else value), end


def _filler_word(state: _WordsState, word: str, started: bool) -> bool:
    """ "a" and "half" open a number ("half a million"), "and" joins its parts ("one hundred and five")."""
    if word == "and":
        ok = state.last in ("hundred", "scale")
    elif word == "half":
        ok = not started and state.last == ""
        state.half = ok
    else:
        ok = state.last in ("", "half")
    if ok:
        state.last = "a" if word == "an" else word
    return ok


def _number_word(state: _WordsState, word: str) -> bool:
    """Adds ``word`` to the number read so far; False when it cannot follow ("five five", "twenty thirty")."""
    if word in _UNITS:
        if state.last == "unit" or (state.last == "ten" and state.current % 10):
            return False
        state.current += _UNITS[word]
        state.last = "unit"
    elif word in _TENS:
        if state.last in ("unit", "ten") or state.current % 100 >= 10:
            return False
        state.current += _TENS[word]
        state.last = "ten"
    elif word == "hundred":
        if state.last == "hundred" or state.current >= 100:
            return False
        state.current = (state.current or 1) * 100
        state.last = "hundred"
    elif word == "dozen" or word in _SCALES:
        if state.last == "scale" and not state.current:
            return False
        if word == "dozen":
            state.current = (state.current or 1) * 12
        else:
            state.total += (state.current or 1) * _SCALES[word]
            state.current = 0
        state.last = "scale"
    else:
        return False
    return True


# ---------------------------------------------------------------- units

# (unit name, kind, surfaces). Surfaces are matched case-insensitively after the number, separated
# by spaces, a hyphen or nothing; a space inside a surface matches any run of spaces or hyphens.
_UNIT_TABLE: list[tuple[str, Kind, str]] = [
    ("dollar", "money", "dollars|dollar|us dollars|us dollar|u.s. dollars|american dollars|usd|greenbacks"),
    ("canadian dollar", "money", "canadian dollars|canadian dollar|cad"),
    ("australian dollar", "money", "australian dollars|australian dollar|aud"),
    ("new zealand dollar", "money", "new zealand dollars|nzd"),
    ("hong kong dollar", "money", "hong kong dollars|hkd"),
    ("singapore dollar", "money", "singapore dollars|sgd"),
    ("new taiwan dollar", "money", "new taiwan dollars|taiwan dollars|twd"),
    ("pound sterling", "money", "pounds sterling|pound sterling|sterling|gbp|quid"),
    ("pound", "money", "pounds|pound"),  # money or weight: decided by the sentence
    ("pound-mass", "quantity", "lbs|lb"),
    ("penny", "money", "pence|penny|pennies|p"),
    ("cent", "money", "cents|cent|¢"),
    ("euro", "money", "euros|euro|eur|€"),
    ("japanese yen", "money", "japanese yen|yen|jpy"),
    ("chinese yuan", "money", "chinese yuan|yuan|renminbi|rmb|cny|kuai|元"),
    ("rupee", "money", "indian rupees|indian rupee|rupees|rupee|inr|₹"),
    ("sri lankan rupee", "money", "sri lankan rupees|sri lankan rupee|lkr|ரூ"),
    ("pakistani rupee", "money", "pakistani rupees|pakistani rupee|pkr"),
    ("finnish markka", "money", "finnish markka|markkaa|markka"),
    ("mexican peso", "money", "mexican pesos|mexican peso|mxn"),
    ("swiss franc", "money", "swiss francs|swiss franc|chf"),
    ("russian rouble", "money", "russian roubles|russian rubles|roubles|rubles|rouble|ruble|rub|₽"),
    ("south african rand", "money", "south african rand|rand|zar"),
    ("nigerian naira", "money", "nigerian naira|naira|ngn"),
    ("south korean won", "money", "south korean won|korean won|won|krw|₩"),
    ("saudi riyal", "money", "saudi riyals|saudi riyal|riyals|sar"),
    ("united arab emirates dirham", "money", "uae dirhams|dirhams|aed"),
    ("turkish lira", "money", "turkish lira|lira|liras|try|₺"),
    ("israeli new shekel", "money", "shekels|shekel|nis|ils|₪"),
    ("thai baht", "money", "thai baht|baht|thb|฿"),
    ("malaysian ringgit", "money", "malaysian ringgit|ringgit|myr"),
    ("indonesian rupiah", "money", "indonesian rupiah|rupiah|idr"),
    ("ukrainian hryvnia", "money", "hryvnias|hryvnia|hryvnia|uah|₴"),
    ("brazilian real", "money", "brazilian reais|brazilian real|reais|brl"),
    ("egyptian pound", "money", "egyptian pounds|egyptian pound|egp"),
    ("costa rican colón", "money", "costa rican colones|colones|colón|colon|₡"),
    ("georgian lari", "money", "georgian lari|lari|₾"),
    ("lao kip", "money", "lao kip|kip|₭"),
    ("nigerian naira", "money", "₦"),
    ("philippine peso", "money", "philippine pesos|₱"),
    ("bitcoin", "money", "bitcoins|bitcoin|btc"),
    ("percentage point", "percent", "percentage points|percentage point|percentage-point|pp"),
    ("basis point", "percent", "basis points|basis point|bps|bp"),
    ("percentage", "percent", "per cents|per cent|percents|percent|percentage|pct|pc|%"),
    (
        "barrel per day",
        "quantity",
        "barrels a day|barrels per day|barrels of oil a day|barrels of oil per day|barrels daily|bpd|b/d",
    ),
    (
        "kilometre per hour",
        "quantity",
        "kilometres per hour|kilometers per hour|kilometres an hour|kilometers an hour|kilometre per hour|kilometer per hour|km/h|km/hr|kmh|kph|kmph|kmh",
    ),
    ("mile per hour", "quantity", "miles per hour|miles an hour|mile per hour|mph"),
    ("metre per second", "quantity", "metres per second|meters per second|m/s"),
    ("knot", "quantity", "knots|knot"),
    (
        "square kilometre",
        "quantity",
        "square kilometres|square kilometers|square kilometre|square kilometer|sq km|sq. km|km2|km²",
    ),
    ("square metre", "quantity", "square metres|square meters|square metre|square meter|sq m|sqm|m2|m²"),
    ("square mile", "quantity", "square miles|square mile|sq miles|sq mi"),
    ("square foot", "quantity", "square feet|square foot|sq ft|sq. ft.|sq feet"),
    ("cubic metre", "quantity", "cubic metres|cubic meters|cubic metre|cubic meter|m3|m³|cu m"),
    ("cubic foot", "quantity", "cubic feet|cubic foot|cu ft"),
    ("hectare", "quantity", "hectares|hectare|ha"),
    ("acre", "quantity", "acres|acre"),
    ("kilometre", "quantity", "kilometres|kilometers|kilometre|kilometer|kms|km"),
    ("centimetre", "quantity", "centimetres|centimeters|centimetre|centimeter|cm"),
    ("millimetre", "quantity", "millimetres|millimeters|millimetre|millimeter|mm"),
    ("decimetre", "quantity", "decimetres|decimeters|decimetre|decimeter|dm"),
    ("picometre", "quantity", "picometres|picometers|picometre|picometer"),
    ("nanometre", "quantity", "nanometres|nanometers|nanometre|nanometer|nm"),
    ("micrometre", "quantity", "micrometres|micrometers|micrometre|micrometer|microns|micron|μm|µm"),
    ("metre", "quantity", "metres|meters|metre|meter|m"),
    ("mile", "quantity", "miles|mile|mi"),
    ("nautical mile", "quantity", "nautical miles|nautical mile|nm"),
    ("foot", "quantity", "feet|foot|ft"),
    ("inch", "quantity", "inches|inch|″"),
    ("yard", "quantity", "yards|yard|yd|yds"),
    ("litre", "quantity", "litres|liters|litre|liter"),
    ("millilitre", "quantity", "millilitres|milliliters|millilitre|milliliter|ml"),
    ("gallon", "quantity", "gallons|gallon|gal"),
    ("barrel", "quantity", "barrels|barrel|bbl"),
    ("metric ton", "quantity", "metric tons|metric tonnes|metric ton|metric tonne"),
    ("ton", "quantity", "tonnes|tons|tonne|ton"),
    ("kilogram", "quantity", "kilogrammes|kilograms|kilogramme|kilogram|kilos|kilo|kgs|kg"),
    ("milligram", "quantity", "milligrams|milligram|mg"),
    ("microgram", "quantity", "micrograms|microgram|μg|µg|mcg"),
    ("gram", "quantity", "grammes|grams|gramme|gram|g"),
    ("ounce", "quantity", "ounces|ounce|oz"),
    ("troy ounce", "quantity", "troy ounces|troy ounce"),
    ("megawatt", "quantity", "megawatts|megawatt|mw"),
    ("gigawatt", "quantity", "gigawatts|gigawatt|gw"),
    ("kilowatt", "quantity", "kilowatts|kilowatt|kw"),
    ("kilowatt hour", "quantity", "kilowatt hours|kilowatt-hours|kilowatt hour|kwh"),
    ("megawatt hour", "quantity", "megawatt hours|megawatt-hours|mwh"),
    ("gigawatt hour", "quantity", "gigawatt hours|gigawatt-hours|gwh"),
    ("terawatt hour", "quantity", "terawatt hours|terawatt-hours|twh"),
    ("megabit", "quantity", "megabits|megabit|mb|mbit"),
    ("gigabit", "quantity", "gigabits|gigabit|gbit"),
    ("megabyte", "quantity", "megabytes|megabyte"),
    ("gigabyte", "quantity", "gigabytes|gigabyte|gb"),
    ("terabyte", "quantity", "terabytes|terabyte|tb"),
    ("megabit per second", "quantity", "mbps|megabits per second"),
    ("hertz", "quantity", "hertz|hz"),
    ("calorie", "quantity", "calories|calorie|kcal"),
    ("volt", "quantity", "volts|volt"),
    ("decibel", "quantity", "decibels|decibel|db"),
]
# Units written with a scale built in: "38 bcm" is 38 billion cubic metres.
# Smaller coins named by their own word: "five mao" is half a yuan.
_COINS = {"mao": ("chinese yuan", 0.1), "jiao": ("chinese yuan", 0.1), "fen": ("chinese yuan", 0.01)}
_SCALED_UNITS = {
    "bcm": ("cubic metre", 1e9),
    "tcf": ("cubic foot", 1e12),
    "bcf": ("cubic foot", 1e9),
    "mcm": ("cubic metre", 1e6),
    "mmbtu": ("million british thermal unit", 1.0),
}
# Abbreviations that are words or codes in lower case, only taken as units when glued to the number
# or written in their own case ("5 m" but not "5 in"; "10 MW" but not a glued "5G" network).
_GLUED_ONLY = _words("m mi g p pc ha pp bp nm gal dm yd kip try sar won rub bps mb gb tb db mw gw kw lari rand nis")
# Abbreviations that are units whenever written in capitals: "500 MW of power".
_CAPITAL_UNITS = _words("MW GW kW KW GWh MWh TWh Mbps")
_LOWER_ONLY = _words("g p pc mi mao jiao fen")
_CASE_SENSITIVE = {"MB": "megabyte", "GB": "gigabyte", "TB": "terabyte", "Mb": "megabit", "Gb": "gigabit"}

_UNIT_INDEX: dict[str, tuple[str, Kind]] = {}
for _name, _kind, _surfaces in _UNIT_TABLE:
    for _surface in _surfaces.split("|"):
        _UNIT_INDEX.setdefault(re.sub(r"[\s-]+", " ", _surface.lower()), (_name, _kind))
for _surface, (_name, _) in _SCALED_UNITS.items():
    _UNIT_INDEX[_surface] = (_name, "quantity")
for _surface, (_name, _) in _COINS.items():
    _UNIT_INDEX[_surface] = (_name, "money")


_SPACES = re.compile(r"[\s-]+")
_JOINED_UNITS: dict[str, tuple[str, Kind]] = {}
for _key, _unit in _UNIT_INDEX.items():
    _JOINED_UNITS.setdefault(_key.replace(" ", ""), _unit)


def _surface_pattern(surface: str) -> str:
    parts = [re.escape(p) for p in re.split(r"[\s-]+", surface)]
    return r"[\s-]*+".join(parts)


def _by_first_letter(alternatives: list[str]) -> str:
    """``"|".join(alternatives)``, factored by first letter: "k(?:ilometres|m|g)|m(?:iles|m)|...".

    Alternatives that start with different letters never match at the same place, and each group
    keeps its alternatives' order, so this matches what the plain alternation matches; but a
    case-insensitive alternation of 400 surfaces is tried surface by surface at every number, this
    one letter by letter. Alternatives that do not open with an ASCII letter stay together, in order.
    """
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        first = alternative[0]
        groups.setdefault(first if first.isascii() and first.isalpha() else "", []).append(alternative)
    factored = [letter + "(?:" + "|".join(a[1:] for a in group) + ")" for letter, group in groups.items() if letter]
    return "|".join([*factored, *groups.get("", [])])


_UNIT_ALTERNATION = _by_first_letter([_surface_pattern(s) for s in sorted(_UNIT_INDEX, key=len, reverse=True)])
# A unit right after the number: glued, spaced, hyphenated ("10-gallon") or in brackets ("20 (kg)").
_UNIT_AFTER = re.compile(
    rf"(?P<sep>\s*+-\s*+|\s*+\(\s*+|\s*+)(?P<unit>{_UNIT_ALTERNATION})(?P<close>\s*+\))?(?![^\W\d_])", re.IGNORECASE
)
_SCALE_AFTER = re.compile(
    r"(?P<sep>\s*+-?\s*+)(?P<scale>hundred|thousand|million|billion|trillion|lakh\s++crores?|lakhs?|crores?|bn|mn|mln|bln|tn|trn|m|b|k)(?![^\W\d_])",
    re.IGNORECASE,
)
_SCALE_VALUES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "lakh": 1e5, "lakhs": 1e5,
    "crore": 1e7, "crores": 1e7, "lakh crore": 1e12, "lakh crores": 1e12, "bn": 1e9, "mn": 1e6, "mln": 1e6, "bln": 1e9, "tn": 1e12, "trn": 1e12,
    "m": 1e6, "b": 1e9, "k": 1e3,
}  # fmt: skip
# Scale abbreviations that are also units or words: only taken as scales for money.
_MONEY_ONLY_SCALES = _words("m b k")

# Currency written before the number. Country prefixes of the dollar keep their case where a
# lower-case letter would be a word ("'s $ 500" is not Singapore dollars).
_CURRENCY_BEFORE = re.compile(
    r"""(?:
        (?P<usd>(?<![A-Za-z])(?i:us|u\.s\.?|u\.\s?s\.?)\s?\$)
      | (?P<cad>(?<![A-Za-z])(?i:c|ca|can|cdn)\s?\$)
      | (?P<aud>(?<![A-Za-z])(?:A|AU|Au|AUD\s?)\$)
      | (?P<nzd>(?<![A-Za-z])NZ\$)
      | (?P<hkd>(?<![A-Za-z])HK\$)
      | (?P<sgd>(?<![A-Za-z])S\$)
      | (?P<twd>(?<![A-Za-z])NT\$)
      | (?P<mxn>(?<![A-Za-z])(?i:mex|mx)\$)
      | (?P<brl>(?<![A-Za-z])R\$)
      | (?P<dollar>\$)
      | (?P<symbol>[£€¥₹₩₽₦₺₪฿₱₴₡₾₭]|ரூ)
      | (?P<code>(?<![A-Za-z])(?:USD|EUR|GBP|JPY|CNY|RMB|INR|AUD|CAD|CHF|HKD|SGD|ZAR|NGN|KRW|(?i:rs)\.?|sen))
    )\s*$""",
    re.VERBOSE,
)
# The last character of every currency _CURRENCY_BEFORE reads ("$", "£", "USD", "Rs.", "sen"; "ſ" is an
# "s" to its case-insensitive "rs"): a number with none of them before it, spaces aside, has no currency.
_CURRENCY_LAST = frozenset("$£€¥₹₩₽₦₺₪฿₱₴₡₾₭ூ" + "DRPYBFNW" + "sSſ.n")
_PREFIX_UNITS = {
    "usd": "dollar", "cad": "canadian dollar", "aud": "australian dollar", "nzd": "new zealand dollar",
    "hkd": "hong kong dollar", "sgd": "singapore dollar", "twd": "new taiwan dollar", "mxn": "mexican peso",
    "brl": "brazilian real", "dollar": "dollar",
}  # fmt: skip
_SYMBOL_UNITS = {
    "£": "pound sterling", "€": "euro", "¥": "japanese yen", "₹": "rupee", "₩": "south korean won",
    "₽": "russian rouble", "₦": "nigerian naira", "₺": "turkish lira", "₪": "israeli new shekel", "฿": "thai baht",
    "₱": "philippine peso", "₴": "ukrainian hryvnia", "₡": "costa rican colón", "₾": "georgian lari", "₭": "lao kip",
    "ரூ": "sri lankan rupee",
    "usd": "dollar", "eur": "euro", "gbp": "pound sterling", "jpy": "japanese yen", "cny": "chinese yuan",
    "rmb": "chinese yuan", "inr": "rupee", "rs": "rupee", "rs.": "rupee", "aud": "australian dollar",
    "cad": "canadian dollar", "chf": "swiss franc", "hkd": "hong kong dollar", "sgd": "singapore dollar",
    "zar": "south african rand", "ngn": "nigerian naira", "krw": "south korean won", "sen": "sen",
}  # fmt: skip
_LOOKBEHIND = 48  # characters read before a number: enough for any prefix, qualifier or label

# Only at the start: elsewhere "percent" belongs to the number before it ("30 percent of 10 million").
_PERCENT_OF = re.compile(r"^\s*(?P<unit>per\s?cents?|percents?|percentage)\s+of\s+(?=\S)", re.IGNORECASE)

# Temperatures and angles: "40 deg celsius", "-3°F", "98.6 degrees f", "10.5 celcius".
_GLUED_TEMPERATURE = re.compile(r"[CF](?![^\W\d_])")
_TEMPERATURE_CONTEXT = re.compile(
    r"\b(?:temperatures?|heat\w*|hot|hotter|hottest|cold\w*|warm\w*|cool\w*|weather|forecast\w*|thermometers?|freez\w*"
    r"|climate|highs?|lows?|mercury|frost\w*|chill\w*|degrees?|sweltering|scorching)\b",
    re.IGNORECASE,
)
_DEGREES_AFTER = re.compile(
    r"""(?P<sep>\s*+-?\s*+)(?:
        (?P<deg>°|º|˚|degrees?|deg\.?)\s*+(?P<scale>celsius|celcius|centigrade|centigrate|fahrenheit|farenheit|c|f)?
      | (?P<bare>celsius|celcius|centigrade|centigrate|fahrenheit|farenheit|℃|℉)
    )(?![^\W\d_])""",
    re.IGNORECASE | re.VERBOSE,
)

# Ages: "29 years old", "a 12-year-old", "ninety five years of age", "87 yo"; and "aged 30", "age 87".
_AGE_AFTER = re.compile(
    r"(?P<sep>\s*+-\s*+|\s++)(?P<unit>years?|yrs?|months?|weeks?|days?)(?:\s*+-\s*+|\s++)(?:old|of\s++age)\b|(?P<yo>\s*+(?:yo|y\.o\.|y/o))(?![^\W\d_])",
    re.IGNORECASE,
)
_AGE_BEFORE = re.compile(r"\b(?:aged|age|ages)\s+$", re.IGNORECASE)
_AGE_UNITS = {"year": "year of age", "yr": "year of age", "month": "month of age", "week": "week of age", "day": "day of age"}

_SIGN_BEFORE = re.compile(r"(?:(?<![^\s(:=,]))(?P<sign>minus\s+|negative\s+|[-−–]\s?)$", re.IGNORECASE)
_INCH_AFTER = re.compile(r'\s*+"(?=\s*+(?:long|wide|tall|high|deep|thick|screen|display|x|by)\b)', re.IGNORECASE)

# ---------------------------------------------------------------- what is not a figure

# "may" and "march" are words too: as months they take their capital.
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|(?-i:Mar(?:ch)?|MAR(?:CH)?|May|MAY)"
)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\s*\.?\s*(?:\.\s*)?$", re.IGNORECASE)
_DATE_OR_TIME_AFTER = re.compile(
    rf"""(?:st|nd|rd|th)?\s*(?:,\s*)?(?:of\s+)?(?:{_MONTHS})\b(?!\s+(?:of|in)\b)
      | \s*(?:a\.\s?m\b\.?|p\.\s?m\b\.?|am|pm|o'clock|h|hrs|gmt|utc|bst|cet|est|edt|pst|pdt)(?![^\W\d_])
      | (?:st|nd|rd|th|s|'s)(?![^\W\d_])""",
    re.IGNORECASE | re.VERBOSE,
)
_LETTER_BEFORE = re.compile(r"(?:[^\W\d_]|[^\W\d_][-/]|[0-9][-/]?[^\W\d_]+[-/]?|#)$")
_GLUED_AFTER = re.compile(r"[^\W\d_]|[-/][0-9]*[^\W\d_]+[0-9]")
_NON_SPACE = re.compile(r"\S+")
# Words that introduce a label, not a figure: "article 5", "No. 10", "flight 370".
_LABELS = _words(
    """no no. nos number article articles section sections chapter page pages paragraph resolution route routes
    highway flight flights channel channels room rooms gate gates platform platforms level phase stage grade category
    version vol volume item week game day clause amendment episode season district ward division tier sector pier
    terminal runway building junction junctions"""
)  # nouns only: a verb such as "issue" may take a figure ("to issue 5 million shares")
# Lower-cased words that may precede a figure at a capital letter without making it a label.
_COMMON = _words(
    """a an the this that these those some about around over under nearly almost approximately roughly only just
    more less fewer than at least most up to by from of in on for with and or but as after before since until
    between among its their his her our your my in into onto per each every all both another other another
    total estimated reported record average additional extra further mere some another while when where it
    he she they we you i there here then now also still even ever yet so if is was were are be been being
    has have had will would could should may might must can do did does said says say told added see saw
    nearly well upwards excess around approx approx. circa within without across through during against despite
    including except beyond below above toward towards via plus minus like unlike amid amongst outside inside near
    behind beside besides upon once twice although though because whether unless whereas nor either neither many
    several few last next today yesterday overall altogether roughly fully barely nearly only"""
)

# ---------------------------------------------------------------- qualifiers

_QUALIFIERS = [
    "more than", "less than", "fewer than", "greater than", "higher than", "lower than", "no more than",
    "no less than", "not more than", "just over", "just under", "well over", "well above", "well below",
    "just above", "just below", "up to", "at least", "at most", "as much as", "as many as", "as little as",
    "as few as", "as high as", "as low as", "close to", "upwards of", "in excess of", "a record", "an estimated",
    "a reported", "a total of", "an average of", "a further", "an additional", "an extra", "a mere",
    "a maximum of", "a minimum of", "nearly", "almost", "about", "around", "approximately", "approx.",
    "roughly", "some", "over", "under", "above", "below", "exactly", "precisely", "only", "just", "estimated",
    "reportedly", "record", "another", "circa", "maximum", "minimum", "averaging", "average",
]  # fmt: skip
_QUALIFIER_SET = frozenset([*_QUALIFIERS, "approx"])
_QUALIFIER_ENDS = frozenset(q.split()[-1] for q in _QUALIFIER_SET)
_TRAILING_TOKEN = re.compile(r"[^\s(\"'`“‘]+")


def _strip_qualifier(before: str) -> tuple[str, str | None]:
    """``before`` without the qualifier it ends with, and that qualifier: "more than " -> ("", "more than").

    Reads the last four words only, so that it costs the same whatever the window.
    """
    found = _trailing_qualifier(before[-40:])
    if found is None:
        return before, None
    length, phrase = found
    return before[: len(before) - length], phrase


# The qualifier and the measure of a figure each ask for the same 40 characters before it: read once.
@functools.lru_cache(maxsize=4096)
def _trailing_qualifier(tail: str) -> tuple[int, str] | None:
    """The qualifier ``tail`` ends with, as (characters from its first word to the end, the qualifier)."""
    if not tail or not (tail[-1].isspace() or tail[-1] == "("):
        return None
    last = tail.rstrip(" \t\n(").rsplit(None, 1)[-1:]
    if not last or last[0].lstrip("(\"'`“‘").lower() not in _QUALIFIER_ENDS:
        return None  # the common case, decided without tokenizing
    tokens = list(_TRAILING_TOKEN.finditer(tail))[-4:]
    for k in range(len(tokens), 0, -1):
        words = tokens[-k:]
        if any(not tail[a.end() : b.start()].isspace() for a, b in itertools.pairwise(words)):
            continue
        phrase = " ".join(t.group().lower() for t in words)
        if phrase in _QUALIFIER_SET:
            return len(tail) - words[0].start(), phrase
    return None


# ---------------------------------------------------------------- measures

_STOP = _words(
    """a an the this that these those of in on at to for from by with without about as and or but nor so than then
    is was were are be been being am has have had having do does did will would could should may might must can
    it its it's he she they we you i him her them us me my his our your their who whom whose which what when
    where why how there here not no only also just more most less least very too each every all any some per
    over under up down out off into onto upon between among after before since until during against through
    while if because although though whether both either neither such same other another last next ago this
    year years month months week weeks day days percent cent cents said says say told according reported
    including includes include included plus minus around nearly almost roughly approximately"""
)
_BOUNDARY = _words(
    """that which who whom whose and but while whereas because although though if when where as said says say
    told reported according added noted estimated showed shows"""
)
_PREPOSITIONS = _words(
    """of in on at to for from by with without about between among after before since during against through
    into onto upon over under across within via per than like including"""
)
_DETERMINERS = _words(
    """a an the this that these those its their his her our your my some any each every all both no another
    other such total overall"""
)
# Verbs that link a measured thing to its figure: "trade reached $200 billion".
_LINK_VERBS = _words(
    """reached reach reaches rose rise rises risen fell fall falls fallen was were is are be been totalled
    totaled totals total totalling totaling stood stands stand hit hits amounted amounts amount grew grow grows
    jumped jumps climbed climbs dropped drops declined declines increased increases decreased decreases topped
    tops exceeded exceeds surpassed surpasses cost costs costing soared soars surged surges slumped slumped
    plunged plunges tumbled tumbles slid slides gained gains lost loses shrank shrinks expanded expands
    came comes hovered hovers averaged averages doubled tripled edged eased narrowed widened hit valued
    estimated put set forecast projected expected seen remained remains stayed"""
)
_LINK_PARTICLES = _words("to at by of around about nearly some from now currently already still also just only almost")
_LINK_TAIL = re.compile(r"(?:\s+(?:" + "|".join(sorted(_LINK_PARTICLES)) + r"))*\s*$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_PUNCT_STOP = re.compile(r"[,;:.!?()\[\]\"“”]|\s[-–—]\s|''|``")

_IRREGULAR = {
    "people": "people", "men": "man", "women": "woman", "children": "child", "feet": "foot", "teeth": "tooth",
    "mice": "mouse", "geese": "goose", "police": "police", "staff": "staff", "personnel": "personnel",
    "lives": "life", "wives": "wife", "knives": "knife", "wolves": "wolf", "halves": "half", "thieves": "thief",
    "leaves": "leaf", "series": "series", "species": "species", "crises": "crisis", "analyses": "analysis",
    "aircraft": "aircraft", "sheep": "sheep", "fish": "fish", "deer": "deer", "cattle": "cattle",
    "data": "data", "media": "media", "criteria": "criterion", "phenomena": "phenomenon", "indices": "index",
    "troops": "troop", "news": "news", "offspring": "offspring", "livestock": "livestock", "militia": "militia",
}  # fmt: skip
_NOT_PLURAL = _words(
    """was has is this its his hers yes less plus always perhaps across thus whereas besides towards afterwards
    sometimes news series means species politics economics physics mathematics us its ours yours theirs
    says goes does makes takes gives comes rises falls gets seems sees uses runs puts shows adds hopes plans
    wants needs keeps brings holds leads expects remains becomes includes calls tells looks thinks feels
    pays sells buys costs earns hits cuts sets ends begins starts stands reaches grows faces opens whilst
    amongst downstairs upstairs overseas various numerous previous serious famous enormous dangerous
    obvious anonymous nervous gorgeous unanimous continuous simultaneous ambitious vs specimen abdomen regimen
    acumen others ones thousands hundreds millions billions dozens tens scores"""
)  # fmt: skip


# Verbs that end a noun phrase without looking like verbs ("winds brought", "adults found").
_VERBISH = _LINK_VERBS | _words(
    """brought took made gave saw got won lost paid sold bought found came went put set left held kept told thought
    became began ran spent sent built felt meant met led stood understood grew drew knew threw wrote rose fell
    hit cut let said sank died killed injured arrived fled"""
)


def _lemma(word: str) -> str:
    """Lower-case singular of a plural noun by a few suffix rules: "vehicles" -> "vehicle", "people" stays, "MPs" -> "mp"."""
    if sum(c.isupper() for c in word) >= 2 and word.endswith("s"):
        return word[:-1].lower()  # an acronym: its "s" is the plural whatever precedes it ("MPs", "NGOs")
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    for ending, cut, add, shortest in _PLURAL_RULES:
        if w.endswith(ending) and len(w) >= shortest and w not in _NOT_PLURAL:
            return w[: len(w) - cut] + add
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


# (ending, letters cut, letters added, shortest word): "fishermen" -> "fisherman", "companies" -> "company".
_PLURAL_RULES = (
    ("men", 3, "man", 6),
    ("ies", 3, "y", 5),
    ("ches", 2, "", 4),
    ("shes", 2, "", 4),
    ("sses", 2, "", 4),
    ("xes", 2, "", 3),
    ("zzes", 2, "", 4),
)


def _is_plural(word: str) -> bool:
    w = word.lower()
    if w in _IRREGULAR or (len(w) > 5 and w.endswith("men") and w not in _NOT_PLURAL):
        return True
    if w in _NOT_PLURAL or w in _COUNT_STOP or len(w) < 3:
        return False
    return w.endswith("s") and not w.endswith(("ss", "us", "is", "ous", "'s", "’s"))


# ---------------------------------------------------------------- assembling figures


@dataclass(frozen=True)
class _Number:
    """A number found in the sentence, before its context is read."""

    start: int
    end: int
    value: float
    words: bool  # written in words ("three million")
    plain_integer: bool  # digits only, no comma or decimal: could be a year or a code


@dataclass(frozen=True)
class _Figure:
    """A number with what its context says of it; ``scale`` is its own scale word's (1e9 for "$4 billion")."""

    start: int
    end: int
    value: float
    kind: Kind
    unit: str | None
    scale: float
    strong: bool  # a currency, percent, measure or age: a figure even where a bare number would not be
    words: bool
    keep: bool = True  # False for number words alone: kept only as a part of an amount ("dollars forty five")
    noun: str = ""  # the counted noun phrase, as written ("armoured vehicles")
    step: float = 1.0  # place value of a money figure's last part: 0.01 once its cents are read

    @property
    def scaled(self) -> bool:
        return self.scale != 1.0


def extract(sentence: str, periods: Sequence[tuple[int, int, str]] = ()) -> tuple[Quantity, ...]:
    """Figures of ``sentence``, in order; ``periods`` are (start, end, TIMEX3 value) of its dates.

    Numbers inside a date are part of it, never figures ("in 2023", "on 5 March"); a duration
    ("P10Y" for "10 years") is a figure and no figure's period. Each figure gets the period that
    governs it (see ``_period``).
    """
    if not sentence:
        return ()
    # Most sentences hold no number at all; two cheap tests (digits, then number words) say so.
    words = _has_number_word(sentence)
    if not words and _DIGIT.search(sentence) is None:
        return ()
    masked = _addresses(sentence)
    # A date's numbers are its own; a duration ("for 10 years") is a figure, and governs none.
    dates = [p for p in periods if not _DURATION_VALUE.match(p[2])]
    masked.extend((s, e) for s, e, _ in dates)
    figures: list[_Figure] = []
    consumed = 0
    rejected = -1  # end of the last number found not to be a figure
    for number in _numbers(sentence, words):
        if number.start < consumed or _inside(number.start, number.end, masked):
            continue
        if rejected >= 0 and sentence[rejected : number.start].strip() in _PAIRED:
            rejected = number.end  # the other half of "A380-800", "4-0" after a label, "747/8"
            continue
        figure = _read_context(sentence, number, consumed)
        if figure is None:
            rejected = number.end
            continue
        figures.append(figure)
        consumed = figure.end
    reversed_percents = _reverse_percentages(sentence, figures, masked)
    if reversed_percents:
        spans = [(f.start, f.end) for f in reversed_percents]
        figures = [f for f in figures if not _inside(f.start, f.end, spans)] + reversed_percents
    figures.sort(key=lambda f: f.start)
    figures = _share_ages(sentence, _join_money_parts(sentence, figures))
    quantities = _join_ranges(sentence, figures)
    spans = [(q.start, q.end) for q in quantities]
    return _inherit_measures(sentence, [_finish(sentence, q, _period(sentence, q, spans, dates)) for q in quantities])


# Between two figures of one measure: "rose 5% to $3bn", "$200bn, up 12%", "£5m ($6.3m)".
_SAME_MEASURE_GAP = re.compile(r"\s*+[,(]?\s*+(?:(?:up|down|or|to|from|and|,|\()\s*+)*(?:by\s++)?", re.IGNORECASE)


def _inherit_measures(sentence: str, quantities: list[Quantity]) -> tuple[Quantity, ...]:
    """A figure that restates or moves the one before it measures the same thing."""
    out: list[Quantity] = []
    for q in quantities:
        previous = out[-1] if out else None
        gap = sentence[previous.end : q.start] if previous is not None else ""
        same = previous is not None and previous.measure and len(gap) <= 12 and _SAME_MEASURE_GAP.fullmatch(gap)
        out.append(replace(q, measure=previous.measure) if same and previous and not q.measure and q.kind != "count" else q)
    return tuple(out)


_PAIRED = frozenset(("-", "–", "/"))


def _addresses(sentence: str) -> list[tuple[int, int]]:
    """Spans of web addresses, e-mails and URL-encoded strings: their digits are not figures."""
    if "/" not in sentence and "@" not in sentence and "%" not in sentence:
        return []
    spans: list[tuple[int, int]] = []
    for m in _NON_SPACE.finditer(sentence):
        token = m.group().lower()
        if "://" in token or token.startswith("www.") or ("@" in token and "." in token) or token.count("%") > 1:
            spans.append((m.start(), m.end()))
    return spans


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _has_number_word(sentence: str) -> bool:
    """Whether ``_NUMBER_WORD`` is found in ``sentence``, cheaper for ASCII text.

    In ASCII text a case-insensitive match is a match of the lower-cased text, and a word boundary before
    a letter is the start or a character other than [a-z0-9_]: the pattern can then open with a character
    class, which the regex engine skips to directly instead of trying every position.
    """
    if not sentence.isascii():
        return _NUMBER_WORD.search(sentence) is not None
    low = sentence.lower()
    return _NUMBER_WORD_AT_START.match(low) is not None or _NUMBER_WORD_INSIDE.search(low) is not None


def _core_starts(sentence: str, words: bool) -> list[int] | None:
    """Every place where a match of ``_CORE`` may start, in order; None where they are not cheap to list.

    A match starts at the first digit of a run of digits (its look-behinds and word boundaries rule out
    the others) or at a whole word that is a number word, "a", "an" or "half": _CORE's words start at a
    word boundary and their first is followed by a space, a hyphen or a boundary, so "often" or "tenth"
    opens none. Words are listed only in ASCII text, where they are found as in ``_has_number_word``.
    """
    starts = [m.start() for m in _DIGITS.finditer(sentence)]
    if words:
        if not sentence.isascii():
            return None
        low = sentence.lower()
        if _CORE_WORD_AT_START.match(low) is not None:
            starts.append(0)
        starts.extend(m.start() + 1 for m in _CORE_WORD_INSIDE.finditer(low))
        starts.sort()
    return starts


def _core_matches(sentence: str, words: bool) -> list[re.Match[str]]:
    """The matches of ``_CORE.finditer(sentence)``; ``words`` says whether the sentence has a number word.

    The search tries only the places where a match may start (see ``_core_starts``) rather than every
    character, which was most of the cost of a sentence; it takes the first that matches, as finditer does.
    """
    starts = _core_starts(sentence, words)
    if starts is None:
        return list(_CORE.finditer(sentence))
    found: list[re.Match[str]] = []
    pos = 0
    for start in starts:
        if start >= pos and (m := _CORE.match(sentence, start)) is not None:
            found.append(m)
            pos = m.end()
    return found


def _numbers(sentence: str, words: bool | None = None) -> list[_Number]:
    if words is None:
        words = _has_number_word(sentence)
    numbers: list[_Number] = []
    for m in _core_matches(sentence, words):
        number = _number_of(m)
        if number is not None:
            numbers.append(_with_a_half(sentence, number))
    return numbers


def _number_of(m: re.Match[str]) -> _Number | None:
    """The number a match of ``_CORE`` reads, or None for a date, a time or words that make no number."""
    kind = m.lastgroup  # the branch that matched: the groups inside a branch close before it
    text = m.group()
    if kind == "digits":
        plain = "," not in text and "." not in text
        return _Number(m.start(), m.end(), float(text.replace(",", "")), words=False, plain_integer=plain)
    if kind == "frac":
        top, bottom = text.split("/")
        return _Number(m.start(), m.end(), int(top) / int(bottom), words=False, plain_integer=False)
    if kind == "half":  # "half a percentage point": kept only if a unit follows
        return _Number(m.start(), m.end(), 0.5, words=True, plain_integer=False)
    parsed = _parse_words(text) if kind == "words" else None
    if parsed is None:
        return None
    return _Number(m.start(), m.start() + parsed[1], parsed[0], words=True, plain_integer=False)


_AND_A_HALF = re.compile(
    r"\s++and\s++an?\s++half\b(?:\s++(?P<scale>hundred|thousand|million|billion|trillion|dozen)\b)?", re.IGNORECASE
)


def _with_a_half(sentence: str, number: _Number) -> _Number:
    """ "two and a half years", "one and a half million": the half belongs to the number."""
    m = _AND_A_HALF.match(sentence, number.end)
    if m is None or not number.value.is_integer() or number.value >= 1000:
        return number
    scale = m.group("scale")
    value = (number.value + 0.5) * (12.0 if scale and scale.lower() == "dozen" else _SCALE_VALUES.get((scale or "").lower(), 1.0))
    return replace(number, end=m.end(), value=value, plain_integer=False)


def _read_context(sentence: str, number: _Number, floor: int) -> _Figure | None:
    """The figure ``number`` is part of, or None when it is a year, a date, a code or a label.

    What comes before it is read from ``floor`` on: the figure before owns what it took.
    """
    start, end, value = number.start, number.end, number.value
    if not math.isfinite(value):
        return None
    before = sentence[max(floor, start - _LOOKBEHIND) : start]
    # Every prefix (currency, sign, "aged") is shorter than 12 characters. Searching the sentence itself
    # (not a slice) lets look-behinds see the character before the window.
    near = max(floor, start - 12)
    currency = _currency_before(sentence, near, start)
    if not number.words and currency is None and _LETTER_BEFORE.search(sentence, near, start):
        return None  # "G20", "F-16", "SCP-173": a code
    sign = _SIGN_BEFORE.search(sentence, near, start)
    if currency is None and sign is not None:
        start -= len(sign.group())
        value = -value
    end, scale = _read_scale(sentence, number, end, currency)
    if currency is not None and (not number.words or scale != 1.0 or value != 1):
        unit = _prefix_unit(currency)
        suffix = _UNIT_AFTER.match(sentence, end)
        if suffix is not None and _unit_of(suffix) == ("chinese yuan", "money") and currency.group("symbol") == "¥":
            unit, end = "chinese yuan", suffix.end()  # "¥100 yuan": the symbol of both
        return _Figure(currency.start(), end, value * scale, "money", unit, scale, True, number.words)
    found = _read_unit(sentence, end, value * scale)
    if found is not None:
        return _unit_figure(sentence, number, start=start, value=value * scale, scale=scale, found=found)
    if _AGE_BEFORE.search(sentence, near, start):
        return _Figure(start, end, value * scale, "quantity", "year of age", scale, True, number.words)
    draft = _Figure(start, end, value * scale, "count", None, scale, False, number.words)
    return None if _not_a_figure(sentence, number, draft, before) else _bare(sentence, number, draft)


def _currency_before(sentence: str, near: int, start: int) -> re.Match[str] | None:
    """``_CURRENCY_BEFORE.search(sentence, near, start)``, skipped where no currency can end (most numbers)."""
    head = sentence[near:start].rstrip()
    if not head or head[-1] not in _CURRENCY_LAST:
        return None
    return _CURRENCY_BEFORE.search(sentence, near, start)


def _read_scale(sentence: str, number: _Number, end: int, currency: re.Match[str] | None) -> tuple[int, float]:
    """(end, scale) of a scale word after digits: "200 billion", "$200bn", "1.5m people" but "1.8m tall"."""
    m = _SCALE_AFTER.match(sentence, end)
    if m is None or number.words:
        return end, 1.0
    word = _SPACES.sub(" ", m.group("scale").lower())
    if word in _MONEY_ONLY_SCALES and not (_money_follows(sentence, m.end(), currency) or _millions_of(sentence, m)):
        return end, 1.0
    return m.end(), _SCALE_VALUES[word]


def _unit_figure(
    sentence: str, number: _Number, *, start: int, value: float, scale: float, found: tuple[int, str | None, Kind, float]
) -> _Figure:
    """The figure of a number whose unit follows it; pounds are money or weight by the sentence."""
    unit_end, unit, kind, factor = found
    if kind == "money" and unit == "pound":
        unit = _pound(sentence, scale != 1.0)
        kind = "money" if unit == "pound sterling" else "quantity"
    if factor < 1:  # a coin ("five mao"): a smaller part of the currency, not a scale
        return _Figure(start, unit_end, value * factor, kind, unit, scale, True, number.words, step=factor)
    return _Figure(start, unit_end, value * factor, kind, unit, scale * factor, True, number.words)


def _millions_of(sentence: str, scale: re.Match[str]) -> bool:
    """ "1.5m people": a glued "m" before a counted noun is a million, not a metre."""
    if scale.group("scale") != "m" or scale.group("sep"):
        return False
    noun = _counted_noun(sentence, scale.end(), singular=False)
    return noun is not None and noun[1] not in _DURATIONS


def _money_follows(sentence: str, pos: int, currency: re.Match[str] | None) -> bool:
    if currency is not None:
        return True
    m = _UNIT_AFTER.match(sentence, pos)
    return m is not None and _unit_of(m)[1] == "money"


def _prefix_unit(currency: re.Match[str]) -> str | None:
    for group, unit in _PREFIX_UNITS.items():
        if currency.group(group):
            return unit
    text = (currency.group("symbol") or currency.group("code") or "").strip()
    return _SYMBOL_UNITS.get(text.lower(), _SYMBOL_UNITS.get(text))


def _unit_of(m: re.Match[str]) -> tuple[str, Kind]:
    surface = m.group("unit")
    if surface in _CASE_SENSITIVE:
        return _CASE_SENSITIVE[surface], "quantity"
    key = _SPACES.sub(" ", surface.lower())
    # The pattern lets a unit's words run together ("percentagepoints"): those are looked up joined.
    return _UNIT_INDEX.get(key) or _JOINED_UNITS[key.replace(" ", "")]


def _read_unit(sentence: str, pos: int, value: float) -> tuple[int, str | None, Kind, float] | None:
    """(end, unit, kind, factor) of a unit, degree, age or percent right after ``pos``."""
    age = _AGE_AFTER.match(sentence, pos)
    if age is not None:
        word = (age.group("unit") or "year").lower().rstrip("s")
        return age.end(), _AGE_UNITS.get(word, "year of age"), "quantity", 1.0
    deg = _DEGREES_AFTER.match(sentence, pos)
    if deg is not None:
        return deg.end(), _temperature_unit(deg), "quantity", 1.0
    glued = _GLUED_TEMPERATURE.match(sentence, pos)
    if glued is not None and -90 <= value <= 140 and _TEMPERATURE_CONTEXT.search(sentence):
        # "highs of 40C", news style; without a word of weather "13F" is a form and "777F" a plane
        return glued.end(), "celsius" if glued.group() == "C" else "fahrenheit", "quantity", 1.0
    return _listed_unit(sentence, pos) or _inch(sentence, pos)


def _listed_unit(sentence: str, pos: int) -> tuple[int, str | None, Kind, float] | None:
    """A unit of ``_UNIT_TABLE`` right after ``pos``, unless its abbreviation is a word here."""
    m = _UNIT_AFTER.match(sentence, pos)
    if m is None:
        return None
    opened = m.group("sep").strip().startswith("(")
    if opened and not m.group("close"):
        return None
    # a closing bracket without an opening one belongs to the sentence: "(3 miles)"
    unit_end = m.end() if opened else m.end("unit")
    written = m.group("unit")
    surface = _SPACES.sub(" ", written.lower())
    if surface in _LOWER_ONLY and not written.islower():
        return None  # "5G" is a network, "4P" a code
    spaced_abbreviation = surface in _GLUED_ONLY and bool(m.group("sep")) and not m.group("close")
    spaced_abbreviation = spaced_abbreviation and written not in _CASE_SENSITIVE and written not in _CAPITAL_UNITS
    # "5 m" is a unit at the end of a phrase ("1 m x 1 m", "10 dm"), a word before another word
    if spaced_abbreviation and _WORD_NEXT.match(sentence, m.end()) and not _measure_context(sentence):
        return None
    unit, kind = _unit_of(m)
    factor = (_SCALED_UNITS.get(surface) or _COINS.get(surface) or ("", 1.0))[1]
    return unit_end, unit, kind, factor


def _inch(sentence: str, pos: int) -> tuple[int, str | None, Kind, float] | None:
    m = _INCH_AFTER.match(sentence, pos)
    return (m.end(), "inch", "quantity", 1.0) if m else None


_WORD_NEXT = re.compile(r"\s++(?!x\b|by\b)[^\W\d_]", re.IGNORECASE)
_MEASURE_CONTEXT = re.compile(r"\b(?:tall|long|wide|high|deep|height|length|width|depth|distance|weigh\w*|mass)\b", re.IGNORECASE)


def _measure_context(sentence: str) -> bool:
    return _MEASURE_CONTEXT.search(sentence) is not None


def _temperature_unit(m: re.Match[str]) -> str:
    word = (m.group("scale") or m.group("bare") or "").lower()
    if word.startswith(("c", "℃")):
        return "celsius"
    if word.startswith(("f", "℉")):
        return "fahrenheit"
    return "degree"


_WEIGHT_CUES = re.compile(
    r"\b(?:weigh\w*|heav\w*|light\w*|baby|babies|lbs?|kg|kilo\w*|ton|tons|tonnes?|metric|ounces?|oz|body|lose|lost|losing|drop|dropped|gain\w*|fish|catch|obes\w*|diet\w*|grams?)\b",
    re.IGNORECASE,
)


def _pound(sentence: str, scaled: bool) -> str:
    """Pounds of money or of weight: a scale word means money, weight words mean weight."""
    if scaled:
        return "pound sterling"
    return "pound-mass" if _WEIGHT_CUES.search(sentence) else "pound sterling"


def _not_a_figure(sentence: str, number: _Number, draft: _Figure, before: str) -> bool:
    """A number without a unit that is a date, a time, a year, a code, a label or a list number."""
    tail = sentence[draft.end : draft.end + 24]
    if _DATE_OR_TIME_AFTER.match(tail) or (not number.words and _GLUED_AFTER.match(tail)):
        return True
    if _MONTH_BEFORE.search(before[-16:]) or _YEAR_BEFORE.search(before[-8:]):
        return True
    if _DURATION_COMPOUND.match(sentence, draft.end):
        return False
    if number.plain_integer and not draft.scaled and 1000 <= abs(draft.value) <= 2199:
        return True  # a year ("in 1988", "1988 sales"): news writes counts of thousands with a comma
    if number.plain_integer and sentence[number.start] == "0" and number.end - number.start > 1:
        return True  # "0800", "007": a code, a phone number
    # "five years ago", "two days later": a date, the date extractor's
    return _is_label(before) or _is_enumerator(sentence, draft.start, draft.end) or bool(_TIME_AFTER.match(sentence, draft.end))


def _bare(sentence: str, number: _Number, draft: _Figure) -> _Figure:
    """A number without a unit: a duration ("a 15-minute walk"), a count of the noun after it, or a bare count."""
    hyphened = _DURATION_COMPOUND.match(sentence, draft.end)
    if hyphened is not None:
        unit = hyphened.group("unit").lower()
        thing = _phrase_after(sentence[hyphened.end() : hyphened.end() + 60], first_only=False)
        return replace(draft, end=hyphened.end(), kind="quantity", unit=unit, noun=thing or unit)
    apposed = number.plain_integer and 1 <= draft.value <= 120 and _AGE_APPOSITION.match(sentence, draft.end)
    if apposed and _NAME_BEFORE.search(sentence, max(0, draft.start - 40), draft.start):
        return replace(draft, kind="quantity", unit="year of age", strong=True)  # "John Smith, 45, of Leeds"
    noun = _counted_noun(sentence, draft.end, singular=draft.value == 1)
    # "one of the largest banks" is no count of banks; "two of the victims" is
    whole = _OF_THE.match(sentence, draft.end) if noun is None and (not number.words or draft.value >= 2) else None
    if whole is not None:  # "14 of the 20 passengers": the part counts what the whole counts
        noun = _counted_noun(sentence, whole.end() - 1, singular=False)
    if noun is None:
        # "one of them", "two said": number words alone are rarely figures, unless part of an amount
        return replace(draft, keep=not number.words)
    phrase, unit = noun
    return replace(draft, kind="quantity" if unit in _DURATIONS else "count", unit=unit, noun=phrase)


_OF_THE = re.compile(r"\s++of\s++(?:the|its|their|these|those|all)\s++(?:[0-9][0-9,.]*+\s)?")
_NAME_BEFORE = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?,\s$")
_AGE_APPOSITION = re.compile(r",(?!\s*[0-9])")
_YEAR_BEFORE = re.compile(r"\b[12][0-9]{3}\s?[-–/]\s?$")  # "2023-24": the season, not 24
# "a 15-minute walk", "a nine-month high": a duration written as a modifier.
_DURATION_COMPOUND = re.compile(
    r"\s*+-\s*+(?P<unit>year|month|week|day|hour|minute|second|decade|century)(?![^\W\d_]|\s*+-\s*+old)", re.IGNORECASE
)
_DURATIONS = _words("year month week day hour minute second decade century")
_TIME_AFTER = re.compile(
    r"(?:\s*+-\s*+|\s++)(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centuries)\s++(?:ago|earlier|later|before|after|hence)\b",
    re.IGNORECASE,
)


_ENUMERATOR_AFTER = re.compile(r"(?:[.)]\s*+$|[.)]?\s+[A-Z][^\W\d_]*(?:\s+[A-Z][^\W\d_]*)*\s*$)")


def _is_enumerator(sentence: str, start: int, end: int) -> bool:
    """ "2.", "11.1 Central Asia", "5 Star": a number opening a heading or a list item, not a figure."""
    return not sentence[:start].strip() and _ENUMERATOR_AFTER.match(sentence, end) is not None


def _is_label(before: str) -> bool:
    """ "Article 5", "Boeing 777", "iPhone 15", "No. 10": the word right before names a thing, not an amount."""
    stripped = before.rstrip()
    if stripped.endswith("#"):
        return True
    words = _WORD.findall(before[-24:])
    if not words or before[-1:] not in (" ", "."):
        return False
    last = words[-1]
    if stripped.endswith("."):
        return stripped[:-1].rstrip().endswith(last) and last.lower() in ("no", "nos", "vol", "art", "sec", "p", "pp")
    # "Chelsea, 5": punctuation between; "the EU's 27 members": a possessive owns the figure
    if not stripped.endswith(last) or last.endswith(("'s", "’s")):
        return False
    mixed = any(c.isupper() for c in last[1:]) and not last.isupper()
    named = last[0].isupper() and last.lower() not in _COMMON and last.lower() not in _QUALIFIER_WORDS
    return last.lower() in _LABELS or mixed or named


_QUALIFIER_WORDS = frozenset(w for q in _QUALIFIERS for w in q.split())
_NEXT_WORDS = re.compile(r"(?:\s*+-\s*+|\s++)([^\W\d_]+(?:['’][^\W\d_]+)?)(?:\s++([^\W\d_]+))?(?:\s++([^\W\d_]+))?")


# Endings of adverbs, participles and adjectives: "one significant issue" counts no "significant".
_NOT_NOUN_ENDINGS = ("ly", "ing", "ed", "ant", "ent", "al", "ive", "ous", "ful", "ic", "able", "ible", "ary", "est", "er")
_COUNT_MODIFIERS = _words("more other additional extra further fewer")
_MASS_PLURALS = _words("personnel staff police cattle aircraft people")
_COUNT_STOP = _STOP - _words("year years month months week weeks day days")


def _counted_noun(sentence: str, pos: int, singular: bool) -> tuple[str, str] | None:
    """(noun phrase, lemma) of the noun a bare number counts: "1,200 US troops" -> troop.

    The noun is the first plural word within three, over modifiers such as "US" or "armoured";
    after "one" it is the next word itself ("one abstention").
    """
    m = _NEXT_WORDS.match(sentence, pos)
    if m is None or "-" in sentence[pos : m.start(1)] or _PUNCT_STOP.search(sentence[pos : m.start(1)]):
        return None
    for index in (1, 2, 3):
        word = m.group(index)
        if word is None:
            return None
        low = word.lower()
        if low in _COUNT_MODIFIERS:
            continue  # "3 more people", "two other men"
        function_word = word.islower() and (low in _COUNT_STOP or low in _BOUNDARY)
        if singular and index == 1 and word.islower() and not function_word and not low.endswith(_NOT_NOUN_ENDINGS):
            return word.lower(), low
        if not function_word and _is_plural(word):
            following = m.group(index + 1) if index < 3 else None
            # "30 armoured personnel carriers": the carriers are counted
            last = index + 1 if low in _MASS_PLURALS and following is not None and _is_plural(following) else index
            return sentence[m.start(1) : m.end(last)].lower(), _lemma(m.group(last))
        if function_word or low.endswith(("ly", "ing")) or (index > 1 and low.endswith("ed")):
            return None
    return None


def _reverse_percentages(sentence: str, figures: list[_Figure], masked: list[tuple[int, int]]) -> list[_Figure]:
    """ "percent of 10", "per cent of twenty-two": a percent word that no number before it took."""
    m = _PERCENT_OF.match(sentence)
    if m is None or any(f.start <= m.start("unit") < f.end for f in figures) or _inside(m.start(), m.end(), masked):
        return []
    following = [n for n in _numbers(sentence[m.end() : m.end() + 60]) if n.start == 0]
    if not following:
        return []
    n = following[0]
    return [_Figure(m.start("unit"), m.end() + n.end, n.value, "percent", "percentage", 1.0, True, n.words)]


_MINOR_UNITS = {
    "dollar": "cent",
    "canadian dollar": "cent",
    "australian dollar": "cent",
    "euro": "cent",
    "pound sterling": "penny",
}
_END_OF_AMOUNT = re.compile(r"\s*+(?:[.,;:!?)]|$)")


def _join_money_parts(sentence: str, figures: list[_Figure]) -> list[_Figure]:
    """ "3 dollars 50 cents", "thirteen dollars and forty-five cents", "one kuai and five mao five": one amount."""
    joined: list[_Figure] = []
    for figure in figures:
        previous = joined[-1] if joined else None
        merged = _money_part(sentence, previous, figure) if previous is not None else None
        if merged is not None:
            joined[-1] = merged
        else:
            joined.append(figure)
    return joined


def _money_part(sentence: str, previous: _Figure, figure: _Figure) -> _Figure | None:
    """``previous`` with ``figure`` added as its smaller coin, or None when ``figure`` is an amount of its own."""
    if previous.kind != "money" or previous.scaled or figure.scaled or figure.value < 0:
        return None
    if sentence[previous.end : figure.start].strip().lower() not in ("", "and"):
        return None
    step = previous.step  # place value of the last part read: 1 for "3 dollars", 0.1 for "five mao"
    if figure.unit == previous.unit and figure.kind == "money" and figure.step < step:
        return replace(previous, end=figure.end, value=previous.value + figure.value, step=figure.step)
    coin = _MINOR_UNITS.get(previous.unit or "")
    if figure.unit == coin and coin is not None and step == 1 and figure.value < 100:
        return replace(previous, end=figure.end, value=previous.value + figure.value / 100, step=0.01)
    # a bare number closing the amount: "thirteen dollars forty five", "c $ 100 and fifty", "five mao five"
    place = step / 10 if step < 1 else 0.01
    bare = figure.unit is None and figure.value.is_integer() and figure.value * place < step
    if bare and (coin is not None or step < 1) and _END_OF_AMOUNT.match(sentence, figure.end) is not None:
        return replace(previous, end=figure.end, value=previous.value + figure.value * place, step=place)
    return None


_LIST_GAP = re.compile(r"\s*(?:,|and|or|,\s*and)\s*")


def _share_ages(sentence: str, figures: list[_Figure]) -> list[_Figure]:
    """ "two men aged 19 and 22": the ages listed after "aged" share its unit."""
    shared: list[_Figure] = []
    for figure in figures:
        previous = shared[-1] if shared else None
        if (
            previous is not None
            and previous.unit == "year of age"
            and figure.unit is None
            and not figure.noun
            and _LIST_GAP.fullmatch(sentence, previous.end, figure.start)
        ):
            shared.append(replace(figure, kind="quantity", unit="year of age", strong=True))
        else:
            shared.append(figure)
    return shared


_SCORE_CONTEXT = re.compile(
    r"\b(?:won|win|wins|beat|beats|lost|loses|lose|defeat\w*|draw|drew|victory|score\w*|goals?|led|lead|leads|trail\w*)\b",
    re.IGNORECASE,
)
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|and|or)\s*$|\s+(?:to|and)\s+$", re.IGNORECASE)
_BETWEEN_BEFORE = re.compile(r"\b(?:between|from)\s+(?:(?:about|around|some|roughly|approximately)\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class _Joined:
    """A figure or a range of two, before qualifiers, measures and periods are read."""

    start: int
    end: int
    kind: Kind
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    strong: bool
    noun: str = ""


def _join_ranges(sentence: str, figures: list[_Figure]) -> list[_Joined]:
    """ "between 5 and 10", "5-10%", "from $3 to $4 billion": one range; "3-2" scores are dropped."""
    out: list[_Joined] = []
    i = 0
    while i < len(figures):
        first = figures[i]
        second = figures[i + 1] if i + 1 < len(figures) else None
        if second is not None:
            joined = _range_of(sentence, first, second)
            if joined is not None:
                if joined.low is not None:
                    out.append(joined)
                i += 2
                continue
        if first.keep:
            out.append(_Joined(first.start, first.end, first.kind, first.value, None, None, first.unit, first.strong, first.noun))
        i += 1
    return out


def _range_word(sentence: str, first: _Figure, second: _Figure) -> str | None:
    """The word joining two figures into a range ("-", "to", "and"), or None when they are two figures."""
    gap = sentence[first.end : second.start]
    if len(gap) > 8 or _RANGE_GAP.fullmatch(gap) is None:
        return None
    word = gap.strip().lower()
    before = sentence[max(0, first.start - 24) : first.start]
    opened = _BETWEEN_BEFORE.search(before)
    if word in ("and", "or") and not (opened and opened.group().lower().startswith("between")):
        return None
    if word == "to" and first.unit is not None and not (first.unit == second.unit and second.scaled and not first.scaled):
        return None  # "from 5% to 10%": a change between two figures, not a range
    return word


def _range_of(sentence: str, first: _Figure, second: _Figure) -> _Joined | None:
    word = _range_word(sentence, first, second)
    if word is None:
        return None
    dash = word in ("-", "–", "—")
    if (
        dash
        and not first.strong
        and not second.strong
        and (first.value >= second.value or _SCORE_CONTEXT.search(sentence, 0) is not None)
    ):
        return _Joined(0, 0, "count", None, None, None, None, False)  # a score ("won 3-2", "a 1-3 defeat"): not a figure
    if dash and first.unit is not None and second.unit is None and not second.noun:
        second = replace(second, unit=first.unit, kind=first.kind, strong=True)  # "aged 18-25"
    if first.unit is not None and first.unit != second.unit:
        return None
    low = first.value
    if second.scaled and not first.scaled:
        low = first.value * second.scale  # "from $3 to $4 billion": the scale is shared
    if low >= second.value:
        return None
    return _Joined(
        first.start, second.end, second.kind, None, low, second.value, second.unit, second.strong or first.strong, second.noun
    )


def _finish(sentence: str, q: _Joined, period: str | None) -> Quantity:
    qualifier = _qualifier(sentence, q.start)
    return Quantity(
        start=q.start,
        end=q.end,
        text=sentence[q.start : q.end],
        kind=q.kind,
        value=q.value,
        low=q.low,
        high=q.high,
        unit=q.unit,
        qualifier=qualifier,
        measure=_measure(sentence, q),
        period=period,
    )


def _qualifier(sentence: str, start: int) -> str | None:
    return _strip_qualifier(sentence[max(0, start - _LOOKBEHIND) : start])[1]


def _measure(sentence: str, q: _Joined) -> str:
    """What the figure measures, lower-case: the counted noun, or the noun phrase that names the amount."""
    after = sentence[q.end : q.end + 80]
    if q.noun:
        return q.noun
    for rule in (_of_after, _in_after, _modified_noun, _subject_of_verb, _of_before):
        found = rule(sentence, q, after)
        if found:
            if rule is _of_before and found.split()[-1] in _LEVEL_WORDS:
                # "trade reached a record high of $200 billion": the level is not the thing measured
                at = sentence.rfind(found.split()[0], 0, q.start)
                head = _strip_qualifier(sentence[max(0, at - 40) : at])[0]
                head = _DETERMINER_BEFORE.sub("", head)
                subject = _subject_of_verb(sentence, replace(q, start=max(0, at - 40) + len(head)), after)
                return subject or found
            return found
    return ""


_LEVEL_WORDS = _words("high low level total sum peak amount figure record value worth tune rate")


_PHRASE_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\S")


def _phrase_after(text: str, first_only: bool) -> str:
    """The noun phrase opening ``text``: words up to a function word, a verb-like word, a digit or punctuation."""
    words: list[str] = []
    for m in _PHRASE_TOKEN.finditer(text):
        token = m.group()
        low = token.lower()
        if not token[0].isalpha() or low in _STOP or low in _BOUNDARY or low in _VERBISH:
            break
        if words and low.endswith("ed"):
            break
        words.append(low)
        if len(words) == 4 or first_only:
            break
    return " ".join(words)


_OF_AFTER = re.compile(r"\s++of\s++(?:the\s++|its\s++|their\s++|all\s++)?", re.IGNORECASE)
_IN_AFTER = re.compile(r"\s++(?:in|of|worth\s++of)\s++", re.IGNORECASE)
_OF_BEFORE = re.compile(r"\s+of\s*$", re.IGNORECASE)


def _of_after(sentence: str, q: _Joined, after: str) -> str:
    """ "30% of voters", "200 mm of rain": the whole the share is taken from, the stuff measured."""
    m = _OF_AFTER.match(after)
    return _phrase_after(after[m.end() :], first_only=False) if m else ""


def _in_after(sentence: str, q: _Joined, after: str) -> str:
    """ "$48 billion in assets": what the money is of."""
    if q.kind != "money":
        return ""
    m = _IN_AFTER.match(after)
    if m is None:
        return ""
    rest = after[m.end() :]
    word = _WORD.match(rest)
    if word is None or word.group()[0].isupper() or word.group().lower() in _STOP:
        return ""
    return _phrase_after(rest, first_only=False)


def _modified_noun(sentence: str, q: _Joined, after: str) -> str:
    """ "a $300 million contract": the figure modifies the noun after it."""
    if q.kind not in ("money", "quantity"):
        return ""
    head = sentence[max(0, q.start - 24) : q.start]
    if not _DETERMINER_BEFORE.search(_strip_qualifier(head)[0]) and not after.startswith("-"):
        return ""  # only "a $300 million contract", "the 5,000 km pipeline": a figure after a verb is its object
    phrase = _phrase_after(after.lstrip("- "), first_only=False)
    if not phrase:
        return ""
    first = phrase.split()[0]
    if first.endswith("ed") or first in _LINK_VERBS or first in _NOT_PLURAL:
        return ""
    return phrase


_DETERMINER_BEFORE = re.compile(r"\b(?:a|an|the|its|their|his|her|our|this|that|whose)\s+$", re.IGNORECASE)


def _subject_of_verb(sentence: str, q: _Joined, after: str) -> str:
    """ "trade between the two countries reached $200 billion": the subject of the linking verb."""
    before = _strip_qualifier(sentence[max(0, q.start - 160) : q.start])[0]
    last_words = before[-60:].split()
    while last_words and last_words[-1].lower() in _LINK_PARTICLES:
        last_words.pop()
    if not last_words or last_words[-1].lower() not in _LINK_VERBS:
        return ""  # the common case, decided on a few words
    before = _LINK_TAIL.sub("", before)
    words = list(_WORD.finditer(before))
    if not words or words[-1].end() < len(before.rstrip()) or words[-1].group().lower() not in _LINK_VERBS:
        return ""
    clause = before[: words[-1].start()]
    cut = max((m.end() for m in _PUNCT_STOP.finditer(clause)), default=0)
    tokens = [w for w in _WORD.finditer(clause) if w.start() >= cut]
    while tokens and tokens[-1].group().lower() in _LINK_VERBS | _words("has have had will would could may might also"):
        tokens.pop()
    start, between = 0, False
    for i, tok in enumerate(tokens):
        low = tok.group().lower()
        if low in _BOUNDARY and not (low == "and" and between):  # "trade between Russia and China" is one phrase
            start, between = i + 1, False
        between = between or low in ("between", "among")
    tokens = tokens[start:]
    phrase: list[str] = []
    for tok in tokens:
        low = tok.group().lower()
        if low.endswith(("'s", "’s")):
            phrase = []
            continue
        if low in _PREPOSITIONS or (phrase and (low in _VERBISH or low.endswith("ed"))):
            break
        if low in _DETERMINERS and not phrase:
            continue
        if not phrase and (low in _VERBISH or low in _AUXILIARIES):
            return ""  # "... and are expected to hit $6bn": the subject is elided
        phrase.append(low)
    return " ".join(phrase[-4:])


_AUXILIARIES = _words("has have had will would could should may might must can do does did is are was were be been")


def _of_before(sentence: str, q: _Joined, after: str) -> str:
    """ "bilateral trade of $200 billion", "sales of about $14 million": the noun phrase before "of"."""
    before = sentence[max(0, q.start - 80) : q.start]
    before = _strip_qualifier(before)[0]
    m = _OF_BEFORE.search(before[-6:])
    if m is None:
        return ""
    head = before[: len(before) - 6 + m.start()] if len(before) >= 6 else before[: m.start()]
    phrase: list[str] = []
    for tok in reversed(list(_WORD.finditer(head))):
        gap = head[tok.end() : (phrase and head.find(phrase[0], tok.end())) or len(head)]
        low = tok.group().lower()
        if (
            low in _STOP
            or low in _DETERMINERS
            or low in _VERBISH
            or low.endswith("ed")
            or _PUNCT_STOP.search(gap)
            or len(phrase) == 2
        ):
            break
        if head[tok.end() :].strip() and not phrase:
            break
        phrase.insert(0, low)
    return " ".join(phrase)


_DURATION_VALUE = re.compile(r"P[0-9X]")
# Words that make a period the base of a comparison, not the time of the figure: "up 30% from last year".
_BASE_BEFORE = re.compile(r"\b(?:from|since|than|compared\s+(?:with|to)|versus|vs\.?|over|on)\s*+$", re.IGNORECASE)


def _period(sentence: str, q: _Joined, spans: list[tuple[int, int]], periods: Sequence[tuple[int, int, str]]) -> str | None:
    """The period that governs the figure: one right after it ("$5bn in 2023", "$6bn by 2025"),
    else the nearest before it in the sentence ("In 2023, trade reached $200bn").

    A period after another figure belongs to that one, and a comparison base ("from a year
    earlier", "since 2010") is the time of none when another period is there to choose.
    """
    usable = [p for p in periods if not (p[0] < q.end and q.start < p[1])]
    timely = [p for p in usable if not _BASE_BEFORE.search(sentence, max(0, p[0] - 16), p[0])] or usable
    after = [p for p in timely if p[0] >= q.end and not _inside(q.end, p[0], spans)]
    after = [p for p in after if len(sentence[q.end : p[0]]) <= 30 and ";" not in sentence[q.end : p[0]]]
    if after:
        return min(after)[2]
    before = [p for p in timely if p[1] <= q.start and ";" not in sentence[p[1] : q.start]]
    return max(before)[2] if before else None
