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
from functools import cache
from pathlib import Path
from typing import Any

from generator import __version__
from generator.config import Settings
from generator.models import Analysis, Article, Figure, Keyphrase, Segment, Sentence, Terms

SCHEMA = "briefing-analysis/2"
# Every module analyze() runs: an edit to any of them must invalidate cached analyses.
_ANALYSIS_MODULES = ("analyze.py", "sentences.py", "summarize.py", "keywords.py", "names.py", "terms.py", "models.py")


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
    data = json.dumps({"schema": SCHEMA, "key": k, "analysis": _to_json(analysis)}, ensure_ascii=False)
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


# Written field by field rather than with dataclasses.asdict, which deep-copies
# every value and was a quarter of a cold run's analysis stage.
def _to_json(a: Analysis) -> dict[str, Any]:
    t = a.terms
    return {
        "sentences": [[s.id, s.block, s.start, s.end, s.text] for s in a.sentences],
        "summary": a.summary,
        "keyphrases": [[k.text, k.key, k.score] for k in a.keyphrases],
        "acronyms": a.acronyms,
        "figures": [[f.text, f.kind, f.value, f.sentence] for f in a.figures],
        "terms": {
            "segments": [[g.words, g.keys, g.initial, g.title_case] for g in t.segments],
            "forms": t.forms,
            "mid_sentence": t.mid_sentence,
            "person": t.person,
            "place": t.place,
            "links": t.links,
        },
        "vocabulary": a.vocabulary,
    }


def _from_json(d: dict[str, Any]) -> Analysis:
    t = d["terms"]
    return Analysis(
        sentences=tuple(Sentence(*s) for s in d["sentences"]),
        summary=tuple(d["summary"]),
        keyphrases=tuple(Keyphrase(*k) for k in d["keyphrases"]),
        acronyms=tuple((a, b) for a, b in d["acronyms"]),
        figures=tuple(Figure(*f) for f in d["figures"]),
        terms=Terms(
            segments=tuple(Segment(w, k, tuple(i), bool(c)) for w, k, i, c in t["segments"]),
            forms=tuple((k, f, int(n)) for k, f, n in t["forms"]),
            mid_sentence=tuple(t["mid_sentence"]),
            person=tuple(t["person"]),
            place=tuple((k, int(n)) for k, n in t["place"]),
            links=tuple((a, b) for a, b in t["links"]),
        ),
        vocabulary=tuple(d["vocabulary"]),
    )
