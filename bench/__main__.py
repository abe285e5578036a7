"""``make bench``: speed, memory and size of the generator as the corpus grows.

Every timing is the median of ``--repeats`` runs (``--incremental-repeats``
for the cheap no-change, add and edit runs, where a median of more runs
steadies the noise of a shared machine), each in a fresh process whose
whole process tree is sampled for peak memory. Growth is reported as
ratios measured in the same run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.corpus import load_records, write_corpus

if TYPE_CHECKING:
    from generator.config import Settings

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results.json"
TARGETS = {  # for 10,000 articles on 2 cores (issue "Ten thousand articles on two cores")
    "cold_generate_s": 90.0,
    "nochange_s": 3.0,
    "add_one_s": 10.0,
    "edit_one_s": 10.0,
    "peak_rss_mb": 2048.0,
    "avg_article_page_kb": 60.0,
    "search_index_mb": 25.0,
    "feature_share_pct": 10.0,
}


CALIBRATION_ARTICLES = 300


def calibrate(
    records: list[dict[str, Any]], repeats: int, articles: int = CALIBRATION_ARTICLES, root: Path = OUT
) -> tuple[float, dict[str, float]]:
    """This machine's speed now: ms an article for one process to parse, clean and analyze the same articles, uncached.

    The machine is shared, and its speed moves by half or more within a day:
    the same analysis code's pool took 66 s at 10,000 articles in one run
    and 127 s in another, seven hours later. Each size's runs are preceded by this
    (median of ``repeats``), so that benches run hours apart can be compared
    through it, and a run's time over it says how well the run uses the cores.
    Measured once before a size, it cannot follow the drift within minutes.
    Also each cross-source feature's extractors, ms an article (medians).
    """
    project = make_project(articles, records, root)
    runs: list[float] = []
    extractors: list[dict[str, float]] = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-m", "bench.once", "--calibrate", str(project)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        done = json.loads(out)
        if done["analyzed"] != articles:
            raise SystemExit(f"calibration analyzed {done['analyzed']} of {articles} articles in {project}")
        runs.append(1000 * float(done["analyze_s"]) / articles)
        extractors.append(done["extractors_ms"])
    return statistics.median(runs), {name: statistics.median(e[name] for e in extractors) for name in extractors[0]}


def make_project(n: int, records: list[dict[str, Any]], root: Path = OUT) -> Path:
    """A fresh project folder with ``n`` synthetic articles."""
    project = _scaffold(root / f"n{n}", "Benchmark briefing")
    write_corpus(project / "corpus", n, records)
    return project


def _scaffold(project: Path, title: str) -> Path:
    """A fresh project folder: site config, hand-written pages, settings."""
    discard(project, project.parent)
    project.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(ROOT / "docs" / "stylesheets", project / "docs" / "stylesheets")
    shutil.copy(ROOT / "docs" / "about.md", project / "docs" / "about.md")
    (project / "briefing.yml").write_text(f"title: {title}\n", encoding="utf-8")
    return project


def run_generate(project: Path) -> dict[str, Any]:
    """One generator run in a child process, with the peak RSS of its process tree."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.once", str(project)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    peak = _sample_peak_rss(proc)
    out, _ = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"generator run failed in {project}")
    result: dict[str, Any] = json.loads(out)
    result["peak_rss_mb"] = peak / 2**20
    return result


def _sample_peak_rss(proc: subprocess.Popen[str]) -> int:
    """Peak resident bytes of the process tree, sampled every 50 ms.

    The tree is looked up in /proc every tenth sample only: walking every
    process's stat file each time took about a tenth of a core, which the
    run being measured lost.
    """
    peak = 0

    def sample() -> None:
        nonlocal peak
        tree = [proc.pid]
        for n in itertools.count():
            if proc.poll() is not None:
                return
            if n % 10 == 0:
                tree = _tree(proc.pid)
            peak = max(peak, sum(map(_rss, tree)))
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    proc.wait()
    thread.join()
    return peak


def _tree(root: int) -> list[int]:
    """``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text(errors="replace").rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * 4096
    except (OSError, IndexError, ValueError):
        return 0  # the process has ended


def reset(project: Path) -> None:
    """Forget every earlier run: no cache, no generated pages."""
    for rel in (".cache", "docs/articles", "docs/topics"):
        discard(project / rel, project.parent)
    for rel in ("index.md", ".briefing-manifest.json"):
        (project / "docs" / rel).unlink(missing_ok=True)


TRASH = ".trash"
INODE_REUSE_S = 61  # the kernel's RECENTCY_MIN (fs/ext4/ialloc.c), once the deletions are written back


def discard(path: Path, root: Path) -> None:
    """Move ``path`` out of the way, into ``root``'s trash folder, which ``empty_trash`` removes.

    Not deleted here, before the run it makes room for: on an ext4 file
    system without a journal, as this machine's, the kernel does not reuse
    an inode for a minute after its file is deleted (five while the inode
    table is not yet written back), and creating thousands of files just
    after deleting thousands scans past every one of them: the pages staged
    after a reset took 6 to 10 s of system time instead of under 1
    (bench/HISTORY.md). A build on a fresh checkout never pays that.
    """
    if not path.exists():
        return
    trash = root / TRASH
    trash.mkdir(parents=True, exist_ok=True)
    path.rename(trash / f"{time.time_ns()}-{path.name}")


def empty_trash(root: Path = OUT, *, wait: bool) -> None:
    """Delete what ``discard`` moved aside; with ``wait``, then wait out the minute in which the kernel will not reuse those inodes."""
    trash = root / TRASH
    if trash.exists():
        shutil.rmtree(trash)
        if wait:
            os.sync()  # written back, so the one-minute window applies, not the five-minute one
            time.sleep(INODE_REUSE_S)


def median_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median seconds, stages and peak memory over repeated runs."""
    stages = {k: statistics.median(r["stages"].get(k, 0.0) for r in runs) for k in runs[0]["stages"]}
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "stages": stages,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "analyzed": [r["analyzed"] for r in runs],
        "written": [r["written"] for r in runs],
        "rendered": [r.get("rendered") for r in runs],
        "kept": [r.get("kept") for r in runs],
    }


def add_article(project: Path, i: int, records: list[dict[str, Any]]) -> None:
    """Add one new article, unlike any already in the corpus."""
    extra = project / "extra"
    write_corpus(extra, 1, records[i + 1 :], seed=100 + i)
    next(extra.iterdir()).rename(project / "corpus" / f"added-{i}.md")
    shutil.rmtree(extra)


def edit_article(project: Path, i: int) -> None:
    """Append a sentence to the i-th Markdown article."""
    target = sorted((project / "corpus").glob("*.md"))[i]
    target.write_text(
        target.read_text(encoding="utf-8") + f"\nAn added closing sentence number {i} changes this article.\n", encoding="utf-8"
    )


def measure_generate(
    project: Path, repeats: int, records: list[dict[str, Any]], incremental: int | None = None
) -> dict[str, Any]:
    """Cold runs (``repeats``); no-change, add-one and edit-one runs (``incremental``, by default as many)."""
    incremental = incremental or repeats
    cold = []
    for _ in range(repeats):
        reset(project)
        cold.append(run_generate(project))
    nochange = [run_generate(project) for _ in range(incremental)]
    add = []
    for i in range(incremental):
        add_article(project, i, records)
        add.append(run_generate(project))
    edit = []
    for i in range(incremental):
        edit_article(project, i)
        edit.append(run_generate(project))
    return {
        "cold": median_runs(cold),
        "nochange": median_runs(nochange),
        "add_one": median_runs(add),
        "edit_one": median_runs(edit),
    }


def measure_site(project: Path, repeats: int) -> dict[str, Any]:
    """MkDocs build time (median) and the site's size."""
    site = project / "site"
    times = []
    for _ in range(repeats):
        discard(site, project.parent)  # MkDocs would delete it itself, just before writing as many files
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")],
            check=True,
            env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        )
        times.append(time.perf_counter() - start)
    pages = list((site / "articles").glob("*/index.html"))
    return {
        "mkdocs_s": statistics.median(times),
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20,
        "avg_article_page_kb": sum(p.stat().st_size for p in pages) / max(len(pages), 1) / 1024,
        "search_index_mb": (site / "search" / "search_index.json").stat().st_size / 2**20,
    }


def measure_pdf(project: Path, repeats: int) -> dict[str, Any]:
    """The PDF briefing of a generated corpus: median seconds, its size and pages."""
    from generator import config

    cwd = Path.cwd()
    os.chdir(project)
    try:
        settings = config.load(Path("briefing.yml"))
        runs = [time_pdf(settings, project / "bench.pdf") for _ in range(repeats)]
    finally:
        os.chdir(cwd)
    return {"seconds": statistics.median(float(r["seconds"]) for r in runs), "bytes": runs[0]["bytes"], "pages": runs[0]["pages"]}


def time_pdf(settings: Settings, output: Path) -> dict[str, float | int]:
    """Time the PDF of the whole corpus for ``make bench``: seconds, bytes, pages, articles.

    The digest comes from the analysis cache when it is warm; its time is
    reported apart so that the figure measures the PDF itself.
    """
    from generator import build
    from generator.report import Report
    from generator.site import pdf

    start = time.perf_counter()
    digest = build.corpus_digest(settings, Report())
    built = time.perf_counter()
    scope = pdf.select(digest)
    result = pdf.write(scope, settings, output)
    done = time.perf_counter()
    return {
        "seconds": round(done - built, 3),
        "digest_seconds": round(built - start, 3),
        "bytes": result.bytes,
        "pages": result.pages,
        "articles": result.articles,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default="1000,5000,10000", help="corpus sizes (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per timing; the median is reported")
    parser.add_argument(
        "--incremental-repeats", type=int, default=5, help="no-change, add and edit runs per size (default: %(default)s)"
    )
    parser.add_argument("--pdf-sizes", default="5,500", help="corpus sizes for the PDF timing; 5 is the demo corpus")
    parser.add_argument("--no-site", action="store_true", help="skip the MkDocs build")
    args = parser.parse_args()
    records = load_records()
    results: dict[str, Any] = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results.setdefault("sizes", {})
    results.setdefault("pdf", {})
    empty_trash(wait=True)  # left by a bench that was stopped
    for n in (int(x) for x in args.sizes.split(",") if x):
        calibration, extractors = calibrate(records, args.repeats)
        project = make_project(n, records)
        entry = measure_generate(project, args.repeats, records, args.incremental_repeats)
        entry["repeats"] = args.repeats
        entry["calibration_ms"] = calibration
        entry["extractors_ms"] = extractors
        entry["incremental_repeats"] = args.incremental_repeats
        if not args.no_site:
            entry["site"] = measure_site(project, args.repeats)
        results["sizes"][str(n)] = entry
        print_table(results)
        RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    for n in (int(x) for x in args.pdf_sizes.split(",") if x):
        project = demo_project() if n == 5 else make_project(n, records)
        run_generate(project)
        results["pdf"][str(n)] = measure_pdf(project, max(2, args.repeats))
        print(f"PDF, {n} articles: {results['pdf'][str(n)]}")
        RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    empty_trash(wait=False)
    print(f"\nWrote {RESULTS}")


def demo_project() -> Path:
    """The demo corpus in a fresh project folder."""
    project = _scaffold(OUT / "demo", "Demo briefing")
    shutil.copytree(ROOT / "corpus", project / "corpus")
    return project


def print_table(results: dict[str, Any]) -> None:
    """The measures per size, and the largest size against the targets."""
    sizes = results["sizes"]
    print("\n| measure | " + " | ".join(f"{n} articles" for n in sizes) + " | target (10,000) |")
    print("|---" * (len(sizes) + 2) + "|")
    rows = [
        ("calibration: one process analyzing, ms an article", lambda e: e["calibration_ms"], None),
        # Under 1 when the pool beats one process; a guide only, as the speed drifts during the runs.
        ("cold generate / one process's analysis time", lambda e: e["cold"]["seconds"] / _serial_s(e), None),
        ("cold generate (s)", lambda e: e["cold"]["seconds"], "cold_generate_s"),
        ("  read (s)", lambda e: e["cold"]["stages"].get("read", 0), None),
        ("  clean (s)", lambda e: e["cold"]["stages"].get("clean", 0), None),
        ("  analyze (s)", lambda e: e["cold"]["stages"].get("analyze", 0), None),
        ("  link (s)", lambda e: e["cold"]["stages"].get("link", 0), None),
        ("  stories (s)", lambda e: e["cold"]["stages"].get("stories", 0), None),
        ("  claims (s)", lambda e: e["cold"]["stages"].get("claims", 0), None),
        ("  timeline (s)", lambda e: e["cold"]["stages"].get("timeline", 0), None),
        ("  feed (s)", lambda e: e["cold"]["stages"].get("feed", 0), None),
        ("  plan (s)", lambda e: e["cold"]["stages"].get("plan", 0), None),
        ("  render, pages staged alongside (s)", lambda e: e["cold"]["stages"].get("render", 0), None),
        ("  write: renames, records (s)", lambda e: e["cold"]["stages"].get("write", 0), None),
        *_feature_rows(),
        ("no-change run (s)", lambda e: e["nochange"]["seconds"], "nochange_s"),
        ("add one article (s)", lambda e: e["add_one"]["seconds"], "add_one_s"),
        ("edit one article (s)", lambda e: e["edit_one"]["seconds"], "edit_one_s"),
        (
            "peak RSS, generator (MB)",
            lambda e: max(e[k]["peak_rss_mb"] for k in ("cold", "nochange", "add_one", "edit_one")),
            "peak_rss_mb",
        ),
        ("mkdocs build (s)", lambda e: e["site"]["mkdocs_s"], None),
        ("site size (MB)", lambda e: e["site"]["site_mb"], None),
        ("avg article page (KB)", lambda e: e["site"]["avg_article_page_kb"], "avg_article_page_kb"),
        ("search index (MB)", lambda e: e["site"]["search_index_mb"], "search_index_mb"),
    ]
    for label, get, target in rows:
        cells = []
        for entry in sizes.values():
            try:
                cells.append(f"{get(entry):.2f}")
            except KeyError:
                cells.append("—")
        print(f"| {label} | " + " | ".join(cells) + f" | {TARGETS[target] if target else ''} |")
    for n, entry in sizes.items():
        print(
            f"re-analyzed per run at {n}: no-change {entry['nochange']['analyzed']}, add-one {entry['add_one']['analyzed']}, edit-one {entry['edit_one']['analyzed']}"
        )
        for run in ("add_one", "edit_one"):
            r = entry[run]
            print(f"pages at {n}, {run}: rendered {r.get('rendered', '—')}, kept {r.get('kept', '—')}, written {r['written']}")


# Each cross-source feature: its extractors in the analysis pool, and its linking stage.
FEATURES = {
    "stories": (("story keys",), "stories"),
    "figures and quotes": (("figures", "quotes"), "claims"),
    "timeline": (("dates",), "timeline"),
}


def _feature_rows() -> list[tuple[str, Any, str | None]]:
    """Per feature: its extractors' ms an article (one process), and its estimated share of the cold generate.

    The share is what the feature adds to a cold run without it: its extractors' time spread over the
    pool's processes plus its stage, over the cold run less that.
    """
    rows: list[tuple[str, Any, str | None]] = []
    for feature, (extractors, stage) in FEATURES.items():
        rows.append(
            (
                f"  {feature}: extractors, one process (ms an article)",
                lambda e, x=extractors: sum(e["extractors_ms"][k] for k in x),
                None,
            )
        )
        rows.append(
            (
                f"  {feature}: added to a cold generate (%)",
                lambda e, x=extractors, s=stage: 100 * _feature_s(e, x, s) / (e["cold"]["seconds"] - _feature_s(e, x, s)),
                "feature_share_pct",
            )
        )
    return rows


def _feature_s(entry: dict[str, Any], extractors: tuple[str, ...], stage: str) -> float:
    workers = os.cpu_count() or 1
    analyzed = int(entry["cold"]["analyzed"][0])
    pool_s = sum(entry["extractors_ms"][k] for k in extractors) * analyzed / 1000 / workers
    return pool_s + float(entry["cold"]["stages"].get(stage, 0.0))


def _serial_s(entry: dict[str, Any]) -> float:
    """How long one process would take to analyze the cold run's articles, at the calibration's speed."""
    return float(entry["calibration_ms"]) * int(entry["cold"]["analyzed"][0]) / 1000


if __name__ == "__main__":
    main()
