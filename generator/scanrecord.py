"""The topic scan's record: what the last run found in each article, for the next run to reuse.

Stored as JSON in the cache folder and decoded against a typed schema, as
cache.py does: the folder may come from elsewhere. A record that is
missing, corrupt, foreign or written by other code is ignored, and the
run scans every article, as it would without one.
"""

from __future__ import annotations

import contextlib
from importlib.metadata import version
from pathlib import Path

import msgspec

from generator.cache import code_version
from generator.output import atomic_write
from generator.topics import Matches, Scanned

RECORD = "scan.json"
SCHEMA = "briefing-scan/1"


def salt() -> str:
    """The code the record's matches come from: a change to it makes every record foreign."""
    return f"{code_version(('topics.py', 'scanrecord.py', 'models.py'))}/{version('pyahocorasick')}"


def load(cache: Path) -> Scanned | None:
    """The last run's scan, or None if there is none this code can trust."""
    try:
        record = _DECODER.decode((cache / RECORD).read_bytes())
        if record.schema != SCHEMA or record.salt != salt():
            return None
        return _scanned(record)
    except (OSError, ValueError, msgspec.MsgspecError):
        return None


def save(cache: Path, scanned: Scanned) -> None:
    """Record this run's scan; a cache that cannot be written only costs the next run a full scan."""
    keys = sorted(scanned.keys)
    number = {key: i for i, key in enumerate(keys)}
    articles = {slug: (identity, *_columns(matches, number)) for slug, (identity, matches) in scanned.articles.items()}
    with contextlib.suppress(OSError):
        atomic_write(cache / RECORD, msgspec.json.encode(_Record(SCHEMA, salt(), keys, articles)))


class _Record(msgspec.Struct, frozen=True):
    schema: str
    salt: str
    keys: list[str]
    articles: dict[str, tuple[str, list[int], list[str], list[int]]]  # slug -> (identity, key numbers, forms, counts)


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
