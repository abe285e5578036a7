"""Per-page input keys: a page whose inputs did not change is neither rendered nor compared.

Each article and topic page gets a key, a hash of exactly the data its
template reads, computed from the Digest before anything is rendered. A run
records {page: key} with the size, modification time and inode of the file
it left in docs/. Next time a page is kept, not rendered, only when its key
is the same AND its file is still the one the generator wrote: a page deleted
or edited by hand is rendered again. The index pages (home, lists, entities)
are few and read everything, so they always render.

Every key is salted with the generator's code, the templates (built-in and
the user's) and the settings, so a change to any of them renders every page.
A missing or unreadable record only costs time: every page renders.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import Settings
from generator.link import related_topics
from generator.models import Article, Digest, Topic
from generator.output import atomic_write, read_manifest, recover
from generator.render import article_path, topic_path
from generator.state import code_and_settings

RECORD = "pages.json"
SCHEMA = "briefing-pages/1"


@dataclass(frozen=True)
class Plan:
    """This run's page keys, and the pages that need no rendering."""

    keys: dict[str, str]  # page path in docs/ -> key
    kept: frozenset[str]


def plan(digest: Digest, settings: Settings) -> Plan:
    """Key every article and topic page; keep those whose key and file are as last recorded."""
    # A run killed after its commit point is finished first: the files it
    # renames into place are what the keep check below must look at.
    recover(settings.docs)
    keys = page_keys(digest, settings)
    previous = _load(settings.cache)
    owned = read_manifest(settings.docs)
    kept = frozenset(rel for rel, k in keys.items() if rel in owned and _unchanged(settings.docs / rel, k, previous.get(rel)))
    return Plan(keys, kept)


def _unchanged(path: Path, key: str, entry: list[Any] | None) -> bool:
    return entry is not None and entry[0] == key and _file_id(path) == entry[1:]


def save(settings: Settings, plan: Plan) -> None:
    """Record the keys and files of this run's pages, once they are written."""
    pages = {rel: [k, *file_id] for rel, k in sorted(plan.keys.items()) if (file_id := _file_id(settings.docs / rel))}
    with contextlib.suppress(OSError):  # as the analysis cache: an unwritable folder costs time, not correctness
        atomic_write(settings.cache / RECORD, json.dumps({"schema": SCHEMA, "pages": pages}).encode())


def page_keys(digest: Digest, settings: Settings) -> dict[str, str]:
    """{page path: key} for every article and topic page."""
    salt = code_and_settings(settings)
    topics = {t.slug: t for t in digest.topics}
    by_slug = {a.slug: a for a in digest.articles}
    own = {a.slug: [topics[s] for s in digest.article_topics.get(a.slug, ())] for a in digest.articles}
    keys = {article_path(a.slug): _article_key(salt, a, own[a.slug], digest, by_slug) for a in digest.articles}
    members = {a.slug: _member_key(a, own[a.slug]) for a in digest.articles}
    for t in digest.topics:
        keys[topic_path(t.slug)] = _topic_key(salt, t, members, related_topics(t, topics, digest.article_topics))
    return keys


def _article_key(salt: str, a: Article, own: list[Topic], digest: Digest, by_slug: dict[str, Article]) -> str:
    # The text, sentences, summary and keyphrases all follow from content_hash:
    # the analysis is a pure function of it, the settings and the code (as the
    # analysis cache's key says), and the last two are in the salt.
    return _hash(
        salt,
        _article_fields(a),
        # Tags and in-text first-mention links read each topic's names and linked flag.
        [[t.slug, t.name, t.variants, t.linked] for t in own],
        [[r.slug, r.shared, r.score, by_slug[r.slug].title] for r in digest.related.get(a.slug, ())],
    )


def _member_key(a: Article, own: list[Topic]) -> str:
    """What a topic page reads of one of its articles.

    The passage a topic page quotes is the article's first mention of the
    topic, which depends on the article's text and on the names of all its
    linked topics (mentions never overlap). Hashing those inputs, rather than
    finding the mentions, keeps the expensive search for pages that render.
    """
    return _hash(_article_fields(a), [[t.slug, t.name, t.variants] for t in own if t.linked])


def _topic_key(salt: str, t: Topic, members: dict[str, str], near: Iterable[Topic]) -> str:
    return _hash(
        salt,
        [t.slug, t.name, t.variants, t.articles, t.linked, t.kind],
        [members[s] for s in t.articles],
        [[o.slug, o.name] for o in near],
    )


def _article_fields(a: Article) -> list[Any]:
    m = a.meta
    return [a.slug, a.title, a.content_hash, m.source, m.url, m.published, m.author, m.tags]


def _hash(*parts: Any) -> str:
    data = json.dumps(parts, default=str, separators=(",", ":"))
    return hashlib.blake2b(data.encode(), digest_size=16).hexdigest()


def _file_id(path: Path) -> list[int] | None:
    """Size, modification time, change time and inode of a regular file, or None.

    The change time cannot be set back by hand, and the inode changes when a
    file is replaced, so an edited page is noticed even if it keeps its size
    and modification time.
    """
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _load(cache: Path) -> dict[str, list[Any]]:
    """The last run's record, or nothing if it is missing, corrupt or foreign."""
    try:
        data = json.loads((cache / RECORD).read_text(encoding="utf-8"))
        if data["schema"] != SCHEMA:
            return {}
        return {str(rel): list(entry) for rel, entry in data["pages"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
