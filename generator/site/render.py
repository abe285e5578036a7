"""Rendering: Jinja2 templates emit Markdown pages from the Digest.

Every value a template prints is escaped by default (``finalize``): article
text becomes inert Markdown. Only fragments built here from trusted parts
(links between our own pages, anchors) are marked safe with ``Markup``.
"""

from __future__ import annotations

import bisect
import functools
import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from generator import models
from generator.config import Settings
from generator.linking import mentions
from generator.linking.related import CoTopics
from generator.models import Analysis, Article, Digest, Event, Sentence, Topic
from generator.site import escape
from generator.site.claim_pages import ClaimContext, FigureMark
from generator.site.escape import page_title
from generator.site.story_pages import MONTH_NAMES, StoryContext, event_date, story_path

Page = tuple[str, "str | ArticlePage | TopicPage"]  # (path relative to docs/, Markdown or the page to render it from)
# Each distinct string escaped once: pages repeat names, titles, link texts and
# quoted sentences; at 1,000 articles an eighth of 200,000 calls were distinct.
md_text = functools.lru_cache(maxsize=1 << 18)(escape.md_text)
_Flat = tuple[str, str | None, list[int], list[Sentence]]  # text, mentions.fold(text), sentence offsets, sentences
# Fewer articles than this are searched for first mentions in this process: a pool costs more.
POOL_MIN_ARTICLES = 500
ENTITY_PAGES = (
    ("person", "people.md", "People"),
    ("organization", "organizations.md", "Organizations"),
    ("place", "places.md", "Places"),
)


def article_path(slug: str) -> str:
    return f"articles/{slug}.md"


def topic_path(slug: str) -> str:
    return f"topics/{slug}.md"


def template_loader(settings: Settings) -> ChoiceLoader:
    """User templates first (``templates_dir``), then the built-in ones, as Pelican's themes."""
    loaders: list[Any] = []
    if settings.templates_dir:
        loaders.append(FileSystemLoader(settings.templates_dir))
    loaders.append(PackageLoader("generator.site", "templates"))
    return ChoiceLoader(loaders)


def environment(settings: Settings) -> Environment:
    """The Jinja2 environment for the Markdown pages."""
    env = Environment(
        loader=template_loader(settings),
        autoescape=False,  # the output is Markdown, not HTML: finalize escapes instead
        finalize=_finalize,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(yaml_str=_yaml_str, datefmt=_datefmt)
    return env


def _finalize(value: Any) -> Any:
    if isinstance(value, (Markup, int, float)):
        return value
    return md_text(str(value))


def _yaml_str(value: str) -> Markup:
    # JSON strings are valid YAML scalars: quotes, colons and "---" stay inert.
    return Markup(json.dumps(page_title(value), ensure_ascii=False))


def _datefmt(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def render(
    digest: Digest,
    settings: Settings,
    skip: Collection[str] = frozenset(),
    spans: Mapping[str, list[mentions.Span]] | None = None,
    related: Mapping[str, list[str]] | None = None,
    *,
    defer: bool = False,
    claims: ClaimContext | None = None,
) -> Iterator[Page]:
    """Every generated page of the site, as (path, Markdown), but the article, topic and story pages in ``skip``.

    Pages come one at a time, so that the caller can write each while the
    next renders, and never holds the whole site (200 MB at 10,000 articles).
    Skipped pages cost nothing: first mentions, the expensive part, are
    found lazily for the pages that do render, unless ``spans`` (from
    ``first_mentions``) already holds them; ``related`` holds each topic's
    related topic slugs when incremental/page_plan.py has counted them already.

    With ``defer``, an article or topic page comes as an ArticlePage or a
    TopicPage, to be rendered where it is written (incremental/journal.py's staging
    workers) while this process makes the next ones.
    """
    env = environment(settings)
    ctx = _Context(digest, settings, spans, related, claims)
    yield "index.md", env.get_template("home.md.j2").render(ctx=ctx, settings=settings)
    yield "articles/index.md", env.get_template("articles.md.j2").render(ctx=ctx, settings=settings)
    yield "topics/index.md", env.get_template("topics.md.j2").render(ctx=ctx, settings=settings)
    yield "timeline/index.md", env.get_template("timeline.md.j2").render(ctx=ctx, settings=settings)
    yield "stories/index.md", env.get_template("stories.md.j2").render(ctx=ctx, settings=settings)
    yield "sources/index.md", env.get_template("sources.md.j2").render(ctx=ctx, settings=settings)
    yield "figures/index.md", env.get_template("figures.md.j2").render(ctx=ctx, settings=settings)
    yield "quotes/index.md", env.get_template("quotes.md.j2").render(ctx=ctx, settings=settings)
    story_tpl = env.get_template("story.md.j2")
    for story in ctx.stories.pages():
        if story_path(story.slug) not in skip:
            yield story_path(story.slug), story_tpl.render(ctx=ctx, s=story, settings=settings)
    # A user's article or topic template may read anything on ctx, so it renders here with all of it.
    own_article = _user_template(settings, "article.md.j2")
    article_tpl = env.get_template("article.md.j2")
    for article in digest.articles:
        if article_path(article.slug) in skip:
            continue
        if own_article:
            yield article_path(article.slug), article_tpl.render(ctx=ctx, a=article, settings=settings)
        else:
            yield article_path(article.slug), _deferred(ctx.article_page(article), defer)
    entity_tpl = env.get_template("entities.md.j2")
    for kind, rel, title in ENTITY_PAGES:
        yield rel, entity_tpl.render(ctx=ctx, kind=kind, title=title, settings=settings)
    own_topic = _user_template(settings, "topic.md.j2")
    topic_tpl = env.get_template("topic.md.j2")
    for topic in ctx.page_topics:
        if topic_path(topic.slug) in skip:
            continue
        if own_topic:
            yield topic_path(topic.slug), topic_tpl.render(ctx=ctx, t=topic, settings=settings)
        else:
            yield topic_path(topic.slug), _deferred(ctx.topic_page(topic), defer)


def _deferred(page: ArticlePage | TopicPage, defer: bool) -> str | ArticlePage | TopicPage:
    """The page itself to render elsewhere when deferring, else its Markdown."""
    return page if defer else page()


def first_mentions(
    digest: Digest, settings: Settings, articles: Iterable[Article], pool: Executor | None = None
) -> Iterator[tuple[str, list[mentions.Span]]]:
    """Each article's slug and first topic mentions, as its page links them and topic pages quote them.

    A function of the article's text and its linked topics' names only, so
    they can be kept between runs (incremental/page_plan.py) and passed back to ``render``.
    Many articles are searched in ``pool``, whose jobs carry just the texts
    and names: every job is sent before this returns, and results are read
    as the caller iterates, so the caller can do other work meanwhile.
    """
    ctx = _Context(digest, settings)
    todo = list(articles)
    if pool is None or len(todo) < POOL_MIN_ARTICLES:
        return iter([(a.slug, ctx._first_mentions(a)) for a in todo])
    texts = (_running_text(ctx.analysis(a).sentences, a)[0] for a in todo)
    names = (ctx._mention_names(a) for a in todo)
    return zip((a.slug for a in todo), pool.map(mentions.find_first, texts, names, chunksize=64), strict=True)


def _running_text(sentences: Sequence[Sentence], article: Article) -> tuple[str, list[int], list[Sentence]]:
    """The article's sentences, headings left out, joined by mentions.SEPARATOR; each one's offset; the sentences."""
    sentences = [s for s in sentences if article.blocks[s.block].kind != "heading"]
    starts, offset = [], 0
    for s in sentences:
        starts.append(offset)
        offset += len(s.text) + len(mentions.SEPARATOR)
    return mentions.SEPARATOR.join(s.text for s in sentences), starts, sentences


class _Context:
    """Read-only helpers the templates call; they return Markdown fragments."""

    def __init__(
        self,
        digest: Digest,
        settings: Settings,
        spans: Mapping[str, list[mentions.Span]] | None = None,
        related: Mapping[str, list[str]] | None = None,
        claims: ClaimContext | None = None,
    ) -> None:
        self.digest = digest
        self._related = related or {}
        self._claims = claims
        self.settings = settings
        self.by_slug = {a.slug: a for a in digest.articles}
        self.topics = {t.slug: t for t in digest.topics}
        self.page_topics = tuple(digest.topics)
        # The home page leads with topics that link articles, not terms every article shares.
        self.main_topics = tuple(t for t in digest.topics if t.linked) + tuple(t for t in digest.topics if not t.linked)
        self._flats: dict[str, _Flat] = {}
        self._article_links: dict[tuple[str, str], Markup] = {}
        self._entries: dict[tuple[str, int], Markup] = {}
        self._firsts: dict[str, dict[str, Sentence]] = {}
        self._mentioned: tuple[str, list[tuple[Article, Sentence | None]]] = ("", [])
        self._spans: dict[str, list[mentions.Span]] = dict(spans or {})
        self.sources = sorted({a.meta.source for a in digest.articles if a.meta.source})
        dates = sorted(a.meta.published for a in digest.articles if a.meta.published)
        self.first_date: date | None = dates[0] if dates else None
        self.last_date: date | None = dates[-1] if dates else None

    def source_count(self, topic: Topic) -> int:
        """Distinct stated sources on a topic: articles that state none are no source at all."""
        return len(set(map(self._source_of.__getitem__, topic.articles)) - {""})

    def unstated_count(self, topic: Topic) -> int:
        """Articles on a topic that state no source."""
        return list(map(self._source_of.__getitem__, topic.articles)).count("")

    def only_story(self, topic: Topic) -> Markup:
        return self.stories.only_story(topic)

    def coverage(self, topic: Topic) -> str:
        """How many articles and distinct sources cover a topic, in words."""
        return coverage(len(topic.articles), self.source_count(topic), self.unstated_count(topic), "this topic")

    @functools.cached_property
    def _source_of(self) -> dict[str, str]:
        # The topic list counts every topic's sources on every run: a lookup in C per article.
        return {a.slug: a.meta.source or "" for a in self.digest.articles}

    def analysis(self, article: Article) -> Analysis:
        return self.digest.analyses[article.slug]

    def article_link(self, slug: str, prefix: str = "") -> Markup:
        # Made once per article and prefix: related lists, topic pages and
        # indexes link the same articles hundreds of thousands of times.
        link = self._article_links.get((slug, prefix))
        if link is None:
            link = self._article_links[slug, prefix] = Markup(f"[{md_text(self.by_slug[slug].title)}]({prefix}{slug}.md)")
        return link

    def topic_link(self, slug: str, prefix: str = "") -> Markup:
        return _topic_link(slug, self.topics[slug].name, prefix)

    def tags(self, article: Article) -> Markup:
        """Keyphrases as Material tags; shared ones link to their topic page."""
        own = {slug: i for i, slug in enumerate(self.digest.article_topics.get(article.slug, ()))}
        chips = []
        for kp in self.analysis(article).keyphrases:
            # Of the article's topics that go by this name, the last in its own order.
            named = [t for t in self._named.get(kp.text.lower(), ()) if t.slug in own]
            topic = max(named, key=lambda t: own[t.slug]) if named else None
            if topic is not None:
                chips.append(f"[{md_text(kp.text)}](../topics/{topic.slug}.md){{ .md-tag }}")
            else:
                chips.append(f"[{md_text(kp.text)}](#){{ .md-tag .md-tag--plain }}")
        return Markup(" ".join(chips))

    @functools.cached_property
    def _named(self) -> dict[str, list[Topic]]:
        """Each lower-cased topic name and variant, with the topics that go by it."""
        # Lower-casing every variant of an article's topics on each of its pages was a tenth of rendering them.
        named: dict[str, list[Topic]] = {}
        for t in self.digest.topics:
            for name in dict.fromkeys(v.lower() for v in (t.name, *t.variants)):
                named.setdefault(name, []).append(t)
        return named

    def meta_line(self, article: Article) -> Markup:
        return _meta_line(article, self.settings)

    def timeline(self) -> list[tuple[str, list[tuple[str, list[Markup]]]]]:
        """The timeline's sections: (year or decade, [(month or "", entries)]), oldest first."""
        sections: dict[str, dict[str, list[Markup]]] = {}
        for event in timeline_listed(self.digest.timeline):
            year = event.date[:4] if len(event.date) > 3 else f"{event.date}0s"
            month = MONTH_NAMES[int(event.date[5:7])] + " " + year if len(event.date) >= 7 else ""
            sections.setdefault(year, {}).setdefault(month, []).append(self._event_entry(event))
        return [(year, list(months.items())) for year, months in sections.items()]

    def _event_entry(self, event: Event) -> Markup:
        slug, sid = event.sentence
        text = self.digest.analyses[slug].sentences[sid].text
        cites = ", ".join(f"[{md_text(self.by_slug[s].title)}](../articles/{s}.md#sent-{i})" for s, i in event.reports)
        # The section names the year and month; only a day is said again.
        label = f"**{event_date(event.date)}** — " if len(event.date) == 10 else ""
        expected = "*Expected:* " if event.expected else ""
        return Markup(f"{label}{expected}{md_text(text)} ({cites})")

    def summary(self, article: Article) -> Iterator[Markup]:
        """Summary sentences, each linking to its highlighted place in the text."""
        an = self.analysis(article)
        return _summary(an.sentences, an.summary)

    def body(self, article: Article) -> Iterator[Markup]:
        """The full text as Markdown blocks, summary sentences marked and anchored.

        The first mention of each linked topic links to its topic page.
        """
        _, _, starts, sentences = self._flat(article)
        figures = self.claims.marks.get(article.slug, ())
        return _body(article, self.analysis(article).summary, starts, sentences, self._first_mentions(article), figures=figures)

    def full_text(self, article: Article) -> Markup:
        """``body``'s blocks as the page prints them (see _full_text)."""
        return _full_text(self.body(article))

    def article_page(self, article: Article) -> ArticlePage:
        """What the built-in template shows of the article, with the parts that need the other articles made here."""
        an = self.analysis(article)
        spans = tuple(self._first_mentions(article))
        figures = self.claims.marks.get(article.slug, ())
        return ArticlePage(
            article, an.sentences, an.summary, spans, self.tags(article), tuple(self.related(article)), self.settings, figures
        )

    def _first_mentions(self, article: Article) -> list[mentions.Span]:
        """Computed once per article: the article page links them, topic pages quote them."""
        if article.slug not in self._spans:
            self._spans[article.slug] = mentions.find_first(self._flat(article)[0], self._mention_names(article))
        return self._spans[article.slug]

    def _flat(self, article: Article) -> _Flat:
        """The article's running text (headings left out), folded for mentions.Names, with each sentence's offset."""
        if article.slug not in self._flats:
            flat, starts, sentences = _running_text(self.analysis(article).sentences, article)
            self._flats[article.slug] = (flat, mentions.fold(flat), starts, sentences)
        return self._flats[article.slug]

    @staticmethod
    def _pattern(topic: Topic) -> mentions.Names | None:
        return mentions.pattern((topic.name, *topic.variants))

    def _mention_names(self, article: Article) -> mentions.Topics:
        """The article's linked topics and their names, for mentions.find_first."""
        return tuple(self._linked_names[s] for s in self.digest.article_topics.get(article.slug, ()) if s in self._linked_names)

    @functools.cached_property
    def _linked_names(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        # One tuple per topic, shared by its articles: rebuilt per article it was seconds at 10,000.
        return {t.slug: (t.slug, (t.name, *t.variants)) for t in self.page_topics if t.linked}

    def related(self, article: Article) -> Iterator[Markup]:
        for rel in self.digest.related.get(article.slug, ()):
            reason = md_text("shares: " + ", ".join(rel.shared))
            yield Markup(f"{self.article_link(rel.slug)} — {reason} (score {rel.score:.2f})")

    # Made when a page first asks: first_mentions makes a _Context that needs neither.
    @functools.cached_property
    def stories(self) -> StoryContext:
        return StoryContext(self.digest)

    @functools.cached_property
    def claims(self) -> ClaimContext:
        return self._claims or ClaimContext(self.digest)

    def executive(self) -> Iterator[Markup]:
        for slug, sid in self.digest.executive:
            sentence = self.digest.analyses[slug].sentences[sid]
            a = self.by_slug[slug]
            yield Markup(f"{md_text(sentence.text)} ([{md_text(a.title)}](articles/{slug}.md#sent-{sid}))")

    def _mentioning(self, topic: Topic) -> list[tuple[Article, Sentence | None]]:
        """Each article on the topic with the first sentence that names it.

        A topic page asks twice (its lead, its passages): the last answer is kept.
        """
        if self._mentioned[0] == topic.slug:
            return self._mentioned[1]
        regex = functools.cache(lambda: self._pattern(topic))  # compiled only if an article needs a search
        found: list[tuple[Article, Sentence | None]] = []
        # Looked up directly: this runs for every (topic, article) pair.
        by_slug, firsts, slug_of_topic = self.by_slug, self._firsts, topic.slug if topic.linked else None
        for slug in topic.articles:
            a = by_slug[slug]
            hit = (firsts.get(slug) or self._first_sentences(a)).get(slug_of_topic) if slug_of_topic else None
            if hit is None and (names := regex()) is not None:
                flat, folded, starts, sentences = self._flat(a)
                match = names.search(flat, folded)
                hit = sentences[bisect.bisect(starts, match.start()) - 1] if match else None
            found.append((a, hit))
        self._mentioned = (topic.slug, found)
        return found

    def _first_sentences(self, article: Article) -> dict[str, Sentence]:
        """The sentence where the article first mentions each linked topic, by topic slug."""
        if article.slug not in self._firsts:
            _, _, starts, sentences = self._flat(article)
            self._firsts[article.slug] = {
                slug: sentences[bisect.bisect(starts, start) - 1] for start, _, slug in self._first_mentions(article)
            }
        return self._firsts[article.slug]

    def _quotes(self, topic: Topic) -> list[Quote]:
        """_mentioning's answer as plain data: what a topic page shows of each of its articles."""
        summaries = self.digest.analyses
        return [
            (a.slug, a.title, s.id, s.text, s.id in summaries[a.slug].summary)
            if s is not None
            else (a.slug, a.title, -1, "", False)
            for a, s in self._mentioning(topic)
        ]

    def topic_entries(self, topic: Topic) -> Iterator[Markup]:
        """Each article on the topic as a list entry: its title, linked, and the passage, linked."""
        entries = self._entries
        for slug, title, sid, text, _ in self._quotes(topic):
            # One article's first-mention sentence is quoted on many of its
            # topics' pages: each entry is made once.
            entry = entries.get((slug, sid))
            if entry is None:
                entry = entries[slug, sid] = _entry(slug, title, sid, text)
            yield entry

    def topic_list(self, topic: Topic) -> Markup:
        """topic_entries as one Markdown list (see _topic_list)."""
        return _topic_list(self.topic_entries(topic))

    def topic_lead(self, topic: Topic) -> Markup:
        """The best sentence about the topic: a summary sentence if one names it, the earliest otherwise."""
        return _topic_lead(self._quotes(topic))

    def topic_page(self, topic: Topic) -> TopicPage:
        """What the built-in template shows of the topic, its articles' passages found here."""
        near = tuple((t.slug, t.name) for t in self.related_topics(topic))
        return TopicPage(
            topic,
            tuple(self._quotes(topic)),
            self.source_count(topic),
            self.unstated_count(topic),
            near,
            self.settings,
            self.stories.only_story(topic),
        )

    def related_topics(self, topic: Topic) -> list[Topic]:
        """Topics that co-occur with this one, linked ones only."""
        if topic.slug in self._related:  # counted once, by page_plan.plan
            return [self.topics[s] for s in self._related[topic.slug]]
        return self._co_topics.related(topic)

    @functools.cached_property
    def _co_topics(self) -> CoTopics:
        return CoTopics(self.topics, self.digest.article_topics)

    def entities(self, kind: str) -> list[Topic]:
        """Topics of one kind (person, organization, place), most covered first."""
        return [t for t in self.page_topics if t.kind == kind]


def _meta_line(article: Article, settings: Settings) -> Markup:
    parts = [md_text(article.meta.source or "Source not stated")]
    if article.meta.author:
        parts.append(md_text(article.meta.author))
    if article.meta.published:
        parts.append(_datefmt(article.meta.published))
    words = article.word_count
    minutes = max(1, round(words / settings.words_per_minute))
    parts += [f"{words:,} words", f"{minutes} min read"]
    if article.meta.url:
        parts.append(f"[original]({md_text(article.meta.url)})")
    return Markup(" · ".join(parts))


def _summary(sentences: Sequence[Sentence], summary: Iterable[int]) -> Iterator[Markup]:
    for sid in summary:
        yield Markup(f'{md_text(sentences[sid].text)} [↓](#sent-{sid} "Show in the full text")')


def _body(
    article: Article,
    summary: Collection[int],
    starts: list[int],
    sentences: list[Sentence],
    spans: Iterable[mentions.Span],
    *,
    figures: Sequence[FigureMark] = (),
) -> Iterator[Markup]:
    """The blocks of ``_Context.body``, from the running text's ``starts`` and ``sentences``, first mentions and figure marks."""
    chosen = set(summary)
    marks: dict[int, list[FigureMark]] = {}
    for mark in figures:
        marks.setdefault(mark[0], []).append(mark)
    per_sentence: dict[int, list[mentions.Span]] = {}
    for start, end, slug in spans:
        i = bisect.bisect(starts, start) - 1
        per_sentence.setdefault(i, []).append((start - starts[i], end - starts[i], slug))
    per_block: dict[int, list[str]] = {}
    for i, s in enumerate(sentences):
        text = _linked_text(s.text, per_sentence.get(i, []), marks.get(s.id, ()))
        css = "s summary-sentence" if s.id in chosen else "s"
        # Every sentence is an anchor, so summaries and topic pages can point into the text.
        per_block.setdefault(s.block, []).append(f"=={text}=={{#sent-{s.id} .{css.replace(' ', ' .')}}}")
    for index, block in enumerate(article.blocks):
        if block.kind == "heading":
            yield Markup("#" * min(block.level + 1, 6) + " " + md_text(block.text))
            continue
        text = " ".join(per_block[index]) if index in per_block else md_text(block.text)
        if block.kind == "item":
            yield Markup("    " * (max(block.level, 1) - 1) + "- " + text)
        else:
            yield Markup(text)


def _full_text(blocks: Iterable[Markup]) -> Markup:
    """The body's blocks as the page prints them, a blank line after each, with search exclusions.

    Search indexes the title, meta line, tags, summary and the full
    text's headings, not every sentence again (ARCHITECTURE.md "What search
    indexes"). Material makes one index entry per heading: the template
    excludes the "Full text" heading, which drops the text up to the
    first subheading, and here the blocks under each subheading go in an
    excluded <div> (pymdownx.blocks.html), so a subheading is indexed by
    its title alone. Body blocks are escaped, so only a heading starts
    with "#" and no article text can open or close a "///" block.

    One string, not a template loop: the loop's cost per block was more than the block's own.
    """
    out: list[str] = []
    heading = opened = False
    for block in blocks:
        if block.startswith("#"):
            if opened:
                out.append("///\n\n")
                opened = False
            heading = True
        elif heading and not opened:
            out.append("/// html | div[data-search-exclude]\n\n")
            opened = True
        out.append(f"{block}\n\n")
    if opened:
        out.append("///\n\n")
    return Markup("".join(out))


def _linked_text(text: str, spans: list[mentions.Span], figures: Sequence[FigureMark] = ()) -> str:
    """The sentence with its first topic mentions linked, and its figures linked to their claims with their status.

    A figure that overlaps a topic link is left as text: links never nest.
    """
    links = [(start, end, f"../topics/{slug}.md", "") for start, end, slug in spans]
    taken = [(s, e) for s, e, _, _ in links]
    for _, start, end, href, status in figures:
        if not any(start < e and s < end for s, e in taken):
            links.append((start, end, href, f' "{status}")'))
            taken.append((start, end))
    out, last = [], 0
    for start, end, href, tail in sorted(links):
        out += [md_text(text[last:start]), f"[{md_text(text[start:end])}]({href}" + (tail or ")")]
        last = end
    out.append(md_text(text[last:]))
    return "".join(out)


@dataclass(frozen=True)
class ArticlePage:
    """An article page as the built-in template shows it, to render in another process.

    The article's own parts travel as they are; the parts that need the
    other articles (tags linking topic pages, related articles) come made,
    as Markdown. Calling it renders the page, as ``render`` would.
    """

    article: Article
    sentences: tuple[Sentence, ...]
    summary: tuple[int, ...]
    spans: tuple[mentions.Span, ...]
    tags: Markup
    related: tuple[Markup, ...]
    settings: Settings
    figures: tuple[FigureMark, ...] = ()  # its figures' claims and status (claim_pages.figure_marks)

    def __call__(self) -> str:
        return _template(self.settings, "article.md.j2").render(
            ctx=_ArticlePageContext(self), a=self.article, settings=self.settings
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Sentences as offsets and Markdown as plain strings: NamedTuples and
        # Markup pickle through copyreg, and sending the pages cost this
        # process 90 µs a page, against 240 µs to render one.
        columns = models.sentence_columns(self.sentences)
        related = tuple(map(str, self.related))
        fields = (self.article, columns, self.summary, self.spans, str(self.tags), related, self.settings, self.figures)
        return _article_page, (fields,)


def _article_page(fields: tuple[Any, ...]) -> ArticlePage:
    """An ArticlePage as ``ArticlePage.__reduce__`` sent it."""
    article, columns, summary, spans, tags, related, settings, figures = fields
    sentences = models.sentences_from(columns, article)
    return ArticlePage(article, sentences, summary, spans, Markup(tags), tuple(map(Markup, related)), settings, figures)


class _ArticlePageContext:
    """``ctx`` for one ArticlePage: the helpers the built-in article template calls, and no others."""

    def __init__(self, page: ArticlePage) -> None:
        self.page = page

    def meta_line(self, article: Article) -> Markup:
        return _meta_line(article, self.page.settings)

    def tags(self, article: Article) -> Markup:
        return self.page.tags

    def summary(self, article: Article) -> Iterator[Markup]:
        return _summary(self.page.sentences, self.page.summary)

    def full_text(self, article: Article) -> Markup:
        _, starts, sentences = _running_text(self.page.sentences, article)
        return _full_text(_body(article, self.page.summary, starts, sentences, self.page.spans, figures=self.page.figures))

    def related(self, article: Article) -> Iterator[Markup]:
        return iter(self.page.related)


Quote = tuple[str, str, int, str, bool]  # article slug, title, quoted sentence id (-1: none), its text, a summary sentence


TIMELINE_LISTED = 2000  # events the timeline page lists: a large corpus dates tens of thousands of sentences


def timeline_listed(events: Sequence[Event]) -> list[Event]:
    """The events the timeline page lists, in date order: all that several articles report, then the most recent others."""
    if len(events) <= TIMELINE_LISTED:
        return list(events)
    several = [n for n, e in enumerate(events) if len(e.reports) > 1][:TIMELINE_LISTED]
    alone = [n for n, e in enumerate(events) if len(e.reports) == 1]
    room = TIMELINE_LISTED - len(several)  # filled with the latest lone events; alone[len(alone):] is empty
    return [events[n] for n in sorted(several + alone[len(alone) - room :])]


def coverage(articles: int, sources: int, unstated: int, what: str) -> str:
    """ "4 articles from 2 sources cover this topic (1 states no source)." Unstated sources are never counted as sources."""
    plural = "s" if articles != 1 else ""
    cover = "covers" if articles == 1 else "cover"
    if not sources:
        none = "it states no source" if articles == 1 else "none states its source"
        return f"{articles} article{plural} {cover} {what}; {none}."
    named = f"{articles} article{plural} from {sources} source{'s' if sources != 1 else ''} {cover} {what}"
    return named + (f" ({unstated} state{'s' if unstated == 1 else ''} no source)." if unstated else ".")


def _topic_link(slug: str, name: str, prefix: str = "") -> Markup:
    return Markup(f"[{md_text(name)}]({prefix}{slug}.md)")


def _entry(slug: str, title: str, sid: int, text: str) -> Markup:
    passage = f" — {md_text(text)} [↗](../articles/{slug}.md#sent-{sid})" if sid >= 0 else ""
    return Markup(f"**[{md_text(title)}](../articles/{slug}.md)**{passage}")


def _topic_list(entries: Iterable[Markup]) -> Markup:
    """Entries as one Markdown list, an entry a line.

    One string, not a template loop: a topic page has one entry per
    article on the topic (400,000 on 5,000 pages at 10,000 articles),
    and Jinja's cost per loop item was more than the entry's own.
    """
    return Markup("".join([f"- {entry}\n" for entry in entries]))


def _topic_lead(quotes: Iterable[Quote]) -> Markup:
    # (not a summary sentence, sentence id, slug) is unique per article, so min never compares the rest.
    best = min(((not summary, sid, slug, title, text) for slug, title, sid, text, summary in quotes if sid >= 0), default=None)
    if best is None:
        return Markup("")
    _, sid, slug, title, text = best
    return Markup(f"{md_text(text)} ([{md_text(title)}](../articles/{slug}.md#sent-{sid}))")


@dataclass(frozen=True)
class TopicPage:
    """A topic page as the built-in template shows it, to render in another process.

    Each article on the topic travels as a Quote, its passage found here
    (first mentions need every article's text); related topics as (slug, name).
    """

    topic: Topic
    quotes: tuple[Quote, ...]
    sources: int
    unstated: int  # articles that state no source
    related: tuple[tuple[str, str], ...]
    settings: Settings
    only_story: str = ""  # for a person named in one story only, that story, linked (Markdown)

    def __call__(self) -> str:
        return _template(self.settings, "topic.md.j2").render(ctx=_TopicPageContext(self), t=self.topic, settings=self.settings)


class _Near(NamedTuple):
    slug: str
    name: str


class _TopicPageContext:
    """``ctx`` for one TopicPage: the helpers the built-in topic template calls, and no others."""

    def __init__(self, page: TopicPage) -> None:
        self.page = page
        self.names = dict(page.related)

    def topic_lead(self, topic: Topic) -> Markup:
        return _topic_lead(self.page.quotes)

    def source_count(self, topic: Topic) -> int:
        return self.page.sources

    def coverage(self, topic: Topic) -> str:
        return coverage(len(topic.articles), self.page.sources, self.page.unstated, "this topic")

    def only_story(self, topic: Topic) -> Markup:
        return Markup(self.page.only_story)

    def topic_list(self, topic: Topic) -> Markup:
        return _topic_list(_entry(slug, title, sid, text) for slug, title, sid, text, _ in self.page.quotes)

    def related_topics(self, topic: Topic) -> list[_Near]:
        return [_Near(slug, name) for slug, name in self.page.related]

    def topic_link(self, slug: str, prefix: str = "") -> Markup:
        return _topic_link(slug, self.names[slug], prefix)


@functools.lru_cache(maxsize=8)  # one per process, settings and template: a worker renders thousands of pages
def _template(settings: Settings, name: str) -> Template:
    return environment(settings).get_template(name)


def _user_template(settings: Settings, name: str) -> bool:
    """Whether the user's templates folder overrides the built-in template ``name``."""
    folder = settings.templates_dir
    if not folder:  # as template_loader: no folder, no user templates
        return False
    return (Path(folder) / name).is_file()
