"""The Atom feed (``feed.xml``): the newest articles and story updates, written by feedgen.

A pure function of the Digest, the first-seen days (incremental/first_seen.py)
and the settings: the same corpus and records give the same bytes. Nothing
reads the clock: an entry is dated by its article's publication date (front
matter, HTML metadata or dateline, as ``pdf --since`` reads it) or, for an
article without one, the day it was first seen; the feed's <updated> is its
newest entry's.

Titles, summaries and source names are untrusted article text. They go out
as Atom ``type="text"``, which lxml escapes: a feed reader shows them as
text, never as markup. Characters XML 1.0 cannot carry are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from feedgen.feed import FeedGenerator

from generator.config import Settings, SiteAddress
from generator.models import Article, Digest, Story
from generator.site.render import article_path
from generator.site.story_pages import has_page, story_path

FEED = "feed.xml"  # in docs/, so that mkdocs build copies it to site/feed.xml
NO_SITE_URL = "No Atom feed: mkdocs.yml sets no site_url, and a feed's links must be absolute"
# Not allowed in XML 1.0 (lxml refuses them): C0 controls but tab, newline and return; surrogates; U+FFFE, U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Entry:
    """One feed entry: an article page or a story page."""

    url: str  # the page's absolute address, also the entry's id: stable while site_url and the slug are
    title: str
    summary: str
    published: date
    updated: date
    authors: tuple[str, ...]  # stated sources; none for "source not stated"


def pages(
    digest: Digest, seen: Mapping[str, date], settings: Settings, site: SiteAddress
) -> tuple[list[tuple[str, str]], list[str]]:
    """The feed as (docs/ path, XML) pages to write, and the warnings to report: no feed without a site_url."""
    if settings.feed_entries == 0:
        return [], []
    if site.url is None:
        return [], [NO_SITE_URL]
    return [(FEED, atom(digest, seen, settings, site).decode("utf-8"))], []


def atom(digest: Digest, seen: Mapping[str, date], settings: Settings, site: SiteAddress) -> bytes:
    """The Atom document of the ``settings.feed_entries`` newest entries."""
    assert site.url is not None, "pages() skips the feed without a site_url"
    chosen = newest(entries(digest, seen, site), settings.feed_entries)
    feed = FeedGenerator()
    feed.id(site.url)
    feed.title(_text(settings.title))
    feed.author({"name": _text(settings.title)})  # the site; an entry names its source when one is stated
    feed.link(href=site.url, rel="alternate")
    feed.link(href=site.url + FEED, rel="self")
    feed.generator("Briefing")  # without feedgen's version: a feedgen upgrade alone does not change the bytes
    # Never now: a rebuild of the same corpus gives the same feed. An empty feed takes the epoch.
    feed.updated(_instant(chosen[0].updated if chosen else date(1970, 1, 1)))
    for entry in chosen:
        item = feed.add_entry(order="append")
        item.id(entry.url)
        item.title(_text(entry.title))
        item.link(href=entry.url, rel="alternate")
        item.published(_instant(entry.published))
        item.updated(_instant(entry.updated))
        item.summary(_text(entry.summary), type="text")
        for name in entry.authors:
            item.author({"name": _text(name)})
    return bytes(feed.atom_str(pretty=True))


def entries(digest: Digest, seen: Mapping[str, date], site: SiteAddress) -> Iterator[Entry]:
    """An entry per article page, then one per story page (stories of two or more articles)."""
    by_slug = {a.slug: a for a in digest.articles}
    for article in digest.articles:
        day = _day(article, seen)
        yield Entry(
            _url(site, article_path(article.slug)), article.title, _summary(digest, article), day, day, _sources([article])
        )
    for story in digest.stories:
        if has_page(story):
            yield _story_entry(digest, story, [by_slug[s] for s in story.members], seen, site)


def newest(found: Iterable[Entry], limit: int) -> list[Entry]:
    """The ``limit`` most recently updated entries, newest first; ties by address, so the order never depends on input order."""
    return sorted(found, key=lambda e: (-e.updated.toordinal(), e.url))[:limit]


def _story_entry(digest: Digest, story: Story, members: list[Article], seen: Mapping[str, date], site: SiteAddress) -> Entry:
    """A story dated by its members as the feed dates them: first reported, last updated."""
    days = [_day(a, seen) for a in members]
    summary = " ".join(digest.analyses[slug].sentences[sid].text for slug, sid in story.summary)
    return Entry(_url(site, story_path(story.slug)), story.headline, summary, min(days), max(days), _sources(members))


def _day(article: Article, seen: Mapping[str, date]) -> date:
    """The article's publication date (the dateline's when the metadata has none), else the day it was first seen."""
    return article.meta.published or seen[article.slug]


def _summary(digest: Digest, article: Article) -> str:
    analysis = digest.analyses[article.slug]
    return " ".join(analysis.sentences[sid].text for sid in analysis.summary)


def _sources(articles: Iterable[Article]) -> tuple[str, ...]:
    """Distinct stated sources, sorted; an article that states none adds none (the feed's author is the site)."""
    return tuple(sorted({a.meta.source for a in articles if a.meta.source}))


def _url(site: SiteAddress, rel: str) -> str:
    """The absolute address MkDocs gives the page built from ``rel``, an article or story page (never an index.md)."""
    page = rel.removesuffix(".md")
    return f"{site.url}{page}/" if site.directory_urls else f"{site.url}{page}.html"


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)
