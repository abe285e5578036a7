"""Linking: everything that needs the whole corpus, made into the Digest the site renders.

Pure: what an earlier run found comes in as arguments (the build gets it
from incremental/link_record.py) and what this run finds goes out in the
return values, for the build to record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace

from generator.analysis.terms import segments
from generator.config import Settings
from generator.linking.briefs import briefed, versioned
from generator.linking.claims import claims
from generator.linking.related import related_articles
from generator.linking.speakers import speakers
from generator.linking.stories import Clustered, Item, clustered, inherit_slugs
from generator.linking.timeline import timeline
from generator.linking.topics import Scanned, canonical_topics_again
from generator.models import Analysis, Article, Digest, Related, Segment, Story


def link(articles: Sequence[Article], analyses: dict[str, Analysis], settings: Settings, pool: Executor | None = None) -> Digest:
    """The corpus-level Digest from articles and their analyses, all found afresh."""
    return dated(
        with_claims(
            with_briefs(
                with_stories(relate(find_topics(articles, analyses, settings, pool=pool).digest, settings), settings), settings
            )
        )
    )


@dataclass(frozen=True)
class Topical:
    """Linking halfway: topics found, related articles and the executive summary not yet.

    ``digest`` holds empty ``related`` and ``executive``: enough for first
    mentions (page_plan.search), which a run sends to its pool before
    relate() works out the rest. ``scanned`` is what the topic scan found in
    each article, for the next run to reuse.
    """

    digest: Digest
    scanned: Scanned


def find_topics(
    articles: Sequence[Article],
    analyses: dict[str, Analysis],
    settings: Settings,
    *,
    identity: Mapping[str, str] | None = None,
    scanned: Scanned | None = None,
    pool: Executor | None = None,
) -> Topical:
    """Articles newest first, and their canonical topics.

    ``scanned`` is an earlier run's scan: an article whose ``identity`` (a key
    of the text and code its Terms come from) is unchanged is not scanned
    again. Many articles are scanned in ``pool``.
    """
    ordered = tuple(sorted(articles, key=_newest_first))
    items = [(a.slug, analyses[a.slug].terms) for a in ordered]
    by_slug = {a.slug: a for a in ordered}

    def remake(slug: str) -> tuple[Segment, ...]:  # for a cached analysis, which does not keep its scan text
        return segments(by_slug[slug].title, by_slug[slug].blocks)

    (topics, article_topics), found = canonical_topics_again(
        items, settings, scanned, dict(identity or {}), remake=remake, pool=pool
    )
    digest = Digest(articles=ordered, analyses=analyses, topics=topics, article_topics=article_topics)
    return Topical(digest, found)


def relate(digest: Digest, settings: Settings, known: Mapping[str, tuple[Related, ...]] | None = None) -> Digest:
    """The Digest with related articles (those in ``known`` taken as they are)."""
    ordered, analyses = digest.articles, digest.analyses
    related = related_articles(ordered, digest.topics, digest.article_topics, analyses, settings, known=dict(known or {}))
    return replace(digest, related=related)


def story_items(articles: Sequence[Article], analyses: Mapping[str, Analysis]) -> list[Item]:
    """What story clustering reads of each article: its id, features, publication date and source."""
    return [(a.slug, analyses[a.slug].story, a.meta.published, a.meta.source) for a in articles]


def with_stories(digest: Digest, settings: Settings, previous: Sequence[Story] = (), found: Clustered | None = None) -> Digest:
    """The Digest with its stories clustered, each with its near-duplicate versions; with_briefs fills their pages.

    ``previous`` are the last run's stories: a story whose membership is mostly
    the same keeps its slug, so links and feed entries stay valid. ``found`` is
    ``clustered`` of this digest's story_items, when a worker has made it already.
    """
    stories, versions = found if found is not None else clustered(story_items(digest.articles, digest.analyses))
    by_slug = {a.slug: a for a in digest.articles}
    return replace(digest, stories=versioned(inherit_slugs(previous, stories), versions, by_slug))


def with_briefs(digest: Digest, settings: Settings, known: Mapping[str, Story] | None = None) -> Digest:
    """The Digest with each story's page filled in, ranked, and an executive summary of one sentence per top story.

    ``known`` are stories briefed by an earlier run, by slug, whose inputs are
    unchanged (story_record.reusable): they are kept as they are.
    """
    by_slug = {a.slug: a for a in digest.articles}
    stories = briefed(digest.stories, by_slug, digest.analyses, known or {})
    executive = tuple(s.summary[0] for s in stories[: settings.executive_sentences] if s.summary)
    return replace(digest, stories=stories, executive=executive)


def with_claims(digest: Digest) -> Digest:
    """The Digest with its claims across sources (figures) and its speakers (quotes).

    Versions of one text (near-duplicates in a story) never corroborate each other.
    """
    versions = {later: group[0] for story in digest.stories for group in story.versions for later in group[1:]}
    figures = [(a.slug, a.meta.source, [(q.sentence, q) for q in digest.analyses[a.slug].figures]) for a in digest.articles]
    return replace(
        digest,
        claims=claims(figures, versions),
        speakers=speakers(digest.articles, digest.analyses, versions),
    )


def dated(digest: Digest) -> Digest:
    """The Digest with its timeline: every dated event, oldest first."""
    return replace(digest, timeline=timeline(digest.articles, digest.analyses))


def _newest_first(article: Article) -> tuple[int, str, str]:
    ordinal = article.meta.published.toordinal() if article.meta.published else 0
    return (-ordinal, article.title.lower(), article.slug)
