"""Per-page input keys: a page whose inputs did not change is neither rendered nor compared.

Each article and topic page gets a key, a hash of exactly the data its
template reads, computed from the Digest before anything is rendered. A run
records {page: key} with the size, times and inode of the file it left in
docs/. Next time a page is kept, not rendered, only when its key
is the same AND its file is still the one the generator wrote: a page deleted
or edited by hand is rendered again. The index pages (home, lists, entities)
are few and read everything, so they always render.

The record also keeps each article's first topic mentions, the expensive
part of rendering, keyed by what they depend on (the article's text and its
linked topics' names). A topic page's key then holds where each of its
articles first mentions it, so a topic page renders again only when a passage
it quotes moves, and the pages that do render find few mentions anew. Each
topic's related topics are kept the same way, keyed by what they count.

Every key is salted with the generator's code, the templates (built-in and
the user's) and the settings, so a change to any of them renders every page.
A missing or unreadable record only costs time: every page renders.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from generator.config import Settings
from generator.incremental.cache import short_hash as _hash
from generator.incremental.fingerprint import code_and_settings
from generator.incremental.journal import atomic_write, page_ids, read_manifest, recover
from generator.linking.mentions import Span
from generator.linking.related import RELATED_TOPICS_SAMPLE, CoTopics
from generator.models import Article, Digest, Topic
from generator.site.claim_pages import ClaimContext, FigureMark
from generator.site.render import article_path, first_mentions, topic_path
from generator.site.story_pages import StoryContext, story_path

RECORD = "pages.json"
SCHEMA = "briefing-pages/4"


@dataclass(frozen=True)
class Plan:
    """This run's page keys, the pages that need no rendering, and every article's first mentions."""

    keys: dict[str, str]  # page path in docs/ -> key
    kept: dict[str, list[int]]  # pages neither rendered nor compared -> their file's id, as checked
    spans: dict[str, list[Span]]  # article slug -> first mentions, for render()
    mention_keys: dict[str, str]  # article slug -> hash of what its first mentions depend on
    related: dict[str, tuple[str, list[str]]]  # topic slug -> (hash of what it counts, related topic slugs)
    claims: ClaimContext  # figure marks and each story's figures, for render() too: made once a run


@dataclass(frozen=True)
class Search:
    """First mentions on their way: those the record still holds, the others sent to the pool."""

    previous: _Record
    salt: str
    named: dict[str, str]  # topic slug -> hash of its names
    fields: dict[str, str]  # article slug -> hash of its own fields
    known: dict[str, list[Span]]  # article slug -> first mentions kept from the record
    mention_keys: dict[str, str]  # article slug -> hash of what its first mentions depend on
    pending: Iterator[tuple[str, list[Span]]]  # the others, as they are found


def search(digest: Digest, settings: Settings, pool: Executor | None = None) -> Search:
    """Start finding the first mentions the record does not hold: in ``pool`` when there are many.

    They need the articles and their topics only, so a run starts them as
    soon as its topics are found (link.find_topics), and works out related
    articles while the pool searches.
    """
    previous = _load(settings.cache)
    salt = code_and_settings(settings)
    topics = {t.slug: t for t in digest.topics}
    own = {a.slug: [topics[s] for s in digest.article_topics.get(a.slug, ())] for a in digest.articles}
    named, fields = _hashed_fields(digest)
    # First mentions depend on the article's text and on the names of all its
    # linked topics (mentions never overlap), nothing else: found again only
    # when those change, they are the expensive part of rendering.
    mention_keys = {
        a.slug: _hash(salt, fields[a.slug], [named[t.slug] for t in own[a.slug] if t.linked]) for a in digest.articles
    }
    known = _known_spans(mention_keys, own, previous.mentions)
    pending = first_mentions(digest, settings, [a for a in digest.articles if a.slug not in known], pool)
    return Search(previous, salt, named, fields, known, mention_keys, pending)


def plan(digest: Digest, settings: Settings, started: Search | None = None) -> Plan:
    """Key every article, topic and story page; keep those whose key and file are as last recorded.

    ``started`` is search()'s for this digest's articles and topics; without
    it first mentions are searched here.
    """
    # A run killed after its commit point is finished first: the files it
    # renames into place are what the keep check below must look at.
    recover(settings.docs)
    started = started or search(digest, settings)
    previous, salt, named, fields = started.previous, started.salt, started.named, started.fields
    topics = {t.slug: t for t in digest.topics}
    # This process counts related topics and keys the article pages while the pool searches.
    related = _related_topics(digest, salt, topics, previous.related)
    claims = ClaimContext(digest)  # figure marks for article pages, and each story's figures
    keys = _article_keys(digest, salt, named=named, fields=fields, marks=claims.marks)
    spans = started.known | dict(started.pending)
    keys |= _topic_keys(digest, salt, topics, fields=fields, spans=spans, related=related)
    keys |= _story_keys(digest, salt, fields=fields, claims=claims)
    owned = read_manifest(settings.docs)
    recorded = {rel: entry for rel, k in keys.items() if rel in owned and (entry := previous.pages.get(rel)) and entry[0] == k}
    kept = {rel: now for rel, now in page_ids(settings.docs, recorded).items() if now is not None and now == recorded[rel][1]}
    return Plan(keys, kept, spans, started.mention_keys, related, claims)


def save(settings: Settings, plan: Plan) -> None:
    """Record the keys and files of this run's pages, once they are written, and the first mentions."""
    # A kept page's file was checked by plan(): only the pages this run rendered are looked at again.
    found_ids = plan.kept | page_ids(settings.docs, sorted(rel for rel in plan.keys if rel not in plan.kept))
    pages = {rel: (plan.keys[rel], identity) for rel in sorted(plan.keys) if (identity := found_ids.get(rel))}
    found = {slug: (plan.mention_keys[slug], spans) for slug, spans in plan.spans.items()}
    record = _Record(SCHEMA, pages, found, plan.related)
    with contextlib.suppress(OSError):  # as the analysis cache: an unwritable folder costs time, not correctness
        atomic_write(settings.cache / RECORD, msgspec.json.encode(record))


def _known_spans(
    mention_keys: dict[str, str], own: dict[str, list[Topic]], previous: dict[str, tuple[str, list[Span]]]
) -> dict[str, list[Span]]:
    """The recorded first mentions of articles whose text and topic names did not change."""
    known = {}
    for slug, k in mention_keys.items():
        entry = previous.get(slug)
        # The cache folder may come from elsewhere: a span must at least name one of the article's topics.
        if entry is not None and entry[0] == k and _valid_spans(entry[1], {t.slug for t in own[slug] if t.linked}):
            known[slug] = entry[1]
        # Anything else (missing, changed, naming another topic) is found again.
    return known


def _valid_spans(spans: list[Span], linked: set[str]) -> bool:
    return all(topic in linked and 0 <= start < end for start, end, topic in spans)


def _related_topics(
    digest: Digest, salt: str, topics: dict[str, Topic], previous: dict[str, tuple[str, list[str]]]
) -> dict[str, tuple[str, list[str]]]:
    """Each topic's related topics, from link.CoTopics, recounted only where what it counts changed.

    It counts the linked topics of the topic's first RELATED_TOPICS_SAMPLE
    articles; over every topic that is seconds at 10,000 articles, while an
    edit changes the topics of a few articles only. Should CoTopics
    read anything else, it must join the hash here.
    """
    counted = {slug: _hash([s for s in names if topics[s].linked]) for slug, names in digest.article_topics.items()}
    related = {}
    counts: CoTopics | None = None  # built only when a topic must be counted again
    for t in digest.topics:
        k = _hash(salt, t.slug, [counted.get(s) for s in t.articles[:RELATED_TOPICS_SAMPLE]])
        entry = previous.get(t.slug)
        if entry is not None and entry[0] == k and all(s in topics for s in entry[1]):
            related[t.slug] = (k, entry[1])
        else:
            counts = counts or CoTopics(topics, digest.article_topics)
            related[t.slug] = (k, [o.slug for o in counts.related(t)])
    return related


def _article_keys(
    digest: Digest, salt: str, *, named: dict[str, str], fields: dict[str, str], marks: dict[str, tuple[FigureMark, ...]]
) -> dict[str, str]:
    """{page path: key} for every article page."""
    by_slug = {a.slug: a for a in digest.articles}
    return {
        article_path(a.slug): _article_key(
            a.slug, salt=salt, fields=fields[a.slug], named=named, digest=digest, by_slug=by_slug, marks=marks
        )
        for a in digest.articles
    }


def _topic_keys(
    digest: Digest,
    salt: str,
    topics: dict[str, Topic],
    *,
    fields: dict[str, str],
    spans: dict[str, list[Span]],
    related: dict[str, tuple[str, list[str]]],
) -> dict[str, str]:
    """{page path: key} for every topic page."""
    keys = {}
    first = {slug: {topic: start for start, _, topic in found} for slug, found in spans.items()}
    story_of = {m: (s.slug, s.headline, len(s.members)) for s in digest.stories for m in s.members}
    for t in digest.topics:
        # A topic page quotes, from each of its articles, the sentence of the
        # topic's first mention: its offset in the text stands for it.
        # Two plain lists, not a string per member: this runs over every (topic, article) pair.
        members = [[fields[s] for s in t.articles], [first[s].get(t.slug) for s in t.articles]]
        near = [[s, topics[s].name] for s in related[t.slug][1]]
        # A person's page names the one story all its articles are in, if there is one.
        stories = sorted({story_of.get(s, ("", "", 0)) for s in t.articles}) if t.kind == "person" else []
        keys[topic_path(t.slug)] = _hash(salt, [t.slug, t.name, t.variants, t.articles, t.linked, t.kind], members, near, stories)
    return keys


def _story_keys(digest: Digest, salt: str, *, fields: dict[str, str], claims: ClaimContext) -> dict[str, str]:
    """{page path: key} for every story page: the story as linking made it, its members' own fields, its events and figures."""
    stories = StoryContext(digest)
    keys = {}
    for story in stories.pages():
        events = [[e.date, e.sentence, e.reports, e.expected] for e in stories.story_events(story)]
        figures = [[c.slug, c.status, c.value, c.measure, c.period] for c in claims.of_story(story)]
        members = [fields[s] for s in story.members]
        keys[story_path(story.slug)] = _hash(salt, dataclasses.astuple(story), members, events, figures)
    return keys


def _article_key(
    slug: str,
    *,
    salt: str,
    fields: str,
    named: dict[str, str],
    digest: Digest,
    by_slug: dict[str, Article],
    marks: dict[str, tuple[FigureMark, ...]],
) -> str:
    # The text, sentences, summary and keyphrases all follow from content_hash:
    # the analysis is a pure function of it, the settings and the code (as the
    # analysis cache's key says), and the last two are in the salt.
    return _hash(
        salt,
        fields,
        # Tags and in-text first-mention links read each topic's names and linked flag.
        [named[t] for t in digest.article_topics.get(slug, ())],
        [[r.slug, r.shared, r.score, by_slug[r.slug].title] for r in digest.related.get(slug, ())],
        # Its figures link their claims and show their status, which other articles change.
        marks.get(slug, ()),
    )


def _hashed_fields(digest: Digest) -> tuple[dict[str, str], dict[str, str]]:
    """Each topic's names and each article's own fields, hashed once, not once per page that shows them."""
    named = {t.slug: _hash(t.slug, t.name, t.variants, t.linked) for t in digest.topics}
    fields = {a.slug: _hash(_article_fields(a)) for a in digest.articles}
    return named, fields


def _article_fields(a: Article) -> list[Any]:
    m = a.meta
    return [a.slug, a.title, a.content_hash, m.source, m.url, m.published, m.author, m.tags]


class _Record(msgspec.Struct, frozen=True):
    """What a run leaves for the next; decoded with every type checked (the folder may come from elsewhere)."""

    schema: str
    pages: dict[str, tuple[str, list[int]]]  # page -> (key, output.file_id)
    mentions: dict[str, tuple[str, list[Span]]]  # article slug -> (key, first mentions)
    related: dict[str, tuple[str, list[str]]]  # topic slug -> (key, related topic slugs)


_DECODER = msgspec.json.Decoder(_Record)


def _load(cache: Path) -> _Record:
    """The last run's record; an empty one if it is missing, corrupt or foreign."""
    try:
        record = _DECODER.decode((cache / RECORD).read_bytes())
        if record.schema == SCHEMA:
            return record
    except (OSError, msgspec.MsgspecError):
        pass
    return _Record(SCHEMA, {}, {}, {})
