"""The demo corpus's generated docs/ equals the reviewed golden tree, byte for byte."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import snapshot
from tests.golden import GOLDEN, generate_demo


def test_demo_docs_match_golden_tree(tmp_path: Path) -> None:
    docs = generate_demo(tmp_path)
    produced = {k: v for k, v in snapshot(docs).items() if not k.startswith("stylesheets/") and k != "about.md"}
    expected = snapshot(GOLDEN)
    assert sorted(produced) == sorted(expected), "page set differs: run `make golden` and review the diff"
    for rel, data in expected.items():
        assert produced[rel] == data, f"{rel} differs from tests/golden: run `make golden` and review the diff"
