"""Per-article analysis: one Article in, one Analysis out.

A pure function of (article, settings, version), so its result is cached by
hash and it can run in a process pool.
"""

from __future__ import annotations

import re
from dataclasses import replace

from generator.analysis import dates, figures, keyphrases, quotes, summarize
from generator.analysis.story_keys import story_features
from generator.analysis.terms import terms
from generator.config import Settings
from generator.ingest import sentences
from generator.models import Analysis, Article, Quantity, Quote, Sentence, StoryFeatures, Timex

MAX_SUMMARY_CANDIDATES = 400  # far beyond a news article (~20-60 sentences)
_ACRONYM = re.compile(
    r"\b((?:[A-Z][\w’'-]*\s+)(?:(?:of|and|for|the|on|in|&)\s+|[A-Z][\w’'-]*\s+){0,7}[A-Z][\w’'-]*)\s+\(([A-Z]{2,6})\)"
)


def analyze(article: Article, settings: Settings) -> Analysis:
    """Sentences, summary, keyphrases, dates, figures, quotes and story keys of one article."""
    sents = split_article(article)
    summarizable = [s for s in sents if article.blocks[s.block].kind == "paragraph" or len(s.text.split()) >= 8]
    # Centrality compares every pair of sentences: bound the work on huge files.
    summarizable = summarizable[:MAX_SUMMARY_CANDIDATES]
    doc = summarize.Document(
        sentences=tuple(s.text for s in summarizable),
        paragraphs=tuple(s.block for s in summarizable),
        title=article.title,
    )
    k = summary_length(len(summarizable), settings)
    chosen = summarize.summarize(doc, k)
    segments = [article.title] + [b.text for b in article.blocks]
    phrases = keyphrases.briefing(segments, settings.keyphrases)
    acronyms = tuple(find_acronyms(" ".join(b.text for b in article.blocks)))
    return Analysis(
        sentences=tuple(sents),
        summary=tuple(summarizable[i].id for i in chosen),
        keyphrases=phrases,
        acronyms=acronyms,
        # Per-article work for linking, done here so it runs in the pool and is cached.
        terms=terms(article.title, article.blocks, phrases, acronyms),
        vocabulary=summarize.vocabulary(s.text for s in sents),
        dates=(found := find_dates(sents, article)),
        figures=find_figures(sents, found),
        story=find_story_features(article),
        quotes=find_quotes(article),
    )


def find_dates(sents: list[Sentence], article: Article) -> tuple[Timex, ...]:
    """Each sentence's temporal expressions, resolved against the article's publication date."""
    anchor = article.meta.published
    return tuple(t for s in sents for t in dates.extract(s.text, anchor, s.id))


def find_figures(sents: list[Sentence], found: tuple[Timex, ...]) -> tuple[Quantity, ...]:
    """Each sentence's figures, each with the period its sentence dates it to ("in 2023")."""
    periods: dict[int, list[tuple[int, int, str]]] = {}
    for t in found:
        if t.type == "DATE":
            periods.setdefault(t.sentence, []).append((t.start, t.end, t.value))
    return tuple(replace(q, sentence=s.id) for s in sents for q in figures.extract(s.text, periods.get(s.id, ())))


def find_quotes(article: Article) -> tuple[Quote, ...]:
    """The article's direct quotations, each with the block it is in."""
    return tuple(replace(q, block=i) for i, q in quotes.quotes([b.text for b in article.blocks]))


def find_story_features(article: Article) -> StoryFeatures:
    """What the article says about its event, for story clustering."""
    return story_features(article.title, "\n\n".join(b.text for b in article.blocks))


def split_article(article: Article) -> list[Sentence]:
    """Every block's sentences, numbered through the article."""
    out: list[Sentence] = []
    for index, block in enumerate(article.blocks):
        spans = sentences.split_spans(block.text) if block.kind != "heading" else [(0, len(block.text))]
        for start, end in spans:
            out.append(Sentence(len(out), index, start, end, block.text[start:end]))
    return out


def summary_length(n: int, settings: Settings) -> int:
    """Sentence budget: a share of the article if set, else a fixed count."""
    if settings.summary_ratio is not None:
        return max(1, min(n, round(n * settings.summary_ratio)))
    return min(n, settings.summary_sentences)


def find_acronyms(text: str) -> list[tuple[str, str]]:
    """Acronyms defined in the text, as in "Shanghai Cooperation Organisation (SCO)"."""
    found: dict[str, str] = {}
    for match in _ACRONYM.finditer(text):
        words, short = match.group(1).split(), match.group(2)
        # Keep the trailing words whose initials spell the acronym.
        for start in range(len(words)):
            initials = "".join(w[0] for w in words[start:] if w[0].isupper())
            if initials == short and words[start][0].isupper():
                found.setdefault(short, " ".join(words[start:]))
                break
    return sorted(found.items())
