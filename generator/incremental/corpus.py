"""The corpus as Articles and Analyses, from the cache where it holds them.

A file whose stamp is as the last run recorded is not read again: its
Article comes from the cache (fingerprint.file_keys). Files the cache misses
are parsed, cleaned and analyzed in worker processes, which also store what
they make, so the parent never encodes thousands of entries. Reading,
cleaning and analysis themselves are the pure stages in ingest/ and
analysis/; this module only decides what must be made and keeps it.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from pathlib import Path

from generator.analysis.analyze import analyze
from generator.config import Settings
from generator.errors import ArticleError, BriefingError
from generator.incremental import cache, fingerprint
from generator.ingest.clean import clean
from generator.ingest.dedupe import dedupe
from generator.ingest.readers import check_file, find_articles, parse, raw, relative
from generator.models import Analysis, Article
from generator.report import Report, log, progress

CLUSTER_BATCH = 16  # files a cluster task makes: a task's round trip costs milliseconds, an article about 8


def load(
    settings: Settings, report: Report, use_cache: bool = True, paths: list[Path] | None = None
) -> tuple[list[Article], dict[str, Analysis]]:
    """Every article that cleaned, deduplicated, and its analysis by slug; the cache's entries this run used go in ``report``."""
    with report.stage("read"):
        files = _read_all(settings, report, use_cache, paths)
    with report.stage("analyze"):  # parse, clean and analyze what the cache misses, in the pool
        ingested = _ingest_all(files, settings, use_cache)
    if use_cache:
        report.cache_keys.update(done.key for done in ingested if done.key is not None)
    with report.stage("clean"):
        articles, duplicates = dedupe(_cleaned(ingested, report))
        report.warnings.extend(duplicates)
        return articles, _analyses(articles, ingested, settings, report)


@dataclass(frozen=True)
class _File:
    """One article file's bytes, and its Article when the cache already holds it."""

    path: str
    data: bytes
    key: str
    cached: Article | None


@dataclass
class _Ingested:
    """One file made into an Article and its Analysis, or the problems that stopped it."""

    path: str
    article: Article | None = None
    analysis: Analysis | str | None = None  # a string says why analysis failed
    cached: bool = False  # the analysis came from the cache
    key: str | None = None  # the analysis's cache key, once the file made an Article
    stored: bool = True  # False when the analysis could not be cached
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the reader's, for a file that did not clean


def _read_all(settings: Settings, report: Report, use_cache: bool, paths: list[Path] | None) -> list[_File]:
    if not settings.corpus.is_dir():
        raise BriefingError(f"Corpus folder '{settings.corpus}' does not exist")
    started = time.time_ns()  # files changed after this are read again next time (fingerprint.RACY_NS)
    known = fingerprint.file_keys(settings.cache) if use_cache else {}
    files, stamps = [], {}
    for path in find_articles(settings.corpus) if paths is None else paths:
        rel = relative(path, settings.corpus)
        stamp = stamps[rel] = fingerprint.stamp(path)
        entry = known.get(rel)
        file = _unchanged_file(path, rel, entry[1], stamp[0], settings) if entry and stamp and entry[0] == stamp else None
        if file is None:
            file = _read_file(path, rel, settings, report, use_cache)
        if file is not None:
            files.append(file)
    if use_cache:
        fingerprint.save_file_keys(settings.cache, started, {f.path: (s, f.key) for f in files if (s := stamps[f.path])})
        report.cache_keys.update(f.key for f in files)
    return files


def _unchanged_file(path: Path, rel: str, k: str, size: int, settings: Settings) -> _File | None:
    """A file whose stamp is as last recorded, with its Article from the cache, not read; None if it must be read."""
    try:
        check_file(path, settings.corpus, settings.max_article_bytes, size)
    except ArticleError:
        return None  # read, and reported, as any file
    cached = cache.load_article(settings.cache, k)
    return _File(rel, b"", k, cached) if cached is not None and cached.path == rel else None


def _read_file(path: Path, rel: str, settings: Settings, report: Report, use_cache: bool) -> _File | None:
    try:
        data = raw(path, settings.corpus, settings.max_article_bytes)
    except ArticleError as exc:
        report.errors.append(str(exc))
        return None
    except OSError as exc:
        report.errors.append(str(ArticleError(rel, str(exc))))
        return None
    k = cache.file_key(rel, data)
    cached = cache.load_article(settings.cache, k) if use_cache else None
    # The key covers the path, but an entry must also say so: a forged one is a miss.
    return _File(rel, data, k, cached if cached is not None and cached.path == rel else None)


def _ingest_all(files: list[_File], settings: Settings, use_cache: bool) -> list[_Ingested]:
    """Every file ingested, in order: fully cached ones here, the others by _ingest in the pool.

    Parsing and cleaning run in the workers with analysis, so that a cold run
    does not parse every file serially in this process first.
    """
    hits = [_from_cache(file, settings) if use_cache else None for file in files]
    todo = [file for file, hit in zip(files, hits, strict=True) if hit is None]
    made = iter(list(progress(_run_ingest(todo, settings, use_cache), len(todo), "Analyzing")))  # list: the pool shuts down here
    return [hit if hit is not None else next(made) for hit in hits]


def _from_cache(file: _File, settings: Settings) -> _Ingested | None:
    """The file's Article and Analysis when the cache holds both, else None."""
    if file.cached is None:
        return None
    k = cache.key(file.cached, settings)
    hit = cache.load(settings.cache, k, file.cached)
    return None if hit is None else _Ingested(file.path, file.cached, hit, cached=True, key=k)


def _run_ingest(files: list[_File], settings: Settings, use_cache: bool) -> Iterator[_Ingested]:
    if settings.scheduler and files:  # no files, no cluster: a warm run needs none
        yield from _on_cluster(files, settings, use_cache)
        return
    workers = settings.workers or os.cpu_count() or 1
    if workers == 1 or len(files) < 16:
        yield from (_ingest(file, settings, use_cache) for file in files)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=gc.enable) as pool:
        yield from pool.map(_ingest, files, repeat(settings), repeat(use_cache), chunksize=8)


def _ingest(file: _File, settings: Settings, use_cache: bool) -> _Ingested:
    """Parse, clean and analyze one file in a local worker, reading and filling both caches; a bad file never raises."""
    if not use_cache:
        return _make(file, settings)
    done = _make(file, settings, partial(cache.load, settings.cache))
    # Stored here, not in the parent: encoding thousands of analyses there would
    # compete for the cores the workers need.
    _keep(file, done, settings)
    return done


def _on_cluster(files: list[_File], settings: Settings, use_cache: bool) -> Iterator[_Ingested]:
    """The files made on the Dask cluster at ``settings.scheduler``, in order, and kept here: its workers share no disk with us."""
    from generator.incremental import cluster

    address = str(settings.scheduler)
    batches = (files[i : i + CLUSTER_BATCH] for i in range(0, len(files), CLUSTER_BATCH))
    made = (
        done for code, batch in cluster.imap(address, _make_batch, batches, settings) for done in _same_code(code, batch, address)
    )
    for file, done in zip(files, made, strict=True):
        if use_cache:
            _keep(file, done, settings)
        yield done


def _make_batch(files: list[_File], settings: Settings) -> tuple[tuple[str, str], list[_Ingested]]:
    """A cluster task: the files made, touching no cache, with the worker's code versions."""
    return _code(), [_make(file, settings) for file in files]


def _code() -> tuple[str, str]:
    return cache.code_version(), cache.ingest_version()


def _same_code(code: tuple[str, str], batch: list[_Ingested], address: str) -> list[_Ingested]:
    """The batch, if a worker with this generator's code made it: other code would give other pages under our keys."""
    if code != _code():
        raise BriefingError(
            f"The Dask workers at '{address}' run other generator code than this run: install the same version there"
        )
    return batch


def _make(file: _File, settings: Settings, lookup: Callable[[str, Article], Analysis | None] | None = None) -> _Ingested:
    """Parse, clean and analyze one file; ``lookup`` finds an analysis made before (a renamed file). A bad file never raises."""
    done = _Ingested(file.path)
    article = done.article = file.cached or _parse_and_clean(file, done)
    if article is None:
        return done
    k = done.key = cache.key(article, settings)
    hit = lookup(k, article) if lookup is not None else None
    if hit is not None:  # a renamed or moved file: a new Article entry, the same analysis
        done.analysis, done.cached = hit, True
        return done
    done.analysis = _safe_analyze(article, settings)
    return done


def _keep(file: _File, done: _Ingested, settings: Settings) -> None:
    """Store what ``_make`` made from ``file``: its Article if it was read anew, its Analysis if it was analyzed."""
    if done.article is not None and file.cached is None:
        cache.store_article(settings.cache, file.key, done.article)
    if not done.cached and done.key is not None and isinstance(done.analysis, Analysis):
        done.stored = cache.store(settings.cache, done.key, done.analysis)


def _parse_and_clean(file: _File, done: _Ingested) -> Article | None:
    try:
        source = parse(file.path, file.data)
    except ArticleError as exc:
        done.errors.append(str(exc))
        return None
    except ValueError as exc:
        done.errors.append(str(ArticleError(file.path, str(exc))))
        return None
    try:
        return clean(source)
    except ArticleError as exc:
        done.errors.append(str(exc))
    except Exception as exc:
        done.errors.append(str(ArticleError(file.path, f"{type(exc).__name__}: {exc}")))
    done.warnings.extend(source.warnings)  # what the reader noticed still matters
    return None


def _safe_analyze(article: Article, settings: Settings) -> Analysis | str:
    try:
        return analyze(article, settings)
    except Exception as exc:
        return f"analysis failed: {type(exc).__name__}: {exc}"


def _cleaned(ingested: list[_Ingested], report: Report) -> list[Article]:
    """The files' Articles, with their problems reported in file order."""
    articles = []
    for done in ingested:
        report.errors.extend(done.errors)
        report.warnings.extend(done.warnings)
        if done.article is not None:
            report.warnings.extend(done.article.warnings)
            articles.append(done.article)
    return articles


def _analyses(articles: list[Article], ingested: list[_Ingested], settings: Settings, report: Report) -> dict[str, Analysis]:
    """The kept articles' analyses by (deduplicated) slug: analysis never reads the slug.

    A skipped duplicate was analyzed too, in the pool, but is neither counted nor reported.
    """
    by_path = {done.path: done for done in ingested}
    cached: dict[str, Analysis] = {}
    made: dict[str, Analysis] = {}
    unstored = 0
    for article in articles:
        done = by_path[article.path]
        if isinstance(done.analysis, Analysis):
            (cached if done.cached else made)[article.slug] = done.analysis
            unstored += not done.stored
        else:
            report.errors.append(str(ArticleError(article.path, str(done.analysis))))
    report.cached, report.analyzed = len(cached), len(made)
    if unstored:
        # Not a warning: a read-only or odd cache folder costs time, never correctness.
        log(
            f"Cache folder '{settings.cache}' could not be written (read-only, not a folder, or its "
            f"{cache.DATABASE} is not this generator's); {unstored} analyses were not cached",
        )
    return {**cached, **made}  # the order analyses always had: cache hits first
