"""Word lists and normalization shared by keyphrases and topics.

No NLP models can be downloaded, so names are told apart by cues a reader
would also use: titles and honorifics before people, head nouns such as
"Organization" or "Bank" in organizations, "in"/"city of" before places.
Spelling variants are folded with a handful of suffix rules rather than a
dictionary, so unseen words fold the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache


def wordset(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string, for readable lists."""
    return frozenset(text.split())


# Titles and honorifics that precede a person's name; stripped for display.
TITLES = wordset(
    """mr mrs ms miss dr prof professor sir dame lord lady president vice minister prime premier chancellor
    secretary general gen admiral colonel col captain capt lt lieutenant sergeant sgt commander
    senator sen governor gov mayor representative rep congressman congresswoman ambassador
    king queen prince princess emperor pope cardinal bishop archbishop rev reverend sheikh
    chairman chairwoman chair ceo cfo chief director spokesman spokeswoman spokesperson judge justice
    commissioner envoy deputy foreign defense defence interior finance trade state coach
    leader founder counterpart"""
)
# Head nouns that make a capitalized name an organization.
ORG_HEADS = wordset(
    """organization organisation initiative council bank union institute institution association
    agency committee commission corporation corp company co inc ltd group party alliance forum
    federation fund ministry department university college school court parliament congress
    assembly army navy force forces command office bureau authority board society foundation
    league club network service services treaty pact community partnership program programme"""
)
# Words that make a capitalized name a place.
PLACE_HEADS = wordset(
    """city province state region republic kingdom island islands sea ocean river mountains
    peninsula strait gulf bay valley desert county district territory"""
)
# Prepositions that introduce a place: "in Qingdao", "city of Qingdao".
PLACE_CUES = wordset("in at near from to across")

_WORD = re.compile(r"\w+")
_POSSESSIVE = re.compile(r"[’']s\b", re.I)
# British -> American spellings, as suffix rules (word length guards keep
# short words such as "our", "four", "tour" untouched).
_SPELLING = (
    (re.compile(r"(\w{3,})is(ation|ations|e|es|ed|ing|er|ers)$"), r"\1iz\2"),
    (re.compile(r"(\w{3,})our(s|ed|ing|ite|ites|able)?$"), r"\1or\2"),
    (re.compile(r"(\w{3,})yse(s|d)?$"), r"\1yze\2"),
    (re.compile(r"(\w{3,})tre(s)?$"), r"\1ter\2"),
    (re.compile(r"^(def|off|lic|pret)ence(s)?$"), r"\1ense\2"),
    (re.compile(r"(\w{3,})ogue(s)?$"), r"\1og\2"),
)
_SPELLING_KEEP = wordset("otherwise advertise exercise enterprise surprise compromise premise promise rise wise devour contour")
_SPELLING_KEEP_ENDINGS = tuple(_SPELLING_KEEP)  # for one str.endswith call
_SINGULAR_KEEP = wordset(
    "news series species physics politics economics status bus gas crisis analysis thesis basis"
    " does goes towards afterwards perhaps whereas always"
)


def words(text: str) -> list[str]:
    """Lower-cased words of ``text``, possessive 's dropped."""
    return _WORD.findall(_POSSESSIVE.sub("", text.lower()))


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """One lower-case word with spelling variants and plurals folded together."""
    return singular(american(word))


def american(word: str) -> str:
    """American spelling of a British one: organisation -> organization, defence -> defense."""
    if word.endswith(_SPELLING_KEEP_ENDINGS):  # one of them, or a word ending in one ("likewise")
        return word
    for pattern, repl in _SPELLING:
        folded = pattern.sub(repl, word)
        if folded != word:
            return folded
    return word


def singular(word: str) -> str:
    """A light plural stemmer: sanctions -> sanction, policies -> policy, taxes -> tax."""
    if len(word) <= 3 or word in _SINGULAR_KEEP or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("xes", "ches", "shes", "sses", "zes")):
        return word[:-2]
    return word[:-1]


def key(text: str) -> str:
    """The key that merges case, plural and spelling variants of a phrase."""
    return " ".join(fold(w) for w in words(text))


def is_capitalized(token: str) -> bool:
    """A word that starts with a capital letter (a name, or a sentence start)."""
    return token[:1].isupper()
