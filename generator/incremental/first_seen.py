"""The day the generator first saw each article: the feed's date for an article whose metadata gives none.

Kept in the cache folder (``first-seen.json``) and never derived from file
times or git history, which a checkout or a copy changes: an article keeps
the day it was first seen for as long as it stays in the corpus. Stored as
JSON and decoded against a typed schema, as the other records are, since the
folder may come from elsewhere (a CI cache). A record that is missing,
corrupt or foreign is ignored, and every article is seen today.

The record has no code salt: a code change must not move the dates. The
publish workflow keeps it in a cache entry of its own for the same reason.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import msgspec

from generator.incremental.journal import atomic_write
from generator.models import Article

RECORD = "first-seen.json"
SCHEMA = "briefing-first-seen/1"


class _Record(msgspec.Struct, frozen=True):
    schema: str
    seen: dict[str, date]  # article slug -> the day it was first seen


_DECODER = msgspec.json.Decoder(_Record)


def load(cache: Path) -> dict[str, date]:
    """{article slug: first-seen day} of the last run, or nothing if there is no record this code can trust."""
    try:
        record = _DECODER.decode((cache / RECORD).read_bytes())
    except (OSError, ValueError, msgspec.MsgspecError):
        return {}
    return dict(record.seen) if record.schema == SCHEMA else {}


def update(cache: Path, articles: Iterable[Article], today: date) -> dict[str, date]:
    """Each article's first-seen day, ``today`` for those new to the record; saved when it changed.

    Articles no longer in the corpus leave the record, as their pages leave docs/.
    """
    recorded = load(cache)
    seen = {a.slug: recorded.get(a.slug, today) for a in articles}
    if seen != recorded:
        _save(cache, seen)
    return seen


def _save(cache: Path, seen: dict[str, date]) -> None:
    """Record the days; a cache that cannot be written only costs undated articles their date next run."""
    with contextlib.suppress(OSError):
        atomic_write(cache / RECORD, msgspec.json.encode(_Record(SCHEMA, dict(sorted(seen.items())))))
