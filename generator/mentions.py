"""First mentions of topics in an article's text, for in-text links.

Only whole words match, the earliest mention wins, and spans never overlap,
so a link never splits a word or nests inside another link. Each topic's
pattern runs once over the whole article, not once per sentence.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence

Span = tuple[int, int, str]  # (start, end, topic slug)
SEPARATOR = "\x00"  # between sentences: no pattern matches across it


def pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for a topic's names: acronyms match case-sensitively, others not."""
    exact: list[str] = []
    folded: list[str] = []
    for name in sorted({n for n in names if n.strip()}, key=lambda n: (-len(n), n)):
        (exact if name.isupper() else folded).append(re.escape(name).replace(r"\ ", r"\s+"))
    parts = [f"(?-i:{'|'.join(exact)})"] if exact else []
    parts += folded
    if not parts:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


def first_mentions(text: str, patterns: Mapping[str, re.Pattern[str]]) -> list[Span]:
    """The first mention of each topic in ``text`` that overlaps no earlier-chosen one, in text order."""
    firsts = sorted((m.start(), m.end(), slug) for slug, regex in patterns.items() if (m := regex.search(text)))
    starts: list[int] = []
    spans: list[Span] = []
    for start, _end, slug in firsts:
        for match in patterns[slug].finditer(text, start):
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
