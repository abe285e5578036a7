"""The printed briefing: the Digest rendered to HTML + CSS, then to PDF by WeasyPrint.

The PDF is built from the same Digest as the site, not scraped from it, so
it can have a cover, a contents list with page numbers, running headers and
an outline. Article text is untrusted: the templates are HTML with
autoescape on, so no article text ever becomes markup, and WeasyPrint gets a
URL fetcher that refuses every URL, so nothing in a briefing can make the
build touch the network or the file system.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from generator.config import Settings
from generator.errors import BriefingError
from generator.ingest.clean import slugify
from generator.ingest.invisible import strip_invisible
from generator.models import Analysis, Article, Claim, Digest, Event, Related, Story
from generator.site.render import template_loader
from generator.site.story_pages import event_date, single_source

SINGLE_SOURCE_CLAIMS = 40  # single-source figures printed; the site's figures page lists every one
PAGE_SIZES = {"A4": "A4", "Letter": "letter"}  # settings.paper -> CSS @page size keyword


@dataclass(frozen=True)
class Scope:
    """Which articles a briefing covers, and how to say so on the cover."""

    digest: Digest
    label: str = ""  # empty for the whole corpus
    notes: tuple[str, ...] = ()  # told to the reader and the log, e.g. undated articles left out
    slug: str = ""  # file-name suffix for a partial briefing
    titles: dict[str, str] = field(default_factory=dict, hash=False)  # every article's title, for related ones left out


@dataclass(frozen=True)
class PdfResult:
    """What one PDF run produced."""

    path: Path
    pages: int
    bytes: int
    articles: int
    notes: tuple[str, ...]
    refused_urls: tuple[str, ...]


# ---------------------------------------------------------------- public


def select(digest: Digest, topic: str | None = None, since: date | None = None) -> Scope:
    """Narrow the Digest to one topic and/or to articles published on or after ``since``."""
    scope = Scope(digest, titles={a.slug: a.title for a in digest.articles})
    if topic:
        scope = _by_topic(scope, topic)
    if since:
        scope = _since(scope, since)
    return scope


def default_path(settings: Settings, scope: Scope) -> Path:
    """``site/briefing.pdf``; a partial briefing gets its own name so it never replaces the full one."""
    return settings.site / (f"briefing-{scope.slug}.pdf" if scope.slug else "briefing.pdf")


def write(scope: Scope, settings: Settings, output: Path, generated: date | None = None) -> PdfResult:
    """Render the briefing for ``scope`` to ``output`` (written atomically)."""
    from weasyprint import HTML

    html = render_html(scope, settings, generated or generation_date())
    fetcher = _refusing_fetcher()
    document = HTML(string=html, base_url=None, url_fetcher=fetcher).render()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    document.write_pdf(tmp)
    tmp.replace(output)
    return PdfResult(
        path=output,
        pages=len(document.pages),
        bytes=output.stat().st_size,
        articles=len(scope.digest.articles),
        notes=scope.notes,
        refused_urls=tuple(fetcher.refused),
    )


def render_html(scope: Scope, settings: Settings, generated: date) -> str:
    """The briefing as one HTML document, styles included."""
    env = environment(settings)
    ctx = _Context(scope, settings, generated)
    return env.get_template("pdf/briefing.html.j2").render(ctx=ctx, settings=settings)


def environment(settings: Settings) -> Environment:
    """Jinja2 for HTML: the same template folders as the site; autoescape always on."""
    env = Environment(
        loader=template_loader(settings),
        autoescape=True,  # article text is untrusted: every value is HTML-escaped
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["datefmt"] = _datefmt
    return env


def generation_date() -> date:
    """Today, or the date of ``SOURCE_DATE_EPOCH`` so that builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError, OSError) as exc:
            raise BriefingError(f"SOURCE_DATE_EPOCH must be seconds since 1970, got {epoch!r}") from exc
    return date.today()


# ---------------------------------------------------------------- selection


def _by_topic(scope: Scope, wanted: str) -> Scope:
    """Articles on a topic (name or any variant), else with that keyphrase, else that mention it."""
    digest = scope.digest
    key = " ".join(wanted.lower().split())
    topic = next((t for t in digest.topics if key in {n.lower() for n in (t.name, *t.variants)}), None)
    if topic is not None:
        return _narrow(scope, set(topic.articles), f"Topic: {topic.name}", f"topic-{slugify(topic.name)}")
    name = " ".join(wanted.split())
    # Too rare to be a shared topic: one article's keyphrase, or a phrase the text names, still makes a briefing.
    slugs = {a.slug for a in digest.articles if key in _keyphrase_names(digest.analyses[a.slug])}
    if not slugs:
        slugs = {a.slug for a in digest.articles if _mentions(a, key)}
    if not slugs:
        raise BriefingError(_unknown_topic(digest, wanted))
    return _narrow(scope, slugs, f"Topic: {name}", f"topic-{slugify(name)}")


def _keyphrase_names(analysis: Analysis) -> set[str]:
    return {n.lower() for kp in analysis.keyphrases for n in (kp.text, kp.key)}


def _mentions(article: Article, key: str) -> bool:
    pattern = re.compile(r"\b" + re.escape(key).replace(r"\ ", r"\s+") + r"\b", re.IGNORECASE)
    return any(pattern.search(text) for text in (article.title, *(b.text for b in article.blocks)))


def _unknown_topic(digest: Digest, wanted: str) -> str:
    names = sorted({t.name for t in digest.topics}, key=str.lower)
    close = [n for n in names if _close(wanted, n)]
    hint = f" Close matches: {', '.join(close)}." if close else f" Topics: {', '.join(names[:20]) or 'none yet'}."
    return f"No topic, keyphrase or article text matches {wanted!r}.{hint}"


def _close(wanted: str, name: str) -> bool:
    """Near the whole name or near one of its words: "Bozovsky" finds "Minister Andrei Bozhovsky"."""
    a, b = wanted.lower(), name.lower()
    if difflib.SequenceMatcher(None, a, b).ratio() >= 0.6:
        return True
    return any(difflib.SequenceMatcher(None, w, n).ratio() >= 0.8 for w in a.split() for n in b.split())


def _since(scope: Scope, since: date) -> Scope:
    articles = scope.digest.articles
    slugs = {a.slug for a in articles if a.meta.published and a.meta.published >= since}
    undated = sum(1 for a in articles if not a.meta.published)
    if not slugs:
        raise BriefingError(f"No article was published on or after {since.isoformat()} ({undated} article(s) have no date).")
    notes = (f"{undated} article(s) without a date were left out.",) if undated else ()
    label = f"Articles since {_datefmt(since)}"
    if scope.label:
        label = f"{scope.label}; {label[0].lower()}{label[1:]}"
    narrowed = _narrow(scope, slugs, label, "-".join(filter(None, [scope.slug, f"since-{since.isoformat()}"])))
    return replace(narrowed, notes=narrowed.notes + notes)


def _narrow(scope: Scope, slugs: set[str], label: str, slug: str) -> Scope:
    """The Digest restricted to ``slugs``: topics keep only those articles; the rest is unchanged."""
    digest = scope.digest
    articles = tuple(a for a in digest.articles if a.slug in slugs)
    topics = tuple(replace(t, articles=kept) for t in digest.topics if (kept := tuple(s for s in t.articles if s in slugs)))
    narrowed = replace(
        digest,
        articles=articles,
        topics=topics,
        # Same rule as the site's executive summary (first summary sentence of the newest five), on this subset.
        executive=tuple((a.slug, digest.analyses[a.slug].summary[0]) for a in articles[:5] if digest.analyses[a.slug].summary),
        timeline=tuple(_events_within(digest.timeline, slugs)),
        stories=tuple(_stories_within(digest.stories, slugs)),
        claims=tuple(c for c in digest.claims if all(s.slug in slugs for s in c.statements)),
        speakers=tuple(s for s in digest.speakers if all(a in slugs for a, _ in s.quotes)),
    )
    return Scope(narrowed, label, scope.notes, slug, scope.titles)


def _stories_within(stories: Sequence[Story], slugs: set[str]) -> Iterator[Story]:
    """The stories some of ``slugs`` are in, with only those members and what they say."""
    for story in stories:
        members = tuple(s for s in story.members if s in slugs)
        if members:
            yield replace(
                story,
                members=members,
                versions=tuple(kept for g in story.versions if len(kept := tuple(s for s in g if s in slugs)) > 1),
                summary=tuple(c for c in story.summary if c[0] in slugs),
                only=tuple(o for o in story.only if o[0] in slugs),
            )


def _events_within(events: Sequence[Event], slugs: set[str]) -> Iterator[Event]:
    """The events some of ``slugs`` report, citing only those."""
    for event in events:
        reports = tuple(r for r in event.reports if r[0] in slugs)
        if reports:
            yield replace(event, sentence=reports[0], reports=reports)


# ---------------------------------------------------------------- rendering helpers


def _finalize(value: Any) -> Any:
    # Zero-width and bidi-override characters could hide or reorder text on paper too.
    if isinstance(value, str) and not isinstance(value, Markup):
        return strip_invisible(value)
    return value


def _datefmt(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def _safe_url(url: str | None) -> str | None:
    """Only http(s) URLs become links; anything else (javascript:, file:) stays text."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in {"http", "https"} and parts.netloc else None


class _Context:
    """Read-only helpers the PDF template calls; they return plain data, escaped by Jinja."""

    def __init__(self, scope: Scope, settings: Settings, generated: date) -> None:
        self.scope = scope
        self.digest = scope.digest
        self.settings = settings
        self.generated = generated
        self.page_size = PAGE_SIZES[settings.paper]
        self.by_slug = {a.slug: a for a in self.digest.articles}
        self.sources = sorted({a.meta.source for a in self.digest.articles if a.meta.source})
        dates = sorted(a.meta.published for a in self.digest.articles if a.meta.published)
        self.first_date: date | None = dates[0] if dates else None
        self.last_date: date | None = dates[-1] if dates else None

    def timeline(self) -> list[tuple[str, str, list[Article], bool]]:
        """Each event: its date as a reader writes it, the sentence, the articles that report it, and if it is expected."""
        out = []
        for event in self.digest.timeline:
            slug, sid = event.sentence
            text = self.digest.analyses[slug].sentences[sid].text
            out.append((event_date(event.date), text, [self.by_slug[s] for s, _ in event.reports], event.expected))
        return out

    def analysis(self, article: Article) -> Analysis:
        return self.digest.analyses[article.slug]

    def from_sources(self) -> str:
        n = len(self.sources)
        return f"from {n} source{'s' if n != 1 else ''}" if n else "(sources not stated)"

    def meta(self, article: Article) -> list[str]:
        """Source, author, date, length: the line under each article title."""
        parts = [article.meta.source or "Source not stated"]
        if article.meta.author:
            parts.append(article.meta.author)
        if article.meta.published:
            parts.append(_datefmt(article.meta.published))
        parts.append(f"{article.word_count:,} words")
        return parts

    def summary(self, article: Article) -> list[tuple[int, str]]:
        an = self.analysis(article)
        return [(sid, an.sentences[sid].text) for sid in an.summary]

    def keyphrases(self, article: Article) -> list[str]:
        return [kp.text for kp in self.analysis(article).keyphrases]

    def related(self, article: Article) -> list[tuple[str, str, bool, str]]:
        """(slug, title, in this briefing, reason) per related article; those left out are named, not linked."""
        rels: Sequence[Related] = self.digest.related.get(article.slug, ())
        return [
            (r.slug, self.scope.titles.get(r.slug, r.slug), r.slug in self.by_slug, "shares: " + ", ".join(r.shared))
            for r in rels
        ]

    def executive(self) -> Iterator[tuple[str, Article, str]]:
        """(sentence, source article, anchor of that sentence in the article's summary)."""
        for slug, sid in self.digest.executive:
            article = self.by_slug[slug]
            anchor = f"{slug}-sent-{sid}" if sid in self.analysis(article).summary else slug
            yield self.analysis(article).sentences[sid].text, article, anchor

    def top_stories(self) -> list[tuple[Story, list[tuple[str, Article]], list[Article]]]:
        """The top stories, each once: its summary sentences with their articles, and its members."""
        out = []
        for story in self.digest.stories[: self.settings.executive_sentences]:
            summary = [(self.digest.analyses[s].sentences[i].text, self.by_slug[s]) for s, i in story.summary]
            out.append((story, summary, [self.by_slug[s] for s in story.members]))
        return out

    def claim_sections(self) -> list[tuple[str, list[tuple[Claim, list[Article]]]]]:
        """Claims by status, each with the articles that state it; single-source ones capped (the site lists them all)."""
        out = []
        for status in ("corroborated", "contradicted", "single source"):
            found = [c for c in self.digest.claims if c.status == status]
            if status == "single source":
                found = found[:SINGLE_SOURCE_CLAIMS]
            out.append((status, [(c, [self.by_slug[s] for s in dict.fromkeys(x.slug for x in c.statements)]) for c in found]))
        return out

    def story_line(self, story: Story) -> str:
        """ "2 articles from 1 source, first reported 3 May 2024": what backs a story, in words."""
        n, sources = len(story.reports), len(story.sources)
        line = f"{n} article{'s' if n != 1 else ''}"
        line += f" from {sources} source{'s' if sources != 1 else ''}" if sources else ", sources not stated"
        if single_source(story, self.by_slug):
            line += " (single source)"
        if story.first_reported:
            line += f", first reported {_datefmt(story.first_reported)}"
        return line

    def by_source(self) -> list[tuple[str, list[Article]]]:
        """Articles grouped by source, sources in alphabetical order, unstated last."""
        groups: dict[str, list[Article]] = {}
        for a in sorted(self.digest.articles, key=lambda a: (a.meta.published or date.min, a.title), reverse=True):
            groups.setdefault(a.meta.source or "", []).append(a)
        return [(name or "Source not stated", groups[name]) for name in sorted(groups, key=lambda n: (n == "", n.lower()))]

    def url(self, article: Article) -> str | None:
        return _safe_url(article.meta.url)

    def sentences_by_block(self, article: Article) -> dict[int, list[tuple[int, str]]]:
        """Sentence texts grouped by block, so summary sentences can be marked in the full text."""
        grouped: dict[int, list[tuple[int, str]]] = {}
        for s in self.analysis(article).sentences:
            grouped.setdefault(s.block, []).append((s.id, s.text))
        return grouped


def _refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches nothing and remembers what was asked for."""
    from weasyprint.urls import URLFetcher

    class RefusingFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols=())
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            # Our templates reference no resource at all; any request comes from content and is refused.
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url}")

    return RefusingFetcher()
