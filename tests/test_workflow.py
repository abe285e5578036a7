"""The GitHub Actions workflow passes its schema and zizmor's offline audit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def test_there_is_a_workflow() -> None:
    assert WORKFLOWS


def test_workflow_schema() -> None:
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_offline_finds_nothing_medium_or_above() -> None:
    result = subprocess.run(
        [
            str(BIN / "zizmor"),
            "--offline",
            "--min-severity",
            "medium",
            "--config",
            str(ROOT / ".github" / "zizmor.yml"),
            *map(str, WORKFLOWS),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout


def test_workflow_publishes_pages_with_least_privilege() -> None:
    text = WORKFLOWS[0].read_text(encoding="utf-8")
    for needle in (
        "corpus/**",
        "workflow_dispatch",
        "actions/deploy-pages",
        "actions/upload-pages-artifact",
        "pages: write",
        "id-token: write",
        "concurrency:",
        "make test",
    ):
        assert needle in text, needle
