"""Canonical topics across the corpus: variants merged, mentions found everywhere.

A topic starts from what one article says about itself (terms.py, computed
with its analysis): its multi-word keyphrases, the acronyms it defines and the
names it uses. Variants join one topic under a union-find:

- the same key after folding case, plurals and British/American spelling
  ("Organisation"/"Organization", "sanction"/"sanctions");
- an acronym and the expansion the text gives it ("Shanghai Cooperation
  Organisation (SCO)");
- a name and the same name after its title ("President Xi Jinping");
- a person's full name and a lone first or last name that only that person
  has in the corpus ("Putin" -> "Vladimir Putin").

Then every variant is looked up in every article's text at once, with one
Aho-Corasick automaton of all variant keys, so a topic links each article
that names it, not only those where YAKE ranked it. Work is linear in the
corpus: one pass to merge seeds, one to scan; no pairs of articles are compared.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Literal

import ahocorasick

from generator.analysis import names
from generator.config import Settings
from generator.ingest.clean import slugify
from generator.models import Segment, Terms, Topic

Kind = Literal["person", "organization", "place", "other"]
Key = str  # folded words of a phrase, joined by spaces

MAX_WORDS = 6  # longest variant looked up; longer names are rare and come as acronyms
SCAN_CHUNK = 500  # articles a pool job scans: 20 jobs at 10,000 articles


def canonical_topics(
    items: Sequence[tuple[str, Terms]], settings: Settings
) -> tuple[tuple[Topic, ...], dict[str, tuple[str, ...]]]:
    """Topics shared by at least ``topic_min_articles`` articles, and each article's topic slugs.

    ``items`` are (article slug, its Terms). Topics are sorted by article
    count, then name; each article's slugs follow that order. A topic found in
    more than ``topic_max_share`` of the articles is kept with
    ``linked=False``: shown, but it makes no cross-links.
    """
    result, _ = canonical_topics_again(items, settings, None, {})
    return result


def canonical_topics_again(
    items: Sequence[tuple[str, Terms]],
    settings: Settings,
    previous: Scanned | None,
    identity: dict[str, str],
    *,
    remake: Remake | None = None,
    pool: Executor | None = None,
) -> tuple[Result, Scanned]:
    """canonical_topics, reusing the previous run's scan of articles it can; and this run's scan, for the next.

    ``identity`` maps an article slug to a string that changes whenever its
    Terms' segments may have (the analysis cache key); an article without one
    is scanned. ``remake`` makes the scan text of an article whose Terms came
    from the cache without it. Many articles to scan are scanned in ``pool``.
    """
    seeds = Seeds()
    for _, terms in items:
        seeds.add(terms)
    groups = seeds.groups()
    found, scanned = scan(dict(items), groups, previous, identity, remake=remake, pool=pool)
    return build(found, groups, seeds, len(items), settings), scanned


def words_in(key: Key) -> int:
    """How many words a key has."""
    return key.count(" ") + 1


# ------------------------------------------------------------------ seeding


class Seeds:
    """Candidate topic variants of the whole corpus and the cues seen around them.

    Surface forms are counted by the scan (Found.forms), over every mention.
    """

    def __init__(self) -> None:
        self.variants: dict[Key, None] = {}  # an ordered set
        self.mid_sentence: set[Key] = set()  # seen capitalized where capitals mean a name
        self.person: set[Key] = set()  # seen after a title
        self.place: set[Key] = set()  # seen after "in", "at", "city of" ...
        self.links: list[tuple[Key, Key]] = []  # variants known to be one topic

    def add(self, terms: Terms) -> None:
        """Merge one article's seeds; the scan later finds which articles hold them."""
        self.variants.update(dict.fromkeys([key for key, _, _ in terms.forms]))
        self.mid_sentence.update(terms.mid_sentence)
        self.person.update(terms.person)
        self.place.update([key for key, _ in terms.place])
        self.links.extend(terms.links)

    def groups(self) -> UnionFind:
        """Variants joined: same key, acronym and expansion, title, partial names."""
        union = UnionFind()
        for key in self.variants:
            if " " in key or key in self.mid_sentence:
                union.add(key)
        for a, b in self.links:
            if a in union and b in union:
                union.join(a, b)
        self._join_partial_names(union)
        return union

    def _join_partial_names(self, union: UnionFind) -> None:
        # A lone "Putin" is "Vladimir Putin" when no other full name in the
        # corpus starts or ends with that word.
        owners: dict[str, set[Key]] = defaultdict(set)
        for key in union.members():
            words = key.split(" ")
            if 2 <= len(words) <= 3 and self.is_person(key):
                owners[words[0]].add(key)
                owners[words[-1]].add(key)
        for word, full in sorted(owners.items()):
            if len(full) == 1 and word in union:
                union.join(next(iter(full)), word)

    def is_person(self, key: Key) -> bool:
        """A name seen after a title ("President Xi Jinping", "Mr Putin").

        Without a title nothing in the words tells a person from a place
        ("Central Asia"), so no guess is made.
        """
        return key in self.person


class UnionFind:
    """Disjoint sets of variant keys, with deterministic roots (the smallest key)."""

    def __init__(self) -> None:
        self.parent: dict[Key, Key] = {}

    def add(self, key: Key) -> None:
        """Make ``key`` a set of its own, if it is new."""
        self.parent.setdefault(key, key)

    def __contains__(self, key: object) -> bool:
        return key in self.parent

    def find(self, key: Key) -> Key:
        """The root of ``key``'s set."""
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, a: Key, b: Key) -> None:
        """Merge the sets of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def members(self) -> list[Key]:
        """Every key, sorted."""
        return sorted(self.parent)


# ------------------------------------------------------------------- scanning


@dataclass(frozen=True)
class Found:
    """Where each topic (by root key) is mentioned."""

    articles: dict[Key, dict[str, int]]  # root -> article slug -> mentions
    forms: dict[Key, dict[str, int]]  # root -> surface form -> mentions


Matches = tuple[tuple[Key, str, int], ...]  # (variant key, surface form, mentions), in order of first mention
Remake = Callable[[str], tuple[Segment, ...]]  # article slug -> its scan text, when its Terms lack it


@dataclass(frozen=True)
class Scanned:
    """One run's scan, kept so the next run can skip articles it would scan alike."""

    keys: frozenset[Key]  # every variant the automaton held
    articles: dict[str, tuple[str, Matches]]  # article slug -> (its identity, what the scan found in it)


def scan(
    texts: Mapping[str, Terms],
    groups: UnionFind,
    previous: Scanned | None = None,
    identity: dict[str, str] | None = None,
    *,
    remake: Remake | None = None,
    pool: Executor | None = None,
) -> tuple[Found, Scanned]:
    """Every mention of every variant, longest match first, through one automaton.

    In titles and headings every word is capitalized, so a lone capitalized
    word there ("Technology") is not taken for a name; acronyms still are.
    An article the previous scan saw with the same identity keeps its
    matches when none of the variants added or dropped since occurs in it.
    """
    identity = identity or {}
    keys = [key for key in groups.members() if words_in(key) <= MAX_WORDS]
    kept = _reusable(texts, frozenset(keys), previous, identity)
    order = sorted(texts)
    made = _scan_all([(slug, _text(slug, texts[slug], remake)) for slug in order if slug not in kept], keys, pool)
    matches = {slug: kept[slug] if slug in kept else made[slug] for slug in order}
    scanned = Scanned(frozenset(keys), {slug: (identity[slug], m) for slug, m in matches.items() if slug in identity})
    return _found(matches, groups), scanned


def _text(slug: str, terms: Terms, remake: Remake | None) -> tuple[Segment, ...]:
    if terms.segments is not None:
        return terms.segments
    if remake is None:
        raise ValueError(f"no scan text for article {slug!r}")
    return remake(slug)


def _scan_all(texts: list[tuple[str, tuple[Segment, ...]]], keys: Sequence[Key], pool: Executor | None) -> dict[str, Matches]:
    """Each article's matches; in ``pool`` when there are many, whose jobs carry the keys and scan texts."""
    segments = [scanned for _, scanned in texts]
    if pool is None or len(texts) < 2 * SCAN_CHUNK:
        found = _scan_chunk(segments, keys)
    else:
        chunks = [segments[i : i + SCAN_CHUNK] for i in range(0, len(segments), SCAN_CHUNK)]
        found = list(itertools.chain.from_iterable(pool.map(_scan_chunk, chunks, itertools.repeat(keys))))
    return dict(zip([slug for slug, _ in texts], found, strict=True))


def _scan_chunk(texts: list[tuple[Segment, ...]], keys: Sequence[Key]) -> list[Matches]:
    # The automaton is made again from the keys in each job: a pickled
    # automaton is larger, and 5,666 keys (10,000 articles) take 10 ms.
    automaton = _automaton(keys)
    return [_matches(segments, automaton) for segments in texts]


def _automaton(keys: Sequence[Key]) -> ahocorasick.Automaton | None:
    if not keys:
        return None
    automaton = ahocorasick.Automaton()
    for key in keys:
        # Spaces around the key: a match always covers whole words.
        automaton.add_word(f" {key} ", (words_in(key), key))
    automaton.make_automaton()
    return automaton


def _reusable(
    texts: Mapping[str, Terms], keys: frozenset[Key], previous: Scanned | None, identity: dict[str, str]
) -> dict[str, Matches]:
    """The previous matches of articles whose scan cannot come out different.

    A segment's matches depend only on its own text and on which variants
    occur in it: an added variant can match, or win over a shorter one; a
    dropped one can have matched, or have blocked another. So an article
    is rescanned when any variant added or dropped may occur in it: when
    its text has every word of one (Terms.keyset, so the scan text itself
    is needed only for articles scanned again).
    """
    if previous is None:
        return {}
    same = {
        slug: matches
        for slug in texts
        if slug in identity and slug in previous.articles
        for recorded, matches in [previous.articles[slug]]
        # A record may come from elsewhere: one naming a variant we do not have is not used.
        if recorded == identity[slug] and keys.issuperset(key for key, _, _ in matches)
    }
    changed = sorted(keys ^ previous.keys)
    if not changed or not same:
        return same
    probe = _Probe(changed)
    return {slug: m for slug, m in same.items() if not probe.may_hold(texts[slug].keyset)}


class _Probe:
    """Whether a text may hold any of some variants: it has every word of one of them."""

    def __init__(self, variants: Sequence[Key]) -> None:
        self.by_first: dict[str, list[list[str]]] = defaultdict(list)
        for variant in variants:
            words = variant.split(" ")
            self.by_first[words[0]].append(words)
        self.words = ahocorasick.Automaton()
        for word in sorted({w for v in variants for w in v.split(" ")}):
            self.words.add_word(f" {word} ", word)  # spaces around: whole words only
        self.words.make_automaton()

    def may_hold(self, keyset: str) -> bool:
        present = {word for _, word in self.words.iter(f" {keyset} ")}
        return any(all(w in present for w in v) for first in present for v in self.by_first.get(first, ()))


def _matches(segments: tuple[Segment, ...], automaton: ahocorasick.Automaton | None) -> Matches:
    counts: Counter[tuple[Key, str]] = Counter()
    if automaton is not None:
        for segment in segments:
            counts.update(_mentions(segment, automaton))
    return tuple((key, form, n) for (key, form), n in counts.items())


def _found(matches: dict[str, Matches], groups: UnionFind) -> Found:
    # Slugs in sorted order and matches in order of first mention: the
    # counts fill in the order a scan of every mention would fill them.
    # Plain dicts: a Counter's Python __missing__ ran for nearly every match.
    articles: dict[Key, dict[str, int]] = {}
    forms: dict[Key, dict[str, int]] = {}
    roots = {key: groups.find(key) for key in groups.members()}
    for slug, found in matches.items():
        for key, form, n in found:
            root = roots[key]
            per_article = articles.get(root)
            if per_article is None:
                per_article = articles[root] = {}
                forms[root] = {}
            per_article[slug] = per_article.get(slug, 0) + n
            per_form = forms[root]
            per_form[form] = per_form.get(form, 0) + n
    return Found(articles, forms)


def _mentions(segment: Segment, automaton: ahocorasick.Automaton) -> Iterable[tuple[Key, str]]:
    haystack = f" {segment.keys} "
    # (first word, -words, key): sorted, each start's longest variant comes first.
    # At one start, variants of one length are one text, so no two tie.
    found = sorted([(haystack.count(" ", 0, end - len(key)) - 1, -n, key) for end, (n, key) in automaton.iter(haystack)])
    if not found:
        return
    words = segment.words.split(" ")
    upto = 0
    for start, minus_n, key in found:
        if start < upto:
            continue
        # The longest variant at a start wins, as a reader would read it. Only
        # a lone word can fail the case test, and then no shorter one is left.
        span = words[start : start - minus_n]
        if _case_fits(span, segment.title_case, start in segment.initial):
            yield key, " ".join(span)
            upto = start - minus_n


def _case_fits(span: list[str], title_case: bool, initial: bool) -> bool:
    # A lone word matches only as a name ("Union", not any "union"), and only
    # where capitals mean something; acronyms only in capitals ("US", not "us").
    if len(span) > 1:
        return True
    word = span[0]
    if word.isupper():
        return True
    return word[:1].isupper() and not title_case and not initial


# ------------------------------------------------------------------- building

Result = tuple[tuple[Topic, ...], dict[str, tuple[str, ...]]]


def build(found: Found, groups: UnionFind, seeds: Seeds, total: int, settings: Settings) -> Result:
    """Topics with pages, and each article's topic slugs."""
    topics: list[Topic] = []
    taken = {"index"}  # topics/index.md is the list of topics
    by_root: dict[Key, list[Key]] = defaultdict(list)
    for key in groups.members():
        by_root[groups.find(key)].append(key)
    for root in sorted(found.articles):
        per_article = found.articles[root]
        if len(per_article) < settings.topic_min_articles:
            continue
        members = by_root[root]
        name = canonical_name(found.forms[root], members, seeds)
        slug = unique_slug(slugify(name), taken)
        ranked = tuple(sorted(per_article, key=lambda s: (-per_article[s], s)))
        topics.append(
            Topic(
                slug=slug,
                name=name,
                variants=tuple(sorted(set(found.forms[root]) | {name}, key=lambda v: (v.lower(), v))),
                articles=ranked,
                linked=len(per_article) <= settings.topic_max_share * total,
                kind=kind_of(members, seeds),
            )
        )
    topics.sort(key=lambda t: (-len(t.articles), t.name.lower(), t.slug))
    article_topics: dict[str, list[str]] = defaultdict(list)
    for topic in topics:
        for slug in topic.articles:
            article_topics[slug].append(topic.slug)
    return tuple(topics), {slug: tuple(slugs) for slug, slugs in sorted(article_topics.items())}


def canonical_name(forms: Mapping[str, int], members: list[Key], seeds: Seeds) -> str:
    """The name a reader knows: a person's full name, else the most used full form.

    Acronyms yield to their expansion; forms with a title yield to the name alone.
    """
    full = [f for f in forms if not f.isupper() and f.split()[0].lower() not in names.TITLES] or list(forms)
    if any(seeds.is_person(k) for k in members):
        return max(full, key=lambda f: (len(f.split()), forms[f], f))
    return max(full, key=lambda f: (forms[f], len(f.split()), f))


def kind_of(members: list[Key], seeds: Seeds) -> Kind:
    """person, organization, place or other, from cues in the text."""
    longest = max(members, key=lambda k: (words_in(k), k))
    if any(k.rsplit(" ", 1)[-1] in names.ORG_HEADS for k in members if " " in k):
        return "organization"
    if any(seeds.is_person(k) for k in members):
        return "person"
    if longest.rsplit(" ", 1)[-1] in names.PLACE_HEADS or any(k in seeds.place for k in members):
        return "place"
    return "other"


def unique_slug(slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``... the first not yet taken; taken from now on."""
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate
