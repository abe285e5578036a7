"""What one article says about its event, for story clustering: counted keys and a MinHash signature.

Computed with the rest of an article's analysis (in the pool, cached), so that linking
only weighs and compares them: content-word stems (``w:``), capitalized names and name
runs (``n:``), numbers (``d:``) and years or month-day dates (``y:``), the names, numbers
and dates of its lead marked once more with an ``l`` before the key (``ln:qingdao``: the
running text's first sentences, where a report states who, where and when), and a signature
of the article's word shingles for finding near-duplicates (linking/stories.py). Headings
(short title-case lines) are read as headlines: their capitals make no names.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise

import numpy as np

from generator.models import StoryFeatures

TITLE_REPEAT = 2  # a title mention counts as this many body mentions (at least 1: headline words matter more)
LEAD_SENTENCES = 5  # the lead: the running text's first sentences, where a report states its event's facts
LEAD_KINDS = "ndy"  # lead keys (``l`` + key) are kept for names, numbers, years and dates
HEADING_WORDS = 12  # a heading line has at most this many tokens (words, numbers, marks)
SHINGLE = 5  # words per shingle for near-duplicates
MINHASH_BANDS = 16
MINHASH_ROWS = 4
MINHASH_SIZE = MINHASH_BANDS * MINHASH_ROWS

_STOP = frozenset(
    """
a about above after again against all almost also although always am among an and another any anyone anything
are around as at back be became because become been before being below between both but by can cannot could
did do does doing done down during each either else enough even ever every few for from further get gets got
had has have having he her here hers herself him himself his how however i if in including into is it its itself
just last least less like made make many may me might more most much must my myself near neither never new next
no nor not now of off often on once one only or other others our ours ourselves out over own per perhaps put
rather really said same say says see seem seemed several she should since so some still such than that the their
theirs them themselves then there these they this those though through thus to together too toward towards under
until up upon us very via was we well were what whatever when where whether which while who whom whose why will
with within without would yet you your yours yourself yourselves mr mrs ms told according just week year years
today yesterday tomorrow day days time times people including percent
""".split()
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate("january february march april may june july august september october november december".split())
}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
        " seventeen eighteen nineteen twenty".split()
    )
}

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d[\d,]*(?:\.\d+)?|[.!?:;\"“”]")
_SENTENCE_END = frozenset('.!?:;"“”')
_MASK64 = (1 << 64) - 1
_DEMONYM = re.compile(r"^n:[^ ]*(?:ern|ish|ian|ese|ean|can)$")  # "Chinese", "Sino-Russian", "Western": adjectives, not an event's


def story_features(title: str | None, text: str) -> StoryFeatures:
    """Counted keys and a MinHash signature of one article (pure, deterministic), packed as clustering reads them."""
    counts, words = _counted(title, text)
    codes = sorted((key_code(key), count) for key, count in counts.items())
    return StoryFeatures(
        keys=np.array([c for c, _ in codes], dtype="<u8").tobytes(),
        counts=np.array([n for _, n in codes], dtype="<u4").tobytes(),
        minhash=np.array(_minhash(words), dtype="<u8").tobytes(),
    )


def counted_keys(title: str | None, text: str) -> Counter[str]:
    """The keys ``story_features`` packs, readable ("n:qingdao", "ln:qingdao", "w:summit"), with their counts."""
    return _counted(title, text)[0]


# A key's code: its kind in the top bits, a lead mark below them, a hash of the key in the rest.
# Codes make the clustering's vocabulary one sort of integers; 60 bits keep a collision between
# two of a corpus's keys below one in a million for a million distinct keys.
KIND_BITS = 61  # kinds 0-3: "w", "n", "d", "y" (clustering boosts each); 4: any other
LEAD_BIT = 1 << 60  # set on "l" + key: the lead states the key
_HASH_MASK = LEAD_BIT - 1
KIND_CODES = {"w": 0, "n": 1, "d": 2, "y": 3}


@lru_cache(maxsize=1 << 16)
def key_code(key: str) -> int:
    """The 64-bit code of a key: "ln:qingdao" is the code of "n:qingdao" with LEAD_BIT set."""
    lead = key.startswith("l")
    base = key[1:] if lead else key
    digest = int.from_bytes(hashlib.blake2b(base.encode(), digest_size=8).digest(), "little") & _HASH_MASK
    return (KIND_CODES.get(base[0], 4) << KIND_BITS) | (LEAD_BIT if lead else 0) | digest


def _counted(title: str | None, text: str) -> tuple[Counter[str], list[str]]:
    """The counted keys, and the lower-cased words the MinHash signature shingles."""
    running, headings, every = _paragraphs(text)
    proper = _proper_words(running)
    end = _lead_end(running)  # the lead ends a sentence, so its keys and the rest's are the running text's
    lead = _keys(running[:end], proper, headline=False)
    counts = Counter(lead)
    counts.update(_keys(running[end:], proper, headline=False))
    if headings:
        counts.update(_keys(headings, proper, headline=True))
    for key in {key for key in lead if key[0] in LEAD_KINDS and not (key[0] == "n" and _DEMONYM.search(key))}:
        counts["l" + key] = 1
    if title:
        title_tokens = _tokens(title)
        for key in _keys(title_tokens, proper, headline=_title_case(title_tokens)):
            counts[key] += TITLE_REPEAT
    return counts, [t.lower() for t in every if t[0].isalnum()]


def _paragraphs(text: str) -> tuple[list[str], list[str], list[str]]:
    """Tokens of the running text, of the headings, and of both in order.

    A heading is a short title-case line without closing punctuation ("Historical Context of
    Russia-China Relations"): its capitals prove nothing, so it is read as a headline, and the
    body's names come from the running text alone.
    """
    every: list[str] = []
    spans: list[tuple[int, int]] = []
    for paragraph in text.split("\n"):
        tokens = _TOKEN.findall(paragraph)
        tokens.append(".")  # a paragraph break ends a sentence too
        line = paragraph.rstrip()
        if line and line[-1].isalnum() and len(tokens) <= HEADING_WORDS + 1 and _title_case(tokens):
            spans.append((len(every), len(every) + len(tokens)))
        every.extend(tokens)
    if not spans:
        return every, [], every
    running: list[str] = []
    headings: list[str] = []
    done = 0
    for start, end in spans:
        running.extend(every[done:start])
        headings.extend(every[start:end])
        done = end
    running.extend(every[done:])
    return running, headings, every


def _lead_end(tokens: Sequence[str]) -> int:
    """Where the first LEAD_SENTENCES sentences end (a mark after a digit or one letter, as in 1:30 a.m., ends none)."""
    sentences = 0
    for i, token in enumerate(tokens):
        if token in _SENTENCE_END and i and len(tokens[i - 1]) > 1 and tokens[i - 1][0].isalpha():
            sentences += 1
            if sentences == LEAD_SENTENCES:
                return i + 1
    return len(tokens)


def _tokens(text: str) -> list[str]:
    # A paragraph break ends a sentence too: texts often hold one sentence (or a heading) per line.
    out: list[str] = []
    for paragraph in text.split("\n"):
        out.extend(_TOKEN.findall(paragraph))
        out.append(".")
    return out


def _proper_words(tokens: Sequence[str]) -> frozenset[str]:
    """Lower-cased words the text capitalizes inside a sentence: its names."""
    out: set[str] = set()
    for previous, token in pairwise(tokens):
        if token[0].isupper() and previous not in _SENTENCE_END:
            out.add(token.lower())
    return frozenset(out)


def _title_case(tokens: Sequence[str]) -> bool:
    """Headline style ('Man Denies Arson'): most words capitalized, so capitals there prove nothing."""
    words = [t for t in tokens if t[0].isalpha() and t.lower() not in _STOP]
    return len(words) >= 2 and 2 * sum(t[0].isupper() for t in words) > len(words) + 1


def _keys(tokens: Sequence[str], proper: frozenset[str], headline: bool) -> list[str]:
    """Keys of one token sequence: words, names (single and joined runs), numbers, years and dates.

    A capitalized word is a name inside a sentence; at a sentence's start or in a headline only
    when ``proper`` (the body's names) holds it.
    """
    out: list[str] = []
    run: list[str] = []
    initial = True
    previous = ""
    known = _KINDS.get
    for token in tokens:
        kind, name, key, lower = known(token) or _kind(token)
        if kind == _NAME and ((not initial and not headline) or lower in proper):
            run.append(name)
        else:
            if run:
                _name_run(run, out)
                run = []
            if kind == _NUMBER:
                out.extend(_number_keys(token, previous))
            elif key:
                out.append(key)
        initial = kind == _END
        previous = lower
    if run:
        _name_run(run, out)
    return out


_END, _NUMBER, _NAME, _OTHER = range(4)
_KINDS: dict[str, tuple[int, str, str, str]] = {}


def _kind(token: str) -> tuple[int, str, str, str]:
    """(kind, name, key, lower-cased) of a token, remembered: a text repeats most of its tokens.

    Whether a capitalized word is a name depends on where it stands (``_keys`` decides, and
    falls back to its word key); the rest depends on the token alone.
    """
    lower = token.lower()
    name = ""
    word = "w:" + _stem(lower) if lower not in _STOP and len(lower) > 2 else ""
    if token in _SENTENCE_END:
        kind, word = _END, ""
    elif token[0].isdigit():
        kind, word = _NUMBER, ""
    elif lower in _MONTHS or lower in _WEEKDAYS:
        kind, word = _OTHER, ""
    elif lower in _NUMBER_WORDS and lower != "one":
        kind, word = _OTHER, f"d:{_NUMBER_WORDS[lower]}"
    elif token[0].isupper() and lower not in _STOP:
        kind, name = _NAME, lower.replace("’", "'").removesuffix("'s")
    else:
        kind = _OTHER
    if len(_KINDS) >= _KINDS_MAX:
        _KINDS.clear()  # bounded: a worker analyzes thousands of articles
    kinds = _KINDS[token] = (kind, name, word, lower)
    return kinds


_KINDS_MAX = 200_000


def _name_run(run: list[str], out: list[str]) -> None:
    """A run of capitalized words: each word, and the whole run when it has several."""
    out.extend("n:" + word for word in run)
    if len(run) > 1:
        out.append("n:" + " ".join(run))


def _number_keys(token: str, previous: str) -> Iterable[str]:
    value = token.replace(",", "")
    if len(value) == 4 and value.isdigit() and 1900 <= int(value) <= 2099:
        yield "y:" + value
    elif previous in _MONTHS and value.isdigit() and 1 <= int(value) <= 31:
        yield f"y:{_MONTHS[previous]:02d}-{int(value):02d}"
    elif value not in ("0", "1"):
        yield "d:" + value.rstrip("0").rstrip(".") if "." in value else "d:" + value


def _stem(word: str) -> str:
    """A light suffix stripper: enough to join 'quake' and 'quakes', 'killed' and 'kill'."""
    word = word.replace("’", "'").removesuffix("'s")
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def _minhash(words: Sequence[str]) -> tuple[int, ...]:
    """MinHash of the word shingles, then MINHASH_SIZE multiply-shift permutations.

    Each word gets a stable hash (crc32, spread to 64 bits); a shingle's hash is a fixed linear
    mix of its words' hashes, computed for all shingles at once.
    """
    if len(words) < SHINGLE:
        return ()
    crc = {w: zlib.crc32(w.encode()) for w in set(words)}  # each distinct word hashed once
    word_hashes = np.fromiter(map(crc.__getitem__, words), dtype=np.uint64, count=len(words)) * _SPREAD
    count = len(words) - SHINGLE + 1
    shingles = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):
        shingles += word_hashes[offset : offset + count] * _SHINGLE_MIX[offset]  # wraps modulo 2**64 on purpose
    hashes = np.unique(shingles)
    mixed = hashes[None, :] * _MULTIPLIERS[:, None] + _ADDENDS[:, None]
    return tuple((mixed >> np.uint64(32)).min(axis=1).tolist())


def _seeds(label: bytes) -> np.ndarray:
    values = [
        int.from_bytes(hashlib.blake2b(label + bytes([i]), digest_size=8).digest(), "little") | 1 for i in range(MINHASH_SIZE)
    ]
    return np.array(values, dtype=np.uint64)


_MULTIPLIERS = _seeds(b"mul")
_ADDENDS = _seeds(b"add")
BAND_MIX = _seeds(b"band")[:MINHASH_ROWS]
_SHINGLE_MIX = _seeds(b"shingle")[:SHINGLE]
_SPREAD = np.uint64(0x9E3779B97F4A7C15)  # odd: spreads a 32-bit word hash over 64 bits
