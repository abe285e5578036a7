"""Claims across sources: which figures several sources agree on, which they dispute, which rest on one.

A claim is one measure ("bilateral trade") in one period ("2023") in one unit family (dollars and
cents; percent; cubic metres ...), as every article that gives it states it. Figures are grouped
in three steps, each through an index so the pass stays close to linear in the corpus:

1. a bucket per (unit family, period): figures of different units or years are never compared;
2. within a bucket, the distinct measure phrases (normalized to content-word stems) are clustered:
   a phrase joins the cluster it matches best, matching every phrase already in it (one phrase's
   words a subset of the other's, or Jaccard >= 0.5; without a period, the same words only).
   Candidate clusters come from an inverted index of words, never from all pairs;
3. a figure with no measure joins a cluster only when a figure there has its unit and its value.

Within a claim each statement is an interval of the values it allows: the written value widened by
half its written precision ("200" allows 199.5-200.5, "200.4" 200.35-200.45, so they agree), and by
its qualifier ("over X": X up to 10% above; "about X": within 10%; "up to X": anything below; a
range: its ends). Intervals in one dimension that meet pairwise share a point, so the values a claim
agrees on are found by a sweep for the point most distinct articles allow; what that point leaves out
is swept again, so a dispute lists each value once, best supported first.

Versions of one article (near-duplicates) count as one article and never corroborate each other.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.models import Claim, Quantity, Stated, Status

__all__ = ["ArticleFigures", "Claim", "Stated", "Status", "claims"]

ArticleFigures = tuple[str, str | None, Sequence[tuple[int, Quantity]]]  # (slug, source, [(sentence id, figure)])

# ---------------------------------------------------------------- units

# Units that are one currency (or one scale) under another name: their values convert to the first.
# "cent" is read as a dollar cent, the common case in English news.
_FAMILY: dict[str, tuple[str, float]] = {
    "cent": ("dollar", 0.01),
    "penny": ("pound sterling", 0.01),
    "pound": ("pound sterling", 1.0),
    "basis point": ("percentage point", 0.01),
    "metric ton": ("ton", 1.0),
}


@lru_cache(maxsize=4096)
def _family(kind: str, unit: str | None) -> tuple[tuple[str, str | None], float]:
    """The unit family a figure is compared in, and the factor that converts its value into it."""
    if unit is None or kind == "count":
        return (kind, unit), 1.0
    name, factor = _FAMILY.get(unit, (unit, 1.0))
    return (kind, name), factor


# ---------------------------------------------------------------- measure words

_STOPWORDS = frozenset(
    """a an the this that these those its their his her our my your of in on at to for from by with and or as into
    than per over about its it is are was were be been has have had will would said says new total overall level
    value volume amount figure sum all some any each every both either more most less other such own same so very
    one two three four five six seven eight nine ten""".split()
)
# "Trade between the two countries", "between China and Russia" is bilateral trade: the participants are not the measure.
_BILATERAL = re.compile(
    r"\b(?:two-way|mutual|between\s+(?:the\s+)?(?:two\s+)?(?:countries|nations|sides|states|neighbours|neighbors|partners|economies)"
    r"|between\s+(?:the\s+)?[^\W\d_]+(?:\s+[^\W\d_]+)?\s+and\s+(?:the\s+)?[^\W\d_]+)\b"
)
_TOKEN = re.compile(r"[^\W\d_]+")


def _stem(word: str) -> str:
    """Plural and -ing endings off, so that "exports" is "export" and "spending" is "spend"."""
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
        return word[:-1] if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz" else word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def _measure_words(measure: str) -> frozenset[str]:
    """Content-word stems of a measure phrase: lower-case, stopwords and determiners off."""
    text = _BILATERAL.sub(" bilateral ", measure.lower())
    return frozenset(_stem(w) for w in _TOKEN.findall(text) if w not in _STOPWORDS)


def _match(a: frozenset[str], b: frozenset[str], dated: bool) -> float | None:
    """How well two measures match (Jaccard), or None when they are not one measure.

    Without a period nothing else says two figures are one fact, so the words must be the same.
    """
    if not dated:
        return 1.0 if a == b else None
    shared = len(a & b)
    if not shared:
        return None
    jaccard = shared / len(a | b)
    return jaccard if jaccard >= 0.5 or shared == min(len(a), len(b)) else None


# ---------------------------------------------------------------- values

# How far past its value a one-sided qualifier reaches: "over $200 billion" is $200-220 billion.
_LOWER = dict.fromkeys(
    "more than|greater than|higher than|no less than|just over|just above|at least|upwards of|in excess of|over|above|a minimum of|minimum|as little as|as few as|as low as".split(
        "|"
    ),
    0.1,
) | {"well over": 0.5, "well above": 0.5}
_BELOW = dict.fromkeys("less than|fewer than|lower than|just under|just below|under|below".split("|"), 0.1) | {"well below": 0.5}
_UPPER = frozenset("up to|at most|no more than|not more than|as much as|as many as|as high as|a maximum of|maximum".split("|"))
_APPROX = frozenset(
    "nearly|almost|about|around|approximately|approx.|approx|roughly|some|close to|circa|an estimated|estimated".split("|")
)
_APPROX_SHARE = 0.1
_DIGITS = re.compile(r"[0-9][0-9,]*(?:\.([0-9]+))?")
_EPS = 1e-9


@dataclass(frozen=True)
class _Fig:
    """A statement with what grouping and agreement read from it, values in its unit family."""

    stated: Stated
    article: str  # the article it counts for: the root of its versions
    source: str | None
    bucket: tuple[tuple[str, str | None], str | None]  # (unit family, period)
    words: frozenset[str]
    low: float  # the values it allows
    high: float
    point: float  # its value, or a range's middle
    step: float  # its written precision
    rank: int  # 0 exact, 1 approximate, 2 one-sided, 3 a range: how precisely it pins the value


def _power_of_ten(x: float) -> bool:
    return x > 0 and abs(math.log10(x) - round(math.log10(x))) < 1e-9


def _significant_step(value: float) -> float:
    """Precision of a value written in words ("two hundred million" is to the hundred million)."""
    if value == 0 or not math.isfinite(value):
        return 1.0
    k = math.floor(math.log10(abs(value)))
    for exp in range(k, k - 7, -1):
        unit = 10.0**exp
        if abs(value / unit - round(value / unit)) < 1e-6:
            return unit
    return 10.0 ** (k - 6)


@lru_cache(maxsize=65536)
def _step(text: str, last: float) -> float:
    """Precision of a figure as written: its last written digit times its scale ("$200bn": a billion).

    ``last`` is the value the last number in ``text`` stands for (a range's high end).
    """
    tokens = list(_DIGITS.finditer(text))
    if not tokens:
        return _significant_step(last)
    written = float(tokens[-1].group().replace(",", ""))
    decimals = max(len(t.group(1) or "") for t in tokens)
    if written == 0:
        return 10.0**-decimals
    scale = abs(last) / written
    if not _power_of_ten(scale) and abs(scale - 1e5) > 1 and abs(scale - 1e7) > 1:
        return _significant_step(last)  # an amount in parts ("3 dollars 50 cents"): read its value
    return 10.0**-decimals * scale


def _allowed(q: Quantity, factor: float) -> tuple[float, float, float, float, int] | None:
    """(low, high, point, step, rank) of the values a figure allows, in its family's unit."""
    last = q.high if q.value is None else q.value
    if last is None or not math.isfinite(last):
        return None
    step = _step(q.text, last) * factor
    half = step / 2 + _EPS * abs(last * factor)
    if q.value is not None:
        return (*_bounds(q.value * factor, half, q.qualifier or ""), q.value * factor, step, _rank(q.qualifier or ""))
    if q.low is None or not math.isfinite(q.low):
        return None
    low, high = q.low * factor, last * factor
    return low - half, high + half, (low + high) / 2, step, 3


def _rank(qualifier: str) -> int:
    """0 exact, 1 approximate, 2 one-sided (3 is a range): how precisely a statement pins its value."""
    if qualifier in _LOWER or qualifier in _BELOW or qualifier in _UPPER:
        return 2
    return 1 if qualifier in _APPROX else 0


def _bounds(v: float, half: float, qualifier: str) -> tuple[float, float]:
    """The values "``qualifier`` ``v``" allows, ``half`` its rounding."""
    if qualifier in _LOWER:
        return v - half, v + abs(v) * _LOWER[qualifier] + half
    if qualifier in _BELOW:
        return v - abs(v) * _BELOW[qualifier] - half, v + half
    if qualifier in _UPPER:
        return (0.0 if v >= 0 else -math.inf), v + half
    spread = abs(v) * _APPROX_SHARE + half if qualifier in _APPROX else half
    return v - spread, v + spread


def _unresolved(period: str | None) -> bool:
    """ "XXXX", "PAST_REF": a period no reader can place is no period to agree on."""
    return period is not None and ("X" in period or "REF" in period)


# ---------------------------------------------------------------- articles


def _roots(versions: Mapping[str, str]) -> dict[str, str]:
    """Each versioned slug's root: the article at the end of its chain (the least slug of a cycle)."""
    roots: dict[str, str] = {}
    for slug in sorted(versions):
        chain = [slug]
        seen = {slug}
        while chain[-1] in versions and chain[-1] not in roots:
            nxt = versions[chain[-1]]
            if nxt in seen:
                cycle = chain[chain.index(nxt) :]
                chain.append(min(cycle))
                break
            chain.append(nxt)
            seen.add(nxt)
        root = roots.get(chain[-1], chain[-1])
        for member in chain:
            roots.setdefault(member, root)
    return roots


def _figures(articles: Sequence[ArticleFigures], versions: Mapping[str, str]) -> list[_Fig]:
    """Every usable figure of every article, read once."""
    roots = _roots(versions)
    out: list[_Fig] = []
    for slug, source, found in articles:
        root = roots.get(slug, slug)
        stated_source = source.strip() if source and source.strip() else None
        for index, (sentence, q) in enumerate(found):
            family, factor = _family(q.kind, q.unit)
            allowed = _allowed(q, factor)
            if allowed is None:
                continue  # no value to compare (a malformed figure)
            period = None if _unresolved(q.period) else q.period
            stated = Stated(slug, sentence, index, q)
            out.append(_Fig(stated, root, stated_source, (family, period), _measure_words(q.measure), *allowed))
    return out


# ---------------------------------------------------------------- grouping


def _cluster_measures(signatures: Counter[frozenset[str]], dated: bool) -> dict[frozenset[str], int]:
    """Cluster the measure phrases of one bucket; returns each phrase's cluster number.

    Phrases are placed most frequent first, so clusters form around the common wording; a phrase
    joins the cluster it matches best among those whose core (first phrases) it matches wholly (no
    chaining "trade deficit" to "bilateral trade" through "trade"), found through a word index.
    """
    members: list[list[frozenset[str]]] = []
    sizes: list[int] = []
    index: defaultdict[str, list[int]] = defaultdict(list)  # word -> clusters holding it, oldest first
    assigned: dict[frozenset[str], int] = {}
    for words, count in sorted(signatures.items(), key=lambda item: (-item[1], sorted(item[0]))):
        best: tuple[float, int, int] | None = None
        for cluster in _candidates(words, index):
            scores = [_match(words, other, dated) for other in members[cluster][:MAX_CORE]]
            if any(s is None for s in scores):
                continue
            score = (min(s for s in scores if s is not None), sizes[cluster], -cluster)
            if best is None or score > best:
                best = score
        if best is None:
            chosen = len(members)
            members.append([])
            sizes.append(0)
        else:
            chosen = -best[2]
        members[chosen].append(words)
        sizes[chosen] += count
        for w in words:
            # Only a word's oldest clusters are ever offered: keep no more.
            if len(index[w]) < MAX_CANDIDATES and chosen not in index[w]:
                index[w].append(chosen)
        assigned[words] = chosen
    return assigned


# Clusters a word offers a phrase for comparison, at most: the oldest (most frequent wording) ones.
# A word that thousands of phrases share ("trade") would otherwise make the pass quadratic.
MAX_CANDIDATES = 16
# Phrases of a cluster a newcomer must match: its first (most frequent) ones, which say what it measures.
MAX_CORE = 8


def _candidates(words: frozenset[str], index: Mapping[str, list[int]]) -> list[int]:
    """Clusters sharing a word with ``words``, in cluster order; each word offers its oldest few."""
    found: set[int] = set()
    for w in words:
        found.update(index.get(w, ()))
    return sorted(found)


def _group(figs: list[_Fig]) -> list[list[_Fig]]:
    """Figures grouped into claims: by bucket, then measure cluster; unnamed figures by unit and value."""
    buckets: defaultdict[tuple[tuple[str, str | None], str | None], list[_Fig]] = defaultdict(list)
    for f in figs:
        buckets[f.bucket].append(f)
    groups: list[list[_Fig]] = []
    for key in sorted(buckets, key=_bucket_order):
        dated = key[1] is not None
        named = [f for f in buckets[key] if f.words and (dated or not _bare_count(f))]
        groups.extend(_per_article([f for f in buckets[key] if f.words and not dated and _bare_count(f)]))
        assigned = _cluster_measures(Counter(f.words for f in named), dated=dated)
        clusters: defaultdict[int, list[_Fig]] = defaultdict(list)
        for f in named:
            clusters[assigned[f.words]].append(f)
        bucket_groups = [clusters[c] for c in sorted(clusters)]
        unnamed = [f for f in buckets[key] if not f.words]
        groups.extend(bucket_groups)
        groups.extend(_place_unnamed(unnamed, bucket_groups, dated=dated))
    return groups


def _bare_count(f: _Fig) -> bool:
    """ "the two nations", "two decades": a measure that only repeats the counted noun.

    Undated, such a figure says nothing that ties it to another article's ("two nations" in one
    report and in another are rarely one fact), so it is never matched across articles.
    """
    unit = f.stated.quantity.unit
    return unit is not None and f.words <= _measure_words(unit)


def _per_article(figs: list[_Fig]) -> list[list[_Fig]]:
    """One group per article and measure: an article repeating a bare count states one claim."""
    by_key: defaultdict[tuple[str, tuple[str, ...]], list[_Fig]] = defaultdict(list)
    for f in figs:
        by_key[f.article, tuple(sorted(f.words))].append(f)
    return [by_key[k] for k in sorted(by_key)]


def _bucket_order(key: tuple[tuple[str, str | None], str | None]) -> tuple[str, str, str]:
    (kind, family), period = key
    return kind, family or "", period or ""


def _place_unnamed(unnamed: list[_Fig], groups: list[list[_Fig]], dated: bool) -> list[list[_Fig]]:
    """Add each figure without a measure to the largest group holding its unit and value; the rest stand alone.

    The value is the written one, qualifier aside ("over $200 billion" is $200 billion here); a
    range pins no value. Without a period nothing ties an unnamed figure to any claim. Values are looked up in a sorted
    index of the bucket's figures, so the cost is a binary search per figure.
    """
    alone: list[list[_Fig]] = []
    if not unnamed:
        return alone
    if not dated or not groups:
        return [[f] for f in unnamed]
    # One entry per written value, naming the group an unnamed figure of that value would join (most
    # articles, then the first): a value a thousand claims share is still one lookup.
    sizes = [len({f.article for f in group}) for group in groups]
    best: dict[tuple[float, float, str], int] = {}
    for g, group in enumerate(groups):
        for f in group:
            key = (f.point, f.step, f.stated.quantity.unit or "")
            if f.rank < 3 and (key not in best or (-sizes[g], g) < (-sizes[best[key]], best[key])):
                best[key] = g
    points = sorted((point, step, g, unit) for (point, step, unit), g in best.items())
    widest = max((p[1] for p in points), default=0.0)
    values = [p[0] for p in points]
    additions: defaultdict[int, list[_Fig]] = defaultdict(list)
    for f in unnamed:
        if f.rank == 3:
            alone.append([f])
            continue
        reach = max(f.step, widest) / 2 + _EPS * abs(f.point)
        lo, hi = bisect.bisect_left(values, f.point - reach), bisect.bisect_right(values, f.point + reach)
        unit = f.stated.quantity.unit or ""
        hits = {
            g
            for point, step, g, u in points[lo:hi]
            if u == unit and abs(point - f.point) <= max(step, f.step) / 2 + _EPS * abs(f.point)
        }
        if not hits:
            alone.append([f])
            continue
        chosen = min(hits, key=lambda g: (-sizes[g], g))
        additions[chosen].append(f)
    for g, extra in additions.items():
        groups[g].extend(extra)
    return alone


# ---------------------------------------------------------------- agreement


def _best_point(figs: list[_Fig]) -> float:
    """The value most distinct articles allow (then most statements; then the least such value).

    A sweep over interval ends, opening before closing at one value since the ends are inclusive.
    """
    events = sorted([(f.low, 0, f.article) for f in figs] + [(f.high, 1, f.article) for f in figs])
    open_by_article: Counter[str] = Counter()
    open_count = 0
    best: tuple[int, int] = (-1, -1)
    best_at = figs[0].point
    for x, kind, article in events:
        if kind == 0:
            open_by_article[article] += 1
            open_count += 1
            score = (len(open_by_article), open_count)
            if score > best:
                best, best_at = score, x
        else:
            open_by_article[article] -= 1
            open_count -= 1
            if not open_by_article[article]:
                del open_by_article[article]
    return best_at


# Values a dispute is split into, at most: each split is a sweep over what is left, so a measure that
# thousands of articles give thousands of values stays linear; the rest is one last group, by value.
MAX_VALUES = 8


def _agreeing(figs: list[_Fig]) -> list[list[_Fig]]:
    """The statements split by the value they agree on, best supported first."""
    rest = figs
    out: list[list[_Fig]] = []
    while rest and len(out) < MAX_VALUES:
        at = _best_point(rest)
        out.append([f for f in rest if f.low <= at <= f.high])
        rest = [f for f in rest if not f.low <= at <= f.high]
    if rest:
        out.append(sorted(rest, key=lambda f: (f.point, f.stated.slug, f.stated.sentence, f.stated.figure)))
    return out


def _status(clusters: list[list[_Fig]]) -> Status:
    """Single source for one article; contradicted when an article states only a value the best one excludes.

    An article that gives the agreed value and also another (a second figure mis-grouped, an
    update) does not dispute it.
    """
    agreed = {f.article for f in clusters[0]}
    others = {f.article for cluster in clusters[1:] for f in cluster}
    if len(agreed | others) == 1:
        return "single source"
    if others - agreed:
        return "contradicted"
    return "corroborated"


# ---------------------------------------------------------------- writing values

# Currencies a reader names by their own word: "200 billion yuan", not "200 billion chinese yuan".
_SHORT_NAMES = {"chinese yuan": "yuan", "russian rouble": "rouble", "south korean won": "won", "thai baht": "baht"}
_SYMBOLS = {"dollar": "$", "euro": "€", "pound sterling": "£", "pound": "£", "japanese yen": "¥"}
_INVARIANT = frozenset(
    "yen yuan rand naira won baht ringgit rupiah lari kip markka bitcoin hertz percentage sterling renminbi".split()
)
_IRREGULAR = {
    "ton": "tonnes",
    "foot": "feet",
    "penny": "pence",
    "person": "people",
    "man": "men",
    "woman": "women",
    "child": "children",
}
_SCALE_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def _plural(unit: str) -> str:
    """ "cubic metre" -> "cubic metres", "barrel per day" -> "barrels per day"."""
    for joint in (" per ", " of "):
        if joint in unit:
            head, tail = unit.split(joint, 1)
            return _plural(head) + joint + tail
    head, _, last = unit.rpartition(" ")
    if last in _IRREGULAR:
        word = _IRREGULAR[last]
    elif last in _INVARIANT or last.endswith("s"):
        word = last
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "o", "u"):
        word = last[:-1] + "ies"
    elif last.endswith(("x", "ch", "sh", "z")):
        word = last + "es"
    else:
        word = last + "s"
    return f"{head} {word}" if head else word


def _number(value: float, step: float, scaled: bool) -> str:
    """ "200 billion", "1.5 million", "5,000", "3.5": a value at its written precision."""
    scale, word = 1.0, ""
    if scaled:
        for size, name in _SCALE_WORDS:
            if abs(value) >= size:
                scale, word = size, name
                break
    decimals = 0 if step <= 0 else max(0, min(6, math.ceil(-math.log10(step / scale) - 1e-9)))
    text = f"{value / scale:,.{decimals}f}"
    return f"{text} {word}" if word else text


def _write_one(q: Quantity, value: float, step: float) -> str:
    """One value in its unit as a reader writes it ("$200 billion", "30%", "38 billion cubic metres")."""
    if q.kind == "percent":
        if q.unit in (None, "percentage"):
            return _number(value, step, scaled=False) + "%"
        return f"{_number(value, step, scaled=False)} {q.unit if value == 1 else _plural(q.unit)}"
    number = _number(value, step, scaled=True)
    if q.unit is None:
        return number
    if q.kind == "money" and q.unit in _SYMBOLS:
        return ("-" if number.startswith("-") else "") + _SYMBOLS[q.unit] + number.lstrip("-")
    unit = _SHORT_NAMES.get(q.unit, q.unit)
    return f"{number} {unit if value == 1 else _plural(unit)}"


def _write(f: _Fig) -> str:
    """A statement's value as a reader writes it, with its qualifier when it is not exact."""
    q = f.stated.quantity
    step = _step(q.text, q.high if q.value is None else q.value)
    if q.value is None and q.low is not None and q.high is not None:
        return _write_range(q, q.low, q.high, step)
    assert q.value is not None  # _allowed kept only figures with a value or a range
    text = _write_one(q, q.value, step)
    return f"{q.qualifier} {text}" if f.rank in (1, 2) and q.qualifier else text


def _write_range(q: Quantity, low: float, high: float, step: float) -> str:
    """ "190 to 205 million tonnes", "5 to 10 years", "$3 to $4 billion": what both ends share is written once."""
    low_text, high_text = _write_one(q, low, step), _write_one(q, high, step)
    low_number, high_number = _number(low, step, scaled=q.kind != "percent"), _number(high, step, scaled=q.kind != "percent")
    shared = high_text[high_text.index(high_number) + len(high_number) :] if high_number in high_text else ""
    low_scale, high_scale = low_number.rpartition(" ")[2], high_number.rpartition(" ")[2]
    if shared and low_text.endswith(shared) and q.kind != "percent":
        low_text = low_text[: len(low_text) - len(shared)]
        if " " in high_number and low_scale == high_scale:
            low_text = low_text[: low_text.rindex(" ")]  # "190 million to 205 million" -> "190 to 205 million"
    return f"{low_text} to {high_text}"


# ---------------------------------------------------------------- claims


def _order_in_cluster(f: _Fig) -> tuple[int, float, str, int, int]:
    """Exact statements first, narrowest first: the first is the one whose wording the value takes."""
    return f.rank, f.high - f.low, f.stated.slug, f.stated.sentence, f.stated.figure


def _display_measure(figs: Iterable[_Fig]) -> str:
    """The most frequent wording, then the most specific one (most content words), then the first alphabetically."""
    counts = Counter(f.stated.quantity.measure.strip() for f in figs if f.words)
    if not counts:
        return ""
    return min(counts, key=lambda m: (-counts[m], -len(_measure_words(m)), m))


def _display_unit(figs: list[_Fig]) -> str | None:
    counts = Counter(f.stated.quantity.unit for f in figs)
    return min(counts, key=lambda u: (-counts[u], u or ""))


def _base(label: str, period: str | None, unit: str | None) -> str:
    """A claim's slug before it is made unique: its label (the measure, or the value), period and unit."""
    return _slugify(" ".join(p for p in (label, period or "", unit or "") if p)) or "claim"


def _slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


@dataclass(frozen=True)
class _Draft:
    """A claim before its slug is made unique."""

    measure: str
    period: str | None
    unit: str | None
    status: Status
    statements: tuple[Stated, ...]
    articles: int
    sources: tuple[str, ...]
    value: str
    base: str

    def order(self) -> tuple[int, int, str, str, str, str, int, int]:
        first = self.statements[0]
        rank = 1 if self.status == "single source" else 0
        return rank, -self.articles, self.measure, self.period or "", self.base, first.slug, first.sentence, first.figure


def _draft(group: list[_Fig]) -> _Draft:
    if len(group) == 1 and group[0].low <= group[0].high:
        return _single(group[0])
    clusters = [sorted(c, key=_order_in_cluster) for c in _agreeing(group)]
    status = _status(clusters)
    shown = clusters[:MAX_VALUES] if status == "contradicted" else clusters[:1]
    values = list(dict.fromkeys(_write(c[0]) for c in shown))
    measure = _display_measure(group)
    period = group[0].bucket[1]
    unit = _display_unit(group)
    label = measure or values[0]  # an unnamed figure's anchor says its value
    base = _base(label, period, unit)
    return _Draft(
        measure=measure,
        period=period,
        unit=unit,
        status=status,
        statements=tuple(f.stated for c in clusters for f in c),
        articles=len({f.article for f in group}),
        sources=tuple(sorted({f.source for f in group if f.source is not None})),
        value=" / ".join(values),
        base=base,
    )


def _single(f: _Fig) -> _Draft:
    """``_draft`` of a claim one figure makes, without its sweeps and counts: most claims are one figure."""
    q = f.stated.quantity
    measure = q.measure.strip() if f.words else ""
    value = _write(f)
    period = f.bucket[1]
    base = _base(measure or value, period, q.unit)
    sources = (f.source,) if f.source is not None else ()
    return _Draft(measure, period, q.unit, "single source", (f.stated,), 1, sources, value, base)


def _unique_slugs(drafts: list[_Draft]) -> list[Claim]:
    """Claims with slugs made unique: a repeated base takes "-2", "-3" in the claims' order."""
    used: set[str] = {d.base for d in drafts}
    seen: Counter[str] = Counter()
    out: list[Claim] = []
    for d in sorted(drafts, key=_Draft.order):
        seen[d.base] += 1
        slug = d.base
        if seen[d.base] > 1:
            n = seen[d.base]
            while f"{d.base}-{n}" in used:
                n += 1
            slug = f"{d.base}-{n}"
            used.add(slug)
        out.append(Claim(d.measure, d.period, d.unit, d.status, d.statements, d.articles, d.sources, d.value, slug))
    return out


def _claim_order(c: Claim) -> tuple[int, int, str, str, str]:
    return (1 if c.status == "single source" else 0), -c.articles, c.measure, c.period or "", c.slug


def claims(articles: Sequence[ArticleFigures], versions: Mapping[str, str] | None = None) -> tuple[Claim, ...]:
    """Every figure of ``articles`` as a claim: corroborated, contradicted, or resting on a single source.

    ``articles`` are (slug, source or None, [(sentence id, Quantity), ...]); ``versions`` maps an
    article's slug to the slug of the article it is a version of. Corroborated and contradicted
    claims come first, most articles first, then single-source ones; ties by measure, period, slug.
    """
    figs = _figures(articles, versions or {})
    drafts = [_draft(group) for group in _group(figs)]
    return tuple(sorted(_unique_slugs(drafts), key=_claim_order))
