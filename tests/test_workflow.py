"""The GitHub Actions workflow passes its schema and zizmor's offline audit."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import config
from generator.incremental import first_seen
from tests.conftest import ROOT, write_files

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


# ---------------------------------------------------------------- what the jobs do, read from the parsed workflow

PUBLISH = ROOT / ".github" / "workflows" / "publish.yml"


def _workflow() -> dict[str, Any]:
    data = yaml.safe_load(PUBLISH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _steps(job: str) -> list[dict[str, Any]]:
    steps = _workflow()["jobs"][job]["steps"]
    assert isinstance(steps, list) and steps
    return steps


def _index(steps: list[dict[str, Any]], predicate: Any) -> int:
    found = [i for i, step in enumerate(steps) if predicate(step)]
    assert len(found) == 1, found
    return found[0]


def _uses(action: str) -> Any:
    return lambda step: str(step.get("uses", "")).startswith(f"{action}@")


def _runs(command: str) -> Any:
    return lambda step: command in str(step.get("run", ""))


def test_no_expression_is_expanded_inside_a_shell_script() -> None:
    # Values reach scripts through env, so nothing in them (a branch name, a commit message) becomes shell code.
    for name, job in _workflow()["jobs"].items():
        for step in job["steps"]:
            assert "${{" not in str(step.get("run", "")), (name, step.get("name"))


def test_the_build_restores_and_saves_the_generators_cache_folder() -> None:
    cache_dir = config.load(ROOT / "briefing.yml").cache_dir
    steps = _steps("build")
    keys = steps[_index(steps, lambda s: s.get("id") == "keys")]
    assert keys["env"]["CODE"] == "${{ hashFiles('pyproject.toml', 'generator/**', 'briefing.yml', 'mkdocs.yml') }}"
    restore = _index(steps, lambda s: _uses("actions/cache/restore")(s) and s["with"]["path"] == cache_dir)
    save = _index(steps, lambda s: _uses("actions/cache/save")(s) and s["with"]["path"] == cache_dir)
    build = _index(steps, _runs("make site"))
    assert restore < build < save
    key = "${{ steps.keys.outputs.generator }}-${{ github.run_id }}"
    assert steps[restore]["with"]["key"] == steps[save]["with"]["key"] == key  # each run saves its newest state
    assert steps[restore]["with"]["restore-keys"] == "${{ steps.keys.outputs.generator }}-"  # ...and restores the last one


def test_first_seen_dates_have_a_cache_entry_that_outlives_generator_changes() -> None:
    record = f"{config.load(ROOT / 'briefing.yml').cache_dir}/{first_seen.RECORD}"
    steps = _steps("build")
    folder = _index(steps, lambda s: _uses("actions/cache/restore")(s) and s["with"]["path"] != record)
    restore = _index(steps, lambda s: _uses("actions/cache/restore")(s) and s["with"]["path"] == record)
    save = _index(steps, lambda s: _uses("actions/cache/save")(s) and s["with"]["path"] == record)
    assert folder < restore < _index(steps, _runs("make site")) < save  # restored over the folder's copy
    for step in (steps[restore], steps[save]):
        assert "steps.keys" not in str(step["with"]) and "hashFiles" not in str(step["with"])


def test_pull_requests_are_tested_and_never_built_or_deployed() -> None:
    workflow = _workflow()
    assert "pull_request" in workflow["on"] and "pull_request_target" not in workflow["on"]
    jobs = workflow["jobs"]
    assert jobs["build"]["needs"] == "test" and jobs["build"]["if"] == "github.event_name != 'pull_request'"
    assert jobs["deploy"]["needs"] == "build"
    assert "make test" in str(_steps("test")) and "make test" not in str(_steps("build"))


def test_the_configure_pages_address_becomes_the_feeds_site_url(monkeypatch: pytest.MonkeyPatch) -> None:
    steps = _steps("build")
    pages = _index(steps, _uses("actions/configure-pages"))
    build = _index(steps, _runs("make site"))
    assert pages < build
    assert steps[build]["env"]["BRIEFING_SITE_URL"] == f"${{{{ steps.{steps[pages]['id']}.outputs.base_url }}}}"
    assert _workflow()["jobs"]["build"]["permissions"]["pages"] == "read"
    # ...and mkdocs.yml's site_url reads that variable (configure-pages gives no trailing slash).
    monkeypatch.setenv("BRIEFING_SITE_URL", "https://octocat.github.io/my-repo")
    assert config.site_address(config.load(ROOT / "briefing.yml", mkdocs_config=str(ROOT / "mkdocs.yml"))).url == (
        "https://octocat.github.io/my-repo/"
    )


def _changes_script() -> tuple[dict[str, Any], str]:
    steps = _steps("test")
    step = steps[_index(steps, lambda s: s.get("id") == "changes")]
    return step, step["run"]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout.strip()


def _only_corpus(repo: Path, event: str, before: str, after: str) -> str:
    _, script = _changes_script()
    out, summary = repo.parent / "output.txt", repo.parent / "summary.md"
    out.unlink(missing_ok=True)  # GITHUB_OUTPUT is a new file for every step
    env = {"PATH": os.environ["PATH"], "GITHUB_EVENT_NAME": event, "BEFORE": before, "AFTER": after}
    env |= {"GITHUB_OUTPUT": str(out), "GITHUB_STEP_SUMMARY": str(summary)}
    subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, check=True)
    return out.read_text(encoding="utf-8").strip()


def test_a_push_that_changes_only_the_corpus_skips_the_test_suite(tmp_path: Path) -> None:
    # The step's own script, run on a real repository: corpus-only, code, a pull request, a new branch.
    step, _ = _changes_script()
    assert step["env"] == {"BEFORE": "${{ github.event.before }}", "AFTER": "${{ github.sha }}"}
    repo = tmp_path / "repo"
    write_files(repo, {"corpus/a.md": "A\n", "generator/x.py": "x = 1\n"})
    _git(repo, "init", "-q")
    for args in (("add", "-A"), ("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")):
        _git(repo, *args)
    first = _git(repo, "rev-parse", "HEAD")
    write_files(repo, {"corpus/b.md": "B\n", "corpus/a.md": "A2\n"})
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "corpus")
    corpus_only = _git(repo, "rev-parse", "HEAD")
    write_files(repo, {"generator/x.py": "x = 2\n"})
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "code")
    code = _git(repo, "rev-parse", "HEAD")
    assert _only_corpus(repo, "push", first, corpus_only) == "only_corpus=true"
    assert _only_corpus(repo, "push", first, code) == "only_corpus=false"  # corpus and code together
    assert _only_corpus(repo, "push", corpus_only, code) == "only_corpus=false"
    assert _only_corpus(repo, "pull_request", first, corpus_only) == "only_corpus=false"
    assert _only_corpus(repo, "push", "0" * 40, corpus_only) == "only_corpus=false"  # a new branch: no "before"
    steps = _steps("test")
    test = steps[_index(steps, _runs("make test"))]
    assert test["if"] == "steps.changes.outputs.only_corpus != 'true'"


def test_a_refused_article_fails_the_check_step_with_its_file_and_reason_in_the_summary(tmp_path: Path) -> None:
    # The build job's own check step, run with this venv's briefing on a corpus holding a refused article.
    steps = _steps("build")
    check = _index(steps, _runs("briefing check"))
    assert check < _index(steps, _runs("make site"))
    project = write_files(
        tmp_path,
        {
            "corpus/good.md": "Talks resume in Qingdao today.\n",
            "corpus/bad.md": "---\n- a\n---\nText.\n",
            "corpus/x\r# Live heading\r.md": "---\n- a\n---\nText.\n",  # a lone CR ends a Markdown line too
        },
    )
    (project / ".venv").symlink_to(Path(sys.executable).parent.parent)
    summary = project / "summary.md"
    env = {"PATH": os.environ["PATH"], "GITHUB_STEP_SUMMARY": str(summary)}
    result = subprocess.run(
        ["bash", "-e", "-c", steps[check]["run"]], check=False, cwd=project, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1, result.stdout + result.stderr
    text = summary.read_text(encoding="utf-8")
    assert re.search(r"(?m)^    .*'bad\.md': front matter must be a mapping", text), text
    assert "good.md" not in text
    lines = text.replace("\r", "\n").splitlines()
    assert not [line for line in lines[2:] if line and not line.startswith("    ")], text  # nothing escapes the code block
