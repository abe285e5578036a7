"""Keyphrase extraction: YAKE, then post-processing into clean phrases."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import yake

from generator.models import Keyphrase

Extractor = Callable[[Sequence[str], int], tuple[Keyphrase, ...]]


def phrase_key(text: str) -> str:
    """The key that merges case and simple plural variants of a phrase."""
    words = re.findall(r"\w+", text.lower())
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


def _yake_text(segments: Sequence[str]) -> str:
    # A full stop after every segment keeps n-grams from crossing headings and lines.
    return "\n".join(s.strip().rstrip(".:;") + "." for s in segments if s.strip())


def raw_yake(segments: Sequence[str], top: int, n: int = 3) -> tuple[Keyphrase, ...]:
    """YAKE as it comes, the baseline."""
    text = "\n".join(segments)
    found = yake.KeywordExtractor(lan="en", n=n, top=top).extract_keywords(text)
    return tuple(Keyphrase(text=p, key=phrase_key(p), score=s) for p, s in found)


def briefing(segments: Sequence[str], top: int, n: int = 3) -> tuple[Keyphrase, ...]:
    """YAKE within segment boundaries, with sub-phrase duplicates merged."""
    text = _yake_text(segments)
    found = yake.KeywordExtractor(lan="en", n=n, top=top * 3).extract_keywords(text)
    kept: list[Keyphrase] = []
    for phrase, score in found:
        key = phrase_key(phrase)
        if any(_contains(k.key, key) or _contains(key, k.key) for k in kept):
            continue
        kept.append(Keyphrase(text=phrase, key=key, score=score))
        if len(kept) == top:
            break
    return tuple(kept)


def _contains(longer: str, shorter: str) -> bool:
    return f" {shorter} " in f" {longer} "


METHODS: dict[str, Extractor] = {"briefing": briefing, "yake": raw_yake}
