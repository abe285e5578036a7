"""Per-article analysis cache, keyed by content hash, settings and code version.

Entries are JSON, never pickle: the cache folder may come from elsewhere (a CI
cache, another checkout), and loading it must not run code. A corrupt or
foreign entry is a miss and is rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

from generator import __version__
from generator.config import Settings
from generator.models import Analysis, Article, Figure, Keyphrase, Sentence

SCHEMA = "briefing-analysis/1"
# Every module analyze() runs: an edit to any of them must invalidate cached analyses.
_ANALYSIS_MODULES = ("analyze.py", "sentences.py", "summarize.py", "keywords.py", "names.py", "models.py")


@cache
def code_version() -> str:
    """A hash of the code that produces an Analysis: edits invalidate the cache."""
    here = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for name in _ANALYSIS_MODULES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def key(article: Article, settings: Settings) -> str:
    """The cache key of one article's analysis."""
    payload = json.dumps([code_version(), settings.analysis_key(), article.content_hash], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _path(root: Path, k: str) -> Path:
    return root / k[:2] / f"{k}.json"


def load(root: Path, k: str) -> Analysis | None:
    """The cached analysis, or None if missing, corrupt or foreign."""
    try:
        data = json.loads(_path(root, k).read_text(encoding="utf-8"))
        if data.get("schema") != SCHEMA or data.get("key") != k:
            return None
        return _from_json(data["analysis"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def store(root: Path, k: str, analysis: Analysis) -> bool:
    """Write an entry atomically, so a killed run never leaves half a file.

    Returns False when the cache cannot be written (the folder is a file, is
    read-only, the disk is full): the cache only saves time, so the build goes on.
    """
    path = _path(root, k)
    data = json.dumps({"schema": SCHEMA, "key": k, "analysis": asdict(analysis)}, ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():  # a foreign folder where the entry goes: leave it, do not cache
            return False
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
        Path(tmp).replace(path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return False
    return True


def _from_json(d: dict[str, Any]) -> Analysis:
    return Analysis(
        sentences=tuple(Sentence(**s) for s in d["sentences"]),
        summary=tuple(d["summary"]),
        keyphrases=tuple(Keyphrase(**k) for k in d["keyphrases"]),
        acronyms=tuple((a, b) for a, b in d["acronyms"]),
        figures=tuple(Figure(**f) for f in d["figures"]),
    )
