"""Sentence segmentation that survives news text.

Returns character spans so that summaries can link back to the exact place
in the full text. Called once per block (paragraph), so it must be cheap: one
regular-expression scan for candidate boundaries, then a few constant-time
checks on the words either side of each candidate.

Rules, in the order they are tried at a candidate boundary (a ``.``, ``!``
or ``?`` followed by optional closing quotes/brackets, space, and a capital
or digit):

- inside parentheses that close later in the block: not a boundary, so a
  parenthetical sentence stays inside the sentence that holds it;
- inside a quotation that ends with a comma (``“We won. We are happy,” he
  said.``): not a boundary, the quote belongs with its attribution;
- a title (``Dr.``, ``Prof.``, ``Gen.``) or ``e.g.``/``i.e.``: never a boundary;
- ``No.``/``Jan.``/``Fig.`` before a number: not a boundary;
- initials (``J. K. Rowling``): not a boundary;
- an abbreviation that can also end a sentence (``U.S.``, ``Inc.``, ``etc.``,
  ``a.m.``): a boundary only if the next word usually starts a sentence
  (for times: unless a time zone follows).

Decimals and amounts (``3.5%``, ``$1.2871``) never match a candidate, since
there is no space after their point.
"""

from __future__ import annotations

import re


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Always followed by a name: never the end of a sentence.
TITLES = _wordset(
    """mr mrs ms dr prof sr st mt gen col lt sgt capt cmdr adm maj gov sen rep rev hon pres supt insp det
    messrs mme mlle fr e.g i.e cf viz"""
)
# Abbreviations that end sentences often enough ("... in the U.S. The ...").
ENDERS = _wordset(
    """jr inc ltd co corp bros plc llc vs etc al approx dept est u.s u.k u.n u.s.a e.u
    ph.d b.a m.a d.c l.a n.y"""
)
# Abbreviations only when a number follows: "No. 10", "Jan. 5", "Fig. 3".
BEFORE_NUMBER = _wordset("""no nos vol vols fig figs p pp art sec ch op jan feb mar apr jun jul aug sep sept oct nov dec""")
# Times: "4 p.m. Trading was light." ends a sentence, "4 p.m. GMT" does not.
TIMES = frozenset(("a.m", "p.m"))
ZONES = _wordset("gmt bst utc est edt pst pdt cet et pt eastern pacific central local")
# Words that start a new sentence after an ambiguous abbreviation.
STARTERS = _wordset(
    """the a an he she it they we i you this that these those there his her its their our my
    but and so yet however meanwhile in on at for after before when while if as since although
    some many most all both one two three mr mrs ms dr"""
)

_CANDIDATE = re.compile(r"""[.!?…]+["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")
_INITIAL = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
_NEXT_WORD = re.compile(r"""["'“‘(\[]?([\w.]+)""")
_QUOTE_PAIRS = {"“": "”", '"': '"'}


def split_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans ``(start, end)``, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if not _is_boundary(text, match):
            continue
        end = match.end()
        spans.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return [s for s in spans if s[1] > s[0]]


def split(text: str) -> list[str]:
    """Split ``text`` into sentences."""
    return [text[a:b] for a, b in split_spans(text)]


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    dot = match.start()
    marks = match.group(0).rstrip()
    if _inside_parentheses(text, dot, marks) or _inside_attributed_quote(text, dot, marks):
        return False
    if text[dot] != "." or marks.startswith(".."):
        return True
    return not _is_abbreviation(_word_before(text, dot), _word_after(text, match.end()))


def _is_abbreviation(word: str, following: str) -> bool:
    token = word.lower()
    if token in TITLES:
        return True
    if token in BEFORE_NUMBER:
        return following[:1].isdigit()
    if token in TIMES:
        return following.lower() in ZONES
    if token in ENDERS or _INITIAL.fullmatch(word):
        # A single capital ("J.") is an initial unless a sentence plainly starts.
        return following.lower() not in STARTERS
    return False


def _inside_parentheses(text: str, dot: int, marks: str) -> bool:
    # Unbalanced "(" before the point, closed later: we are inside (...).
    if ")" in marks:
        return text.count("(", 0, dot) > text.count(")", 0, dot) + 1
    return text.count("(", 0, dot) > text.count(")", 0, dot) and ")" in text[dot:]


def _inside_attributed_quote(text: str, dot: int, marks: str) -> bool:
    # Inside an open quotation whose close is ",”" (attribution follows), so
    # the whole quotation is one sentence with its "he said".
    for opening, closing in _QUOTE_PAIRS.items():
        if closing in marks:
            continue
        before = text.count(opening, 0, dot) if opening != closing else text.count(opening, 0, dot) % 2
        after_closes = text.count(closing, 0, dot) if opening != closing else 0
        if before > after_closes:
            close = text.find(closing, dot)
            if close > 0 and text[close - 1] == ",":
                return True
    return False


def _word_before(text: str, dot: int) -> str:
    start = dot
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
    return text[start:dot].lstrip(".")


def _word_after(text: str, pos: int) -> str:
    match = _NEXT_WORD.match(text, pos)
    return match.group(1).rstrip(".") if match else ""


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
