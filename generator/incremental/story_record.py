"""The last run's stories: slugs and members, so that a story keeps its slug while its membership is mostly
the same, and each briefed story under the key of what its page was made from, so that a run briefs only
the stories whose members changed.

Stored as JSON in the cache folder and decoded against a typed schema, as
the other records are: the folder may come from elsewhere. A record that is
missing, corrupt, foreign or written by other code is ignored: stories take
fresh slugs and are all briefed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import msgspec

from generator.incremental.cache import code_version, short_hash
from generator.incremental.journal import atomic_write
from generator.models import Article, Story

RECORD = "stories.json"
SCHEMA = "briefing-stories/1"
BRIEFS = "story-briefs.json"  # apart: slugs must survive what makes briefs foreign (a code change), and tests drop briefs alone
BRIEFS_SCHEMA = "briefing-story-briefs/1"


@dataclass(frozen=True)
class Previous:
    """What one run recorded: its stories (slug and members), and its briefed stories by key."""

    stories: tuple[Story, ...]
    briefs: dict[str, Story]


EMPTY = Previous((), {})


class _Record(msgspec.Struct, frozen=True):
    schema: str
    stories: dict[str, list[str]]  # slug -> members


class _Briefs(msgspec.Struct, frozen=True):
    schema: str
    salt: str
    briefs: dict[str, Story]  # key -> briefed story, every field's type checked as it decodes


_DECODER = msgspec.json.Decoder(_Record)
_BRIEFS_DECODER = msgspec.json.Decoder(_Briefs)


def salt() -> str:
    """The code a brief comes from: a change to it makes every recorded brief foreign."""
    return code_version(("linking/briefs.py", "linking/executive.py", "analysis/summarize.py", "ingest/clean.py", "models.py"))


def load(cache: Path) -> Previous:
    """The last run's stories and briefs; none of either that this code cannot trust."""
    return Previous(_stories(cache), _briefs(cache))


def _stories(cache: Path) -> tuple[Story, ...]:
    try:
        record = _DECODER.decode((cache / RECORD).read_bytes())
    except (OSError, ValueError, msgspec.MsgspecError):
        return ()
    if record.schema != SCHEMA:
        return ()
    return tuple(Story(slug, tuple(members)) for slug, members in sorted(record.stories.items()))


def _briefs(cache: Path) -> dict[str, Story]:
    try:
        record = _BRIEFS_DECODER.decode((cache / BRIEFS).read_bytes())
    except (OSError, ValueError, msgspec.MsgspecError):
        return {}
    return dict(record.briefs) if record.schema == BRIEFS_SCHEMA and record.salt == salt() else {}


def brief_keys(stories: Sequence[Story], articles: Sequence[Article], identity: Mapping[str, str]) -> dict[str, str]:
    """A key per story of everything its brief is made from.

    That is its slug, members in order and versions, and each member's own
    fields (title, source, dates...) and analysis key (``identity``, which
    names its sentences, summary and vocabulary).
    """
    by_slug = {a.slug: a for a in articles}

    def fields(slug: str) -> list[object]:
        a, m = by_slug[slug], by_slug[slug].meta
        return [slug, a.title, m.title, a.content_hash, m.source, m.published, identity[slug]]

    return {s.slug: short_hash(s.slug, s.members, s.versions, [fields(m) for m in s.members]) for s in stories}


def reusable(previous: Previous, stories: Sequence[Story], keys: Mapping[str, str]) -> dict[str, Story]:
    """The recorded briefs still valid: by story slug, those whose key is unchanged."""
    known = {}
    for story in stories:
        brief = previous.briefs.get(keys[story.slug])
        if brief is not None and brief.slug == story.slug and brief.members == story.members:
            known[story.slug] = brief
    return known


def save(cache: Path, stories: Sequence[Story], keys: Mapping[str, str]) -> None:
    """Record this run's stories, and the briefs of those with two or more members (others cost little to brief).

    A cache that cannot be written only costs slug stability and time.
    """
    ordered = sorted(stories, key=lambda s: s.slug)
    briefs = {keys[s.slug]: s for s in ordered if len(s.members) > 1 and s.slug in keys}
    with contextlib.suppress(OSError):
        atomic_write(cache / RECORD, msgspec.json.encode(_Record(SCHEMA, {s.slug: list(s.members) for s in ordered})))
        atomic_write(cache / BRIEFS, msgspec.json.encode(_Briefs(BRIEFS_SCHEMA, salt(), briefs)))
