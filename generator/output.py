"""Writing into docs/: only the files the generator owns, atomically.

A manifest lists what the generator wrote. A file not in it is the user's and
is never overwritten or deleted; a generated page whose article is gone is
removed; a page is rewritten only when its bytes change.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import OwnershipError

MANIFEST = ".briefing-manifest.json"


@dataclass(frozen=True)
class WriteResult:
    """What a write pass did, for the report and the incremental-build tests."""

    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


def write_pages(docs: Path, pages: Sequence[tuple[str, str]]) -> WriteResult:
    """Write ``pages`` under ``docs``; raise OwnershipError before touching anything."""
    owned = read_manifest(docs)
    targets = {rel: text.encode("utf-8") for rel, text in pages}
    for rel, data in targets.items():
        _check_target(docs, rel, data, owned)
    written, unchanged = [], 0
    for rel, data in sorted(targets.items()):
        path = docs / rel
        if path.exists() and path.read_bytes() == data:
            unchanged += 1
            continue
        atomic_write(path, data)
        written.append(rel)
    removed = [rel for rel in sorted(set(owned) - set(targets)) if _remove(docs, rel)]
    atomic_write(docs / MANIFEST, _manifest_bytes(targets))
    return WriteResult(tuple(written), unchanged, tuple(removed))


def read_manifest(docs: Path) -> dict[str, str]:
    """{path: sha256} of the files the generator wrote last time."""
    try:
        data = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
        return {str(k): str(v) for k, v in files.items() if _is_safe_relative(str(k))}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _manifest_bytes(targets: dict[str, bytes]) -> bytes:
    files = {rel: hashlib.sha256(data).hexdigest() for rel, data in sorted(targets.items())}
    return (json.dumps({"generator": "briefing", "files": files}, indent=1) + "\n").encode()


def _check_target(docs: Path, rel: str, data: bytes, owned: dict[str, str]) -> None:
    if not _is_safe_relative(rel):
        raise OwnershipError(f"Refusing to write outside {docs}: {rel!r}")
    path = docs / rel
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise OwnershipError(f"Refusing to replace '{path}': it is not a regular file")
    if path.exists() and rel not in owned and path.read_bytes() != data:
        raise OwnershipError(
            f"'{path}' exists and was not written by Briefing; move it away or rename it, it will not be overwritten"
        )


def _is_safe_relative(rel: str) -> bool:
    parts = rel.split("/")
    return (
        bool(rel)
        and not rel.startswith("/")
        and "\\" not in rel
        and "\x00" not in rel
        and all(p not in ("", ".", "..") for p in parts)
    )


def _remove(docs: Path, rel: str) -> bool:
    path = docs / rel
    if path.is_file() and not path.is_symlink():
        path.unlink()
        return True
    return False


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
