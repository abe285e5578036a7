"""One measured generator run in a fresh process: ``python -m bench.once PROJECT``.

Prints the run's stage timings and counts as JSON on stdout. With
``--calibrate``, the run only parses, cleans and analyzes every article, in
this one process and uncached, and prints how long that took.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
from pathlib import Path

from generator import build, config


def main(project: Path) -> None:
    os.chdir(project)
    start = time.perf_counter()
    report = build.generate(config.load(Path("briefing.yml")))
    total = time.perf_counter() - start
    written = report.written
    print(
        json.dumps(
            {
                "seconds": total,
                "stages": report.timings,
                "analyzed": report.analyzed,
                "cached": report.cached,
                "written": len(written.written) if written else 0,
                "rendered": report.rendered,
                "kept": report.kept,
                "errors": len(report.errors),
            }
        )
    )


def calibrate(project: Path) -> None:
    """Parse, clean and analyze every article in this process, uncached, as ``briefing check`` does: the machine's speed."""
    os.chdir(project)
    settings = dataclasses.replace(config.load(Path("briefing.yml")), workers=1)
    report = build.check(settings)
    print(json.dumps({"analyze_s": report.timings["analyze"], "analyzed": report.analyzed}))


if __name__ == "__main__":
    if sys.argv[1] == "--calibrate":
        calibrate(Path(sys.argv[2]))
    else:
        main(Path(sys.argv[1]))
