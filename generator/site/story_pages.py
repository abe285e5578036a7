"""The Markdown of the story pages, the story index, the sources page and the home page's top stories.

Every value that comes from an article (titles, sources, sentences) goes
through ``md_text``: article text is untrusted and must stay inert.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date

from markupsafe import Markup

from generator.models import Article, Digest, Event, Story, Topic
from generator.site import escape

md_text = functools.lru_cache(maxsize=1 << 16)(escape.md_text)
NOT_STATED = "Source not stated"
MATRIX_TOPICS = 12  # rows of the coverage matrix: the most covered linked topics
MATRIX_SOURCES = 8  # its columns: the sources with most articles, then "not stated"


def story_path(slug: str) -> str:
    return f"stories/{slug}.md"


def single_source(story: Story, by_slug: dict[str, Article]) -> bool:
    """Two or more articles, every one stating the same one source."""
    return len(story.reports) > 1 and len(story.sources) == 1 and all(by_slug[s].meta.source for s in story.reports)


def has_page(story: Story) -> bool:
    """Stories of two or more articles have a page; a story of one article is that article's page."""
    return len(story.members) > 1


class StoryContext:
    """Read-only helpers the story, stories, sources and home templates call; they return Markdown."""

    def __init__(self, digest: Digest) -> None:
        self.digest = digest
        self.by_slug = {a.slug: a for a in digest.articles}
        self.story_of = {m: s.slug for s in digest.stories for m in s.members}
        self._events_of: dict[str, list[int]] = {}  # article slug -> its events' positions on the timeline
        for n, event in enumerate(digest.timeline):
            for slug in dict.fromkeys(s for s, _ in event.reports):
                self._events_of.setdefault(slug, []).append(n)

    def only_story(self, topic: Topic) -> Markup:
        """For a person every one of whose articles is in one story of two or more: that story, linked; else nothing."""
        if topic.kind != "person" or not topic.articles:
            return Markup("")
        stories = {self.story_of[s] for s in topic.articles if s in self.story_of}
        story = self._by_story_slug.get(next(iter(stories))) if len(stories) == 1 else None
        if story is None or not has_page(story):
            return Markup("")
        return Markup(f"Named in one story only: {self.link(story, '../')}.")

    @functools.cached_property
    def _by_story_slug(self) -> dict[str, Story]:
        return {s.slug: s for s in self.digest.stories}

    def pages(self) -> list[Story]:
        return [s for s in self.digest.stories if has_page(s)]

    def link(self, story: Story, prefix: str = "") -> Markup:
        """The story's headline, linking to its page, or to its article's page for a story of one."""
        target = f"{prefix}stories/{story.slug}.md" if has_page(story) else f"{prefix}articles/{story.members[0]}.md"
        return Markup(f"[{md_text(story.headline)}]({target})")

    def dates(self, story: Story) -> str:
        if story.first_reported is None:
            return "dates not stated"
        first, last = _day(story.first_reported), _day(story.last_updated)
        return f"first reported {first}" + (f", last updated {last}" if last != first else "")

    def sources_line(self, story: Story) -> Markup:
        """ "3 articles from 2 sources (single source)" and the like: unstated sources are never counted."""
        n, sources = len(story.reports), len(story.sources)
        unstated = sum(1 for s in story.reports if not self.by_slug[s].meta.source)
        words = f"{n} article{'s' if n != 1 else ''}"
        if sources:
            words += f" from {sources} source{'s' if sources != 1 else ''}"
        if unstated and not sources:
            words += "; none states its source" if n > 1 else "; it states no source"
        elif unstated:
            words += f"; {unstated} state{'s' if unstated == 1 else ''} no source"
        flag = " · **single source**" if single_source(story, self.by_slug) else ""
        return Markup(md_text(words) + flag)

    def cite(self, slug: str, sid: int, prefix: str = "../") -> Markup:
        return Markup(f"[{md_text(self.by_slug[slug].title)}]({prefix}articles/{slug}.md#sent-{sid})")

    def summary(self, story: Story, prefix: str = "../") -> Iterator[Markup]:
        for slug, sid in story.summary:
            yield Markup(f"{md_text(self._text(slug, sid))} ({self.cite(slug, sid, prefix)})")

    def members(self, story: Story) -> Iterator[Markup]:
        """Each article with its source and date; later versions of one text under the first."""
        later = {s: group[0] for group in story.versions for s in group[1:]}
        for slug in story.members:
            a = self.by_slug[slug]
            line = f"[{md_text(a.title)}](../articles/{slug}.md) — {md_text(a.meta.source or NOT_STATED)}"
            if a.meta.published:
                line += f", {_day(a.meta.published)}"
            if slug in later:
                line += f" · *a version of* [{md_text(self.by_slug[later[slug]].title)}](../articles/{later[slug]}.md)"
            yield Markup(line)

    def own(self, story: Story) -> Iterator[tuple[Markup, list[Markup]]]:
        """For each member, what only it reports."""
        for slug, sids in story.only:
            a = self.by_slug[slug]
            head = Markup(f"[{md_text(a.title)}](../articles/{slug}.md) ({md_text(a.meta.source or NOT_STATED)})")
            yield head, [Markup(f"{md_text(self._text(slug, i))} ([↗](../articles/{slug}.md#sent-{i}))") for i in sids]

    def story_events(self, story: Story) -> list[Event]:
        """The timeline's events that the story's articles report, oldest first."""
        # Through each member's own events: a pass over the whole timeline per story was quadratic.
        return [self.digest.timeline[n] for n in sorted({n for m in story.members for n in self._events_of.get(m, ())})]

    def events(self, story: Story) -> Iterator[Markup]:
        """The story's events as its page lists them, citing only its own articles."""
        members = set(story.members)
        for event in self.story_events(story):
            yield self._event(event, [(s, i) for s, i in event.reports if s in members])

    def _event(self, event: Event, cited: Sequence[tuple[str, int]]) -> Markup:
        slug, sid = cited[0]
        expected = "*Expected:* " if event.expected else ""
        cites = ", ".join(f"[↗](../articles/{s}.md#sent-{i})" for s, i in cited)
        return Markup(f"**{event_date(event.date)}** — {expected}{md_text(self._text(slug, sid))} {cites}")

    def top(self, n: int) -> Iterator[Markup]:
        """One bullet per top story: its headline, its first summary sentence citing its article, its coverage."""
        for story in self.digest.stories[:n]:
            line = f"**{self.link(story)}**"
            if story.summary:
                slug, sid = story.summary[0]
                line += f" — {md_text(self._text(slug, sid))} ({self.cite(slug, sid, prefix='')})"
            yield Markup(f"{line} · {self.sources_line(story)}")

    # ------------------------------------------------------------ sources

    def by_source(self) -> list[tuple[str, list[Article], list[Story]]]:
        """Each stated source (most articles first), then "not stated": its articles and the stories they are in."""
        groups: dict[str, list[Article]] = {}
        for a in self.digest.articles:
            groups.setdefault(a.meta.source or "", []).append(a)
        order = sorted((s for s in groups if s), key=lambda s: (-len(groups[s]), s.lower(), s)) + ([""] if "" in groups else [])
        rank = {s.slug: n for n, s in enumerate(self.digest.stories)}
        out = []
        for source in order:
            slugs = set(map(self.story_of.__getitem__, (a.slug for a in groups[source])))
            stories = [self.digest.stories[n] for n in sorted(map(rank.__getitem__, slugs))]
            out.append((source or NOT_STATED, groups[source], stories))
        return out

    def matrix(self) -> tuple[list[str], list[tuple[Topic, list[int]]]]:
        """Main topics against sources: how many articles of each source are on each topic."""
        count = Counter(a.meta.source or "" for a in self.digest.articles)
        columns = sorted((s for s in count if s), key=lambda s: (-count[s], s))[:MATRIX_SOURCES]
        if "" in count:
            columns.append("")
        source_of = {a.slug: a.meta.source or "" for a in self.digest.articles}
        topics = [t for t in self.digest.topics if t.linked][:MATRIX_TOPICS]
        rows = []
        for t in topics:
            per = Counter(source_of[s] for s in t.articles)
            rows.append((t, [per[c] for c in columns]))
        return [c or NOT_STATED for c in columns], rows

    def single_source(self) -> list[Story]:
        """Stories of two or more articles that one stated source alone covers."""
        return [s for s in self.pages() if len(s.sources) == 1 and all(self.by_slug[m].meta.source for m in s.reports)]

    def _text(self, slug: str, sid: int) -> str:
        return self.digest.analyses[slug].sentences[sid].text


# Written out, not strftime's: the Markdown must not depend on the machine's locale.
MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def event_date(value: str) -> str:
    """A TIMEX3 date as a reader writes it: "1960s", "2023", "March 2023", "21 March 2023"."""
    if len(value) == 3:
        return f"{value}0s"
    if len(value) == 4:
        return value
    month = MONTH_NAMES[int(value[5:7])]
    return f"{month} {value[:4]}" if len(value) == 7 else f"{int(value[8:10])} {month} {value[:4]}"


def _day(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""
