"""The pipeline, as a straight line: read, clean, analyze, link, render, write.

Each stage is a module; this file only sequences them and collects problems,
so one bad article never stops the others (as MkDocs' build command).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import repeat
from pathlib import Path
from typing import Any, TypeVar

from generator import cache, output, pagekeys, state
from generator.analyze import analyze
from generator.clean import clean
from generator.config import Settings
from generator.errors import ArticleError, BriefingError
from generator.link import find_topics, link, relate
from generator.models import Analysis, Article, Digest
from generator.output import WriteResult
from generator.read import check_file, find_articles, parse, raw, relative
from generator.render import POOL_MIN_ARTICLES, render

T = TypeVar("T")


@dataclass
class Report:
    """Problems and counts of one run, printed at the end."""

    strict: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    analyzed: int = 0
    cached: int = 0
    rendered: int = 0  # pages rendered this run
    kept: int = 0  # pages whose inputs did not change: neither rendered nor compared
    written: WriteResult | None = None
    timings: dict[str, float] = field(default_factory=dict)
    digest: Digest | None = None  # kept for the PDF, so `build` does not link twice
    cache_keys: set[str] = field(default_factory=set)  # the cache entries this run read or wrote

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time one stage, for the log and ``make bench``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start

    @property
    def problems(self) -> list[str]:
        return self.errors + (self.warnings if self.strict else [])

    def exit_code(self) -> int:
        """1 when --strict and anything went wrong; refused articles alone do not fail a normal build."""
        return 1 if self.strict and (self.errors or self.warnings) else 0

    def print(self) -> None:
        for line in self.warnings:
            print(f"WARNING - {line}", file=sys.stderr)
        for line in self.errors:
            print(f"ERROR   - {line}", file=sys.stderr)


def generate(settings: Settings, report: Report | None = None) -> Report:
    """Write the generated Markdown into docs/; return what happened."""
    with _collector_paused():
        return _generate(settings, report or Report(strict=settings.strict))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """CPython's cyclic garbage collector off for one run.

    A run builds millions of objects that live until it ends (articles,
    analyses, the digest) and makes next to no reference cycles, which
    reference counting cannot free. The collector rescans the whole heap
    each time it grows by a quarter: two of ten seconds of an edit at 10,000
    articles, for the same peak memory. Worker processes turn it back on.

    At the end the run's objects are frozen (moved out of the collector's
    reach) rather than scanned once more when it is back on: reference
    counting still frees them when they are dropped.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _generate(settings: Settings, report: Report) -> Report:
    with report.stage("fingerprint"):
        paths = find_articles(settings.corpus)  # listed once: every stage below reads this list
        fingerprint = state.inputs(settings, paths)
        previous = state.unchanged(settings, fingerprint)
    if previous is not None:
        return _nothing_changed(report, previous)
    with _pool(settings, len(paths)) as pool:
        articles, analyses = _analyzed(settings, report, paths=paths)
        with report.stage("link"):
            topical = find_topics(articles, analyses, settings, settings.cache, pool)
            search = pagekeys.search(topical.digest, settings, pool)  # in the pool while relate() runs here
            digest = report.digest = relate(topical, settings, settings.cache)
        with report.stage("plan"):
            plan = pagekeys.plan(digest, settings, search)
        with report.stage("render"):  # article and topic pages rendered and staged in the pool as their inputs are made here
            related = {slug: near for slug, (_, near) in plan.related.items()}
            pages = render(digest, settings, skip=plan.kept, spans=plan.spans, related=related, defer=pool is not None)
            staged = output.stage(settings.docs, pages, kept=plan.kept, pool=pool)
    with report.stage("write"):
        report.written = output.commit(settings.docs, staged)
        pagekeys.save(settings, plan)
        pruned = cache.prune(settings.cache, report.cache_keys)
    report.rendered, report.kept = len(staged.pages), len(plan.kept)
    state.save(
        settings,
        fingerprint,
        {
            "articles": len(digest.articles),
            "pages": report.rendered + report.kept,
            "errors": report.errors,
            "warnings": report.warnings,
        },
    )
    _log(
        report,
        f"Generated {len(digest.articles)} articles: analyzed {report.analyzed}, cached {report.cached}; "
        f"pages rendered {report.rendered}, kept {report.kept}, written {len(report.written.written)}, "
        f"unchanged {report.written.unchanged}, removed {len(report.written.removed)}"
        + (f"; {pruned} cache entries no longer used removed" if pruned else ""),
    )
    report.print()
    return report


@contextmanager
def _pool(settings: Settings, articles: int) -> Iterator[Executor | None]:
    """Worker processes for the topic scan, first mentions (pagekeys.search) and staging pages, forked now, before the corpus is loaded.

    A worker forked later would map this process's gigabyte of articles and
    analyses, and every resident page of it counts in each worker's memory.
    """
    workers = settings.workers or os.cpu_count() or 1
    if workers == 1 or articles < POOL_MIN_ARTICLES:
        yield None
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=gc.enable) as pool:
        pool.submit(int).result()  # a fork start method starts every worker at the first job
        yield pool


def _nothing_changed(report: Report, previous: dict[str, Any]) -> Report:
    """Replay the last run's problems, so --strict still fails on them."""
    report.errors = [str(e) for e in previous.get("errors", [])]
    report.warnings = [str(w) for w in previous.get("warnings", [])]
    report.cached = int(previous.get("articles", 0))
    report.kept = int(previous.get("pages", 0))
    report.written = WriteResult((), 0, (), report.kept)
    _log(report, f"Nothing changed since the last run: {report.cached} articles, {report.kept} pages up to date")
    report.print()
    return report


def build(settings: Settings) -> Report:
    """Generate, then build the site with MkDocs, then the PDF."""
    report = generate(settings)
    if report.exit_code():
        return report
    with report.stage("mkdocs"):
        mkdocs_build(settings)
    with report.stage("pdf"):
        pdf(settings, report=report)
    return report


def check(settings: Settings) -> Report:
    """Read, clean and analyze every article without writing anything."""
    report = Report(strict=settings.strict)
    _digest(settings, report, use_cache=False)
    report.print()
    count = len(report.problems)
    print(f"{count} problem(s) found." if count else "No problems found.", file=sys.stderr)
    return report


def pdf(
    settings: Settings,
    topic: str | None = None,
    since: date | None = None,
    output: Path | None = None,
    report: Report | None = None,
) -> Report:
    """Write the PDF briefing: every article, one topic, or those published since a date.

    ``build`` passes its report: the articles' problems were printed there
    already, so only the PDF's own messages are added to it.
    """
    from generator import pdf as printed

    own = Report(strict=settings.strict)
    digest = report.digest if report is not None and report.digest is not None else _digest(settings, own)
    scope = printed.select(digest, topic, since)
    target = output or printed.default_path(settings, scope)
    result = printed.write(scope, settings, target)
    for note in result.notes:
        _log(own, note)
    _log(own, f"PDF briefing: {target} ({result.articles} articles, {result.pages} pages, {result.bytes:,} bytes)")
    refused = [f"PDF: a resource was requested and refused: {url}" for url in result.refused_urls]
    if report is None:  # `briefing pdf`: this run's article problems are ours to print
        own.warnings.extend(refused)
        own.print()
        return own
    report.warnings.extend(refused)
    Report(warnings=refused).print()
    return report


def serve(settings: Settings, dev_addr: str) -> None:
    """Generate, serve with live reload, and regenerate when the corpus changes."""
    generate(settings)
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_corpus, args=(settings, stop), daemon=True)
    watcher.start()
    try:
        cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", settings.mkdocs_config, "-a", dev_addr]
        subprocess.run(cmd, check=False, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    finally:
        stop.set()


def mkdocs_build(settings: Settings) -> None:
    """Run ``mkdocs build``; a failure is a BriefingError with MkDocs' own message above it."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", settings.mkdocs_config, "-d", str(settings.site.resolve())]
    if settings.strict:
        cmd.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if subprocess.run(cmd, check=False, env=env).returncode != 0:
        raise BriefingError("mkdocs build failed (see its messages above)")


# ---------------------------------------------------------------- stages


def _digest(settings: Settings, report: Report, use_cache: bool = True) -> Digest:
    articles, analyses = _analyzed(settings, report, use_cache)
    with report.stage("link"):
        return link(articles, analyses, settings, settings.cache if use_cache else None)


def _analyzed(
    settings: Settings, report: Report, use_cache: bool = True, paths: list[Path] | None = None
) -> tuple[list[Article], dict[str, Analysis]]:
    """Every article that cleaned, deduplicated, and its analysis by slug."""
    with report.stage("read"):
        files = _read_all(settings, report, use_cache, paths)
    with report.stage("analyze"):  # parse, clean and analyze what the cache misses, in the pool
        ingested = _ingest_all(files, settings, use_cache)
    if use_cache:
        report.cache_keys.update(done.key for done in ingested if done.key is not None)
    with report.stage("clean"):
        articles = _dedupe(_cleaned(ingested, report), report)
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
    started = time.time_ns()  # files changed after this are read again next time (state.RACY_NS)
    known = state.file_keys(settings.cache) if use_cache else {}
    files, stamps = [], {}
    for path in find_articles(settings.corpus) if paths is None else paths:
        rel = relative(path, settings.corpus)
        stamp = stamps[rel] = state.stamp(path)
        entry = known.get(rel)
        file = _unchanged_file(path, rel, entry[1], stamp[0], settings) if entry and stamp and entry[0] == stamp else None
        if file is None:
            file = _read_file(path, rel, settings, report, use_cache)
        if file is not None:
            files.append(file)
    if use_cache:
        state.save_file_keys(settings.cache, started, {f.path: (s, f.key) for f in files if (s := stamps[f.path])})
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
    made = iter(list(_progress(_run_ingest(todo, settings, use_cache), len(todo))))  # list: the pool shuts down here
    return [hit if hit is not None else next(made) for hit in hits]


def _from_cache(file: _File, settings: Settings) -> _Ingested | None:
    """The file's Article and Analysis when the cache holds both, else None."""
    if file.cached is None:
        return None
    k = cache.key(file.cached, settings)
    hit = cache.load(settings.cache, k, file.cached)
    return None if hit is None else _Ingested(file.path, file.cached, hit, cached=True, key=k)


def _run_ingest(files: list[_File], settings: Settings, use_cache: bool) -> Iterator[_Ingested]:
    workers = settings.workers or os.cpu_count() or 1
    if workers == 1 or len(files) < 16:
        yield from (_ingest(file, settings, use_cache) for file in files)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=gc.enable) as pool:
        yield from pool.map(_ingest, files, repeat(settings), repeat(use_cache), chunksize=8)


def _ingest(file: _File, settings: Settings, use_cache: bool) -> _Ingested:
    """Parse, clean and analyze one file, reading and filling both caches; a bad file never raises."""
    done = _Ingested(file.path)
    article = done.article = file.cached or _parse_and_clean(file, done)
    if article is None:
        return done
    if use_cache and file.cached is None:
        cache.store_article(settings.cache, file.key, article)
    k = done.key = cache.key(article, settings)
    hit = cache.load(settings.cache, k, article) if use_cache else None
    if hit is not None:  # a renamed or moved file: a new Article entry, the same analysis
        done.analysis, done.cached = hit, True
        return done
    done.analysis = _safe_analyze(article, settings)
    # Stored here, not in the parent: encoding thousands of analyses there would
    # compete for the cores the workers need.
    if use_cache and isinstance(done.analysis, Analysis):
        done.stored = cache.store(settings.cache, k, done.analysis)
    return done


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


def _dedupe(articles: list[Article], report: Report) -> list[Article]:
    """Drop exact duplicates; give colliding slugs a stable suffix."""
    seen_content: dict[str, str] = {}
    taken = {"index"}  # articles/index.md is the list of articles
    out: list[Article] = []
    for article in sorted(articles, key=lambda a: a.path):
        if article.content_hash in seen_content:
            report.warnings.append(f"{article.path}: same text as {seen_content[article.content_hash]}; skipped as a duplicate")
            continue
        seen_content[article.content_hash] = article.path
        slug = article.slug
        if slug in taken:
            slug = f"{slug[:50]}-{article.content_hash[:8]}"
        taken.add(slug)
        out.append(article if slug == article.slug else replace(article, slug=slug))
    return out


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
        _log(
            report,
            f"Cache folder '{settings.cache}' could not be written (read-only, not a folder, or its "
            f"{cache.DATABASE} is not this generator's); {unstored} analyses were not cached",
        )
    return {**cached, **made}  # the order analyses always had: cache hits first


def _progress(items: Iterator[T], total: int) -> Iterator[T]:
    """A progress bar on a terminal only; CI logs stay clean."""
    if total < 20 or not sys.stderr.isatty() or os.environ.get("CI"):
        return items
    from tqdm import tqdm

    return iter(tqdm(items, total=total, desc="Analyzing", unit="article", file=sys.stderr))


def _log(report: Report, message: str) -> None:
    print(f"INFO    - {message}", file=sys.stderr)


def _watch_corpus(settings: Settings, stop: threading.Event) -> None:
    def snapshot() -> dict[str, float]:
        return {p.as_posix(): p.stat().st_mtime for p in find_articles(settings.corpus)}

    last = snapshot()
    while not stop.wait(1.0):
        now = snapshot()
        if now != last:
            last = now
            try:
                generate(settings)
            except BriefingError as exc:
                print(f"Error: {exc}", file=sys.stderr)
