"""The last run's stories (slug and members), so that a story keeps its slug while its membership is mostly the same.

Stored as JSON in the cache folder and decoded against a typed schema, as the
other records are: the folder may come from elsewhere. A record that is
missing, corrupt or foreign is ignored, and stories take fresh slugs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

import msgspec

from generator.incremental.journal import atomic_write
from generator.models import Story

RECORD = "stories.json"
SCHEMA = "briefing-stories/1"


class _Record(msgspec.Struct, frozen=True):
    schema: str
    stories: dict[str, list[str]]  # slug -> members


_DECODER = msgspec.json.Decoder(_Record)


def load(cache: Path) -> tuple[Story, ...]:
    """The last run's stories, or none if there is no record this code can trust."""
    try:
        record = _DECODER.decode((cache / RECORD).read_bytes())
    except (OSError, ValueError, msgspec.MsgspecError):
        return ()
    if record.schema != SCHEMA:
        return ()
    return tuple(Story(slug, tuple(members)) for slug, members in sorted(record.stories.items()))


def save(cache: Path, stories: Sequence[Story]) -> None:
    """Record this run's stories; a cache that cannot be written only costs slug stability."""
    record = _Record(SCHEMA, {s.slug: list(s.members) for s in sorted(stories, key=lambda s: s.slug)})
    with contextlib.suppress(OSError):
        atomic_write(cache / RECORD, msgspec.json.encode(record))
