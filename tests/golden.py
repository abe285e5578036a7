"""Regenerate tests/golden/ from the demo corpus: ``make golden`` (python -m tests.golden)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from generator import build
from tests.conftest import ROOT, project

GOLDEN = ROOT / "tests" / "golden"


def generate_demo(tmp: Path) -> Path:
    """Generate the demo corpus's docs/ in ``tmp`` and return the docs folder."""
    settings = project(tmp, demo=True)
    build.generate(settings)
    return settings.docs


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        docs = generate_demo(Path(tmp))
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(docs, GOLDEN, ignore=shutil.ignore_patterns("stylesheets", "about.md"))
    print(f"Wrote {GOLDEN}")


if __name__ == "__main__":
    main()
