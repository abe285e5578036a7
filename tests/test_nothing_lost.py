"""Nothing lost: writes stay in docs/, site/ and the cache; hand-written pages survive; a killed run is all or nothing."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator import build
from generator.errors import OwnershipError
from generator.incremental import journal
from tests.conftest import ROOT, config_file, project, snapshot, write_files
from tests.hostile import BENIGN, CASES, write_corpus

HAND_WRITTEN = {
    "about.md": "# About\n\nWritten by an editor.\n",
    "articles/editor-notes.md": "# Notes inside a generated folder\n",
    "topics/reading-list.md": "Reading list, hand-written.\n",
    ".hidden/keep.txt": "dot folder",
    "stylesheets/extra.css": "body { color: black }\n",
}
V2 = {
    "benign-a.txt": BENIGN["benign-a.txt"].replace("Monday", "Tuesday"),
    "c.txt": "Energy exports\n\nRussia sold more gas to China this year. Analysts expect the Power of Siberia to grow.\n",
}


def test_no_run_writes_outside_docs_site_and_cache(tmp_path: Path) -> None:
    # The project sits one level down, so a write to ../ would show up in the snapshot too.
    settings = project(tmp_path / "proj")
    write_corpus(settings.corpus, tuple(c for c in CASES if c.name != "huge.txt"))
    write_files(settings.corpus, {"sub .. dir/🚀 .. name ...txt": "Dots in the name\n\nA file named with dots and a rocket.\n"})
    before = snapshot(tmp_path)
    build.build(settings)
    build.generate(settings)
    after = snapshot(tmp_path)
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    assert changed
    assert {p.split("/")[1] for p in changed} <= {"docs", "site", ".cache"}, sorted(changed)


def test_hand_written_docs_are_byte_identical_after_any_build(tmp_path: Path) -> None:
    settings = project(tmp_path, dict(BENIGN))
    write_files(settings.docs, HAND_WRITTEN)
    mine = {rel: (settings.docs / rel).read_bytes() for rel in [*HAND_WRITTEN, "stylesheets/briefing.css"]}
    build.build(settings)
    write_files(settings.corpus, V2)
    (settings.corpus / "benign-b.txt").unlink()
    build.generate(settings)
    (settings.corpus / "c.txt").unlink()
    build.generate(settings)
    assert {rel: (settings.docs / rel).read_bytes() for rel in mine} == mine


def test_symlinked_folder_in_docs_is_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "articles").symlink_to(outside)
    with pytest.raises(OwnershipError, match="link to outside"):
        journal.write_pages(docs, [("index.md", "home"), ("articles/a.md", "A")])
    assert list(outside.iterdir()) == [] and not (docs / "index.md").exists()


# A build in a subprocess that SIGKILLs itself at the n-th call of a step of incremental/journal.py.
KILLER = """
import os, signal, sys
from generator import cli
from generator.incremental import journal
step, n = sys.argv[1], int(sys.argv[2])
real, calls = getattr(journal, step), []
def killer(*args, **kwargs):
    if len(calls) == n:
        os.kill(os.getpid(), signal.SIGKILL)
    calls.append(1)
    return real(*args, **kwargs)
setattr(journal, step, killer)
cli.main(["generate", "--config", sys.argv[3]])
"""


def _docs_after_generate(tmp_path: Path, corpus: dict[str, str]) -> dict[str, bytes]:
    settings = project(tmp_path, corpus)
    build.generate(settings)
    return snapshot(settings.docs)


@pytest.mark.parametrize(
    ("step", "n", "outcome"),
    [
        ("_stage", 1, "before"),  # killed while staging pages
        ("atomic_write", 0, "before"),  # killed just before the journal is committed
        ("_rename", 0, "after"),  # killed after the commit, before the first rename
        ("_rename", 3, "after"),  # killed halfway through the renames
        ("atomic_write", 1, "after"),  # killed before the new manifest is written
    ],
)
def test_killed_build_leaves_docs_as_before_or_complete(tmp_path: Path, step: str, n: int, outcome: str) -> None:
    v1 = dict(BENIGN)
    v2 = {"benign-b.txt": BENIGN["benign-b.txt"], **V2}
    before = _docs_after_generate(tmp_path / "before", v1)
    after = _docs_after_generate(tmp_path / "after", v2)
    settings = project(tmp_path / "run", v1)
    build.generate(settings)
    (settings.corpus / "benign-a.txt").unlink()
    write_files(settings.corpus, v2)
    conf = config_file(settings, tmp_path / "briefing.yml")
    run = subprocess.run([sys.executable, "-c", KILLER, step, str(n), str(conf)], cwd=ROOT, capture_output=True, check=False)
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()
    # Even before recovery, every page is whole: one run's version of it, or a staged file, or the journal.
    for rel, data in snapshot(settings.docs).items():
        ours = rel == journal.JOURNAL or Path(rel).name.startswith(journal.STAGE_PREFIX)
        assert ours or data in (before.get(rel), after.get(rel)), rel
    journal.recover(settings.docs)  # what the next run does first
    assert snapshot(settings.docs) == (before if outcome == "before" else after)
    build.generate(settings)
    assert snapshot(settings.docs) == after


def test_foreign_journal_is_ignored_and_cannot_reach_outside(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    victim = tmp_path / "victim.md"
    victim.write_text("keep", encoding="utf-8")
    write_files(docs, {"about.md": "mine", ".briefing-tmp-x": "staged"})
    forged = {
        "rename": [["about.md", "../victim.md"], [".briefing-tmp-x", "b.md"]],
        "remove": ["../victim.md"],
        "manifest": "{}",
    }
    (docs / journal.JOURNAL).write_text(json.dumps(forged), encoding="utf-8")
    journal.write_pages(docs, [("a.md", "A")])
    assert victim.read_text(encoding="utf-8") == "keep"
    assert snapshot(docs) == {
        "about.md": b"mine",
        "b.md": b"staged",
        "a.md": b"A",
        journal.MANIFEST: (docs / journal.MANIFEST).read_bytes(),
    }
    (docs / journal.JOURNAL).write_text("{ not json", encoding="utf-8")
    journal.write_pages(docs, [("a.md", "A")])
    assert not (docs / journal.JOURNAL).exists()
