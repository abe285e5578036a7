"""Direct quotations in news articles, with who said them and what the text says they are.

Rules, not a model. Each paragraph is scanned once for quote marks (straight and
curly; single curly quotes count only at the top level, where some outlets use
them for quotes, and inside double quotes they are nesting). Every quoted span
is then attributed by the patterns a reporter uses, tried in this order:

* after the quote: ``"...," said X`` / ``"...," notes Dr. X, Senior Fellow at Y.``
  / ``"...," X said`` / ``"...," according to X``;
* before it: ``X said: "..."`` / ``X, the foreign minister, said that "..."`` /
  ``According to X, "..."`` and, for full-length quotes only, a quote embedded in
  reported speech (``X emphasizing that ties are "..."``);
* a quote with none of these continues the previous quote of its paragraph.

Speakers are split into a name and a role: titles ("Dr.", "Mr.") are dropped,
role words before the name ("Foreign Minister Sergei Lavrov", "the Chinese
foreign ministry spokesperson Mao Ning") and an appositive after it
(", Senior Fellow at ...") become the role. A surname alone resolves to the full
name the article gave earlier ("Bozhovsky" -> "Andrei Bozhovsky") and a pronoun
to the most recent named speaker.

What is not a quote: scare quotes and titles. A span of fewer than four words,
or in Title Case, is kept only when a speech verb is attached to it directly.

Cost: marks are visited once each (a quote that does not close within
``_CAP`` characters is dropped, and scanning resumes where the search stopped,
not after the opening mark), and every attribution regex reads a bounded window
next to its quote with bounded repetitions, so a paragraph costs linear time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.models import Quote

__all__ = ["Quote", "quotes"]


# ---------------------------------------------------------------- vocabulary

# Longest quote kept. A mark that never closes would otherwise swallow the article.
_CAP = 600
# How far from a quote its attribution may be looked for.
_WINDOW = 250
# Quotes with fewer words than this are scare quotes unless a speech verb is attached.
_MIN_WORDS = 4

_FINITE = (
    "said says say told tells added adds noted notes stated states warned warns argued argues explained explains "
    "wrote writes remarked remarks observed observes insisted insists claimed claims emphasized emphasised "
    "emphasizes emphasises stressed stresses asked asks replied replies declared declares announced announces "
    "commented comments cautioned cautions concluded concludes acknowledged acknowledges admitted admits "
    "recalled recalls predicted predicts suggested suggests continued continues tweeted"
).split()
# Participles introduce quotes embedded in reported speech ("with X emphasizing that ...");
# after a quote ("... ," emphasizing the principles) they never name the speaker.
_ING = (
    "saying telling adding noting stating warning arguing explaining writing remarking observing insisting claiming "
    "emphasizing emphasising stressing declaring announcing cautioning asking replying suggesting predicting"
).split()

# Nouns that name a role; a capitalised one inside a name run ends the title part of it.
_ROLE_NOUNS = frozenset(
    (
        "spokesperson spokesman spokeswoman minister president secretary chancellor ambassador general senator "
        "official analyst professor director chief head leader commander envoy adviser advisor economist researcher "
        "fellow expert chairman chairwoman chair governor mayor premier king queen prince princess representative "
        "lawmaker diplomat deputy counterpart correspondent editor ceo founder officer scientist historian strategist "
        "specialist lecturer prosecutor judge justice lawyer attorney admiral colonel captain lieutenant sergeant "
        "marshal commissioner mp legislator negotiator aide executive manager author journalist activist candidate "
        "emperor pope sheikh sultan emir dean rector coach investor economist scholar sen rep gov gen lt col adm capt "
        "prof"
    ).split()
)
# Bodies that speak ("the ministry said").
_BODY_NOUNS = frozenset(
    "ministry government office department agency embassy company spokesperson statement council committee "
    "commission kremlin pentagon army military police court bank board union party report newspaper".split()
)
# Honorifics say nothing about the speaker's role: dropped.
_HONORIFICS = frozenset("dr mr mrs ms miss mx sir dame rev hon".split())
# Capitalised words that begin sentences or clauses, not names.
_LEADING = frozenset(
    (
        "the a an in on at and but or yet so however meanwhile moreover yesterday today tonight later earlier then now "
        "also when while after before as with by for from of to that this these those there here if though although "
        "speaking asked separately instead still last next"
    ).split()
)
_PRONOUNS = frozenset(("he", "she", "they"))
_NOT_NAMES = frozenset(
    "it its this that these those there here i we you monday tuesday wednesday thursday friday saturday sunday".split()
)
# Words that may sit inside a name run in lower case ("Secretary of State", "Ursula von der Leyen").
_CONNECTORS = frozenset("of de da di du van von der den bin ibn al le la".split())
# A full stop after these does not end a sentence.
_ABBREVIATIONS = frozenset("dr mr mrs ms prof st jr sr gen sen rep gov lt col adm capt co inc ltd corp no vs etc".split())
# Words that open an appositive which is not a role (", adding that ...", ", who ...").
_NOT_ROLE_OPENERS = frozenset(
    (
        "who which whose adding saying according in on at during after before speaking when while as and but told said "
        "says noting warning arguing explaining insisting writing referring citing although though because if"
    ).split()
)
# Last words of organisations and places, which a pronoun never stands for.
_ORG_WORDS = frozenset(
    (
        "institute college university school organization organisation council ministry union bank agency office "
        "department committee commission party group corporation company association foundation centre center "
        "forum alliance initiative treaty declaration strait sea ocean river city state states republic kingdom "
        "federation nations army navy force forces"
    ).split()
)
_SMALL_WORDS = frozenset("a an the of on in at to for and or but by with from as vs".split())


def _alternation(words: Sequence[str]) -> str:
    # Longest first so that "states" is not read as "state" + "s".
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


def _trie(words: Sequence[str]) -> str:
    """``words`` as an alternation factored by letters ("chair(?:man|woman)?"), which matches what
    ``_alternation`` matches, longest first, but fails after one letter where no word starts: a
    case-insensitive alternation of a hundred words is otherwise tried word by word at every position."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[:1], []).append(word[1:])
    optional = "" in groups
    branches = [re.escape(first) + _trie(rests) for first, rests in sorted(groups.items()) if first]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
    return body + "?" if optional else body


_V_FINITE = rf"(?:{_alternation(_FINITE)})"
_V_ANY = rf"(?:{_alternation(_FINITE + _ING)})"
_ADV = r"(?:also|later|then|previously|recently|once|further|again|[a-z]{3,}ly)"
# A capitalised token: an abbreviated title ("Dr."), an initial ("J.") or a word. Written as
# (?:(?:Dr|Mr|...|Capt)\.|[A-Z]\.|[A-ZÀ-ÖØ-Þ][\w’'\-]*) with the capital taken first and the look-behinds
# choosing among the same alternatives in the same order: a pattern that opens with a character class lets
# the regex engine skip straight to the next capital when it searches for a name.
_TITLES = "Dr Mr Mrs Ms Prof St Jr Sr Gen Sen Rep Gov Lt Col Adm Capt".split()
_CAPTOK = "[A-ZÀ-ÖØ-Þ](?:" + "".join(rf"(?<={t[0]}){t[1:]}\.|" for t in _TITLES) + r"(?<=[A-Z])\.|[\w’'\-]*)"
_NAMERUN = rf"{_CAPTOK}(?:\s+(?:(?:{'|'.join(sorted(_CONNECTORS))})\s+){{0,2}}{_CAPTOK}){{0,6}}"
# The look-ahead on first letters is one character-class test where a case-insensitive alternation,
# even factored, tries every first letter in turn; it matches whenever the trie could.
_ROLE_FIRST = "".join(sorted({w[0] for w in _ROLE_NOUNS | _BODY_NOUNS}))
_ROLE_WORD = rf"(?i:(?=[{_ROLE_FIRST}]){_trie(sorted(_ROLE_NOUNS | _BODY_NOUNS))})s?"
# The speaker branches, apart so that the costly one can be left out where it cannot match.
_SPEAKER_PRONOUN = r"(?i:he|she|they)\b"
# Role words, then a name: "the Chinese foreign ministry spokesperson Mao Ning".
_SPEAKER_ROLE_NAME = rf"(?:(?i:the|a|an)\s+)?(?:[A-Za-z][\w\-]*\s+){{0,5}}?{_ROLE_WORD}\s+{_NAMERUN}"
_SPEAKER_BODY = rf"(?i:the|a|an)\s+(?:[a-z][\w\-]*\s+){{0,4}}?{_ROLE_WORD}\b"
# A speaker phrase: a pronoun, a name run with optional role words before it, or a body in lower case.
_SPEAKER = rf"(?:{_SPEAKER_PRONOUN}|{_SPEAKER_ROLE_NAME}|{_NAMERUN}|{_SPEAKER_BODY})"
_APPOSITIVE_BETWEEN = r"(?:,\s*[^,;:“”\"‘()]{2,120}?,)"

# "...," said X  /  "...," according to X
_AFTER_VERB_FIRST = re.compile(rf"\s*(?:[,—–]\s*|-{{1,2}}\s*)?(?:{_ADV}\s+)?(?:{_V_FINITE}|according\s+to)\s+(?P<who>{_SPEAKER})")
# "...," X said  /  "...," X, the minister, said
_AFTER_SPEAKER_FIRST = re.compile(
    rf"\s*(?:[,—–]\s*|-{{1,2}}\s*)?(?P<who>{_SPEAKER})(?P<app>{_APPOSITIVE_BETWEEN})?\s+(?:{_ADV}\s+)?{_V_FINITE}\b(?P<rest>\s*[.,;!?]?)"
)
# X said: "..."  /  X emphasizing that their ties are "...": the verb is found first, then the speaker before it.
_VERB_BEFORE = re.compile(rf"\b{_V_ANY}\b(?=[^.!?;“”\"‘’]{{0,120}}\Z)")
_SPEAKER_BEFORE_TAIL = rf"(?P<app>{_APPOSITIVE_BETWEEN})?\s+(?:{_ADV}\s+)?\Z"
_SPEAKER_BEFORE = re.compile(rf"(?P<who>{_SPEAKER}){_SPEAKER_BEFORE_TAIL}")
# The same without its role-and-name branch, which is tried word by word at every position of the window
# and is most of the cost. That branch needs a role word before a capital ("minister Sergei"): where no
# such pair is in the window it matches nowhere, and this pattern finds what _SPEAKER_BEFORE finds.
_SPEAKER_BEFORE_NO_ROLE_NAME = re.compile(rf"(?P<who>(?:{_SPEAKER_PRONOUN}|{_NAMERUN}|{_SPEAKER_BODY})){_SPEAKER_BEFORE_TAIL}")
_ROLE_BEFORE_CAPITAL = re.compile(rf"{_ROLE_WORD}\s+[A-ZÀ-ÖØ-Þ]")
# According to X, "..."
_ACCORDING = re.compile(rf"\b(?i:according\s+to)\s+(?P<who>{_SPEAKER})(?P<app>,\s*[^,;:“”\"‘()]{{2,120}}?)?\s*,?\s*\Z")

_MARK = re.compile(r"[\"“”‘’]")
_WORD = re.compile(r"\w+")
_NAME_MENTION = re.compile(_NAMERUN)
_SENTENCE_END = re.compile(r"[.!?](?=[\s\"“”’]|\Z)")


# ---------------------------------------------------------------- quote spans


@dataclass(frozen=True)
class _Span:
    """A quoted span: the marks' positions (``close`` is the paragraph length when it runs to the end)."""

    open: int
    close: int


def _opens_single(text: str, pos: int) -> bool:
    # A top-level ‘ opens only at a word start: after a space or bracket, before a letter.
    before = text[pos - 1] if pos else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    return (before.isspace() or before in "([—–") and after.isalnum()


def _opens_straight(text: str, pos: int) -> bool:
    after = text[pos + 1] if pos + 1 < len(text) else " "
    return not after.isspace()


def _closes(text: str, opener: str, pos: int) -> bool:
    mark = text[pos]
    if opener == "“":
        return mark == "”"
    if opener == '"':
        return mark in '"”'
    # For ‘: a ’ inside a word ("it’s") is an apostrophe.
    after = text[pos + 1] if pos + 1 < len(text) else " "
    return mark == "’" and not after.isalnum() and pos > 0 and not text[pos - 1].isspace()


def _spans(text: str) -> list[_Span]:
    """Quoted spans of one paragraph, each mark visited a bounded number of times."""
    marks = [m.start() for m in _MARK.finditer(text)]
    spans: list[_Span] = []
    i = 0
    while i < len(marks):
        pos = marks[i]
        opener = text[pos]
        if not (opener == "“" or (opener == '"' and _opens_straight(text, pos)) or (opener == "‘" and _opens_single(text, pos))):
            i += 1
            continue
        j = i + 1
        restart = False
        while j < len(marks) and marks[j] - pos <= _CAP:
            mark = text[marks[j]]
            if _closes(text, opener, marks[j]):
                break
            # A new “ before the close means this quote was never closed: start again there.
            if mark == "“" or (opener == "‘" and mark == "‘" and _opens_single(text, marks[j])):
                restart = True
                break
            j += 1
        if restart:
            i = j
            continue
        if j < len(marks) and marks[j] - pos <= _CAP:
            spans.append(_Span(pos, marks[j]))
            i = j + 1
            continue
        # Never closed: the convention for a quote running on into the next paragraph.
        if len(text) - pos <= _CAP and (j == len(marks)):
            spans.append(_Span(pos, len(text)))
            break
        i = j
    return spans


def _trimmed(text: str, span: _Span) -> tuple[int, int]:
    """The quoted words without surrounding spaces or the comma that belongs to the attribution."""
    start, end = span.open + 1, span.close
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _is_title(words: list[str]) -> bool:
    """Title Case ("Joint Declaration on the Basis of Mutual Relations"): a name, not speech."""
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    return len(content) >= 2 and all(w[0].isupper() or w[0].isdigit() for w in content)


# ---------------------------------------------------------------- speakers


@dataclass(frozen=True)
class _Who:
    """A speaker phrase read apart: ``name`` ("" for a pronoun), the role words it carried, its kind."""

    name: str
    role: str
    kind: str  # "name", "body" or "pronoun"


def _bare(token: str) -> str:
    return token.rstrip(".,").lower()


def _strip_possessive(token: str) -> str:
    for suffix in ("’s", "'s"):
        if token.endswith(suffix):
            return token[: -len(suffix)]
    return token


def _role_text(words: Sequence[str]) -> str:
    words = list(words)
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _split_run(tokens: list[str]) -> tuple[str, list[str]]:
    """Split a capitalised run into role words and the name: "Russian Defense Minister Andrei Bozhovsky"."""
    last_role = -1
    for k, token in enumerate(tokens[:-1]):
        if _bare(token) in _ROLE_NOUNS:
            last_role = k
    cut = last_role + 1
    # "Secretary of State Antony Blinken": "of" and the words after it belong to the title, leaving two for the name.
    if last_role >= 0 and cut < len(tokens) and tokens[cut] == "of":
        cut += 1
        while cut < len(tokens) - 2:
            cut += 1
    role_words, name = tokens[:cut], tokens[cut:]
    titles: list[str] = []
    while len(name) > 1 and (_bare(name[0]) in _HONORIFICS or _bare(name[0]) in ("professor", "prof")):
        if _bare(name[0]) in ("professor", "prof"):
            titles.append("Professor")
        name = name[1:]
    return " ".join(role_words) or " ".join(titles), name


def _body(tokens: list[str], article: str) -> _Who | None:
    """A body or a role in lower case: "the foreign ministry", "a senior official"."""
    last = _bare(tokens[-1])
    if last in _ROLE_NOUNS | _BODY_NOUNS or last.rstrip("s") in _ROLE_NOUNS | _BODY_NOUNS:
        return _Who(f"{article} {' '.join(tokens)}".lstrip(), "", "body")
    return None


def _role_before(words: list[str]) -> list[str]:
    """Role words before a name: those after the last function word, ending in a role noun ("Chinese ... spokesperson")."""
    for k in range(len(words) - 1, -1, -1):
        if words[k].lower() in _LEADING:
            words = words[k + 1 :]
            break
    return words if words and _bare(words[-1]) in _ROLE_NOUNS else []


def _modifiers_before(words: list[str]) -> list[str]:
    """Words qualifying a title inside the name run ("former" Prime Minister): those after the last function word."""
    for k in range(len(words) - 1, -1, -1):
        if words[k].lower() in _LEADING:
            return words[k + 1 :]
    return words


# Names recur within an article and across articles ("Vladimir Putin"), and learn() reads every one the text
# mentions: parsed once each. A pure function of the phrase, with an immutable result.
@functools.lru_cache(maxsize=1 << 14)
def _parse_who(phrase: str) -> _Who | None:
    """Name, role words and kind of a speaker phrase, or None when it names nobody."""
    tokens = phrase.split()
    if len(tokens) == 1 and tokens[0].lower() in _PRONOUNS:
        return _Who("", "", "pronoun")
    article = ""
    while tokens and tokens[0].lower() in _LEADING:
        article = tokens[0].lower() if tokens[0].lower() in ("the", "a", "an") else ""
        tokens = tokens[1:]
    if not tokens:
        return None
    # The name run is the trailing stretch of capitalised words (and connectors inside it).
    k = len(tokens)
    while k > 0 and (tokens[k - 1][0].isupper() or (tokens[k - 1] in _CONNECTORS and k < len(tokens))):
        k -= 1
    while k < len(tokens) and tokens[k] in _CONNECTORS:
        k += 1
    run = [_strip_possessive(t) for t in tokens[k:]]
    if not run:
        return _body(tokens, article)
    role_in_run, name = _split_run(run)
    before = _modifiers_before(tokens[:k]) if role_in_run else _role_before(tokens[:k])
    if not name or name[-1].lower() in _NOT_NAMES or name[0].lower() in _PRONOUNS:
        return None
    if not role_in_run and not before and article == "the":
        # "the Kremlin", "the White House": the article is part of how the body is named.
        return _Who("the " + " ".join(name), "", "body")
    return _Who(" ".join(name), _role_text([*before, *role_in_run.split()]), "name")


def _clause_end(text: str, pos: int, limit: int) -> int | None:
    """End of the clause starting at ``pos``: a comma, a quote mark or a full stop that is not an abbreviation."""
    stop = min(len(text), pos + limit)
    for k in range(pos, stop):
        ch = text[k]
        if ch in ',;:“”"‘()—–':
            return k
        if ch in ".!?" and (k + 1 == len(text) or text[k + 1].isspace() or text[k + 1] in '"“”’'):
            word = text[max(pos, k - 12) : k].split()
            last = word[-1] if word else ""
            if ch == "." and (_bare(last) in _ABBREVIATIONS or len(last) == 1 or "." in last):
                continue
            return k
    return len(text) if stop == len(text) else None


def _role_from_appositive(phrase: str) -> str:
    """A role from ", Senior Fellow at ..." or ", the foreign minister,"; "" when the clause is not one."""
    words = phrase.split()
    if not words or words[0].lower() in _NOT_ROLE_OPENERS or words[0].lower() in _NOT_NAMES:
        return ""
    opens_like_role = words[0].lower() in ("a", "an", "the") or words[0][0].isupper()
    if not opens_like_role and not any(_bare(w) in _ROLE_NOUNS for w in words[:4]):
        return ""
    return _role_text(words).rstrip(".")


def _appositive_after(text: str, pos: int) -> str:
    """The role in ", ROLE" following a speaker that ends at ``pos``."""
    k = pos
    while k < len(text) and text[k] == " ":
        k += 1
    if k >= len(text) or text[k] != ",":
        return ""
    end = _clause_end(text, k + 1, 200)
    return "" if end is None else _role_from_appositive(text[k + 1 : end])


# ---------------------------------------------------------------- attribution


@dataclass(frozen=True)
class _Attribution:
    who: _Who
    role: str
    tight: bool  # the speech verb is attached to the quote itself


def _attribution(who_text: str, appositive: str) -> _Attribution | None:
    who = _parse_who(who_text)
    if who is None:
        return None
    return _Attribution(who, appositive or who.role, True)


def _between(who_text: str, appositive: str | None) -> _Attribution | None:
    """Speaker and ", appositive," between commas; "the US Secretary of Defense, Lloyd Austin," is the other way round."""
    inner = (appositive or "").strip(" ,")
    named = _parse_who(inner) if inner else None
    outer = _parse_who(who_text)
    if named is not None and named.kind == "name" and not named.role and inner.split()[0][0].isupper():
        title = who_text.split()
        while title and title[0].lower() in _LEADING:
            title = title[1:]
        if outer is None or outer.kind == "body" or any(_bare(w) in _ROLE_NOUNS for w in title):
            return _Attribution(named, " ".join(title), True)
    return _attribution(who_text, _role_from_appositive(inner) if inner else "")


def _after(text: str, span: _Span, quoted: str) -> _Attribution | None:
    """``"...," said X`` or ``"...," X said`` right after the closing mark."""
    pos = span.close + 1
    window = text[pos : pos + _WINDOW]
    m = _AFTER_VERB_FIRST.match(window)
    if m:
        found = _attribution(m["who"], _appositive_after(text, pos + m.end("who")))
        if found:
            return found
    m = _AFTER_SPEAKER_FIRST.match(window)
    # After a quote that ends a sentence, "X said" must end its own clause too: "Russia said the talks ..." is news.
    if m and (not quoted.endswith((".", "?", "!")) or m["rest"].strip()):
        return _between(m["who"], m["app"])
    return None


def _before(text: str, lo: int, span: _Span, long_enough: bool) -> _Attribution | None:
    """``X said: "..."``, ``According to X, "..."`` or, for long quotes, ``X said that ties are "..."``."""
    window = text[max(lo, span.open - _WINDOW) : span.open]
    m = _ACCORDING.search(window)
    if m:
        return _attribution(m["who"], _role_from_appositive(m["app"].strip(" ,")) if m["app"] else "")
    verbs = list(_VERB_BEFORE.finditer(window))
    if not verbs:
        return None
    verb = verbs[-1]
    m = _speaker_before(window, max(0, verb.start() - 160), verb.start())
    if not m:
        return None
    tail = window[verb.end() :].strip()
    words = tail.rstrip(":,").split()
    if words and words[0] == "that":
        words = words[1:]
    tight = not words or (tail.endswith((":", ",")) and len(words) <= 4)
    if not tight and not long_enough:
        return None
    found = _between(m["who"], m["app"])
    return None if found is None else _Attribution(found.who, found.role, tight)


def _speaker_before(window: str, lo: int, hi: int) -> re.Match[str] | None:
    """The leftmost speaker phrase in ``window[lo:hi]`` that runs to ``hi``."""
    if _ROLE_BEFORE_CAPITAL.search(window, lo, hi) is None:
        return _SPEAKER_BEFORE_NO_ROLE_NAME.search(window, lo, hi)
    return _SPEAKER_BEFORE.search(window, lo, hi)


# ---------------------------------------------------------------- article state


@dataclass
class _Article:
    """What the article said so far: full names by surname, the last named speaker, the last person named."""

    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    last: tuple[str, str] | None = None
    # People named so far, as ((paragraph, offset), name, role): who a pronoun means before anyone is quoted.
    mentioned: list[tuple[tuple[int, int], str, str]] = field(default_factory=list)
    paragraph: int = -1

    def _remember(self, name: str, role: str) -> None:
        # By surname, and by the first word too for names written family name first ("Xi" of "Xi Jinping");
        # a surname already known keeps its person.
        tokens = name.split()
        known = self.names.get(tokens[-1])
        self.names[tokens[-1]] = (name, role or (known[1] if known and known[0] == name else ""))
        self.names.setdefault(tokens[0], self.names[tokens[-1]])

    def learn(self, paragraph: str) -> None:
        """Remember every multi-word name the paragraph mentions, with any role words before it."""
        self.paragraph += 1
        for m in _NAME_MENTION.finditer(paragraph):
            who = _parse_who(m.group())
            if who is not None and who.kind == "name" and " " in who.name:
                self._remember(who.name, who.role)
                if _bare(who.name.split()[-1]) not in _ORG_WORDS:
                    self.mentioned.append(((self.paragraph, m.start()), who.name, self.names[who.name.split()[-1]][1]))

    def resolve(self, found: _Attribution, pos: int) -> tuple[str, str] | None:
        """Full speaker name and role; a pronoun is the last named speaker, a surname the earlier full name."""
        who = found.who
        if who.kind == "pronoun":
            if self.last is None:
                # No one quoted yet: the last person this paragraph named before the quote.
                before = [(name, role) for at, name, role in self.mentioned if at < (self.paragraph, pos)]
                self.last = before[-1] if before else None
            return self.last
        name, role = who.name, found.role
        if who.kind == "name":
            known = self.names.get(name.split()[-1]) if " " not in name else None
            known = known or self.names.get(name.split()[0]) if " " not in name else known
            if known:
                name, role = known[0], role or known[1]
            elif name in (n for n, _ in self.names.values()):
                role = role or self.names[name.split()[-1]][1]
            if " " in name:
                self._remember(name, role)
        self.last = (name, role)
        return self.last


def _paragraph_quotes(text: str, article: _Article) -> list[Quote]:
    found: list[Quote] = []
    previous: tuple[_Span, tuple[str, str]] | None = None
    lo = 0
    for span in _spans(text):
        start, end = _trimmed(text, span)
        quoted = text[start:end]
        words = _WORD.findall(quoted)
        if not words:
            continue
        long_enough = len(words) >= _MIN_WORDS and not _is_title(words)
        attribution = _after(text, span, quoted) or _before(text, lo, span, long_enough)
        speaker: tuple[str, str] | None = None
        if attribution is not None and (attribution.tight or long_enough):
            speaker = article.resolve(attribution, span.open)
        elif previous is not None and span.open - previous[0].close <= _WINDOW:
            # No attribution of its own: it goes on the previous quote. A short one only within the same sentence.
            gap = text[previous[0].close + 1 : span.open]
            if long_enough or not _SENTENCE_END.search(gap):
                speaker = previous[1]
        # An attribution never reaches back past another quote.
        lo = span.close + 1
        if speaker is None:
            continue
        found.append(Quote(start, end, quoted, speaker[0], speaker[1]))
        previous = (span, speaker)
    return found


def quotes(paragraphs: Sequence[str]) -> tuple[tuple[int, Quote], ...]:
    """Direct quotations of an article as (paragraph index, quote), in reading order."""
    article = _Article()
    out: list[tuple[int, Quote]] = []
    for index, paragraph in enumerate(paragraphs):
        article.learn(paragraph)
        out.extend((index, q) for q in _paragraph_quotes(paragraph, article))
    return tuple(out)
