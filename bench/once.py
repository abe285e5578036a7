"""One measured generator run in a fresh process: ``python -m bench.once PROJECT``.

Prints the run's stage timings and counts as JSON on stdout.
"""

from __future__ import annotations

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


if __name__ == "__main__":
    main(Path(sys.argv[1]))
