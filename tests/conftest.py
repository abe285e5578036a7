"""Shared test helpers: corpora built inline, settings pointing at tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import config
from generator.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DEMO_CORPUS = ROOT / "corpus"


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create a file tree from {relative path: text or bytes} (as MkDocs' @tempdir)."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def project(tmp_path: Path, files: dict[str, str | bytes] | None = None, demo: bool = False, **overrides: object) -> Settings:
    """A project folder in tmp_path: mkdocs.yml, hand-written docs and a corpus."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides", dirs_exist_ok=True)
    shutil.copytree(ROOT / "docs" / "stylesheets", tmp_path / "docs" / "stylesheets")
    shutil.copy(ROOT / "docs" / "about.md", tmp_path / "docs" / "about.md")
    corpus = tmp_path / "corpus"
    if demo:
        shutil.copytree(DEMO_CORPUS, corpus)
    corpus.mkdir(exist_ok=True)
    write_files(corpus, files or {})
    values = {
        "corpus_dir": str(corpus),
        "docs_dir": str(tmp_path / "docs"),
        "site_dir": str(tmp_path / "site"),
        "cache_dir": str(tmp_path / ".cache"),
        "mkdocs_config": str(tmp_path / "mkdocs.yml"),
        "workers": 1,
    }
    values.update(overrides)
    return config.from_mapping(values)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The demo corpus, generated and built once with mkdocs build --strict."""
    from generator import build

    tmp = tmp_path_factory.mktemp("demo")
    settings = project(tmp, demo=True, strict=True)
    report = build.build(settings)
    assert report.exit_code() == 0, report.problems
    return settings


def config_file(settings: Settings, path: Path) -> Path:
    """A briefing.yml holding ``settings``, for running the CLI in a subprocess or in-process."""
    import dataclasses
    import json

    values = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)}
    path.write_text(json.dumps(values, default=str), encoding="utf-8")  # JSON is YAML
    return path


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, object]:
    """The hostile corpus (tests/hostile.py), generated and built once; MkDocs not strict, as some articles are refused."""
    from generator import build
    from tests.hostile import write_corpus

    tmp = tmp_path_factory.mktemp("hostile")
    settings = project(tmp)
    write_corpus(settings.corpus)
    report = build.build(settings)
    return settings, report
