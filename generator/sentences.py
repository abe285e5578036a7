"""Sentence segmentation that survives news text.

Returns character spans so that summaries can link back to the exact place
in the full text.
"""

from __future__ import annotations

import re

# Tokens ending in a period that do not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt gen col lt sgt capt gov sen rep rev hon
    inc ltd co corp bros vs etc al approx dept est fig no nos vol
    jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.k u.n
    a.m p.m""".split()
)

_CANDIDATE = re.compile(r"""[.!?]+["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")


def split_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans ``(start, end)``, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if _is_abbreviation(text, match.start()):
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


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = re.search(r"[\w.]*$", text[:dot])
    token = word.group(0).lower() if word else ""
    if token in ABBREVIATIONS:
        return True
    # Initials such as "J." or "U.S."
    return bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", token))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
