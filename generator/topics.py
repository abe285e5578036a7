"""Canonical topics across the corpus: variants merged, mentions found everywhere.

A topic starts from what one article says about itself: its multi-word
keyphrases, the acronyms it defines and the names it uses (runs of capitalized
words in running text). Variants join one topic under a union-find:

- the same key after folding case, plurals and British/American spelling
  ("Organisation"/"Organization", "sanction"/"sanctions");
- an acronym and the expansion the text gives it ("Shanghai Cooperation
  Organisation (SCO)");
- a name and the same name after its title ("President Xi Jinping");
- a person's full name and a lone first or last name that only that person
  has in the corpus ("Putin" -> "Vladimir Putin").

Then every variant is looked up in every article's text through one index of
variant keys, so a topic links each article that names it, not only those
where YAKE ranked it. Work is linear in the corpus: one pass to seed, one to
scan; no pairs of articles are compared.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from generator import names
from generator.clean import slugify
from generator.config import Settings
from generator.keywords import STOPWORDS as _STOP
from generator.models import Analysis, Article, Topic

Kind = Literal["person", "organization", "place", "other"]
Key = tuple[str, ...]  # folded words of a phrase
Item = tuple[str, Article, Analysis]  # (slug, article, analysis)

MAX_WORDS = 6  # longest variant looked up; longer names are rare and come as acronyms
_TOKEN = re.compile(r"(\W*)(\w+)([’']s\b)?")  # a possessive ends a name: "China's Belt and Road"
_SENTENCE_END = re.compile(r"[.!?:;…]")
_JOINERS = names.wordset("of the for de du la von van")  # inside names: "Power of Siberia"
_DEMONYM = re.compile(r"(?:ern|ish|ian|ese|an)$")  # "Russian", "Chinese": adjectives, not topics


class Token(NamedTuple):
    """One word of running text, with what name detection needs to know.

    A NamedTuple rather than a frozen dataclass: a corpus has millions of
    tokens and a tuple is several times cheaper to build.
    """

    text: str
    key: str  # folded
    initial: bool  # first word of a sentence or block: capitals say nothing there
    joined: bool  # only a space or hyphen since the previous word: a name may run on


def canonical_topics(items: Sequence[Item], settings: Settings) -> tuple[tuple[Topic, ...], dict[str, tuple[str, ...]]]:
    """Topics shared by at least ``topic_min_articles`` articles, and each article's topic slugs.

    Topics are sorted by article count, then name; each article's slugs follow
    that order. A topic found in more than ``topic_max_share`` of the articles
    is kept with ``linked=False``: shown, but it makes no cross-links.
    """
    texts = {slug: [tokenize(b.text) for b in article.blocks] + [tokenize(article.title)] for slug, article, _ in items}
    titled = {slug: [b.kind == "heading" for b in article.blocks] + [True] for slug, article, _ in items}
    seeds = Seeds()
    for slug, article, analysis in items:
        seeds.add_article(article, analysis, texts[slug])
    groups = seeds.groups()
    found = scan(texts, titled, groups)
    return build(found, groups, seeds, len(items), settings)


def tokenize(text: str) -> list[Token]:
    """Words of ``text`` with possessives dropped and sentence starts marked."""
    tokens: list[Token] = []
    possessive = True  # nothing joins the first word to what came before
    fold = names.fold
    for raw_gap, word, apostrophe_s in _TOKEN.findall(text):
        gap = raw_gap.strip()
        initial = not tokens or (bool(gap) and _SENTENCE_END.search(gap) is not None)
        joined = not possessive and not initial and gap in ("", "-")
        tokens.append(Token(word, fold(word.lower()), initial, joined))
        possessive = bool(apostrophe_s)
    return tokens


# ------------------------------------------------------------------ seeding


class Seeds:
    """Candidate topic variants, their surface forms and the cues seen around them."""

    def __init__(self) -> None:
        self.forms: dict[Key, Counter[str]] = defaultdict(Counter)
        self.mid_sentence: set[Key] = set()  # seen capitalized where capitals mean a name
        self.person: set[Key] = set()  # seen after a title
        self.place: Counter[Key] = Counter()  # seen after "in", "at", "city of" ...
        self.links: list[tuple[Key, Key]] = []  # variants known to be one topic

    def add_article(self, article: Article, analysis: Analysis, texts: list[list[Token]]) -> None:
        """Seed from one article: keyphrases, acronyms and names in running text.

        Seeds are corpus-wide; the scan later finds which articles hold them.
        """
        for phrase in analysis.keyphrases:
            words = phrase.text.lower().split()
            # Multi-word phrases only: a lone common word ("energy") is no subject
            # to link by, and "Moscow and Beijing" is two subjects, not one.
            if len(words) > 1 and not set(words[1:-1]) & _STOP:
                self._form(phrase.text)
        for short, expansion in analysis.acronyms:
            self.links.append((self._form(short), self._form(expansion)))
        for block, tokens in zip(article.blocks, texts, strict=False):
            if block.kind != "heading":  # headings are title-cased: every word looks like a name
                self._names(tokens)

    def _form(self, text: str) -> Key:
        key = tuple(names.key(text).split())
        self.forms[key][" ".join(text.split())] += 1
        self.mid_sentence.add(key)
        return key

    def _names(self, tokens: list[Token]) -> None:
        for start, end in name_spans(tokens):
            span = tokens[start:end]
            cut = _after_titles(span)
            key = tuple(t.key for t in span[cut:])
            if not key or _DEMONYM.search(key[-1]) or key[-1] in names.TITLES:
                continue
            self.forms[key][" ".join(t.text for t in span[cut:])] += 1
            if not span[cut].initial:
                self.mid_sentence.add(key)
            if cut:
                self.person.add(key)
                self.links.append((tuple(t.key for t in span), key))
            elif start and tokens[start - 1].key in names.PLACE_CUES:
                self.place[key] += 1

    def groups(self) -> UnionFind:
        """Variants joined: same key, acronym and expansion, title, partial names."""
        union = UnionFind()
        for key in self.forms:
            if len(key) > 1 or key in self.mid_sentence:
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
            if 2 <= len(key) <= 3 and self.is_person(key):
                owners[key[0]].add(key)
                owners[key[-1]].add(key)
        for word, full in sorted(owners.items()):
            single = (word,)
            if len(full) == 1 and single in union:
                union.join(next(iter(full)), single)

    def is_person(self, key: Key) -> bool:
        """A name seen after a title ("President Xi Jinping", "Mr Putin").

        Without a title nothing in the words tells a person from a place
        ("Central Asia"), so no guess is made.
        """
        return key in self.person or (len(key) == 1 and key in self.person)


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

    articles: dict[Key, Counter[str]]  # root -> article slug -> mentions
    forms: dict[Key, Counter[str]]  # root -> surface form -> mentions


def scan(texts: dict[str, list[list[Token]]], titled: dict[str, list[bool]], groups: UnionFind) -> Found:
    """Every mention of every variant, longest match first, through one index.

    In titles and headings every word is capitalized, so a lone capitalized
    word there ("Technology") is not taken for a name; acronyms still are.
    """
    index: dict[Key, Key] = {key: groups.find(key) for key in groups.members()}
    firsts: dict[str, int] = defaultdict(int)  # first word -> longest variant starting with it
    for key in index:
        firsts[key[0]] = max(firsts[key[0]], len(key))
    articles: dict[Key, Counter[str]] = defaultdict(Counter)
    forms: dict[Key, Counter[str]] = defaultdict(Counter)
    for slug in sorted(texts):
        for tokens, title_case in zip(texts[slug], titled[slug], strict=True):
            for root, form in _mentions(tokens, index, firsts, title_case):
                articles[root][slug] += 1
                forms[root][form] += 1
    return Found(dict(articles), dict(forms))


def _mentions(tokens: list[Token], index: dict[Key, Key], firsts: dict[str, int], title_case: bool) -> Iterable[tuple[Key, str]]:
    i = 0
    while i < len(tokens):
        longest = firsts.get(tokens[i].key, 0)
        for n in range(min(longest, len(tokens) - i, MAX_WORDS), 0, -1):
            key = tuple(t.key for t in tokens[i : i + n])
            if key in index and _case_fits(tokens[i : i + n], title_case):
                yield index[key], " ".join(t.text for t in tokens[i : i + n])
                i += n
                break
        else:
            i += 1


def _case_fits(span: list[Token], title_case: bool) -> bool:
    # A lone word matches only as a name ("Union", not any "union"), and only
    # where capitals mean something; acronyms only in capitals ("US", not "us").
    if len(span) > 1:
        return True
    word = span[0].text
    if word.isupper():
        return True
    return word[:1].isupper() and not title_case and not span[0].initial


# ------------------------------------------------------------------- building

Result = tuple[tuple[Topic, ...], dict[str, tuple[str, ...]]]


def build(found: Found, groups: UnionFind, seeds: Seeds, total: int, settings: Settings) -> Result:
    """Topics with pages, and each article's topic slugs."""
    topics: list[Topic] = []
    taken: set[str] = set()
    by_root: dict[Key, list[Key]] = defaultdict(list)
    for key in groups.members():
        by_root[groups.find(key)].append(key)
    for root in sorted(found.articles):
        per_article = found.articles[root]
        if len(per_article) < settings.topic_min_articles:
            continue
        members = by_root[root]
        name = canonical_name(found.forms[root], members, seeds)
        slug = _unique(slugify(name), taken)
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


def canonical_name(forms: Counter[str], members: list[Key], seeds: Seeds) -> str:
    """The name a reader knows: a person's full name, else the most used full form.

    Acronyms yield to their expansion; forms with a title yield to the name alone.
    """
    full = [f for f in forms if not f.isupper() and f.split()[0].lower() not in names.TITLES] or list(forms)
    if any(seeds.is_person(k) for k in members):
        return max(full, key=lambda f: (len(f.split()), forms[f], f))
    return max(full, key=lambda f: (forms[f], len(f.split()), f))


def kind_of(members: list[Key], seeds: Seeds) -> Kind:
    """person, organization, place or other, from cues in the text."""
    longest = max(members, key=lambda k: (len(k), k))
    if any(k[-1] in names.ORG_HEADS for k in members if len(k) > 1):
        return "organization"
    if any(seeds.is_person(k) for k in members):
        return "person"
    if longest[-1] in names.PLACE_HEADS or any(seeds.place[k] for k in members):
        return "place"
    return "other"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate
