"""The pipeline, as a straight line: read, clean, analyze, link, render, write.

Each stage is a subpackage (ingest, analysis, linking, site); what persists
between runs is incremental/, which this file calls around them. It only
sequences them and collects problems, so one bad article never stops the
others (as MkDocs' build command).
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from generator.config import Settings, site_address
from generator.errors import BriefingError
from generator.incremental import cache, corpus, fingerprint, first_seen, journal, link_record, page_plan, story_record
from generator.incremental.journal import WriteResult
from generator.ingest.readers import find_articles
from generator.linking.digest import (
    dated,
    find_topics,
    link,
    relate,
    story_items,
    with_briefs,
    with_claims,
    with_stories,
)
from generator.linking.stories import Clustered, clustered
from generator.models import Analysis, Article, Digest
from generator.report import Report, log
from generator.site import feed
from generator.site import pdf as printed
from generator.site.render import POOL_MIN_ARTICLES, render


def generate(settings: Settings, report: Report | None = None) -> Report:
    """Write the generated Markdown into docs/; return what happened."""
    with _collector_paused():
        return _generate(settings, report or Report(strict=settings.strict))


def _generate(settings: Settings, report: Report) -> Report:
    with report.stage("fingerprint"):
        paths = find_articles(settings.corpus)  # listed once: every stage below reads this list
        site = site_address(settings)  # mkdocs.yml's site_url (may come from the environment): the feed's links
        inputs = fingerprint.inputs(settings, paths, site)
        previous = fingerprint.unchanged(settings, inputs)
    if previous is not None:
        return _nothing_changed(report, previous)
    with _pool(settings, len(paths)) as pool:
        articles, analyses = corpus.load(settings, report, paths=paths)  # read, analyze (in a pool), clean
        clustering = pool.submit(clustered, story_items(articles, analyses)) if pool else None  # while this process links
        with report.stage("link"):
            linked, search = _link(articles, analyses, settings, pool, search=True)
        digest = report.digest = _across_sources(linked, settings, report, clustering)  # stories, claims, timeline
        with report.stage("feed"):
            seen = first_seen.update(settings.cache, digest.articles, printed.generation_date())
            feed_pages, feed_warnings = feed.pages(digest, seen, settings, site)
            report.warnings.extend(feed_warnings)
        with report.stage("plan"):
            plan = page_plan.plan(digest, settings, search)
        with report.stage("render"):  # article and topic pages rendered and staged in the pool as their inputs are made here
            related = {slug: near for slug, (_, near) in plan.related.items()}
            pages = render(
                digest, settings, skip=plan.kept, spans=plan.spans, related=related, defer=pool is not None, claims=plan.claims
            )
            pages = itertools.chain(pages, feed_pages)  # the feed is a page as any other: owned, written when it changes
            staged = journal.stage(settings.docs, pages, kept=plan.kept, pool=pool)
    with report.stage("write"):
        report.written = journal.commit(settings.docs, staged)
        page_plan.save(settings, plan)
        pruned = cache.prune(settings.cache, report.cache_keys)
    report.rendered, report.kept = len(staged.pages), len(plan.kept)
    _record_run(settings, inputs, report, len(digest.articles))
    log(
        f"Generated {len(digest.articles)} articles: analyzed {report.analyzed}, cached {report.cached}; "
        f"pages rendered {report.rendered}, kept {report.kept}, written {len(report.written.written)}, "
        f"unchanged {report.written.unchanged}, removed {len(report.written.removed)}"
        + (f"; {pruned} cache entries no longer used removed" if pruned else ""),
    )
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
    corpus_digest(settings, report, use_cache=False)
    report.print()
    count = len(report.problems)
    print(f"{count} problem(s) found." if count else "No problems found.", file=sys.stderr)
    return report


def corpus_digest(settings: Settings, report: Report, use_cache: bool = True) -> Digest:
    """The corpus linked, without rendering: what the PDF and ``check`` read."""
    articles, analyses = corpus.load(settings, report, use_cache)
    if not use_cache:
        with report.stage("link"):
            return link(articles, analyses, settings)
    with report.stage("link"):
        linked = _link(articles, analyses, settings)[0]
    return _across_sources(linked, settings, report)


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
    own = Report(strict=settings.strict)
    digest = report.digest if report is not None and report.digest is not None else corpus_digest(settings, own)
    scope = printed.select(digest, topic, since)
    target = output or printed.default_path(settings, scope)
    result = printed.write(scope, settings, target)
    for note in result.notes:
        log(note)
    log(f"PDF briefing: {target} ({result.articles} articles, {result.pages} pages, {result.bytes:,} bytes)")
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


# ---------------------------------------------------------------- the run's plumbing


def _link(
    articles: list[Article],
    analyses: dict[str, Analysis],
    settings: Settings,
    pool: Executor | None = None,
    *,
    search: bool = False,
) -> tuple[Digest, page_plan.Search | None]:
    """Linking, handed what the last run recorded and recording what it found; and first mentions, if ``search``.

    The search for first mentions starts in the pool as soon as topics exist,
    and runs there while related articles are worked out here.
    """
    recorded = link_record.load(settings.cache)
    identity = link_record.identities(articles, settings)
    topical = find_topics(articles, analyses, settings, identity=identity, scanned=recorded.scanned, pool=pool)
    started = page_plan.search(topical.digest, settings, pool) if search else None
    reuse = link_record.reusable(recorded, topical.digest, identity, settings)
    digest = relate(topical.digest, settings, reuse.related)
    link_record.save_found(settings.cache, topical.scanned, reuse, digest)
    return digest, started


def _across_sources(linked: Digest, settings: Settings, report: Report, clustering: Future[Clustered] | None = None) -> Digest:
    """Stories (keeping the last run's slugs and briefs), claims across sources, the timeline: each its own stage.

    ``clustering`` is the stories' clustering under way in a worker, if any: it
    reads only the articles' own features, not what linking finds.
    """
    with report.stage("stories"):
        recorded = story_record.load(settings.cache)
        found = clustering.result() if clustering is not None else None
        grouped = with_stories(linked, settings, recorded.stories, found)
        keys = story_record.brief_keys(grouped.stories, grouped.articles, link_record.identities(grouped.articles, settings))
        storied = with_briefs(grouped, settings, story_record.reusable(recorded, grouped.stories, keys))
        story_record.save(settings.cache, storied.stories, keys)
    with report.stage("claims"):
        claimed = with_claims(storied)
    with report.stage("timeline"):
        return dated(claimed)


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


@contextmanager
def _pool(settings: Settings, articles: int) -> Iterator[Executor | None]:
    """Worker processes for the topic scan, first mentions (page_plan.search) and staging pages, forked now, before the corpus is loaded.

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
    log(f"Nothing changed since the last run: {report.cached} articles, {report.kept} pages up to date")
    report.print()
    return report


def _record_run(settings: Settings, inputs: str, report: Report, articles: int) -> None:
    """What the no-change shortcut replays next time: counts and problems."""
    summary = {"articles": articles, "pages": report.rendered + report.kept, "errors": report.errors, "warnings": report.warnings}
    fingerprint.save(settings, inputs, summary)


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
