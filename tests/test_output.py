"""docs/ ownership: hand-written files are never touched; stale pages go."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from generator.errors import OwnershipError
from generator.incremental import journal
from generator.incremental.journal import MANIFEST, STAGE_PREFIX, atomic_write, read_manifest, write_pages


def test_writes_pages_and_manifest(tmp_path: Path) -> None:
    result = write_pages(tmp_path, [("index.md", "home"), ("articles/a.md", "A")])
    assert result.written == ("articles/a.md", "index.md")
    assert set(read_manifest(tmp_path)) == {"index.md", "articles/a.md"}


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_pages_get_the_mode_the_umask_gives_new_files(tmp_path: Path, umask: int) -> None:
    # A page is renamed into place from a staged file: it must not keep a temporary file's private mode.
    old = os.umask(umask)
    try:
        write_pages(tmp_path, [("index.md", "home"), ("articles/a.md", "A")])
        atomic_write(tmp_path / "record.json", b"{}")
    finally:
        os.umask(old)
    for rel in ("index.md", "articles/a.md", MANIFEST, "record.json"):
        assert stat.S_IMODE((tmp_path / rel).stat().st_mode) == 0o666 & ~umask, rel


def test_a_staged_name_left_by_an_earlier_process_is_passed_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Names are this process's id and a counter; a leftover under the next few is skipped, never truncated.
    monkeypatch.setattr(journal, "_STAGED", itertools.count())
    for n in range(200):
        (tmp_path / f"{STAGE_PREFIX}{os.getpid()}-{n}").write_text("someone else's", encoding="utf-8")
    atomic_write(tmp_path / "record.json", b"{}")
    assert (tmp_path / "record.json").read_bytes() == b"{}"
    leftovers = [p.read_text(encoding="utf-8") for p in tmp_path.glob(STAGE_PREFIX + "*")]
    assert leftovers == ["someone else's"] * 200


def test_unchanged_pages_are_not_rewritten(tmp_path: Path) -> None:
    write_pages(tmp_path, [("a.md", "A"), ("b.md", "B")])
    mtime = (tmp_path / "a.md").stat().st_mtime_ns
    result = write_pages(tmp_path, [("a.md", "A"), ("b.md", "B2")])
    assert result.written == ("b.md",)
    assert result.unchanged == 1
    assert (tmp_path / "a.md").stat().st_mtime_ns == mtime


def test_stale_generated_pages_are_removed_hand_written_kept(tmp_path: Path) -> None:
    (tmp_path / "about.md").write_text("mine", encoding="utf-8")
    write_pages(tmp_path, [("articles/old.md", "old"), ("articles/new.md", "new")])
    result = write_pages(tmp_path, [("articles/new.md", "new")])
    assert result.removed == ("articles/old.md",)
    assert not (tmp_path / "articles/old.md").exists()
    assert (tmp_path / "about.md").read_text(encoding="utf-8") == "mine"


def test_kept_pages_stay_owned_and_are_neither_read_nor_removed(tmp_path: Path) -> None:
    write_pages(tmp_path, [("a.md", "A"), ("b.md", "B"), ("c.md", "C")])
    hashes = read_manifest(tmp_path)
    (tmp_path / "b.md").write_text("B, as the caller vouches it still is", encoding="utf-8")
    result = write_pages(tmp_path, [("a.md", "A2")], kept={"b.md"})
    assert (result.written, result.unchanged, result.removed, result.kept) == (("a.md",), 0, ("c.md",), 1)
    # Not read: the manifest keeps the hash of what was written, not of what is there now.
    assert read_manifest(tmp_path)["b.md"] == hashes["b.md"]
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == "B, as the caller vouches it still is"
    assert set(read_manifest(tmp_path)) == {"a.md", "b.md"}


def test_refuses_to_keep_a_page_it_does_not_own(tmp_path: Path) -> None:
    (tmp_path / "about.md").write_text("mine", encoding="utf-8")
    write_pages(tmp_path, [("a.md", "A")])
    manifest = (tmp_path / MANIFEST).read_bytes()
    with pytest.raises(ValueError, match="manifest does not list"):
        write_pages(tmp_path, [("a.md", "A2")], kept={"about.md"})
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "A"
    assert (tmp_path / MANIFEST).read_bytes() == manifest


def test_refuses_to_overwrite_a_file_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("hand-written home", encoding="utf-8")
    with pytest.raises(OwnershipError, match="not written by Briefing"):
        write_pages(tmp_path, [("index.md", "generated"), ("a.md", "A")])
    assert (tmp_path / "index.md").read_text(encoding="utf-8") == "hand-written home"
    assert not (tmp_path / "a.md").exists()  # nothing is written when one target is refused


@pytest.mark.parametrize("rel", ["../x.md", "/etc/x.md", "a/../../x.md", "a\x00.md", ""])
def test_refuses_paths_outside_docs(tmp_path: Path, rel: str) -> None:
    with pytest.raises(OwnershipError):
        write_pages(tmp_path / "docs", [(rel, "x")])
    assert list(tmp_path.rglob("x.md")) == []


def test_foreign_manifest_entries_cannot_delete_outside(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    victim = tmp_path / "victim.md"
    victim.write_text("keep", encoding="utf-8")
    (docs / MANIFEST).write_text('{"files": {"../victim.md": "x"}}', encoding="utf-8")
    write_pages(docs, [("a.md", "A")])
    assert victim.read_text(encoding="utf-8") == "keep"


def test_corrupt_manifest_is_treated_as_empty(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text("{not json", encoding="utf-8")
    assert read_manifest(tmp_path) == {}
    write_pages(tmp_path, [("a.md", "A")])
    assert read_manifest(tmp_path) == {"a.md": read_manifest(tmp_path)["a.md"]}


def test_relative_docs_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = write_pages(Path("docs"), [("articles/a.md", "A")])
    assert result.written == ("articles/a.md",)
    assert (tmp_path / "docs" / "articles" / "a.md").read_text(encoding="utf-8") == "A"


def _staged_files(docs: Path) -> list[Path]:
    return list(docs.rglob(STAGE_PREFIX + "*"))


@pytest.mark.parametrize("workers", [0, 2])
def test_a_page_refused_after_others_were_staged_leaves_docs_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    # Pages are staged as they come: the ones before a refused page must not stay behind, staged or written.
    monkeypatch.setattr(journal._Batches, "SIZE", 4)
    (tmp_path / "z.md").write_text("hand-written", encoding="utf-8")
    pages = [(f"articles/{n}.md", str(n)) for n in range(10)] + [("z.md", "generated")]
    # With a pool the error is raised in a worker: the same one must reach the caller.
    pool = ProcessPoolExecutor(workers) if workers else contextlib.nullcontext()
    with pool as executor, pytest.raises(OwnershipError, match="not written by Briefing"):
        write_pages(tmp_path, iter(pages), pool=executor)
    assert _staged_files(tmp_path) == []
    assert sorted(p.name for p in tmp_path.rglob("*.md")) == ["z.md"]
    assert not (tmp_path / MANIFEST).exists()


@pytest.mark.parametrize("workers", [0, 2])
def test_a_batch_that_fails_leaves_nothing_staged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    # "file.md/x.md" passes the check (nothing is there) and fails when its folder is made, in a later batch.
    monkeypatch.setattr(journal._Batches, "SIZE", 3)
    (tmp_path / "file.md").write_text("hand-written", encoding="utf-8")
    pages = [(f"{n}.md", str(n)) for n in range(7)] + [("file.md/x.md", "x"), ("8.md", "8")]
    with ProcessPoolExecutor(workers) if workers else contextlib.nullcontext() as pool, pytest.raises(OSError):
        write_pages(tmp_path, pages, pool=pool)
    assert _staged_files(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.md"]


def test_pages_staged_in_a_pool_are_written_as_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal._Batches, "SIZE", 2)
    pages = [(f"articles/{n}.md", f"page {n}") for n in range(5)] + [("index.md", "home")]
    here = write_pages(tmp_path / "here", pages)
    with ProcessPoolExecutor(2) as pool:
        there = write_pages(tmp_path / "pool", pages, pool=pool)
    assert here == there
    assert here.written == tuple(sorted(rel for rel, _ in pages))
    assert (tmp_path / "here" / MANIFEST).read_bytes() == (tmp_path / "pool" / MANIFEST).read_bytes()
    assert _staged_files(tmp_path) == []


def test_a_page_given_twice_is_the_last_one(tmp_path: Path) -> None:
    result = write_pages(tmp_path, [("a.md", "first"), ("b.md", "B"), ("a.md", "second")])
    assert result.written == ("a.md", "b.md")
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "second"
    assert _staged_files(tmp_path) == []
    assert read_manifest(tmp_path)["a.md"] == hashlib.sha256(b"second").hexdigest()
