"""Regenerate tests/golden/ from the demo corpus: ``make golden`` (python -m tests.golden)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator import build
from tests.conftest import ROOT, project

GOLDEN = ROOT / "tests" / "golden"
# The demo's articles are undated, so the feed dates them by the day they were first seen: the golden run
# "first sees" them on this day (SOURCE_DATE_EPOCH, 2024-06-01), and links them from mkdocs.yml's default site_url.
GOLDEN_EPOCH = "1717200000"


def generate_demo(tmp: Path) -> Path:
    """Generate the demo corpus's docs/ in ``tmp`` and return the docs folder."""
    settings = project(tmp, demo=True)
    with _golden_environment():
        build.generate(settings)
    return settings.docs


@contextmanager
def _golden_environment() -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in ("SOURCE_DATE_EPOCH", "BRIEFING_SITE_URL")}
    os.environ["SOURCE_DATE_EPOCH"] = GOLDEN_EPOCH
    os.environ.pop("BRIEFING_SITE_URL", None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        docs = generate_demo(Path(tmp))
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(docs, GOLDEN, ignore=shutil.ignore_patterns("stylesheets", "about.md"))
    print(f"Wrote {GOLDEN}")


if __name__ == "__main__":
    main()
