"""A 200-article smoke run of the benchmark: structure only, no timings.

Speed is measured by ``make bench``, never asserted here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.__main__ import add_article, calibrate, edit_article, make_project, run_generate
from bench.corpus import EVAL, load_records

pytestmark = pytest.mark.skipif(
    not (EVAL / "summaries-bbc-dev.jsonl").exists(), reason="shared/eval development data is not beside the checkout"
)


def test_incremental_runs_redo_only_what_changed(tmp_path: Path) -> None:
    records = load_records()
    project = make_project(200, records, root=tmp_path)
    cold = run_generate(project)
    pages = cold["written"]
    assert (cold["analyzed"], cold["errors"]) == (200, 0)
    nochange = run_generate(project)
    assert (nochange["analyzed"], nochange["written"]) == (0, 0)
    add_article(project, 0, records)
    added = run_generate(project)
    assert added["analyzed"] == 1
    assert 1 <= added["written"] < pages / 10
    edit_article(project, 0)
    edited = run_generate(project)
    assert edited["analyzed"] == 1
    assert 1 <= edited["written"] < pages / 10


def test_calibration_analyzes_every_article_in_one_process(tmp_path: Path) -> None:
    ms, extractors = calibrate(load_records(), 1, articles=20, root=tmp_path)
    assert 0 < ms < 10_000  # calibrate itself fails unless all 20 were analyzed
    assert set(extractors) == {"dates", "figures", "quotes", "story keys"}
    assert 0 < sum(extractors.values()) < ms  # the extractors are a part of the analysis
