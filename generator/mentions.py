"""First mentions of topics in an article's text, for in-text links.

Only whole words match, the earliest mention wins, and spans never overlap,
so a link never splits a word or nests inside another link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, MutableMapping

Span = tuple[int, int, str]  # (start, end, topic slug)


def pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for a topic's names: acronyms match case-sensitively, others not."""
    exact, folded = [], []
    for name in sorted({n for n in names if n.strip()}, key=lambda n: (-len(n), n)):
        (exact if name.isupper() else folded).append(re.escape(name).replace(r"\ ", r"\s+"))
    parts = [f"(?-i:{'|'.join(exact)})"] if exact else []
    parts += folded
    if not parts:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


def first_mentions(text: str, pending: MutableMapping[str, re.Pattern[str]]) -> list[Span]:
    """Non-overlapping first mentions in ``text``; linked topics leave ``pending``."""
    found: list[Span] = []
    for slug, regex in pending.items():
        match = regex.search(text)
        if match:
            found.append((match.start(), match.end(), slug))
    spans: list[Span] = []
    for span in sorted(found):
        if not spans or span[0] >= spans[-1][1]:
            spans.append(span)
    for _, _, slug in spans:
        del pending[slug]
    return spans
