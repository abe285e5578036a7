"""Frozen dataclasses passed from stage to stage, in pipeline order.

Data flows one way: Source -> Article -> Analysis -> Digest. Cross-article
results (topics, related articles) live in the Digest, never on an Article.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, NamedTuple

BlockKind = Literal["heading", "paragraph", "item"]


@dataclass(frozen=True)
class Meta:
    """Front matter, validated; every field optional."""

    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: date | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """One structural unit of an article's text."""

    kind: BlockKind
    text: str
    level: int = 0  # heading level (1-6) or list nesting depth


@dataclass(frozen=True)
class Source:
    """What a reader found in one file, before cleaning."""

    path: str  # relative to the corpus folder, with forward slashes
    format: Literal["txt", "md", "html"]
    meta: Meta
    blocks: tuple[Block, ...]  # raw structure: lines/paragraphs or parsed Markdown
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """A cleaned article with its structure restored."""

    slug: str
    path: str
    title: str
    meta: Meta
    blocks: tuple[Block, ...]
    content_hash: str
    warnings: tuple[str, ...] = ()
    word_count: int = -1  # counted from the blocks when not given

    def __post_init__(self) -> None:
        # Counted once and cached with the Article: the list of articles reads
        # every article's count on every run, and splitting 10,000 texts took a second.
        if self.word_count < 0:
            object.__setattr__(self, "word_count", sum(len(b.text.split()) for b in self.blocks))


class Sentence(NamedTuple):
    """A sentence, located by block index and character offsets in that block.

    Immutable like the dataclasses here, but a NamedTuple: a corpus has
    hundreds of thousands of sentences, and loading them from the cache on
    every run costs a fifth as much as building frozen dataclasses.
    """

    id: int
    block: int
    start: int
    end: int
    text: str


# Sentences as three columns of integers: how the cache and the page workers carry them,
# a third of the bytes of the sentences themselves, whose text the article's blocks hold.
_SENTENCE = functools.partial(tuple.__new__, Sentence)


def sentence_columns(sentences: Sequence[Sentence]) -> tuple[list[int], list[int], list[int]]:
    """Each sentence's block, start and end, as three lists: what ``sentences_from`` needs to make them again."""
    return [s.block for s in sentences], [s.start for s in sentences], [s.end for s in sentences]


def sentences_from(columns: tuple[list[int], list[int], list[int]], article: Article) -> tuple[Sentence, ...]:
    """Sentences numbered in order, their text cut from the article's blocks at the recorded offsets."""
    blocks, starts, ends = columns
    if not len(blocks) == len(starts) == len(ends):
        raise ValueError("sentence columns of different lengths")
    if blocks and (min(blocks) < 0 or max(blocks) >= len(article.blocks) or min(starts) < 0):
        raise ValueError("a sentence outside the article")
    texts = [article.blocks[b].text for b in blocks]
    if not all(map(operator.le, starts, ends)) or not all(map(operator.le, ends, map(len, texts))):
        raise ValueError("a sentence outside its block")
    cut = [text[start:end] for text, start, end in zip(texts, starts, ends, strict=True)]
    # tuple.__new__ directly: Sentence(...) runs a Python-level __new__, a third of the load.
    return tuple(map(_SENTENCE, zip(itertools.count(), blocks, starts, ends, cut)))


@dataclass(frozen=True)
class Keyphrase:
    """A keyphrase as displayed, with the key used to merge variants."""

    text: str
    key: str
    score: float  # lower is better, as in YAKE


FigureKind = Literal["money", "percent", "quantity", "count"]


@dataclass(frozen=True)
class Quantity:
    """One figure of a sentence; ``text == sentence[start:end]``.

    A single figure has ``value`` and no ``low``/``high``; a range ("between 5 and 10") has both ends
    and no ``value``. For a count, ``text`` is the number and ``unit`` the lemma of the noun counted.
    """

    start: int
    end: int
    text: str
    kind: FigureKind
    value: float | None
    low: float | None
    high: float | None
    unit: str | None  # a name of the gold vocabulary, a counted noun, or None when unknown
    qualifier: str | None  # "over", "about", "up to", "a record", ... as written, lower-case
    measure: str  # what is counted or priced ("bilateral trade"), lower-case; "" if not found
    period: str | None  # TIMEX3 value of the period that governs the figure, from ``periods``
    sentence: int = 0  # in an Analysis, the id of the sentence it stands in (offsets are in that sentence)


TimexType = Literal["DATE", "TIME", "DURATION", "SET"]


@dataclass(frozen=True)
class Timex:
    """A temporal expression (TimeML's TIMEX3): its span, type and normalized value.

    ``start`` and ``end`` are offsets in the text it was found in (in an
    Analysis, the text of sentence ``sentence``). ``resolved`` is False for a
    relative expression ("last year") without a publication date to resolve
    it against: its value then says only what it can ("XXXX").
    """

    start: int
    end: int
    text: str
    type: TimexType
    value: str  # "2023", "2023-03", "2023-03-21", "2013-W12", "196" (the 1960s), "P5Y", "PAST_REF", ...
    resolved: bool
    sentence: int = 0


@dataclass(frozen=True)
class Segment:
    """One block (or the title) as the topic scan reads it.

    Words and keys are space-joined strings, not lists: a corpus has millions
    of words, and one string per block keeps memory and the cache small.
    """

    words: str  # the words as written
    keys: str  # the same words folded, one key per word
    initial: tuple[int, ...]  # positions of words that start a sentence or block
    title_case: bool  # a heading or the title: every word is capitalized there


@dataclass(frozen=True)
class Terms:
    """One article's candidate topic variants, the cues around them, and its text for the scan."""

    # The scan text exists only in the run that analyzed the article: the
    # cache does not keep it (half of an entry's bytes, and a warm run scans
    # almost nothing), so a cached Terms has None and link tokenizes again
    # when it must scan (terms.segments).
    segments: tuple[Segment, ...] | None
    forms: tuple[tuple[str, str, int], ...]  # (key, surface form, count)
    mid_sentence: tuple[str, ...] = ()  # keys seen capitalized where capitals mean a name
    person: tuple[str, ...] = ()  # keys seen after a title ("President Xi Jinping")
    place: tuple[tuple[str, int], ...] = ()  # keys seen after "in", "at", ... with counts
    links: tuple[tuple[str, str], ...] = ()  # variants known to be one topic
    keyset: str = ""  # every distinct word key of the text, sorted, space-joined: may a variant occur here?


@dataclass(frozen=True)
class StoryFeatures:
    """What one article says about its event, ready for ``cluster``, packed as numbers.

    ``keys`` are 64-bit key codes (little-endian, ascending; analysis/story_keys.key_code: a kind,
    a lead mark and a hash of a key such as "n:qingdao"), each counted by the 32-bit ``counts`` at
    the same place; ``minhash`` is the article's shingle signature for near-duplicate detection,
    64-bit values (empty for texts shorter than one shingle). Bytes, not tuples of numbers: the
    cache stores them as they are and clustering reads a corpus of them as one array, with no
    Python object per key.
    """

    keys: bytes
    counts: bytes
    minhash: bytes


@dataclass(frozen=True)
class Quote:
    """One direct quotation: its span in the paragraph, its words, who said it and what they are."""

    start: int
    end: int
    text: str
    speaker: str
    role: str  # what the text says they are; "" if it does not
    block: int = 0  # in an Analysis, the block it stands in (offsets are in that block's text)


@dataclass(frozen=True)
class Analysis:
    """Everything computed from one article alone: pure and cacheable."""

    sentences: tuple[Sentence, ...]
    summary: tuple[int, ...]  # sentence ids, in article order
    keyphrases: tuple[Keyphrase, ...]
    acronyms: tuple[tuple[str, str], ...] = ()  # (short, expansion) defined in the text
    figures: tuple[Quantity, ...] = ()  # money, percentages, measures and counts, sentence by sentence
    terms: Terms = Terms(segments=(), forms=())  # what topic finding needs (terms.py)
    vocabulary: tuple[str, ...] = ()  # stemmed words of the text, sorted (executive summary)
    dates: tuple[Timex, ...] = ()  # temporal expressions, sentence by sentence, in order
    story: StoryFeatures = StoryFeatures(b"", b"", b"")  # what tells its event from others (analysis/story_keys.py)
    quotes: tuple[Quote, ...] = ()  # direct quotations with their speakers, block by block


@dataclass(frozen=True)
class Story:
    """Articles that report one event: a slug kept while its membership is mostly the same, and what its page says.

    Clustering fills ``slug`` and ``members``; linking/briefs.py the rest.
    """

    slug: str
    members: tuple[str, ...]  # article slugs, the most central first
    versions: tuple[tuple[str, ...], ...] = ()  # near-duplicate groups in it, each counted once: the first is shown
    headline: str = ""
    summary: tuple[tuple[str, int], ...] = ()  # (article slug, sentence id): a multi-document summary citing its articles
    only: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (member, sentence ids) that no other member states
    first_reported: date | None = None
    last_updated: date | None = None
    sources: tuple[str, ...] = ()  # distinct stated sources, sorted

    @property
    def reports(self) -> tuple[str, ...]:
        """The members counted once per text: a later version of another member is left out."""
        later = {slug for group in self.versions for slug in group[1:]}
        return tuple(s for s in self.members if s not in later)


Status = Literal["corroborated", "contradicted", "single source"]


@dataclass(frozen=True)
class Stated:
    """One figure as one article states it."""

    slug: str  # the article
    sentence: int  # sentence id in that article
    figure: int  # index of the Quantity among that article's figures
    quantity: Quantity


@dataclass(frozen=True)
class Claim:
    """One measure in one period and unit, with every article's statement of it."""

    measure: str  # the measure's display name ("bilateral trade"); "" when no figure named it
    period: str | None  # TIMEX3 ("2023")
    unit: str | None
    status: Status
    statements: tuple[Stated, ...]  # best-supported value first
    articles: int  # distinct articles (versions of one article count once)
    sources: tuple[str, ...]  # distinct stated sources, sorted
    value: str  # the agreed value as a reader writes it; for a dispute the values joined with " / "
    slug: str  # a stable anchor id, unique in the result


@dataclass(frozen=True)
class Topic:
    """A canonical topic shared across articles."""

    slug: str
    name: str
    variants: tuple[str, ...]
    articles: tuple[str, ...]  # article slugs, best first
    linked: bool  # False for terms so common they make no cross-links
    kind: Literal["person", "organization", "place", "other"] = "other"


class Related(NamedTuple):
    """A related article with the reason it is related.

    A NamedTuple, as Sentence: tens of thousands are read from the link record on every run.
    """

    slug: str
    shared: tuple[str, ...]  # topic names
    score: float


@dataclass(frozen=True)
class Digest:
    """The corpus-level view that the renderer turns into pages."""

    articles: tuple[Article, ...]  # newest first
    analyses: dict[str, Analysis] = field(hash=False)
    topics: tuple[Topic, ...] = ()
    article_topics: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    related: dict[str, tuple[Related, ...]] = field(default_factory=dict, hash=False)
    executive: tuple[tuple[str, int], ...] = ()  # (article slug, sentence id)
    timeline: tuple[Event, ...] = ()  # dated events, oldest first
    stories: tuple[Story, ...] = ()  # every article in exactly one, ranked: most distinct sources, then most recent
    claims: tuple[Claim, ...] = ()  # figures across articles: corroborated, contradicted, single source
    speakers: tuple[Speaker, ...] = ()  # who is quoted, by how many sources


@dataclass(frozen=True)
class Event:
    """A dated event on the timeline: one sentence that states it, and every article that reports it."""

    date: str  # the TIMEX3 value: "2023", "2023-03", "2023-03-21", "196" (a decade)
    sentence: tuple[str, int]  # (article slug, sentence id) of the sentence shown
    reports: tuple[tuple[str, int], ...]  # (article slug, sentence id) of every report, the shown one first
    expected: bool = False  # planned or expected ("is expected to ... by 2025"), not reported as done


@dataclass(frozen=True)
class Speaker:
    """A person or body quoted, with every quotation and the sources that quote them."""

    name: str
    slug: str  # an anchor on the quotes page
    roles: tuple[str, ...]  # what the articles say they are, most said first
    quotes: tuple[tuple[str, int], ...]  # (article slug, index among its analysis's quotes)
    sources: tuple[str, ...]  # distinct stated sources, sorted
    articles: int  # distinct articles (versions of one text count once)
