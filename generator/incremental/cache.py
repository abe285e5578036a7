"""Per-article analysis cache, keyed by content hash, settings and code version.

Entries are JSON, never pickle: the cache folder may come from elsewhere (a CI
cache, another checkout), and loading it must not run code. They are decoded
with msgspec against typed schemas, so every type is checked as it is read. A
corrupt or foreign entry is a miss and is rewritten.

Entries are rows of one SQLite database in the cache folder. A database that
is not this generator's (another application's, or one with views or
triggers) is left alone and not used: the run works uncached and says so.
One of ours in an earlier layout is emptied and made anew.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import math
import os
import re
import sqlite3
import time
from collections.abc import Callable, Collection
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any, TypeVar

import msgspec
import numpy as np

from generator import __version__, models
from generator.analysis.story_keys import MINHASH_SIZE
from generator.config import Settings
from generator.models import (
    Analysis,
    Article,
    Block,
    BlockKind,
    FigureKind,
    Keyphrase,
    Meta,
    Quantity,
    Quote,
    Sentence,
    StoryFeatures,
    Terms,
    Timex,
    TimexType,
)

T = TypeVar("T")
SCHEMA = "briefing-analysis/12"
ARTICLE_SCHEMA = "briefing-article/2"
# Every module analyze() runs: an edit to any of them must invalidate cached analyses.
_ANALYSIS_MODULES = (
    "analysis/analyze.py",
    "analysis/dates.py",
    "analysis/figures.py",
    "analysis/story_keys.py",
    "analysis/quotes.py",
    "ingest/sentences.py",
    "analysis/summarize.py",
    "analysis/keyphrases.py",
    "analysis/names.py",
    "analysis/terms.py",
    "models.py",
)
# ... and every module that turns a file into an Article.
_INGEST_MODULES = (
    "ingest/readers.py",
    "ingest/clean.py",
    "ingest/dateline.py",
    "ingest/sentences.py",
    "ingest/invisible.py",
    "config.py",
    "errors.py",
    "models.py",
)


@cache
def code_version(modules: tuple[str, ...] = _ANALYSIS_MODULES) -> str:
    """A hash of the code that produces an entry: edits invalidate the cache."""
    here = Path(__file__).parent.parent  # the generator package: module names are relative to it
    digest = hashlib.sha256(__version__.encode())
    for name in modules:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def key(article: Article, settings: Settings) -> str:
    """The cache key of one article's analysis."""
    # The publication date is what relative dates ("last year") resolve against.
    published = article.meta.published.isoformat() if article.meta.published else None
    payload = json.dumps([code_version(), settings.analysis_key(), article.content_hash, published], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def short_hash(*parts: Any) -> str:
    """A 32-digit hash of JSON-encodable parts, for the keys runs record (dates and paths as strings)."""
    # msgspec, not json.dumps: runs make tens of thousands of these, at a fifth of the cost.
    return hashlib.blake2b(_ENCODER.encode(parts), digest_size=16).hexdigest()


_ENCODER = msgspec.json.Encoder(enc_hook=str)


def ingest_version() -> str:
    """A hash of the code that turns a file into an Article: file keys change with it."""
    return code_version(_INGEST_MODULES)


def file_key(rel: str, data: bytes) -> str:
    """The cache key of the Article read from one file: its path (the slug comes from it) and bytes."""
    digest = hashlib.sha256(f"{ingest_version()}\0{rel}\0".encode())
    digest.update(data)
    return digest.hexdigest()


DATABASE = "entries.sqlite"
_APP_ID = 0x42524631  # "BRF1" in the file header: the database is this generator's
# A rowid table, its key in a separate index: entries of several kilobytes
# made a WITHOUT ROWID table's lookups 2.5 times slower (19 against 8 µs).
_TABLE = "CREATE TABLE entries (key TEXT PRIMARY KEY, data BLOB NOT NULL)"
_SCHEMA = [("table", "entries", _TABLE), ("index", "sqlite_autoindex_entries_1", None)]
_MMAP_BYTES = 1 << 30  # address space, not memory: only the pages read are resident
_TMP_PREFIX = ".tmp-"  # temporary files of the earlier one-file-per-entry layout, which prune sweeps


def load(root: Path, k: str, article: Article) -> Analysis | None:
    """The cached analysis of ``article``, or None if missing, corrupt or foreign."""
    return _load(root, k, SCHEMA, _ANALYSIS, lambda entry: _analysis(entry, article))


def store(root: Path, k: str, analysis: Analysis) -> bool:
    """Cache one analysis; False if the cache cannot be written."""
    return _store(root, k, SCHEMA, _to_json(analysis))


def load_article(root: Path, k: str) -> Article | None:
    """The cached Article read from a file, or None if missing, corrupt or foreign."""
    return _load(root, k, ARTICLE_SCHEMA, _ARTICLE, _article)


def store_article(root: Path, k: str, article: Article) -> bool:
    """Cache the Article read from a file; False if the cache cannot be written."""
    return _store(root, k, ARTICLE_SCHEMA, _article_to_json(article))


def _load(root: Path, k: str, schema: str, decoder: msgspec.json.Decoder[Any], build: Callable[[Any], T]) -> T | None:
    db = _database(root)
    try:
        row = db.execute("SELECT data FROM entries WHERE key = ?", (k,)).fetchone() if db is not None else None
        if row is None or not isinstance(row[0], bytes | str):
            return None
        data = decoder.decode(row[0])
        if data.schema != schema or data.key != k:
            return None
        return build(data.entry)
    except (sqlite3.Error, ValueError, msgspec.MsgspecError):
        return None


def _store(root: Path, k: str, schema: str, entry: Any) -> bool:
    """Write an entry; False when the cache cannot be written (the folder is a file, is read-only, the disk is full).

    The cache only saves time, so the build goes on. Each entry is its own
    transaction, so a killed run never leaves half of one.
    """
    db = _database(root)
    if db is None:
        return False
    try:
        db.execute(
            "INSERT OR REPLACE INTO entries VALUES (?, ?)", (k, msgspec.json.encode({"schema": schema, "key": k, "entry": entry}))
        )
    except sqlite3.Error:
        return False
    return True


# One SQLite database, not a file per entry: a cold run at 10,000 articles
# made 20,000 files, and creating a file between two analyses cost this
# machine 0.5 to 0.8 ms of CPU against about 0.2 ms for a row (bench/HISTORY.md,
# "Speed and size"). Each process opens its own connection, and closes it
# before forking: SQLite forbids using a connection across fork().
_CONNECTIONS: dict[str, sqlite3.Connection | None] = {}


def _database(root: Path) -> sqlite3.Connection | None:
    """This process's connection to the cache database; None when there is none to use."""
    path = f"{os.fspath(root)}/{DATABASE}"
    if path not in _CONNECTIONS:
        _CONNECTIONS[path] = _connect(root, path)
    return _CONNECTIONS[path]


def _connect(root: Path, path: str) -> sqlite3.Connection | None:
    try:
        root.mkdir(parents=True, exist_ok=True)
        # Any thread: `briefing serve` regenerates from its watcher thread, one run at a time.
        db = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    except (OSError, sqlite3.Error):
        return None
    try:
        db.execute("PRAGMA trusted_schema = OFF")  # the file may come from elsewhere
        if _makeable(db):
            db.execute("BEGIN IMMEDIATE")  # two workers may find the database new, or old, at once
            if _makeable(db):
                _make(db)
            db.execute("COMMIT")
        if not _ours(db):
            db.close()
            return None
        db.execute("PRAGMA journal_mode = WAL")  # no journal file created and removed per entry
        db.execute("PRAGMA synchronous = NORMAL")  # a cache: losing the last entries to a power cut costs time only
        # Read through a memory map, not a read() call per B-tree page: a warm run looks up 20,000 entries.
        db.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
    except sqlite3.Error:
        db.close()
        return None
    return db


def _ours(db: sqlite3.Connection) -> bool:
    """The database holds our one table and nothing else: no views or triggers that a foreign file could bring."""
    return (
        _app_id(db) == _APP_ID
        and db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type DESC").fetchall() == _SCHEMA
    )


def _app_id(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA application_id").fetchone()[0])


def _makeable(db: sqlite3.Connection) -> bool:
    """A new database, or one of ours in an earlier layout: our application id, and only tables and indexes.

    Anything else is left as it is: another program's database, or one with a
    view or trigger, which is nothing this generator made.
    """
    objects = db.execute("SELECT type FROM sqlite_master").fetchall()
    if not objects:
        return _app_id(db) in (0, _APP_ID)
    return _app_id(db) == _APP_ID and all(kind in ("table", "index") for (kind,) in objects) and not _ours(db)


def _make(db: sqlite3.Connection) -> None:
    """Our table, in place of whatever tables there were: an upgrade costs one uncached run, not every run."""
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        db.execute('DROP TABLE "{}"'.format(name.replace('"', '""')))
    db.execute(_TABLE)
    db.execute(f"PRAGMA application_id = {_APP_ID}")


def _close_all() -> None:
    for db in _CONNECTIONS.values():
        if db is not None:
            db.close()
    _CONNECTIONS.clear()


os.register_at_fork(before=_close_all)


def prune(root: Path, used: Collection[str]) -> int:
    """Remove the entries whose key is not in ``used``; return how many went.

    Entries are never edited, only added: every edit to an article, setting
    or analysis module leaves its old entries behind, and a cache restored
    between CI runs would grow without bound. A run passes the keys it read
    or wrote, so the cache keeps what the corpus needs now. Entries of the
    earlier layout, a file per entry, all go. The connections are closed at
    the end, so the database is one file again (no write-ahead log) for a CI
    cache to save.
    """
    removed = _prune_files(root)
    db = _database(root)
    try:
        if db is not None:
            stale = [(k,) for (k,) in db.execute("SELECT key FROM entries").fetchall() if k not in used]
            db.execute("BEGIN IMMEDIATE")
            db.executemany("DELETE FROM entries WHERE key = ?", stale)
            db.execute("COMMIT")
            removed += len(stale)
    except sqlite3.Error:
        pass
    _close_all()
    return removed


def _prune_files(root: Path) -> int:
    """Remove the entries of the earlier layout, and its temporary files once they are an hour old.

    Only names that layout wrote are removed (two hex digits, then a 64-digit key).
    """
    removed = 0
    stale = time.time() - 3600
    try:
        folders = [e.path for e in os.scandir(root) if _FOLDER.fullmatch(e.name) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return 0
    for folder in folders:
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for e in entries:
                ours = _ENTRY.fullmatch(e.name)
                left = e.name.startswith(_TMP_PREFIX) and e.stat(follow_symlinks=False).st_mtime < stale
                if (ours or left) and e.is_file(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        os.unlink(e.path)  # noqa: PTH108 -- a DirEntry's path is a string already
                        removed += 1
    return removed


_FOLDER = re.compile(r"[0-9a-f]{2}")  # the layout _path writes
_ENTRY = re.compile(r"[0-9a-f]{64}\.json")


# Written field by field rather than with dataclasses.asdict, which deep-copies
# every value and was a quarter of a cold run's analysis stage.
def _to_json(a: Analysis) -> dict[str, Any]:
    t = a.terms
    return {
        # Column by column, and without their text, which is the article's
        # own: decoding half a million small lists took most of a warm run's load.
        "sentences": models.sentence_columns(a.sentences),
        "summary": a.summary,
        "keyphrases": [[k.text, k.key, k.score] for k in a.keyphrases],
        "acronyms": a.acronyms,
        "figures": [
            [f.sentence, f.start, f.end, f.kind, f.value, f.low, f.high, f.unit, f.qualifier, f.measure, f.period]
            for f in a.figures
        ],
        "terms": {
            "forms": [list(column) for column in zip(*t.forms, strict=True)] if t.forms else [[], [], []],
            "mid_sentence": t.mid_sentence,
            "person": t.person,
            "place": t.place,
            "links": t.links,
            "keyset": t.keyset,
        },
        "vocabulary": a.vocabulary,
        # Without their text, which is the sentence's own between the offsets.
        "dates": [[d.sentence, d.start, d.end, d.type, d.value, d.resolved] for d in a.dates],
        "story": [a.story.keys, a.story.counts, a.story.minhash],
        "quotes": [[q.block, q.start, q.end, q.speaker, q.role] for q in a.quotes],
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
# or a path where they expect a slug. msgspec checks the types as it decodes,
# in C (hand-written checks were most of a warm run's loading); anything off
# is a miss.
Slug = Annotated[str, msgspec.Meta(pattern="^[a-z0-9][a-z0-9-]*$")]


class _ArticleEntry(msgspec.Struct, frozen=True):
    slug: Slug
    path: str
    title: str
    meta: tuple[str | None, str | None, str | None, date | None, str | None, tuple[str, ...]]
    blocks: tuple[tuple[BlockKind, str, int], ...]
    content_hash: str
    warnings: tuple[str, ...]
    word_count: int


class _TermsEntry(msgspec.Struct, frozen=True):
    forms: tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]]  # columns: keys, surface forms, counts
    mid_sentence: tuple[str, ...]
    person: tuple[str, ...]
    place: tuple[tuple[str, int], ...]
    links: tuple[tuple[str, str], ...]
    keyset: str


_FigureRow = tuple[int, int, int, FigureKind, float | None, float | None, float | None, str | None, str | None, str, str | None]


class _AnalysisEntry(msgspec.Struct, frozen=True):
    sentences: tuple[list[int], list[int], list[int]]  # columns: block, start, end
    summary: tuple[int, ...]
    keyphrases: tuple[tuple[str, str, float], ...]
    acronyms: tuple[tuple[str, str], ...]
    figures: tuple[_FigureRow, ...]  # sentence, start, end, kind, value, low, high, unit, qualifier, measure, period
    terms: _TermsEntry
    vocabulary: tuple[str, ...]
    dates: tuple[tuple[int, int, int, TimexType, str, bool], ...]  # sentence, start, end, type, value, resolved
    story: tuple[bytes, bytes, bytes]  # key codes, their counts, the MinHash signature: packed (base64 in JSON)
    quotes: tuple[tuple[int, int, int, str, str], ...]  # block, start, end, speaker, role


class _ArticleFile(msgspec.Struct, frozen=True):
    schema: str
    key: str
    entry: _ArticleEntry


class _AnalysisFile(msgspec.Struct, frozen=True):
    schema: str
    key: str
    entry: _AnalysisEntry


_ARTICLE = msgspec.json.Decoder(_ArticleFile)
_ANALYSIS = msgspec.json.Decoder(_AnalysisFile)


def _article(d: _ArticleEntry) -> Article:
    return Article(
        slug=d.slug,
        path=d.path,
        title=d.title,
        meta=Meta(*d.meta),
        blocks=tuple(itertools.starmap(Block, d.blocks)),
        content_hash=d.content_hash,
        warnings=d.warnings,
        word_count=d.word_count,
    )


def _analysis(d: _AnalysisEntry, article: Article) -> Analysis:
    t = d.terms
    sentences = models.sentences_from(d.sentences, article)
    if d.summary and (min(d.summary) < 0 or max(d.summary) >= len(sentences)):
        raise ValueError("a summary sentence the article does not have")  # pages index sentences by these
    return Analysis(
        sentences=sentences,
        summary=d.summary,
        keyphrases=tuple(itertools.starmap(Keyphrase, d.keyphrases)),
        acronyms=d.acronyms,
        figures=_figures(d.figures, sentences),
        terms=Terms(
            segments=None,  # not cached: terms.segments makes it again when a scan needs it
            forms=tuple(zip(*t.forms, strict=True)),
            mid_sentence=t.mid_sentence,
            person=t.person,
            place=t.place,
            links=t.links,
            keyset=t.keyset,
        ),
        vocabulary=d.vocabulary,
        dates=_dates(d.dates, sentences),
        story=_story(*d.story),
        quotes=_quotes(d.quotes, article),
    )


def _quotes(rows: tuple[tuple[int, int, int, str, str], ...], article: Article) -> tuple[Quote, ...]:
    """The quotes, their words cut from their blocks: a span outside its block makes the entry a miss."""
    out = []
    for block, start, end, speaker, role in rows:
        if not (0 <= block < len(article.blocks) and 0 <= start < end <= len(article.blocks[block].text)):
            raise ValueError("a quote outside its block")
        out.append(Quote(start, end, article.blocks[block].text[start:end], speaker, role, block))
    return tuple(out)


def _story(keys: bytes, counts: bytes, minhash: bytes) -> StoryFeatures:
    if len(keys) % 8 or 2 * len(counts) != len(keys) or len(minhash) not in (0, 8 * MINHASH_SIZE):
        raise ValueError("story keys, counts or MinHash signature of the wrong size")
    codes, counted = np.frombuffer(keys, dtype="<u8"), np.frombuffer(counts, dtype="<u4")
    if (len(codes) > 1 and not bool((codes[1:] > codes[:-1]).all())) or (len(counted) and int(counted.min()) < 1):
        raise ValueError("story keys out of order or uncounted")
    return StoryFeatures(keys, counts, minhash)


def _figures(rows: tuple[_FigureRow, ...], sentences: tuple[Sentence, ...]) -> tuple[Quantity, ...]:
    """The figures, their text cut from their sentences: a span outside its sentence makes the entry a miss."""
    out = []
    for sentence, start, end, kind, value, low, high, unit, qualifier, measure, period in rows:
        if not (0 <= sentence < len(sentences) and 0 <= start < end <= len(sentences[sentence].text)):
            raise ValueError("a figure outside its sentence")
        if not all(math.isfinite(v) for v in (value, low, high) if v is not None):
            raise ValueError("a figure that is not a finite number")
        text = sentences[sentence].text[start:end]
        out.append(Quantity(start, end, text, kind, value, low, high, unit, qualifier, measure, period, sentence))
    return tuple(out)


def _dates(rows: tuple[tuple[int, int, int, TimexType, str, bool], ...], sentences: tuple[Sentence, ...]) -> tuple[Timex, ...]:
    """The dates, their text cut from their sentences: a span outside its sentence makes the entry a miss."""
    out = []
    for sentence, start, end, kind, value, resolved in rows:
        if not (0 <= sentence < len(sentences) and 0 <= start < end <= len(sentences[sentence].text)):
            raise ValueError("a date outside its sentence")
        out.append(Timex(start, end, sentences[sentence].text[start:end], kind, value, resolved, sentence))
    return tuple(out)
