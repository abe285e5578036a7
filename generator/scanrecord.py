"""Linking's record: what the last run found in each article, for the next run to reuse.

That is what the topic scan found in each article, and each article's
related articles with the key of what they were computed from (link.related_keys).

Stored as JSON in the cache folder and decoded against a typed schema, as
cache.py does: the folder may come from elsewhere. A record that is
missing, corrupt, foreign or written by other code is ignored, and the
run scans every article, as it would without one.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import msgspec

from generator.cache import code_version
from generator.models import Related
from generator.output import atomic_write
from generator.topics import Matches, Scanned

RECORD = "link.json"
SCHEMA = "briefing-link/1"


@dataclass(frozen=True)
class Previous:
    """What one run's linking found."""

    scanned: Scanned | None
    related: dict[str, tuple[str, tuple[Related, ...]]]  # article slug -> (key, related articles)


EMPTY = Previous(None, {})


def salt() -> str:
    """The code the record's findings come from: a change to it makes every record foreign."""
    code = code_version(("topics.py", "link.py", "scanrecord.py", "models.py"))
    return f"{code}/{version('pyahocorasick')}/{version('numpy')}"


def load(cache: Path) -> Previous:
    """The last run's findings, or EMPTY if there are none this code can trust."""
    try:
        record = _DECODER.decode((cache / RECORD).read_bytes())
        if record.schema != SCHEMA or record.salt != salt():
            return EMPTY
        related = {slug: (k, tuple(found)) for slug, (k, found) in record.related.items()}
        return Previous(_scanned(record), related)
    except (OSError, ValueError, msgspec.MsgspecError):
        return EMPTY


def save(cache: Path, found: Previous) -> None:
    """Record this run's findings; a cache that cannot be written only costs the next run time."""
    scanned = found.scanned or Scanned(frozenset(), {})
    keys = sorted(scanned.keys)
    number = {key: i for i, key in enumerate(keys)}
    articles = {slug: (identity, *_columns(matches, number)) for slug, (identity, matches) in scanned.articles.items()}
    related = {slug: (k, list(near)) for slug, (k, near) in found.related.items()}
    with contextlib.suppress(OSError):
        atomic_write(cache / RECORD, msgspec.json.encode(_Record(SCHEMA, salt(), keys, articles, related)))
        (cache / "scan.json").unlink(missing_ok=True)  # this record's name before it held related articles


class _Record(msgspec.Struct, frozen=True):
    schema: str
    salt: str
    keys: list[str]
    articles: dict[str, tuple[str, list[int], list[str], list[int]]]  # slug -> (identity, key numbers, forms, counts)
    related: dict[str, tuple[str, list[Related]]]  # slug -> (key, related articles), decoded by msgspec


_DECODER = msgspec.json.Decoder(_Record)


def _columns(matches: Matches, number: dict[str, int]) -> tuple[list[int], list[str], list[int]]:
    # Column by column (key numbers, forms, counts): map and zip do the work
    # in C, which matters with half a million matches in a large corpus.
    keys, forms, counts = zip(*matches, strict=True) if matches else ((), (), ())
    return list(map(number.__getitem__, keys)), list(forms), list(counts)


def _scanned(record: _Record) -> Scanned:
    """The record's scan, every match naming a recorded key and counting a mention (types are checked by msgspec)."""
    keys = record.keys
    articles = {}
    for slug, (identity, numbers, forms, counts) in record.articles.items():
        if min(numbers, default=0) < 0 or max(numbers, default=-1) >= len(keys) or min(counts, default=1) < 1:
            raise ValueError("a match names no recorded key or counts no mention")
        articles[slug] = (identity, tuple(zip(map(keys.__getitem__, numbers), forms, counts, strict=True)))
    return Scanned(frozenset(keys), articles)
