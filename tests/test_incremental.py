"""Incremental rendering: a page whose inputs did not change is kept, not rendered, and kept pages equal fresh ones."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.__main__ import add_article, edit_article
from bench.corpus import EVAL, load_records, write_corpus
from generator import build
from generator.config import Settings
from generator.incremental import corpus, fingerprint, journal, link_record, page_plan, story_record
from generator.incremental.journal import read_manifest
from generator.linking import related
from generator.linking.mentions import Span
from generator.models import Article
from generator.report import Report
from generator.site.claim_pages import ClaimContext
from generator.site.feed import FEED
from generator.site.render import ENTITY_PAGES, article_path, topic_path
from tests.conftest import ROOT, config_file, project, snapshot, write_files
from tests.test_nothing_lost import KILLER

INDEX_PAGES = {
    "index.md",
    "articles/index.md",
    "topics/index.md",
    "timeline/index.md",
    "stories/index.md",
    "sources/index.md",
    "figures/index.md",
    "quotes/index.md",
    *(rel for _, rel, _ in ENTITY_PAGES),
}


def _always(report: Report) -> set[str]:
    """The pages every run renders: the indexes and the feed (made from the whole corpus); story pages are keyed like articles."""
    assert report.digest is not None
    return INDEX_PAGES | {FEED}


needs_eval = pytest.mark.skipif(
    not (EVAL / "summaries-bbc-dev.jsonl").exists(), reason="shared/eval development data is not beside the checkout"
)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The paths each generate() run rendered (what render yields, and the feed), in run order."""
    runs: list[set[str]] = []
    real = journal.stage

    def spy(docs: Path, pages: Iterable[tuple[str, journal.Text]], *args: Any, **kwargs: Any) -> journal.Staged:
        pages = list(pages)
        runs.append({rel for rel, _ in pages})
        return real(docs, pages, *args, **kwargs)

    monkeypatch.setattr(journal, "stage", spy)
    return runs


def _corpus(tmp_path: Path, n: int = 40, **overrides: object) -> Settings:
    settings = project(tmp_path, **overrides)
    write_corpus(settings.corpus, n, load_records())
    return settings


def _fresh(settings: Settings, folder: Path) -> dict[str, bytes]:
    """docs/ of a from-scratch build of the same corpus in another folder."""
    fresh = project(folder, templates_dir=settings.templates_dir)
    shutil.rmtree(fresh.corpus)
    shutil.copytree(settings.corpus, fresh.corpus)
    # Cached analyses only save time (a cached build equals an uncached one, see
    # test_build); the page and link records and the no-change state stay behind.
    shutil.copytree(
        settings.cache,
        fresh.cache,
        ignore=shutil.ignore_patterns(page_plan.RECORD, link_record.RECORD, story_record.BRIEFS, fingerprint.STATE),
    )
    report = build.generate(fresh)
    assert report.kept == 0
    return snapshot(fresh.docs)


def _pages(report: Report) -> int:
    return report.rendered + report.kept


@needs_eval
def test_editing_one_article_renders_only_the_pages_it_reaches(tmp_path: Path, rendered: list[set[str]]) -> None:
    settings = _corpus(tmp_path)
    first = build.generate(settings)
    assert first.kept == 0 and first.rendered == len(rendered[0]) == len(read_manifest(settings.docs))
    edit_article(tmp_path, 3)
    edited = sorted(settings.corpus.glob("*.md"))[3].stem
    second = build.generate(settings)
    assert second.digest is not None
    must = {article_path(edited), *INDEX_PAGES} | {topic_path(t) for t in second.digest.article_topics[edited]}
    assert must <= rendered[1]
    assert len(rendered[1]) < _pages(second) / 3, sorted(rendered[1])
    assert second.rendered == len(rendered[1]) and second.kept == _pages(second) - len(rendered[1])
    assert snapshot(settings.docs) == _fresh(settings, tmp_path / "fresh")


@needs_eval
def test_touched_but_unchanged_article_renders_only_the_index_pages(tmp_path: Path, rendered: list[set[str]]) -> None:
    settings = _corpus(tmp_path, 20)
    build.generate(settings)
    before = snapshot(settings.docs)
    article = sorted(settings.corpus.glob("*.md"))[0]
    os.utime(article, ns=(article.stat().st_atime_ns, article.stat().st_mtime_ns + 10**9))  # defeats the no-change shortcut
    report = build.generate(settings)
    assert rendered[1] == _always(report)
    assert report.written is not None and report.written.written == ()
    assert snapshot(settings.docs) == before


def _step_edit(settings: Settings, i: int) -> None:
    edit_article(settings.corpus.parent, i)


def _step_add(settings: Settings, i: int) -> None:
    add_article(settings.corpus.parent, i, load_records())


def _step_remove(settings: Settings, i: int) -> None:
    sorted(settings.corpus.glob("*.md"))[i].unlink()


def _step_source(settings: Settings, i: int) -> None:
    # The source shows on the article page, and topic pages count distinct sources.
    path = sorted(settings.corpus.glob("*.md"))[i]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("source: ", 'source: "Another Source"\nold_source: ', 1), encoding="utf-8")


def _step_retitle(settings: Settings, i: int) -> None:
    # Titles show on related articles' pages and on topic pages.
    path = sorted(settings.corpus.glob("*.md"))[i]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", 'title: "A Quite Different Title"\nold_title: ', 1), encoding="utf-8")


def _step_mention(settings: Settings, i: int) -> None:
    # Names another article's topic: topic membership, first mentions and related lists move.
    plain = sorted(settings.corpus.glob("*.txt"))[i]
    donor = sorted(settings.corpus.glob("*.md"))[-1].read_text(encoding="utf-8").split("---")[-1].strip().split("\n\n")[0]
    plain.write_text(plain.read_text(encoding="utf-8") + "\n" + donor + "\n", encoding="utf-8")


STEPS: list[tuple[Callable[[Settings, int], None], int]] = [
    (_step_edit, 0),
    (_step_add, 0),
    (_step_remove, 5),
    (_step_source, 2),
    (_step_retitle, 4),
    (_step_mention, 1),
    (_step_add, 1),
    (_step_edit, 7),
    (_step_remove, 0),
]


@needs_eval
def test_incremental_docs_equal_a_fresh_build_after_every_change(tmp_path: Path) -> None:
    settings = _corpus(tmp_path / "run")
    build.generate(settings)
    for n, (step, i) in enumerate(STEPS):
        step(settings, i)
        report = build.generate(settings)
        assert report.kept > 0, step.__name__  # otherwise this would test nothing
        assert snapshot(settings.docs) == _fresh(settings, tmp_path / f"fresh{n}"), step.__name__


@needs_eval
@pytest.mark.parametrize("limit", [3, related.CANDIDATE_TOPIC_LIMIT])
def test_recorded_related_articles_equal_recomputed_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    """Related articles kept from the link record equal those computed from nothing, after every change.

    A limit of 3 makes most topics too common to find candidates, so both
    kinds of topic key are tested.
    """
    monkeypatch.setattr(related, "CANDIDATE_TOPIC_LIMIT", limit)
    relinked: list[int] = []
    real = related._Index.finalists

    def spy(index: related._Index, me: int, k: int) -> object:
        relinked.append(me)
        return real(index, me, k)

    monkeypatch.setattr(related._Index, "finalists", spy)
    settings = _corpus(tmp_path)
    build.generate(settings)
    for step, i in STEPS:
        step(settings, i)
        relinked.clear()
        report = build.generate(settings)
        relinked_here = len(relinked)
        digest = report.digest
        assert digest is not None
        if limit == 3:
            assert any(len(t.articles) > limit for t in digest.topics if t.linked)
        recomputed = related.related_articles(digest.articles, digest.topics, digest.article_topics, digest.analyses, settings)
        assert digest.related == recomputed, step.__name__
        assert relinked_here < len(digest.articles), step.__name__  # never all of them
        if step in {_step_edit, _step_add, _step_mention}:  # changed keyphrases or topics: some, at least the article
            assert relinked_here > 0, step.__name__


@needs_eval
def test_forged_related_articles_in_the_record_are_computed_again(tmp_path: Path) -> None:
    settings = _corpus(tmp_path, 20)
    build.generate(settings)
    previous = link_record.load(settings.cache)
    victim, (k, near) = next((slug, entry) for slug, entry in sorted(previous.related.items()) if entry[1])
    forged = dict(previous.related)
    forged[victim] = (k, (near[0]._replace(slug="no-such-article"),))
    link_record.save(settings.cache, link_record.Previous(previous.scanned, forged))
    _step_edit(settings, 0)
    report = build.generate(settings)
    assert report.digest is not None
    assert report.digest.related[victim] == near


def test_demo_corpus_incremental_equals_fresh(tmp_path: Path) -> None:
    settings = project(tmp_path / "run", demo=True)
    build.generate(settings)
    target = sorted(settings.corpus.iterdir())[1]
    target.write_text(target.read_text(encoding="utf-8") + "\nBeijing and Moscow signed a new gas agreement.\n", encoding="utf-8")
    report = build.generate(settings)
    assert report.kept > 0
    assert snapshot(settings.docs) == _fresh(settings, tmp_path / "fresh")


def test_deleted_or_hand_edited_pages_are_rendered_again(tmp_path: Path, rendered: list[set[str]]) -> None:
    settings = project(tmp_path, demo=True)
    build.generate(settings)
    before = snapshot(settings.docs)
    topic_page = next(rel for rel in sorted(before) if rel.startswith("topics/") and rel != "topics/index.md")
    article_page = next(rel for rel in sorted(before) if rel.startswith("articles/") and rel != "articles/index.md")
    (settings.docs / topic_page).unlink()
    # Same size and modification time as the generator left it: still noticed.
    page = settings.docs / article_page
    st = page.stat()
    page.write_bytes(b"x" * st.st_size)
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    report = build.generate(settings)
    assert rendered[1] == _always(report) | {topic_page, article_page}
    assert report.written is not None and set(report.written.written) == {topic_page, article_page}
    assert snapshot(settings.docs) == before


def test_changed_template_renders_every_page(tmp_path: Path, rendered: list[set[str]]) -> None:
    templates = write_files(
        tmp_path / "templates", {"article.md.j2": (ROOT / "generator/site/templates/article.md.j2").read_text()}
    )
    settings = project(tmp_path / "site", demo=True, templates_dir=str(templates))
    first = build.generate(settings)
    with (templates / "article.md.j2").open("a", encoding="utf-8") as f:
        f.write("\nRendered with the edited template.\n")
    second = build.generate(settings)
    assert second.kept == 0 and rendered[1] == rendered[0] and second.rendered == first.rendered
    articles = [p for p in settings.docs.glob("articles/*.md") if p.name != "index.md"]
    assert articles and all(p.read_text(encoding="utf-8").endswith("Rendered with the edited template.\n") for p in articles)
    assert snapshot(settings.docs) == _fresh(settings, tmp_path / "fresh")


def test_missing_or_corrupt_record_renders_everything(tmp_path: Path, rendered: list[set[str]]) -> None:
    settings = project(tmp_path, demo=True)
    first = build.generate(settings)
    before = snapshot(settings.docs)
    for record in ("{ corrupt", '{"schema": "someone-else/1", "pages": {}}', None):
        if record is None:
            (settings.cache / page_plan.RECORD).unlink()
        else:
            (settings.cache / page_plan.RECORD).write_text(record, encoding="utf-8")
        (settings.cache / fingerprint.STATE).unlink()  # the no-change shortcut would skip the run
        report = build.generate(settings)
        assert report.kept == 0 and report.rendered == first.rendered
        assert snapshot(settings.docs) == before
    (settings.cache / fingerprint.STATE).unlink()
    report = build.generate(settings)
    assert report.rendered == len(_always(report))


def test_run_killed_after_its_commit_is_finished_before_pages_are_kept(tmp_path: Path) -> None:
    # v1 is built; a v2 run is killed after its commit point; the corpus goes
    # back to v1. The next run must finish v2's renames before deciding what
    # to keep, or a page would keep v2's text although v1's is due.
    settings = project(tmp_path / "run", demo=True)
    build.generate(settings)
    v1 = {p: p.read_bytes() for p in settings.corpus.iterdir()}
    for path, data in v1.items():
        path.write_bytes(data + b"\nBeijing and Moscow signed a new gas agreement in Qingdao.\n")
    conf = config_file(settings, tmp_path / "briefing.yml")
    run = subprocess.run([sys.executable, "-c", KILLER, "_rename", "0", str(conf)], cwd=ROOT, capture_output=True, check=False)
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()
    for path, data in v1.items():
        path.write_bytes(data)
    build.generate(settings)
    assert snapshot(settings.docs) == _fresh(settings, tmp_path / "fresh")


@needs_eval
def test_first_mentions_are_found_again_only_where_their_inputs_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _corpus(tmp_path, 20)
    build.generate(settings)
    found: list[list[str]] = []
    real = page_plan.first_mentions

    def spy(digest: object, s: Settings, articles: list[Article], pool: object = None) -> Iterator[tuple[str, list[Span]]]:
        found.append([a.slug for a in articles])
        return real(digest, s, articles, pool)  # type: ignore[arg-type]

    monkeypatch.setattr(page_plan, "first_mentions", spy)
    edit_article(tmp_path, 3)
    build.generate(settings)
    edited = sorted(settings.corpus.glob("*.md"))[3].stem
    assert edited in found[0] and len(found[0]) < 5, found
    assert snapshot(settings.docs) == _fresh(settings, tmp_path / "fresh")


@pytest.mark.parametrize("typed", [True, False])
def test_forged_first_mentions_and_related_topics_in_the_record_are_found_again(tmp_path: Path, typed: bool) -> None:
    settings = project(tmp_path, demo=True)
    build.generate(settings)
    before = snapshot(settings.docs)
    record = settings.cache / page_plan.RECORD
    data = json.loads(record.read_text(encoding="utf-8"))
    topic = next(spans[0][2] for _, spans in data["mentions"].values() if spans)
    # The right keys with wrong spans: a topic that is not the article's, a bad
    # offset; or, with a value of the wrong type, a record ignored as a whole.
    forged = [[[0, 3, "no-such-topic"]], [[5, 2, topic]]] if typed else [[[0, 3, "no-such-topic"]], "spans"]
    for n, slug in enumerate(sorted(data["mentions"])):
        data["mentions"][slug][1] = forged[n % len(forged)]
    for entry in data["related"].values():
        entry[1] = ["no-such-topic"]
    data["pages"] = {}  # every page renders, with whatever spans the record holds
    record.write_text(json.dumps(data), encoding="utf-8")
    (settings.cache / fingerprint.STATE).unlink()  # the no-change shortcut would skip the run
    build.generate(settings)
    assert snapshot(settings.docs) == before


def test_story_page_key_follows_its_claims_and_is_kept_otherwise(tmp_path: Path, rendered: list[set[str]]) -> None:
    """A story page is rendered again when what it shows changes (here a figure's status), and kept when nothing does."""
    settings = project(tmp_path, demo=True)
    build.generate(settings)
    (settings.cache / fingerprint.STATE).unlink()  # the no-change shortcut would skip the run
    report = build.generate(settings)
    assert report.digest is not None and not {
        rel for rel in rendered[1] if rel.startswith("stories/") and rel != "stories/index.md"
    }
    other = "---\ntitle: Trade slows\nsource: Wire Three\n---\nIn 2023, bilateral trade between Russia and China reached $150 billion.\n"
    (settings.corpus / "trade-slows.md").write_text(other, encoding="utf-8")
    build.generate(settings)
    redone = {rel for rel in rendered[2] if rel.startswith("stories/") and rel != "stories/index.md"}
    assert redone  # the 2023 trade figure its pages list is now contradicted
    assert snapshot(settings.docs) == _fresh(settings, tmp_path / "fresh")


def test_topic_page_key_follows_where_its_articles_first_mention_it(tmp_path: Path) -> None:
    # An article gaining an overlapping topic moves its first mention of
    # another topic without any text changing: the topic page quotes another
    # sentence, so its key must change, and only its key.
    settings = project(tmp_path, demo=True)
    digest = build.generate(settings).digest
    assert digest is not None
    plan = page_plan.plan(digest, settings)
    slug, spans = next((s, found) for s, found in plan.spans.items() if found)
    start, end, topic = spans[0]
    moved = {**plan.spans, slug: [(start + 1, end, topic), *spans[1:]]}
    topics = {t.slug: t for t in digest.topics}
    named, fields = page_plan._hashed_fields(digest)
    salt = fingerprint.code_and_settings(settings)
    claims = ClaimContext(digest)
    keys = page_plan._article_keys(digest, salt, named=named, fields=fields, marks=claims.marks)
    keys |= page_plan._topic_keys(digest, salt, topics, fields=fields, spans=moved, related=plan.related)
    keys |= page_plan._story_keys(digest, salt, fields=fields, claims=claims)
    assert keys.keys() == plan.keys.keys()
    assert {rel for rel in keys if keys[rel] != plan.keys[rel]} == {topic_path(topic)}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the article files whose bytes were read, in order."""
    names: list[str] = []
    real = corpus.raw

    def spy(path: Path, root: Path, max_bytes: int) -> bytes:
        names.append(path.name)
        return real(path, root, max_bytes)

    monkeypatch.setattr(corpus, "raw", spy)
    return names


def _forget_shortcut(settings: Settings) -> None:
    (settings.cache / fingerprint.STATE).unlink()  # so the next run reads the corpus


def test_a_file_stamped_as_last_time_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str]) -> None:
    monkeypatch.setattr(fingerprint, "RACY_NS", 0)  # the demo files were written just now
    settings = project(tmp_path, demo=True)
    build.generate(settings)
    assert len(reads) == 5
    before = snapshot(settings.docs)
    reads.clear()
    _forget_shortcut(settings)
    build.generate(settings)
    assert reads == []
    assert snapshot(settings.docs) == before
    # Other bytes of the same size under the same modification time: the change time gives it away.
    path = sorted(settings.corpus.iterdir())[0]
    st, data = path.stat(), path.read_bytes()
    index = data.index(b" the ") + 1
    path.write_bytes(data[:index] + b"THE" + data[index + 3 :])
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    reads.clear()
    _forget_shortcut(settings)
    report = build.generate(settings)
    assert reads == [path.name]
    assert report.analyzed == 1


def test_a_file_stamped_close_to_its_run_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str]) -> None:
    """Racily clean: a file written in the run's last RACY_NS could change again unseen within one timestamp tick."""
    monkeypatch.setattr(fingerprint, "RACY_NS", 10**12)  # every demo file was written within it
    settings = project(tmp_path, demo=True)
    build.generate(settings)
    reads.clear()
    _forget_shortcut(settings)
    build.generate(settings)
    assert len(reads) == 5


@pytest.mark.parametrize("forge", ["other key", "wrong types", "short stamp", "other salt"])
def test_a_forged_file_record_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str], forge: str
) -> None:
    monkeypatch.setattr(fingerprint, "RACY_NS", 0)
    settings = project(tmp_path, demo=True)
    build.generate(settings)
    before = snapshot(settings.docs)
    record = json.loads((settings.cache / fingerprint.FILES).read_text(encoding="utf-8"))
    names = sorted(record["files"])
    if forge == "other key":  # each file's stamp with another file's key: its cached Article names another path
        keys = [record["files"][n][1] for n in names]
        for n, k in zip(names, keys[1:] + keys[:1], strict=True):
            record["files"][n][1] = k
    elif forge == "wrong types":
        record["files"][names[0]][0] = "not a stamp"
    elif forge == "short stamp":
        record["files"][names[0]][0] = [1]
    else:
        record["salt"] = "other reading code"
    (settings.cache / fingerprint.FILES).write_text(json.dumps(record), encoding="utf-8")
    reads.clear()
    _forget_shortcut(settings)
    build.generate(settings)
    assert len(reads) == 5
    assert snapshot(settings.docs) == before
