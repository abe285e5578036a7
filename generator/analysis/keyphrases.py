"""Keyphrase extraction: YAKE, then post-processing into phrases a reader trusts.

Raw YAKE glues words across headings, returns several overlapping fragments
of one name ("Defense Minister Andrei", "Minister Andrei Bozhovsky"), cuts
noun phrases in half ("specter of unified") and ranks bare adjectives
("economic", "global") high. ``briefing`` runs YAKE on text whose segments
(title, headings, lines) end in full stops, then keeps only phrases found
inside one segment, drops fragments, merges overlapping phrases and
variants under one key, and restores the text's own casing.

Every method has the interface ``(segments, top) -> tuple[Keyphrase, ...]``
so the evaluation harness can run them side by side.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.analysis import names
from generator.models import Keyphrase

Extractor = Callable[[Sequence[str], int], tuple[Keyphrase, ...]]
Backend = Callable[[str, int, int], list[tuple[str, float]]]

NGRAMS = 3
POOL = 4  # candidates asked of YAKE per keyphrase kept: merging and filtering discard many
# How much worse a lone common noun ("nations") or nationality ("Chinese") ranks
# than its YAKE score says. Tuned on dev data, where single words are a large
# share of the gold phrases, so the penalty is mild; lone adjectives are dropped.
WORD_PENALTY = 2.0
DEMONYM_PENALTY = 4.0


def _yake_stopwords() -> frozenset[str]:
    """YAKE's English stopword list, read as YAKE reads it.

    Read from the package's data file, not through ``yake.KeywordExtractor``:
    importing yake imports networkx and numpy, a third of a second on every
    run, while the default backend (yake-rust) never needs the yake module.
    """
    spec = importlib.util.find_spec("yake")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the yake package is not installed")
    path = Path(next(iter(spec.submodule_search_locations)), "core", "StopwordsList", "stopwords_en.txt")
    return frozenset(path.read_text(encoding="utf-8").lower().split("\n"))


STOPWORDS = _yake_stopwords()
# Suffixes of English adjectives: alone, such a word is half of a noun phrase.
_ADJECTIVE = re.compile(r"[a-z]{3,}(?:ic|al|ive|ous|ful|less|able|ible|ary|ern|ish|ian|ese)$")
_ADVERB = re.compile(r"[a-z]{3,}(?:ally|ously|ively|ingly|edly|ently|antly|fully|ately|ably|ibly)")
_DEMONYM = re.compile(r"[a-z](?:ern|ish|ian|ese)$")
_NAME_JOINERS = names.wordset("of and the for de du la von van")  # "Bank of England", "Belt and Road"
_SENTENCE_END = re.compile(r"[.!?]\W*$")


def phrase_key(text: str) -> str:
    """The key that merges case, plural and spelling variants of a phrase."""
    return names.key(text)


# ------------------------------------------------------------------ backends


def python_yake(text: str, n: int, top: int) -> list[tuple[str, float]]:
    """YAKE 0.7.3, the reference implementation."""
    import yake  # here, not at the top: see _yake_stopwords

    return [(p, float(s)) for p, s in yake.KeywordExtractor(lan="en", n=n, top=top).extract_keywords(text)]


def _rust_backend() -> Backend | None:
    try:
        import yake_rust
    except ImportError:  # an optional accelerator: fall back to the reference implementation
        return None
    cache: dict[int, yake_rust.Yake] = {}

    def rust_yake(text: str, n: int, top: int) -> list[tuple[str, float]]:
        """yake-rust: the same algorithm and scores, about six times faster."""
        if n not in cache:
            cache[n] = yake_rust.Yake(language="en", ngrams=n)
        # yake-rust sums floats in hash-map order, which changes from process to
        # process: scores differ in the last digits and near-ties swap. Rounding,
        # a tie-break on first appearance (as the reference implementation orders
        # equal scores) and a margin before the cut make the output stable.
        found = [(p, float(f"{s:.9g}")) for p, s in cache[n].get_n_best(text, n=top + 10)]
        first = {p: (i if (i := text.find(p)) >= 0 else len(text)) for p, _ in found}
        return sorted(found, key=lambda item: (item[1], first[item[0]], item[0]))[:top]

    return rust_yake


RUST_YAKE = _rust_backend()
# Chosen by measurement (ARCHITECTURE.md, "Summaries and keyphrases"): equal scores on the dev set, ~6x faster.
BACKEND: Backend = RUST_YAKE or python_yake


# ------------------------------------------------------------------- methods


def raw_yake(segments: Sequence[str], top: int, n: int = NGRAMS) -> tuple[Keyphrase, ...]:
    """YAKE as it comes, the baseline: segments joined by newlines, nothing removed."""
    found = python_yake("\n".join(segments), n, top)
    return tuple(Keyphrase(text=p, key=phrase_key(p), score=s) for p, s in found)


def briefing(segments: Sequence[str], top: int, n: int = NGRAMS) -> tuple[Keyphrase, ...]:
    """YAKE within segment boundaries, then fragments dropped and variants merged."""
    return extract(segments, top, n, BACKEND)


def extract(segments: Sequence[str], top: int, n: int, backend: Backend) -> tuple[Keyphrase, ...]:
    """The ``briefing`` pipeline with a given YAKE backend."""
    doc = Document.of(segments)
    if not doc.text:
        return ()
    candidates = [c for c in (doc.candidate(p, s) for p, s in backend(doc.text, n, top * POOL + 10)) if c is not None]
    kept = merge(candidates)
    ranked = sorted(kept, key=lambda c: (c.rank, c.key))
    return tuple(Keyphrase(text=c.display, key=c.key, score=c.score) for c in ranked[:top])


# ------------------------------------------------------------------ the text


@dataclass(frozen=True)
class Document:
    """Segments joined so that YAKE sees a full stop at every boundary."""

    text: str
    weak: tuple[tuple[int, int], ...]  # spans of title-cased segments (titles, headings)
    lower: str  # the text lower-cased for search, offsets equal to the text's

    @classmethod
    def of(cls, segments: Sequence[str]) -> Document:
        """Join non-empty segments, one per line, each ending in a full stop."""
        parts: list[str] = []
        weak: list[tuple[int, int]] = []
        offset = 0
        for raw in segments:
            segment = " ".join(raw.split()).rstrip(".:;…")
            if not segment:
                continue
            if _title_cased(segment):
                weak.append((offset, offset + len(segment)))
            parts.append(segment + ".")
            offset += len(segment) + 2
        text = "\n".join(parts)
        lowered = text.lower()
        # A few characters change length when lower-cased ("İ"): search those texts as written.
        return cls(text, tuple(weak), lowered if len(lowered) == len(text) else text)

    def candidate(self, phrase: str, score: float) -> Candidate | None:
        """A YAKE phrase checked against the text, or None if it is a fragment."""
        tokens = phrase.split()
        if not tokens or _edge_stopword(tokens) or _inner_stopword(tokens):
            return None
        matches = self._find(" ".join(tokens).lower())
        if not matches:
            return None  # not inside one segment: YAKE joined words across a boundary
        if len(tokens) > 1 and all(self._continues(end, tokens[-1]) for _, end in matches):
            return None  # always followed by more of the same noun phrase: a cut-off piece
        display = self._casing(matches)
        if _ADJECTIVE.fullmatch(display) or _ADVERB.fullmatch(display):
            return None  # a lone lower-case adjective or adverb ("economic", "increasingly") names nothing
        return Candidate(display=display, key=phrase_key(display), score=score, rank=_rank(display, score), count=len(matches))

    def _find(self, phrase: str) -> list[tuple[int, int]]:
        # str.find on the lower-cased text, then a word-boundary check: many
        # times faster than a regex per candidate. Segments are joined by
        # ".\n" and spaces are normalized, so a match never crosses a boundary.
        found: list[tuple[int, int]] = []
        start = self.lower.find(phrase)
        while start >= 0:
            end = start + len(phrase)
            if not _is_word_char(self.lower, start - 1) and not _is_word_char(self.lower, end):
                found.append((start, end))
            start = self.lower.find(phrase, start + 1)
        return found

    def _continues(self, end: int, last: str) -> bool:
        # The next word runs on in the same phrase: a space, then a content word
        # of the same case ("Defense Minister Andrei" -> "Bozhovsky", "specter of
        # unified" -> "geopolitical"); a name followed by a verb is complete.
        nxt = re.match(r"[ -](\w+)", self.text[end:])
        if nxt is None:
            return False
        word = nxt.group(1)
        same_case = names.is_capitalized(word) == names.is_capitalized(last)
        return same_case and word.lower() not in STOPWORDS and not word.isdigit()

    def _casing(self, matches: list[tuple[int, int]]) -> str:
        """The most frequent casing in running text; titles and headings count little."""
        votes: Counter[str] = Counter()
        for start, end in matches:
            weak = self._is_weak(start)
            votes[self.text[start:end]] += 1 if not weak else 0.01  # type: ignore[assignment]
        best = max(votes.values())
        return next(form for form in votes if votes[form] == best)

    def _is_weak(self, start: int) -> bool:
        if any(a <= start < b for a, b in self.weak):
            return True
        before = self.text[max(0, start - 3) : start]
        return start == 0 or "\n" in before or bool(_SENTENCE_END.search(before.rstrip()))


def _title_cased(segment: str) -> bool:
    tokens = [t for t in segment.split() if t[:1].isalpha() and t.lower() not in STOPWORDS]
    return len(tokens) >= 2 and sum(t[0].isupper() for t in tokens) >= 0.75 * len(tokens)


def _is_word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


def _edge_stopword(tokens: list[str]) -> bool:
    return tokens[0].lower() in STOPWORDS or tokens[-1].lower() in STOPWORDS


def _inner_stopword(tokens: list[str]) -> bool:
    # "Power of Siberia" is a name; "relegated to academic" is a clause torn out of a sentence.
    inner = [t for t in tokens[1:-1] if t.lower() in STOPWORDS]
    if not inner:
        return False
    name = all(t.lower() in _NAME_JOINERS for t in inner) and all(names.is_capitalized(t) for t in tokens if t not in inner)
    return not name


# ----------------------------------------------------------- merge and rank


@dataclass(frozen=True)
class Candidate:
    """A phrase that survived the checks, with its display form and rank."""

    display: str
    key: str
    score: float  # YAKE's, lower is better
    rank: float  # score after demoting generic single words
    count: int


def _rank(display: str, score: float) -> float:
    # A lone lower-case adjective or common noun ("economic", "nations") says
    # little on its own; names and multi-word phrases say more.
    if " " in display:
        return score
    if any(c.isupper() for c in display):
        return score * DEMONYM_PENALTY if _DEMONYM.search(display) else score
    return score * WORD_PENALTY


def merge(candidates: Sequence[Candidate]) -> list[Candidate]:
    """One candidate per group of variants and overlapping phrases, in its best form.

    Candidates are visited best first; one that shares its key with, contains,
    is contained in, or overlaps the edge of a kept phrase joins that phrase's
    group instead of being listed again.
    """
    kept = sorted(candidates, key=lambda c: (c.rank, c.key))
    while True:
        # A group's form can change as it grows, so merge again until nothing joins.
        merged = _merge_pass(kept)
        if len(merged) == len(kept):
            return [_strip_title(c) for c in merged]
        kept = merged


def _merge_pass(candidates: list[Candidate]) -> list[Candidate]:
    kept: list[Candidate] = []
    words: list[_Words] = []  # kept[i]'s key split once, not once per comparison
    for cand in candidates:
        mine = _words(cand.key)
        for i, theirs in enumerate(words):
            if _related(theirs, mine):
                kept[i] = _better(kept[i], cand)
                words[i] = _words(kept[i].key)
                break
        else:
            kept.append(cand)
            words.append(mine)
    return kept


_Words = tuple[list[str], frozenset[str]]


def _words(key: str) -> _Words:
    split = key.split()
    return split, frozenset(split)


def _related(a: _Words, b: _Words) -> bool:
    (x, x_set), (y, y_set) = a, b
    if x and y and x_set.isdisjoint(y_set):
        return False  # most pairs: without a shared word, neither contains nor overlaps the other
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    if _sub(short, long):
        return True
    # "Defense Minister Andrei" and "Minister Andrei Bozhovsky": one name, cut twice.
    return any(x[-k:] == y[:k] or y[-k:] == x[:k] for k in range(1, min(len(x), len(y))) if k >= 2 or len(short) == 2)


def _sub(short: list[str], long: list[str]) -> bool:
    k = len(short)
    return any(long[i : i + k] == short for i in range(len(long) - k + 1))


def _better(kept: Candidate, other: Candidate) -> Candidate:
    # The group keeps its best rank but shows the form a reader meets: the longer
    # phrase when the shorter one is mostly used inside it ("Union" in "Eurasian
    # Economic Union"), the shorter one when it mostly stands alone ("Russia").
    long, short = (kept, other) if len(kept.key.split()) > len(other.key.split()) else (other, kept)
    if not _sub(short.key.split(), long.key.split()):
        return kept
    best = long if 2 * long.count >= short.count else short
    return Candidate(best.display, best.key, kept.score, kept.rank, best.count)


def _strip_title(cand: Candidate) -> Candidate:
    """ "Minister Andrei Bozhovsky" -> "Andrei Bozhovsky": the title is not the name."""
    tokens = cand.display.split()
    i = 0
    while i < len(tokens) - 2 and (tokens[i].lower() in names.TITLES or not names.is_capitalized(tokens[i])):
        i += 1
    if i == 0 or not all(names.is_capitalized(t) for t in tokens[i:]):
        return cand
    display = " ".join(tokens[i:])
    return Candidate(display, phrase_key(display), cand.score, cand.rank, cand.count)


METHODS: dict[str, Extractor] = {"briefing": briefing, "yake": raw_yake}
