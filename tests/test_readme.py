"""The README stays true: the two commands, every setting."""

from __future__ import annotations

from generator.config import options
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    head = "\n".join(README.splitlines()[:12])
    assert "make site" in head and "make test" in head


def test_every_setting_is_documented() -> None:
    for name, _default, doc in options():
        assert f"| `{name}` |" in README, name
        assert doc.split(" (")[0].rstrip(".") in README, name


def test_ci_calls_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
