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
from generator.analysis import analyze
from generator.ingest.clean import clean
from generator.ingest.readers import find_articles, parse, relative


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
    """Parse, clean and analyze every article in this process, uncached, as ``briefing check`` does: the machine's speed.

    Then the same articles' extractors for stories, figures, quotes and the timeline once more,
    each timed alone, as ms an article: what each feature costs the analysis pool.
    """
    os.chdir(project)
    settings = dataclasses.replace(config.load(Path("briefing.yml")), workers=1)
    report = build.check(settings)
    print(
        json.dumps(
            {"analyze_s": report.timings["analyze"], "analyzed": report.analyzed, "extractors_ms": extractors_ms(settings)}
        )
    )


def extractors_ms(settings: config.Settings) -> dict[str, float]:
    """ms an article of each extractor analyze() calls for the cross-source features, over the corpus."""
    articles = [clean(parse(relative(path, settings.corpus), path.read_bytes())) for path in find_articles(settings.corpus)]
    split = [(article, analyze.split_article(article)) for article in articles]
    found = {article.path: analyze.find_dates(sents, article) for article, sents in split}  # the figures' periods
    runs = {
        "dates": lambda article, sents: analyze.find_dates(sents, article),
        "figures": lambda article, sents: analyze.find_figures(sents, found[article.path]),
        "quotes": lambda article, _: analyze.find_quotes(article),
        "story keys": lambda article, _: analyze.find_story_features(article),
    }
    out = {}
    for name, run in runs.items():
        start = time.perf_counter()
        for article, sents in split:
            run(article, sents)
        out[name] = 1000 * (time.perf_counter() - start) / max(1, len(split))
    return out


if __name__ == "__main__":
    if sys.argv[1] == "--calibrate":
        calibrate(Path(sys.argv[2]))
    else:
        main(Path(sys.argv[1]))
