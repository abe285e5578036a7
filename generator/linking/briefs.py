"""What a story page says: a headline, its dates and sources, a summary citing its articles, and what each member adds.

Pure and close to linear in the corpus: the summary ranks the members' own
summary sentences by how many other members share their words (the executive
summary's method, run on one story), and a member's sentence counts as its
own when most of its words appear in no other member's text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from itertools import islice

from generator.analysis.summarize import stem_tokens
from generator.ingest.clean import shorten
from generator.linking.executive import executive_summary
from generator.models import Analysis, Article, Story

SUMMARY_SENTENCES = 3  # sentences of a story's summary
OWN_SENTENCES = 3  # sentences listed for what one member alone reports
OWN_SHARE = 0.6  # share of a sentence's words no other member uses, for it to be the member's own
OWN_MIN_WORDS = 5  # shorter sentences (datelines, asides) say too little to list
HEADLINE_MAX = 90


def versioned(
    stories: Sequence[Story], versions: Sequence[tuple[str, ...]], articles: Mapping[str, Article]
) -> tuple[Story, ...]:
    """Each story with the near-duplicate groups among its members, each group's first version first."""
    group_of = {slug: group for group in versions for slug in group}
    return tuple(
        replace(story, versions=tuple(sorted({_versions_in(group_of[s], articles) for s in story.members if s in group_of})))
        for story in stories
    )


def briefed(
    stories: Sequence[Story], articles: Mapping[str, Article], analyses: Mapping[str, Analysis], known: Mapping[str, Story]
) -> tuple[Story, ...]:
    """Every story filled in for its page (``known`` ones as they are), ranked: most distinct sources, then most recent, then most articles."""
    filled = [known.get(story.slug) or _brief(story, articles, analyses) for story in stories]
    return tuple(sorted(filled, key=_rank))


def _brief(story: Story, articles: Mapping[str, Article], analyses: Mapping[str, Analysis]) -> Story:
    members = [articles[s] for s in story.members]
    dates = sorted(d for a in members if (d := a.meta.published) is not None)
    brief = replace(
        story,
        first_reported=dates[0] if dates else None,
        last_updated=dates[-1] if dates else None,
        sources=tuple(sorted({a.meta.source for a in members if a.meta.source})),
    )
    reports = brief.reports
    summary = _summary(reports, analyses)
    return replace(brief, summary=summary, headline=_headline(reports, summary, articles, analyses), only=_own(reports, analyses))


def _versions_in(group: tuple[str, ...], articles: Mapping[str, Article]) -> tuple[str, ...]:
    """A near-duplicate group, the first version first: by publication date where known, then slug."""
    return tuple(sorted(group, key=lambda s: (articles[s].meta.published or date.max, s)))


def _summary(reports: Sequence[str], analyses: Mapping[str, Analysis]) -> tuple[tuple[str, int], ...]:
    if len(reports) == 1:
        slug = reports[0]
        return tuple((slug, sid) for sid in analyses[slug].summary[:SUMMARY_SENTENCES])
    return executive_summary([(s, analyses[s]) for s in reports], SUMMARY_SENTENCES)


def _headline(
    reports: Sequence[str], summary: Sequence[tuple[str, int]], articles: Mapping[str, Article], analyses: Mapping[str, Analysis]
) -> str:
    """The most central member's title that is a real one; else the summary's first sentence, shortened."""
    for slug in reports:
        if _has_title(articles[slug]):
            return articles[slug].title
    if summary:
        slug, sid = summary[0]
        return shorten(analyses[slug].sentences[sid].text, HEADLINE_MAX)
    return articles[reports[0]].title


def _has_title(article: Article) -> bool:
    """Whether the title was given (front matter, a heading line), not cut from the first sentence of the text."""
    if article.meta.title:
        return True
    start = article.title.removesuffix("…")
    return not (article.blocks and article.blocks[0].text.startswith(start))


def _own(reports: Sequence[str], analyses: Mapping[str, Analysis]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """For each member, up to OWN_SENTENCES of its sentences whose words the other members mostly do not use."""
    if len(reports) < 2:
        return ()
    # In how many members each word appears: a word is a member's own when only that member has it.
    members_with: Counter[str] = Counter()
    for slug in reports:
        members_with.update(analyses[slug].vocabulary)
    out = []
    for slug in reports:
        own = (s.id for s in analyses[slug].sentences if _own_sentence(s.text, members_with))
        out.append((slug, tuple(islice(own, OWN_SENTENCES))))  # the first few only: the rest are never read
    return tuple(out)


def _own_sentence(text: str, members_with: Counter[str]) -> bool:
    words = set(stem_tokens(text))
    return len(words) >= OWN_MIN_WORDS and sum(members_with[w] <= 1 for w in words) >= OWN_SHARE * len(words)


def _rank(story: Story) -> tuple[int, int, int, str]:
    recency = -(story.last_updated.toordinal()) if story.last_updated else 0
    return (-len(story.sources), recency, -len(story.reports), story.slug)
