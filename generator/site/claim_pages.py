"""The Markdown of the figures page (claims across sources) and the quotes page (who is quoted, by whom).

Every value that comes from an article goes through ``md_text``: article text is untrusted.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator

from markupsafe import Markup

from generator.linking.speakers import single_source
from generator.models import Claim, Digest, Speaker, Story
from generator.site import escape

md_text = functools.lru_cache(maxsize=1 << 16)(escape.md_text)
STATUS_ORDER = ("corroborated", "contradicted", "single source")
_ANCHOR = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")
SINGLE_SOURCE_LISTED = 500  # single-source claims the figures page lists in full


FigureMark = tuple[int, int, int, str, str]  # sentence id, start, end (in the sentence), link to its claim, status


def listed(digest: Digest) -> tuple[Claim, ...]:
    """The claims the figures page lists: every one that several articles make, and the first single-source ones.

    A large corpus has tens of thousands of single-source figures; listing them
    all would make one page of megabytes. The others are marked in their articles.
    """
    single = [c for c in digest.claims if c.status == "single source"][:SINGLE_SOURCE_LISTED]
    return tuple(c for c in digest.claims if c.status != "single source") + tuple(single)


def figure_marks(digest: Digest) -> dict[str, tuple[FigureMark, ...]]:
    """Each article's figures with the link and status of their claim, for links in its text.

    A figure whose claim the figures page lists links its entry there; another
    links its own sentence, so that it still carries its status.
    """
    shown = {c.slug for c in listed(digest)}
    marks: dict[str, list[FigureMark]] = {}
    for claim in digest.claims:
        for s in claim.statements:
            href = f"../figures/index.md#{anchor(claim.slug)}" if claim.slug in shown else f"#sent-{s.sentence}"
            marks.setdefault(s.slug, []).append((s.sentence, s.quantity.start, s.quantity.end, href, claim.status))
    return {slug: tuple(sorted(found)) for slug, found in marks.items()}


def anchor(slug: str) -> str:
    """An anchor id for attr_list and links: only [a-z0-9-] (as slugify makes them), never anything an article wrote."""
    return slug if _ANCHOR.fullmatch(slug) else "x-" + hashlib.sha256(slug.encode()).hexdigest()[:12]


class ClaimContext:
    """Read-only helpers the figures and quotes templates, and story pages, call."""

    def __init__(self, digest: Digest) -> None:
        self.digest = digest
        self.by_slug = {a.slug: a for a in digest.articles}
        self.marks = figure_marks(digest)
        self._listed = listed(digest)
        self._by_article: dict[str, list[int]] = {}  # article slug -> positions of its claims among the listed ones
        for n, claim in enumerate(self._listed):
            for slug in dict.fromkeys(s.slug for s in claim.statements):
                self._by_article.setdefault(slug, []).append(n)

    def sections(self) -> list[tuple[str, list[Claim]]]:
        """Listed claims by status: what several sources agree on, what they dispute, what one alone gives."""
        return [(status, [c for c in self._listed if c.status == status]) for status in STATUS_ORDER]

    def unlisted(self) -> int:
        """Single-source claims the page leaves to their articles' pages."""
        return len(self.digest.claims) - len(self._listed)

    def heading(self, claim: Claim) -> Markup:
        """ "bilateral trade, 2023: $200 billion" — the measure, its period and the value."""
        what = claim.measure or "unnamed figure"
        when = f", {claim.period}" if claim.period else ""
        return Markup(f"{md_text(what + when)}: {md_text(claim.value)}")

    def backing(self, claim: Claim) -> Markup:
        """The status word and what backs it: articles, and distinct sources where stated."""
        n, sources = claim.articles, len(claim.sources)
        words = f"{n} article{'s' if n != 1 else ''}"
        words += f", {sources} source{'s' if sources != 1 else ''}" if sources else ", sources not stated"
        return Markup(f"**{claim.status}** · {md_text(words)}")

    def statements(self, claim: Claim, prefix: str = "../") -> Iterator[Markup]:
        """Each article's sentence that states the figure, linking to it."""
        for s in claim.statements:
            article = self.by_slug[s.slug]
            sentence = self.digest.analyses[s.slug].sentences[s.sentence].text
            source = article.meta.source or "source not stated"
            yield Markup(
                f"{md_text(sentence)} ([{md_text(article.title)}]({prefix}articles/{s.slug}.md#sent-{s.sentence}), {md_text(source)})"
            )

    def anchor(self, slug: str) -> Markup:
        """``anchor``, marked safe for the templates: it holds only [a-z0-9-]."""
        return Markup(anchor(slug))

    def of_story(self, story: Story) -> list[Claim]:
        """The listed claims the story's articles make, most corroborated first."""
        # Through each member's own claims: a pass over every claim per story was quadratic.
        return [self._listed[n] for n in sorted({n for m in story.members for n in self._by_article.get(m, ())})]

    def speaker_line(self, speaker: Speaker) -> Markup:
        role = f", {md_text('; '.join(speaker.roles))}" if speaker.roles else ""
        n = speaker.articles
        flag = " · **single source**" if single_source(speaker) else ""
        return Markup(f"{md_text(speaker.name)}{role} — quoted in {n} article{'s' if n != 1 else ''}{flag}")

    def quotes(self, speaker: Speaker, prefix: str = "../") -> Iterator[Markup]:
        for slug, n in speaker.quotes:
            quote = self.digest.analyses[slug].quotes[n]
            article = self.by_slug[slug]
            yield Markup(f"“{md_text(quote.text)}” ([{md_text(article.title)}]({prefix}articles/{slug}.md))")
