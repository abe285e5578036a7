"""The no-change shortcut, as make does it.

A run records a fingerprint of its inputs (the code, the settings, every
article file's size and modification time) and of the pages it left in
docs/. When both are the same next time, nothing can come out different, so
the run stops at once instead of reading, analyzing and rendering again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from generator.config import Settings
from generator.output import MANIFEST, atomic_write, read_manifest
from generator.read import find_articles

STATE = "state.json"
_CODE = Path(__file__).parent


def inputs(settings: Settings) -> str:
    """A hash of everything a run reads."""
    digest = hashlib.sha256()
    for path in sorted([*_CODE.glob("*.py"), *_CODE.glob("templates/**/*")]):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    digest.update(json.dumps(dataclasses.asdict(settings), sort_keys=True, default=str).encode())
    for path in find_articles(settings.corpus):
        stat = path.stat()
        digest.update(f"{path.as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def outputs(docs: Path) -> list[list[Any]]:
    """Size and modification time of every page the generator owns, and of the manifest."""
    found = []
    for rel in [*sorted(read_manifest(docs)), MANIFEST]:
        try:
            stat = (docs / rel).stat()
        except OSError:
            return [["missing", rel]]
        found.append([rel, stat.st_size, stat.st_mtime_ns])
    return found


def unchanged(settings: Settings, fingerprint: str) -> dict[str, Any] | None:
    """What the last run recorded, if its inputs and outputs are exactly as now."""
    try:
        data = json.loads((settings.cache / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("inputs") != fingerprint or data.get("outputs") != outputs(settings.docs):
        return None
    return data


def save(settings: Settings, fingerprint: str, summary: dict[str, Any]) -> None:
    """Record this run; a cache that cannot be written only costs the shortcut."""
    data = {"inputs": fingerprint, "outputs": outputs(settings.docs), **summary}
    with contextlib.suppress(OSError):
        atomic_write(settings.cache / STATE, json.dumps(data).encode())
