"""The house rules of ARCHITECTURE.md, read from the code's imports."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"
STAGES = ("ingest", "analysis", "linking", "site", "incremental", "evaluation")
# What each stage may import besides the top-level modules (config, errors, models, report).
MAY_IMPORT = {
    "ingest": set(),
    "analysis": {"ingest"},
    "linking": {"ingest", "analysis"},
    "site": {"ingest", "analysis", "linking"},
    "incremental": {"ingest", "analysis", "linking", "site"},
    "evaluation": {"ingest", "analysis", "linking"},
}


# The top-level modules a stage may import: data and settings; the persistence layer also the run's report.
_PLAIN = {"generator", "generator.config", "generator.errors", "generator.models"}
_TOP_LEVEL_FOR = dict.fromkeys(STAGES, _PLAIN) | {"incremental": _PLAIN | {"generator.report"}}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The generator modules a module imports, anywhere in it (deferred imports count too)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                out.add(name if name in modules else node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("generator"))
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in STAGES else None


def test_stages_are_subpackages_and_few_modules_stay_at_the_top() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 8, top
    assert all((PACKAGE / stage / "__init__.py").is_file() for stage in STAGES)


def test_each_stage_imports_only_the_stages_before_it() -> None:
    for module, imported in _graph().items():
        stage = _stage(module)
        if stage is None:
            continue
        for other in imported:
            other_stage = _stage(other)
            assert other_stage in {None, stage} | MAY_IMPORT[stage], f"{module} imports {other}"
            assert other in _TOP_LEVEL_FOR[stage] or other_stage, f"{module} imports {other}"


def test_only_the_command_line_imports_the_build() -> None:
    importers = {m for m, imported in _graph().items() if "generator.build" in imported}
    assert importers == {"generator.cli"}


def test_there_is_no_import_cycle() -> None:
    graph = _graph()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        assert module not in path, " -> ".join([*path, module])
        if module in done:
            return
        for other in sorted(graph.get(module, ())):
            visit(other, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
