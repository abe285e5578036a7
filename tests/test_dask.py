"""Analysis on a real Dask cluster: `dask scheduler` and `dask worker` processes on loopback.

The cluster's pages must be the local run's bytes, each run's cache must serve
the other, and a bad address or a cluster that goes away mid-run must fail with
a clear error, leaving docs/ as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.cluster import Cluster, start, stop
from generator import build, cli
from generator.config import Settings
from generator.incremental import cache
from tests.conftest import DEMO_CORPUS, ROOT, config_file, project, snapshot, write_files

COPIES = 35  # with the demo's 5 and 2 refused: 42 files, three cluster batches
# Front matter that is not YAML: refused on a worker, reported in file order (both in the first batch).
REFUSED = {f"broken-{i}.md": "---\ntitle: [unclosed\n---\nBody.\n" for i in (1, 2)}


def _client(address: str):  # type: ignore[no-untyped-def]
    from distributed import Client

    return Client(address, timeout=10, set_as_default=False)


def _tasks_run(address: str) -> int:
    """How many tasks the workers of the cluster at ``address`` have run."""
    with _client(address) as client:
        return sum(client.run(lambda dask_worker: dask_worker.state.executed_count).values())


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A scheduler and two workers for the tests that leave it running."""
    pytest.importorskip("distributed")
    started = start(tmp_path_factory.mktemp("cluster"))
    try:
        yield started.address
    finally:
        stop(started)


@pytest.fixture
def doomed(tmp_path: Path) -> Iterator[Cluster]:
    """A cluster of its own, for a test that kills it; no nannies, so a killed worker stays dead."""
    pytest.importorskip("distributed")
    started = start(tmp_path / "cluster", nanny=False)
    try:
        yield started
    finally:
        stop(started)


def _corpus(n: int = COPIES) -> dict[str, str]:
    """The demo's articles, rearranged and retitled: distinct articles that share its topics."""
    demo = sorted(DEMO_CORPUS.glob("*.txt"))
    files = {}
    for i in range(n):
        paras = demo[i % len(demo)].read_text(encoding="utf-8").split("\n\n")
        files[f"copy-{i:02d}.txt"] = f"Briefing copy {i}\n\n" + "\n\n".join(paras[1 + i % 3 :]) + f"\n\nEditor's note {i}.\n"
    return {**files, **REFUSED}


def _generate(settings: Settings, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str]]:
    """`briefing generate` in this process: its exit code and its problem lines."""
    capsys.readouterr()
    code = cli.main(["generate", "--config", str(config_file(settings, settings.corpus.parent / "briefing.yml")), *extra])
    err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if not line.startswith("INFO")]


def test_the_cluster_writes_the_local_bytes(cluster: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    local = project(tmp_path / "local", _corpus(), demo=True, workers=2)
    remote = project(tmp_path / "remote", _corpus(), demo=True, workers=2)
    code, local_problems = _generate(local, capsys)
    assert code == 0
    tasks = _tasks_run(cluster)
    code, problems = _generate(remote, capsys, "--scheduler", cluster)
    assert code == 0
    assert _tasks_run(cluster) - tasks == 3  # 42 files in batches of 16: the work went to the cluster
    assert [name for line in problems for name in REFUSED if name in line] == list(REFUSED), problems
    assert problems == local_problems
    pages = snapshot(local.docs)
    assert len(pages) > 50
    assert snapshot(remote.docs) == pages
    assert _entries(remote) == _entries(local)  # each Article and Analysis stored here, under the local run's keys


def _entries(settings: Settings) -> dict[str, bytes]:
    with contextlib.closing(sqlite3.connect(settings.cache / cache.DATABASE)) as db:
        return dict(db.execute("SELECT key, data FROM entries"))


def test_each_run_reuses_the_others_cache(cluster: str, tmp_path: Path) -> None:
    files = _corpus()
    remote = project(tmp_path / "remote", files, demo=True, scheduler=cluster)
    made = build.generate(remote)
    n = made.analyzed
    assert (n, made.cached) == (len(files) - len(REFUSED) + 5, 0)
    # A local run in a fresh folder, on the cluster run's cache: nothing analyzed.
    local = project(tmp_path / "local", files, demo=True, cache_dir=str(remote.cache))
    reused = build.generate(local)
    assert (reused.analyzed, reused.cached) == (0, n)
    assert snapshot(local.docs) == snapshot(remote.docs)
    # And back: the cluster analyzes only what the local run's cache lacks.
    write_files(local.corpus, {"new.txt": "A new report\n\n" + (DEMO_CORPUS / "exclusive-insights-secret-talks.txt").read_text()})
    grown = project(tmp_path / "grown", {}, cache_dir=str(remote.cache), corpus_dir=str(local.corpus), scheduler=cluster)
    again = build.generate(grown)
    assert (again.analyzed, again.cached) == (1, n)


def test_where_analysis_runs_changes_no_record(cluster: str, tmp_path: Path) -> None:
    settings = project(tmp_path, _corpus(), demo=True)
    build.generate(settings)
    on_cluster = dataclasses.replace(settings, scheduler=cluster)
    report = build.generate(on_cluster)  # the no-change shortcut: not even a connection
    assert "analyze" not in report.timings and report.cached == len(_corpus()) - len(REFUSED) + 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _with_pages(tmp_path: Path) -> tuple[Settings, dict[str, bytes]]:
    """A project generated locally, then given new articles: a run that finished would change docs/."""
    settings = project(tmp_path, demo=True)
    assert build.generate(settings).exit_code() == 0
    before = snapshot(settings.docs)
    write_files(settings.corpus, _corpus())
    return settings, before


@pytest.mark.parametrize(
    "address", ["tcp://127.0.0.1:{port}", "not an address", "foo://127.0.0.1:8786", "tcp://127.0.0.1:notaport"]
)
def test_a_bad_address_fails_fast_and_writes_nothing(address: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed")
    address = address.format(port=_free_port())  # nothing listens there
    settings, before = _with_pages(tmp_path)
    start = time.monotonic()
    code, problems = _generate(settings, capsys, "--scheduler", address)
    assert time.monotonic() - start < 15
    assert code == 1
    assert problems == [problems[0]] and problems[0].startswith(f"Error: Could not connect to a Dask scheduler at '{address}'")
    assert snapshot(settings.docs) == before


def test_without_dask_the_error_says_what_to_install(tmp_path: Path) -> None:
    settings, before = _with_pages(tmp_path)
    cfg = config_file(settings, tmp_path / "briefing.yml")
    blocked = (
        "import sys; sys.modules['distributed'] = None; from generator.cli import main; raise SystemExit(main(sys.argv[1:]))"
    )
    run = subprocess.run(
        [sys.executable, "-c", blocked, "generate", "--config", str(cfg), "--scheduler", "tcp://127.0.0.1:8786"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 1
    assert "pip install -e '.[dask]'" in run.stderr
    assert snapshot(settings.docs) == before


@pytest.mark.parametrize("lost", ["scheduler", "workers"])
def test_a_cluster_lost_mid_run_fails_and_writes_nothing(lost: str, doomed: Cluster, tmp_path: Path) -> None:
    settings, before = _with_pages(tmp_path / "project")
    cfg = config_file(settings, tmp_path / "briefing.yml")
    # Stopped workers hold their tasks: no result can come back before the cluster is killed.
    for worker in doomed.workers:
        os.kill(worker.pid, signal.SIGSTOP)
    run = subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", "--config", str(cfg), "--scheduler", doomed.address],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    with _client(doomed.address) as watcher:  # the run has connected and sent its batches
        deadline = time.monotonic() + 60
        while not watcher.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert run.poll() is None, "the run ended before the cluster was lost"
    for proc in [doomed.scheduler] if lost == "scheduler" else doomed.workers:
        os.killpg(proc.pid, signal.SIGKILL)
    err = run.communicate(timeout=90)[1]
    assert run.returncode == 1, err
    error = err.strip().splitlines()[-2:]
    assert any(line.startswith(f"Error: The Dask cluster at '{doomed.address}'") for line in error), err
    assert "Traceback" not in err
    assert snapshot(settings.docs) == before
