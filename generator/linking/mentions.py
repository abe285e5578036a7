"""First mentions of topics in an article's text, for in-text links.

Only whole words match, the earliest mention wins, and spans never overlap,
so a link never splits a word or nests inside another link. Each topic's
pattern runs once over the whole article, not once per sentence, and starts
where one of its first words first appears: a plain substring search finds
that far faster than the pattern itself, which then reads only the rest.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Span = tuple[int, int, str]  # (start, end, topic slug)
SEPARATOR = "\x00"  # between sentences: no pattern matches across it
# The characters beyond ASCII that re.IGNORECASE matches to an ASCII letter
# (İ, ı, ſ, the Kelvin sign). A text holding one is searched from its start;
# tests/test_mentions.py checks this set against re itself.
ODD_CASE = frozenset("\u0130\u0131\u017f\u212a")


@dataclass(frozen=True)
class Names:
    """A topic's names as one regex, and the lowercased first words every match starts with."""

    regex: re.Pattern[str]
    starts: tuple[str, ...] | None  # None when a first word is not plain ASCII: search the whole text

    def search(self, text: str, folded: str | None) -> re.Match[str] | None:
        """The first match in ``text``; ``folded`` is ``fold(text)``."""
        if folded is None or self.starts is None:
            return self.regex.search(text)
        at = min((i for word in self.starts if (i := folded.find(word)) >= 0), default=-1)
        # No first word anywhere: no match. Lookbehind still sees the text before ``at``.
        return self.regex.search(text, at) if at >= 0 else None


def fold(text: str) -> str | None:
    """``text`` lowercased with every offset kept, or None when lowercasing cannot stand for re.IGNORECASE there."""
    folded = text.lower()
    if len(folded) != len(text) or (not text.isascii() and any(c in text for c in ODD_CASE)):
        return None
    return folded


def pattern(names: Iterable[str]) -> Names | None:
    """A topic's names: acronyms match case-sensitively, others not."""
    return _compiled(tuple(names))


@functools.lru_cache(maxsize=65536)
def _compiled(given: tuple[str, ...]) -> Names | None:
    # Cached: planning and rendering both need each topic's pattern, and
    # compiling thousands of them is seconds.
    names = sorted({n for n in given if n.strip()}, key=lambda n: (-len(n), n))
    exact: list[str] = []
    folded: list[str] = []
    for name in names:
        (exact if name.isupper() else folded).append(re.escape(name).replace(r"\ ", r"\s+"))
    parts = [f"(?-i:{'|'.join(exact)})"] if exact else []
    parts += folded
    if not parts:
        return None
    regex = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)
    starts = tuple(sorted({name.split(" ", 1)[0].lower() for name in names}))
    return Names(regex, starts if all(w.isascii() for w in starts) else None)


Topics = tuple[tuple[str, tuple[str, ...]], ...]  # (topic slug, its names), as a pool worker receives them


def find_first(text: str, topics: Topics) -> list[Span]:
    """first_mentions of topics given by name: plain data, so a pool worker can take the job."""
    return first_mentions(text, {slug: names for slug, given in topics if (names := pattern(given)) is not None})


def first_mentions(text: str, patterns: Mapping[str, Names]) -> list[Span]:
    """The first mention of each topic in ``text`` that overlaps no earlier-chosen one, in text order."""
    folded = fold(text)
    firsts = sorted((m.start(), m.end(), slug) for slug, names in patterns.items() if (m := names.search(text, folded)))
    starts: list[int] = []
    spans: list[Span] = []
    for start, _end, slug in firsts:
        for match in patterns[slug].regex.finditer(text, start):
            if not _overlaps(spans, starts, match.start(), match.end()):
                i = bisect.bisect(starts, match.start())
                starts.insert(i, match.start())
                spans.insert(i, (match.start(), match.end(), slug))
                break
    return spans


def _overlaps(spans: Sequence[Span], starts: list[int], start: int, end: int) -> bool:
    i = bisect.bisect(starts, start)
    before = i > 0 and spans[i - 1][1] > start
    after = i < len(spans) and spans[i][0] < end
    return before or after
