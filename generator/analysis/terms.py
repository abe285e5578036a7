"""What topic finding needs from one article, computed once per article.

Tokenizing the text and spotting names is the costly part of finding topics,
and it depends on nothing but the article. So it runs inside analysis (in the
process pool, cached by content hash), and linking only merges these records
and scans them: a run that adds one article tokenizes one article.

A phrase's *key* is its folded words joined by spaces ("shanghai cooperation
organization"): case, plurals and British/American spelling fall together.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from generator.analysis import names
from generator.analysis.keyphrases import STOPWORDS as _STOP
from generator.models import Block, Keyphrase, Segment, Terms

_TOKEN = re.compile(r"(\W*)(\w+)([’']s\b)?")  # a possessive ends a name: "China's Belt and Road"
_SENTENCE_END = re.compile(r"[.!?:;…]")
_JOINERS = names.wordset("of the for de du la von van")  # inside names: "Power of Siberia"
_DEMONYM = re.compile(r"(?:ern|ish|ian|ese|an)$")  # "Russian", "Chinese": adjectives, not topics
# A number that ends a name, written in digits or Roman numerals: "Nord Stream 2", "Vatican II".
_SERIAL = re.compile(r"[1-9]\d?|I{2,3}|IV|VI{1,3}|IX|XI{0,2}")


class Token(NamedTuple):
    """One word of running text, with what name detection needs to know.

    A NamedTuple rather than a frozen dataclass: it lives only while one
    article is read, and a tuple is several times cheaper to build.
    """

    text: str
    key: str  # folded
    initial: bool  # first word of a sentence or block: capitals say nothing there
    joined: bool  # only a space or hyphen since the previous word: a name may run on


def terms(title: str, blocks: Sequence[Block], keyphrases: Iterable[Keyphrase], acronyms: Iterable[tuple[str, str]]) -> Terms:
    """Seed variants from one article: its multi-word keyphrases, the acronyms it defines, the names it uses."""
    seeds = _Seeds()
    for phrase in keyphrases:
        words = phrase.text.lower().split()
        # Multi-word phrases only: a lone common word ("energy") is no subject
        # to link by, and "Moscow and Beijing" is two subjects, not one.
        if len(words) > 1 and not set(words[1:-1]) & _STOP:
            seeds.form(phrase.text)
    for short, expansion in acronyms:
        seeds.links.append((seeds.form(short), seeds.form(expansion)))
    segments = []
    for block in blocks:
        tokens = tokenize(block.text)
        if block.kind != "heading":  # headings are title-cased: every word looks like a name
            seeds.names(tokens)
        segments.append(_segment(tokens, block.kind == "heading"))
    segments.append(_segment(tokenize(title), True))
    return seeds.terms(tuple(segments))


def segments(title: str, blocks: Sequence[Block]) -> tuple[Segment, ...]:
    """The scan text of ``terms``, made again for an article whose Terms came from the cache."""
    return (*(_segment(tokenize(b.text), b.kind == "heading") for b in blocks), _segment(tokenize(title), True))


def tokenize(text: str) -> list[Token]:
    """Words of ``text`` with possessives dropped and sentence starts marked."""
    tokens: list[Token] = []
    append, fold, gap_kind, new = tokens.append, names.fold, _gap_kind, _NEW_TOKEN  # a loop over every word analyzed
    possessive = True  # nothing joins the first word to what came before
    for gap, word, apostrophe_s in _TOKEN.findall(text):
        ends, joins = gap_kind(gap)
        initial = ends or not tokens
        append(new((word, fold(word.lower()), initial, joins and not possessive and not initial)))
        possessive = apostrophe_s != ""
    return tokens


_NEW_TOKEN = functools.partial(tuple.__new__, Token)  # Token(...) would run a Python-level __new__ per word


@functools.lru_cache(maxsize=4096)  # a text has few distinct gaps: " ", ", ", ". "
def _gap_kind(raw: str) -> tuple[bool, bool]:
    """Whether the characters between two words end a sentence, and whether they join the words into one name."""
    gap = raw.strip()
    return _SENTENCE_END.search(gap) is not None, gap in ("", "-")


def _segment(tokens: list[Token], title_case: bool) -> Segment:
    return Segment(
        words=" ".join(t.text for t in tokens),
        keys=" ".join(t.key for t in tokens),
        initial=tuple(i for i, t in enumerate(tokens) if t.initial),
        title_case=title_case,
    )


class _Seeds:
    """Collects one article's variants and cues, then freezes them as Terms."""

    def __init__(self) -> None:
        self.forms: Counter[tuple[str, str]] = Counter()
        self.mid_sentence: set[str] = set()
        self.person: set[str] = set()
        self.place: Counter[str] = Counter()
        self.links: list[tuple[str, str]] = []

    def form(self, text: str) -> str:
        key = names.key(text)
        self.forms[key, " ".join(text.split())] += 1
        self.mid_sentence.add(key)
        return key

    def names(self, tokens: list[Token]) -> None:
        for start, end in name_spans(tokens):
            span = tokens[start:end]
            cut = _after_titles(span)
            keys = [t.key for t in span[cut:]]
            if not keys or _DEMONYM.search(keys[-1]) or keys[-1] in names.TITLES:
                continue
            key = " ".join(keys)
            self.forms[key, " ".join(t.text for t in span[cut:])] += 1
            if not span[cut].initial:
                self.mid_sentence.add(key)
            if cut:
                self.person.add(key)
                self.links.append((" ".join(t.key for t in span), key))
            elif start and tokens[start - 1].key in names.PLACE_CUES:
                self.place[key] += 1

    def terms(self, segments: tuple[Segment, ...]) -> Terms:
        return Terms(
            segments=segments,
            forms=tuple((k, f, n) for (k, f), n in sorted(self.forms.items()) if k),
            mid_sentence=tuple(sorted(self.mid_sentence)),
            person=tuple(sorted(self.person)),
            place=tuple(sorted(self.place.items())),
            links=tuple(sorted(set(self.links))),
            keyset=" ".join(sorted({key for s in segments for key in s.keys.split(" ") if key})),
        )


def name_spans(tokens: list[Token]) -> Iterable[tuple[int, int]]:
    """(start, end) of runs of capitalized words, joined by "of", "the", ...

    A run stops at punctuation and sentence ends; a leading stopword ("The",
    "In") is not part of the name.
    """
    i = 0
    while i < len(tokens):
        if not _is_name_word(tokens[i]) or tokens[i].text.lower() in _STOP:
            i += 1
            continue
        end = i + 1
        while end < len(tokens) and tokens[end].joined:
            if _is_name_word(tokens[end]):
                end += 1
            elif tokens[end].key in _JOINERS and _name_follows(tokens, end + 1):
                end += 2
            elif tokens[end].key == "and" and _ends_in_org(tokens, end + 1):
                end += 2  # "Belt and Road Initiative", but not "Moscow and Beijing"
            else:
                break
        if end < len(tokens) and tokens[end].joined and _SERIAL.fullmatch(tokens[end].text):
            end += 1  # "Power of Siberia 2" is another pipeline than "Power of Siberia": the number is part of the name
        yield i, end
        i = end


def _name_follows(tokens: list[Token], at: int) -> bool:
    return at < len(tokens) and tokens[at].joined and _is_name_word(tokens[at])


def _is_name_word(token: Token) -> bool:
    return token.text[:1].isupper() and len(token.text) > 1


def _ends_in_org(tokens: list[Token], start: int) -> bool:
    end = start
    while end < len(tokens) and _is_name_word(tokens[end]) and tokens[end].joined:
        end += 1
    return end > start and tokens[end - 1].key in names.ORG_HEADS


def _after_titles(span: list[Token]) -> int:
    """Index of the first word after any leading titles ("Russian Defense Minister")."""
    last = max((i for i, t in enumerate(span) if t.key in names.TITLES), default=-1)
    return last + 1 if 0 <= last < len(span) - 1 else 0
