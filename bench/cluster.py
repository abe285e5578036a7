"""Local processes against a Dask cluster on this machine: ``python -m bench.cluster`` (``make bench-cluster``).

One synthetic corpus is generated cold (no cache, no pages) by local
processes (``workers: 2``) and by a cluster of a scheduler and two one-thread
workers on loopback, alternating, each run in a fresh process. The cluster
runs the same analysis on the same two cores, so its extra time divided by
the articles is what shipping an article's work and its result costs.
It also starts the clusters of tests/test_dask.py.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.__main__ import OUT, ROOT, empty_trash, make_project, reset, run_generate
from bench.corpus import load_records

DASK = Path(sys.executable).parent / "dask"  # the venv's command


@dataclass(frozen=True)
class Cluster:
    """A scheduler and its workers, each process in a session of its own, so that ``stop`` ends a worker's nanny too."""

    address: str
    scheduler: subprocess.Popen[bytes]
    workers: tuple[subprocess.Popen[bytes], ...]


def start(folder: Path, workers: int = 2, nanny: bool = True) -> Cluster:
    """A scheduler and ``workers`` one-thread workers on loopback, no dashboard; returns once every worker has joined."""
    from distributed import Client

    folder.mkdir(parents=True, exist_ok=True)
    file = folder / "scheduler.json"
    file.unlink(missing_ok=True)
    log = (folder / "cluster.log").open("ab")
    # The workers import this checkout's generator: a cluster must run the code of the run it serves.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    spawn: dict[str, Any] = {"env": env, "stdout": log, "stderr": log, "start_new_session": True}
    scheduler = subprocess.Popen(
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", file, "--no-dashboard"], **spawn
    )
    procs = [scheduler]
    try:
        address = _address(file)
        args = ["--nworkers", "1", "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1", *([] if nanny else ["--no-nanny"])]
        procs += [subprocess.Popen([DASK, "worker", address, *args], **spawn) for _ in range(workers)]
        with Client(address, timeout=10, set_as_default=False) as client:  # type: ignore[no-untyped-call]
            client.wait_for_workers(workers, timeout=60)
    except BaseException:
        _kill(procs)
        raise
    return Cluster(address, scheduler, tuple(procs[1:]))


def _address(file: Path) -> str:
    """The scheduler's address, once it has written its file."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):  # not there yet, or half written
            return str(json.loads(file.read_text())["address"])
        time.sleep(0.1)
    raise TimeoutError(f"no scheduler file {file} after 60 s")


def stop(cluster: Cluster) -> None:
    _kill([*cluster.workers, cluster.scheduler])


def _kill(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # ends a stopped process too
        proc.wait()


def _settings(project: Path, scheduler: str | None) -> None:
    lines = ["title: Benchmark briefing", "workers: 2", *([f"scheduler: {scheduler}"] if scheduler else [])]
    (project / "briefing.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure(n: int, rounds: int) -> dict[str, Any]:
    """Cold runs of one corpus, local and on the cluster in turn; medians, and the cluster's extra ms an article."""
    project = make_project(n, load_records(), root=OUT / "cluster")
    cluster = start(OUT / "cluster" / "dask")
    runs: dict[str, list[dict[str, Any]]] = {"local": [], "cluster": []}
    try:
        for _ in range(rounds):
            for mode, scheduler in (("local", None), ("cluster", cluster.address)):
                reset(project)
                _settings(project, scheduler)
                run = run_generate(project)
                if run["analyzed"] != n:
                    raise SystemExit(f"{mode} run analyzed {run['analyzed']} of {n} articles")
                runs[mode].append(run)
                print(f"{mode:8} {run['seconds']:6.2f} s, analyze {run['stages']['analyze']:6.2f} s", file=sys.stderr)
    finally:
        stop(cluster)
        empty_trash(OUT / "cluster", wait=False)
    result: dict[str, Any] = {"articles": n, "rounds": rounds, "cores": os.cpu_count()}
    for mode, done in runs.items():
        result[f"{mode}_s"] = statistics.median(r["seconds"] for r in done)
        result[f"{mode}_analyze_s"] = statistics.median(r["stages"]["analyze"] for r in done)
        result[f"{mode}_analyze_runs_s"] = [round(r["stages"]["analyze"], 2) for r in done]
    result["overhead_ms_per_article"] = 1000 * (result["cluster_analyze_s"] - result["local_analyze_s"]) / n
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__)
    parser.add_argument("--articles", type=int, default=600, help="corpus size (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3, help="local and cluster runs each, alternating (default: %(default)s)")
    args = parser.parse_args()
    print(json.dumps(measure(args.articles, args.rounds), indent=2))


if __name__ == "__main__":
    main()
