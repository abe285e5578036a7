"""Linking's record: what the last run found in each article, for the next run to reuse.

That is what the topic scan found in each article, and each article's
related articles with the key of what they were computed from (related_keys).
The build hands both to linking, which is pure, and records what it returns.

Stored as JSON in the cache folder and decoded against a typed schema, as
cache.py does: the folder may come from elsewhere. A record that is
missing, corrupt, foreign or written by other code is ignored, and the
run scans every article, as it would without one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import msgspec

from generator.config import Settings
from generator.incremental import cache
from generator.incremental.cache import code_version, short_hash
from generator.incremental.journal import atomic_write
from generator.linking import related
from generator.linking.topics import Matches, Scanned
from generator.models import Article, Digest, Related, Topic

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
    code = code_version(
        ("linking/topics.py", "linking/digest.py", "linking/related.py", "incremental/link_record.py", "models.py")
    )
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


def related_keys(
    articles: Sequence[Article],
    topics: Sequence[Topic],
    article_topics: dict[str, tuple[str, ...]],
    identity: dict[str, str],
    settings: Settings,
) -> dict[str, str]:
    """A hash per article of everything its related articles are computed from.

    That is its keyphrases (named by its analysis key) and, for each of its
    linked topics in order, the topic's slug, name and members in order (which
    give its weight, its rank among shared topics and which candidates share
    it); for a topic that finds candidates (related.CANDIDATE_TOPIC_LIMIT), also the
    members' analysis keys, whose keyphrases break ties. An edit that changes
    no topic memberships then relinks only the articles that share one of
    its rarer topics.
    """
    rare = {t.slug: len(t.articles) <= related.CANDIDATE_TOPIC_LIMIT for t in topics}
    sig = {
        t.slug: short_hash(t.slug, t.name, t.articles, [identity[s] for s in t.articles] if rare[t.slug] else None)
        for t in topics
        if t.linked
    }
    salt = [settings.related_articles]
    return {
        a.slug: short_hash(salt, identity[a.slug], [sig[s] for s in article_topics.get(a.slug, ()) if s in sig]) for a in articles
    }


def identities(articles: Sequence[Article], settings: Settings) -> dict[str, str]:
    """Each article's analysis cache key: it names the code, settings and text its Terms and keyphrases come from."""
    return {a.slug: cache.key(a, settings) for a in articles}


def reusable(previous: Previous, digest: Digest, identity: dict[str, str], settings: Settings) -> Reuse:
    """The keys this run's related articles are recorded under, and the recorded ones still valid under them.

    Those are the related articles of articles whose key is unchanged, if
    they name articles that exist.
    """
    keys = related_keys(digest.articles, digest.topics, digest.article_topics, identity, settings)
    by_slug = {a.slug for a in digest.articles}
    kept = {}
    for slug, k in keys.items():
        entry = previous.related.get(slug)
        if entry is not None and entry[0] == k and all(r.slug in by_slug and r.slug != slug for r in entry[1]):
            kept[slug] = entry[1]
    return Reuse(keys, kept)


@dataclass(frozen=True)
class Reuse:
    """What reusable() found: every article's key, and the related articles kept by key."""

    keys: dict[str, str]
    related: dict[str, tuple[Related, ...]]


def save_found(cache: Path, scanned: Scanned, reuse: Reuse, digest: Digest) -> None:
    """Record this run's scan and related articles, each under its key."""
    save(cache, Previous(scanned, {slug: (k, digest.related[slug]) for slug, k in reuse.keys.items()}))


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
