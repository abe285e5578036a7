"""Per-article analysis cache, keyed by content hash, settings and code version.

Entries are JSON, never pickle: the cache folder may come from elsewhere (a CI
cache, another checkout), and loading it must not run code. A corrupt or
foreign entry is a miss and is rewritten.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import operator
import os
import re
import tempfile
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from generator import __version__
from generator.config import Settings
from generator.models import Analysis, Article, Block, Figure, Keyphrase, Meta, Sentence, Terms

T = TypeVar("T")
SCHEMA = "briefing-analysis/5"
ARTICLE_SCHEMA = "briefing-article/2"
# Every module analyze() runs: an edit to any of them must invalidate cached analyses.
_ANALYSIS_MODULES = ("analyze.py", "sentences.py", "summarize.py", "keywords.py", "names.py", "terms.py", "models.py")
# ... and every module that turns a file into an Article.
_INGEST_MODULES = ("read.py", "clean.py", "sentences.py", "config.py", "escape.py", "errors.py", "models.py")


@cache
def code_version(modules: tuple[str, ...] = _ANALYSIS_MODULES) -> str:
    """A hash of the code that produces an entry: edits invalidate the cache."""
    here = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for name in modules:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def key(article: Article, settings: Settings) -> str:
    """The cache key of one article's analysis."""
    payload = json.dumps([code_version(), settings.analysis_key(), article.content_hash], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def file_key(rel: str, data: bytes) -> str:
    """The cache key of the Article read from one file: its path (the slug comes from it) and bytes."""
    digest = hashlib.sha256(f"{code_version(_INGEST_MODULES)}\0{rel}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def _path(root: Path, k: str) -> Path:
    return root / k[:2] / f"{k}.json"


def load(root: Path, k: str, article: Article) -> Analysis | None:
    """The cached analysis of ``article``, or None if missing, corrupt or foreign."""
    return _load(root, k, SCHEMA, lambda entry: _from_json(entry, article))


def store(root: Path, k: str, analysis: Analysis) -> bool:
    """Cache one analysis; False if the cache cannot be written."""
    return _store(root, k, SCHEMA, _to_json(analysis))


def load_article(root: Path, k: str) -> Article | None:
    """The cached Article read from a file, or None if missing, corrupt or foreign."""
    return _load(root, k, ARTICLE_SCHEMA, _article_from_json)


def store_article(root: Path, k: str, article: Article) -> bool:
    """Cache the Article read from a file; False if the cache cannot be written."""
    return _store(root, k, ARTICLE_SCHEMA, _article_to_json(article))


def _load(root: Path, k: str, schema: str, build: Callable[[Any], T]) -> T | None:
    try:
        data = json.loads(_path(root, k).read_text(encoding="utf-8"))
        if data.get("schema") != schema or data.get("key") != k:
            return None
        return build(data["entry"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _store(root: Path, k: str, schema: str, entry: Any) -> bool:
    """Write an entry atomically, so a killed run never leaves half a file.

    Returns False when the cache cannot be written (the folder is a file, is
    read-only, the disk is full): the cache only saves time, so the build goes on.
    """
    path = _path(root, k)
    data = json.dumps({"schema": schema, "key": k, "entry": entry}, ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():  # a foreign folder where the entry goes: leave it, do not cache
            return False
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
        Path(tmp).replace(path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return False
    return True


# Written field by field rather than with dataclasses.asdict, which deep-copies
# every value and was a quarter of a cold run's analysis stage.
def _to_json(a: Analysis) -> dict[str, Any]:
    t = a.terms
    return {
        # Column by column, and without their text, which is the article's
        # own: decoding half a million small lists took most of a warm run's load.
        "sentences": [[s.block for s in a.sentences], [s.start for s in a.sentences], [s.end for s in a.sentences]],
        "summary": a.summary,
        "keyphrases": [[k.text, k.key, k.score] for k in a.keyphrases],
        "acronyms": a.acronyms,
        "figures": [[f.text, f.kind, f.value, f.sentence] for f in a.figures],
        "terms": {
            "forms": [list(column) for column in zip(*t.forms, strict=True)] if t.forms else [[], [], []],
            "mid_sentence": t.mid_sentence,
            "person": t.person,
            "place": t.place,
            "links": t.links,
            "keyset": t.keyset,
        },
        "vocabulary": a.vocabulary,
    }


def _article_to_json(a: Article) -> dict[str, Any]:
    m = a.meta
    return {
        "slug": a.slug,
        "path": a.path,
        "title": a.title,
        "meta": [m.title, m.source, m.url, m.published.isoformat() if m.published else None, m.author, m.tags],
        "blocks": [[b.kind, b.text, b.level] for b in a.blocks],
        "content_hash": a.content_hash,
        "warnings": a.warnings,
        "word_count": a.word_count,
    }


# Loading checks every type: a cache may come from elsewhere, and a forged
# entry must not put a string where the templates print a number (an anchor)
# or a path where they expect a slug. Anything off is a miss (ValueError).
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_KINDS = ("heading", "paragraph", "item")


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def _opt(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if type(value) is not int:
        raise ValueError("not an integer")
    return value


def _one_of(value: Any, options: tuple[str, ...]) -> Any:
    if value not in options:
        raise ValueError("not one of the known kinds")
    return value


def exactly(values: Any, kind: type) -> bool:
    """Every value exactly of that type (a bool is no int here), checked at C speed: a vocabulary holds thousands of words."""
    return set(map(type, values)) <= {kind}


def _strs(values: Any) -> tuple[str, ...]:
    out = tuple(values)
    if not exactly(out, str):
        raise ValueError("not a list of strings")
    return out


def _columns(columns: Any, types: tuple[type, ...]) -> list[list[Any]]:
    """Equally long JSON arrays whose values have exactly these types, checked at C speed."""
    if type(columns) is not list or len(columns) != len(types) or set(map(type, columns)) != {list}:
        raise ValueError("columns of the wrong shape")
    if len(set(map(len, columns))) != 1 or not all(map(exactly, columns, types)):
        raise ValueError("a field of the wrong type")
    return columns


def _sentences(columns: list[list[int]], article: Article) -> tuple[Sentence, ...]:
    """Sentences numbered in order, their text cut from the article's blocks at the recorded offsets."""
    blocks, starts, ends = columns
    if blocks and (min(blocks) < 0 or max(blocks) >= len(article.blocks) or min(starts) < 0):
        raise ValueError("a sentence outside the article")
    texts = [article.blocks[b].text for b in blocks]
    if not all(map(operator.le, starts, ends)) or not all(map(operator.le, ends, map(len, texts))):
        raise ValueError("a sentence outside its block")
    cut = [text[start:end] for text, start, end in zip(texts, starts, ends, strict=True)]
    return tuple(map(Sentence, itertools.count(), blocks, starts, ends, cut))


def _article_from_json(d: dict[str, Any]) -> Article:
    title, source, url, published, author, tags = d["meta"]
    slug = _str(d["slug"])
    if not _SLUG.fullmatch(slug):
        raise ValueError("not a slug")
    return Article(
        slug=slug,
        path=_str(d["path"]),
        title=_str(d["title"]),
        meta=Meta(
            _opt(title), _opt(source), _opt(url), date.fromisoformat(published) if published else None, _opt(author), _strs(tags)
        ),
        blocks=tuple(Block(_one_of(kind, _KINDS), _str(text), _int(level)) for kind, text, level in d["blocks"]),
        content_hash=_str(d["content_hash"]),
        warnings=_strs(d["warnings"]),
        word_count=_int(d["word_count"]),
    )


def _from_json(d: dict[str, Any], article: Article) -> Analysis:
    t = d["terms"]
    return Analysis(
        sentences=_sentences(_columns(d["sentences"], (int, int, int)), article),
        summary=tuple(_int(i) for i in d["summary"]),
        keyphrases=tuple(Keyphrase(_str(a), _str(b), float(c)) for a, b, c in d["keyphrases"]),
        acronyms=tuple((_str(a), _str(b)) for a, b in d["acronyms"]),
        figures=tuple(
            Figure(_str(a), _one_of(b, ("money", "percent", "quantity", "year")), float(c), _int(e))
            for a, b, c, e in d["figures"]
        ),
        terms=Terms(
            segments=None,  # not cached: terms.segments makes it again when a scan needs it
            forms=tuple(zip(*_columns(t["forms"], (str, str, int)), strict=True)),
            mid_sentence=_strs(t["mid_sentence"]),
            person=_strs(t["person"]),
            place=tuple((_str(k), _int(n)) for k, n in t["place"]),
            links=tuple((_str(a), _str(b)) for a, b in t["links"]),
            keyset=_str(t["keyset"]),
        ),
        vocabulary=_strs(d["vocabulary"]),
    )
