"""The command line: help, exit codes, check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT, write_files


def _config(tmp_path: Path, files: dict[str, str]) -> str:
    write_files(tmp_path / "corpus", files)
    cfg = tmp_path / "briefing.yml"
    cfg.write_text(
        f"corpus_dir: {tmp_path / 'corpus'}\ndocs_dir: {tmp_path / 'docs'}\ncache_dir: {tmp_path / 'cache'}\nworkers: 1\n",
        encoding="utf-8",
    )
    return str(cfg)


def test_help_lists_commands_and_exit_codes() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    for word in ("build", "generate", "serve", "check", "pdf", "eval", "exit codes"):
        assert word in out


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


def test_check_reports_every_problem_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(
        tmp_path,
        {"good.txt": "Title here\n\nA sentence about gas. Another one.\n", "empty.txt": "", "bad.md": "---\n[\n---\nx\n"},
    )
    assert main(["check", "--config", cfg]) == 1
    err = capsys.readouterr().err
    assert "empty.txt" in err and "bad.md" in err and "2 problem(s)" in err
    assert not (tmp_path / "docs").exists()  # check writes nothing


def test_check_passes_on_demo_corpus(tmp_path: Path) -> None:
    cfg = tmp_path / "briefing.yml"
    cfg.write_text(f"corpus_dir: {ROOT / 'corpus'}\nworkers: 1\n", encoding="utf-8")
    assert main(["check", "--config", str(cfg)]) == 0


def test_bad_settings_exit_1_with_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "briefing.yml"
    cfg.write_text("keyphrases: many\nnope: 1\n", encoding="utf-8")
    assert main(["generate", "--config", str(cfg)]) == 1
    err = capsys.readouterr().err
    assert "keyphrases" in err and "nope: unknown setting" in err


def test_generate_with_strict_fails_on_refused_article(tmp_path: Path) -> None:
    cfg = _config(tmp_path, {"good.txt": "Title here\n\nA sentence about gas. Another one.\n", "empty.txt": ""})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ok = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--config", cfg], capture_output=True, text=True, env=env, check=False
    )
    strict = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--strict", "--config", cfg],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0 and "empty.txt" in ok.stderr
    assert strict.returncode == 1
