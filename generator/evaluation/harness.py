"""``briefing eval``: score every method side by side on reference data.

Each kind of evaluation lives in its own module and returns
``{"n": N, "methods": {name: {metric: value}}}`` with scores as percentages.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from generator.errors import BriefingError

# Each kind of evaluation is the module of that name here, imported when used (some baselines load slowly).
KINDS = ("summaries", "keyphrases", "timex", "figures", "stories")


def load_jsonl(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Records of a JSON Lines file; a bad line is an error naming the line."""
    records: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BriefingError(f"Cannot read evaluation data '{path}': {exc.strerror}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BriefingError(f"{path}:{number}: not valid JSON: {exc.msg}") from exc
        if not isinstance(record, dict) or "text" not in record:
            raise BriefingError(f"{path}:{number}: expected an object with a 'text' field")
        records.append(record)
        if limit is not None and len(records) >= limit:
            break
    return records


def run(kind: str, path: Path, limit: int | None = None) -> dict[str, Any]:
    """Evaluate every method of ``kind`` on the records in ``path``."""
    if kind not in KINDS:
        raise BriefingError(f"Unknown evaluation '{kind}'; choose from {', '.join(KINDS)}")
    records = load_jsonl(path, limit)
    module = importlib.import_module(f"generator.evaluation.{kind}")
    result: dict[str, Any] = module.evaluate(records)
    return result


def format_table(result: dict[str, Any]) -> str:
    """A Markdown table, one row per method, columns in the result's order."""
    methods = result["methods"]
    columns = list(next(iter(methods.values())).keys()) if methods else []
    lines = [f"n = {result['n']}", "", "| method | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, scores in methods.items():
        lines.append(f"| {name} | " + " | ".join(_fmt(scores[c]) for c in columns) + " |")
    lines.extend(f"\nNote: {note}" for note in result.get("notes", ()))
    return "\n".join(lines)


def _fmt(value: float) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)
