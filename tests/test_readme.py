"""The README, ARCHITECTURE.md and SECURITY.md stay true: commands, settings, targets, links."""

from __future__ import annotations

import argparse
import re

import pytest

from generator import cli
from generator.config import options
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ("README.md", "ARCHITECTURE.md", "SECURITY.md", "bench/HISTORY.md")
README_LIMIT = 15_000  # bytes, as `wc -c` counts them


def _text(name: str) -> str:
    path = ROOT / name
    assert path.is_file(), f"{name} is missing"
    return path.read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    head = "\n".join(README.splitlines()[:12])
    assert "make site" in head and "make test" in head


def test_every_setting_is_documented() -> None:
    for name, _default, doc in options():
        assert f"| `{name}` |" in README, name
        assert doc.split(" (")[0].rstrip(".") in README, name


def test_ci_calls_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_is_short() -> None:
    size = len(README.encode("utf-8"))
    assert size < README_LIMIT, f"README.md is {size:,} bytes; move detail to ARCHITECTURE.md or bench/HISTORY.md"


def test_architecture_names_every_subpackage() -> None:
    text = _text("ARCHITECTURE.md")
    subpackages = sorted(p.parent.name for p in (ROOT / "generator").glob("*/__init__.py"))
    assert subpackages, "no subpackages found"
    for name in subpackages:
        assert f"generator/{name}/" in text, name


def test_security_names_the_hostile_tests() -> None:
    text = _text("SECURITY.md")
    assert "tests/test_hostile.py" in text and "tests/hostile.py" in text


@pytest.mark.parametrize("name", ["ARCHITECTURE.md", "SECURITY.md"])
def test_every_test_file_named_exists(name: str) -> None:
    for rel in set(re.findall(r"tests/[\w/]+\.py", _text(name))):
        assert (ROOT / rel).is_file(), f"{name} names {rel}, which does not exist"


def _make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets: set[str] = set()
    for line in makefile.splitlines():
        match = re.match(r"([A-Za-z0-9_.-]+(?:\s+[A-Za-z0-9_.-]+)*)\s*:(?!=)", line)
        if match and not line.startswith((".", "\t")):
            targets.update(match.group(1).split())
    return targets


def test_every_make_target_the_readme_mentions_exists() -> None:
    # In inline code (`make serve`) or at the start of a line in a code block.
    mentioned = set(re.findall(r"`make ([\w-]+)", README)) | set(re.findall(r"(?m)^make ([\w-]+)", README))
    assert {"site", "test"} <= mentioned
    missing = mentioned - _make_targets()
    assert not missing, f"README mentions make targets the Makefile lacks: {sorted(missing)}"


def _subcommands() -> set[str]:
    parser = cli._parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(actions) == 1
    return set(actions[0].choices)


def test_every_briefing_subcommand_the_readme_shows_exists() -> None:
    # `.venv/bin/briefing build` in code blocks, `briefing pdf` in inline code; not prose ("a PDF briefing").
    shown = set(re.findall(r"(?:/bin/|`|python -m )(?:briefing|generator) ([a-z][\w-]*)", README))
    assert {"build", "generate", "check", "serve", "pdf", "eval"} <= shown
    unknown = shown - _subcommands()
    assert not unknown, f"README shows subcommands the command line lacks: {sorted(unknown)}"


def _anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens (code blocks skipped)."""
    anchors: set[str] = set()
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (heading := re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)):
            anchors.add(re.sub(r"[^\w\- ]", "", heading.group(1).lower()).replace(" ", "-"))
    return anchors


def _relative_links(text: str) -> list[str]:
    links = re.findall(r"\[[^\]]*\]\(([^)\s]+)\)", text)
    return [link for link in links if not re.match(r"[a-z][a-z0-9+.-]*:", link)]


@pytest.mark.parametrize("name", DOCS)
def test_every_relative_link_points_to_a_file_that_exists(name: str) -> None:
    source = ROOT / name
    text = _text(name)
    for link in _relative_links(text):
        rel, _, fragment = link.partition("#")
        target = (source.parent / rel).resolve() if rel else source
        assert target.exists(), f"{name} links to {link}, which does not exist"
        if fragment and target.suffix == ".md":
            assert fragment in _anchors(target.read_text(encoding="utf-8")), f"{name} links to {link}: no such heading"


def test_the_link_check_sees_links() -> None:
    assert _relative_links("[a](ARCHITECTURE.md) [b](https://example.com) [c](#x)") == ["ARCHITECTURE.md", "#x"]
    assert "speed-and-size" in _anchors("## Speed and size\n```\n# not a heading\n```\n")
    assert "not-a-heading" not in _anchors("```\n# not a heading\n```\n")
