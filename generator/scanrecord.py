"""The topic scan's record: what the last run found in each article, for the next run to reuse.

Stored as JSON in the cache folder and checked field by field on loading,
as cache.py does: the folder may come from elsewhere. A record that is
missing, corrupt, foreign or written by other code is ignored, and the
run scans every article, as it would without one.
"""

from __future__ import annotations

import contextlib
import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator.cache import code_version, exactly
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
        data = json.loads((cache / RECORD).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("schema") != SCHEMA or data.get("salt") != salt():
            return None
        return _from_json(data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None


def save(cache: Path, scanned: Scanned) -> None:
    """Record this run's scan; a cache that cannot be written only costs the next run a full scan."""
    keys = sorted(scanned.keys)
    number = {key: i for i, key in enumerate(keys)}
    articles = {slug: [identity, *_columns(matches, number)] for slug, (identity, matches) in scanned.articles.items()}
    data = {"schema": SCHEMA, "salt": salt(), "keys": keys, "articles": articles}
    with contextlib.suppress(OSError):
        atomic_write(cache / RECORD, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


def _columns(matches: Matches, number: dict[str, int]) -> list[list[Any]]:
    # Column by column (key numbers, forms, counts): map and zip do the work
    # in C, which matters with half a million matches in a large corpus.
    keys, forms, counts = zip(*matches, strict=True) if matches else ((), (), ())
    return [list(map(number.__getitem__, keys)), list(forms), list(counts)]


def _from_json(data: dict[str, Any]) -> Scanned:
    keys = data["keys"]
    if not isinstance(keys, list) or not exactly(keys, str):
        raise ValueError("keys are not strings")
    articles = data["articles"]
    if not isinstance(articles, dict):
        raise ValueError("articles are not a mapping")
    return Scanned(frozenset(keys), {_str(slug): _entry(entry, keys) for slug, entry in articles.items()})


def _entry(entry: Any, keys: list[str]) -> tuple[str, Matches]:
    identity, numbers, forms, counts = entry
    if not (isinstance(numbers, list) and isinstance(forms, list) and isinstance(counts, list)):
        raise ValueError("matches are not lists")
    if not (exactly(numbers, int) and exactly(forms, str) and exactly(counts, int)):
        raise ValueError("matches of the wrong types")
    if min(numbers, default=0) < 0 or max(numbers, default=-1) >= len(keys) or min(counts, default=1) < 1:
        raise ValueError("a match names no recorded key or counts no mention")
    return _str(identity), tuple(zip(map(keys.__getitem__, numbers), forms, counts, strict=True))


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value
