"""Synthetic corpora of any size, recombined deterministically from real article text.

Each synthetic article takes the title and lead paragraphs of one real article
and adds paragraphs from two others of the same category, so articles differ
while sharing topics the way real coverage of the same subjects does.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

SOURCES = (
    "Wire Service",
    "Daily Ledger",
    "Evening Post",
    "World Report",
    "Market Watch",
    "The Observer",
    "Policy Review",
    "Regional Herald",
)
EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"


def load_records(eval_dir: Path = EVAL) -> list[dict[str, Any]]:
    """Real articles with a title and at least three paragraphs."""
    records = []
    for line in (eval_dir / "summaries-bbc-dev.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        paras = [p.strip() for p in r["text"].split("\n\n") if p.strip()]
        if r.get("title") and len(paras) >= 3:
            records.append({"title": r["title"], "paras": paras, "category": r["id"].split("-")[1]})
    return records


def write_corpus(folder: Path, n: int, records: list[dict[str, Any]] | None = None, seed: int = 7) -> list[Path]:
    """Write ``n`` articles into ``folder``; the same n and seed give the same files."""
    records = records or load_records()
    by_category: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        by_category[r["category"]].append(i)
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n):
        paths.append(_write_one(folder, k, records, by_category, rng))
    return paths


def _write_one(
    folder: Path, k: int, records: list[dict[str, Any]], by_category: dict[str, list[int]], rng: random.Random
) -> Path:
    base = records[k % len(records)]
    peers = by_category[base["category"]]
    extra = [records[rng.choice(peers)] for _ in range(2)]
    paras = base["paras"][: 3 + rng.randrange(4)]
    for other in extra:
        start = rng.randrange(max(1, len(other["paras"]) - 2))
        paras += other["paras"][start : start + 2]
    published = date(2024, 1, 1) + timedelta(days=rng.randrange(366))
    title = base["title"] if k < len(records) else f"{base['title']} ({k // len(records) + 1})"
    if k % 5 == 4:  # a fifth as plain text with no metadata, as pasted articles come
        path = folder / f"article-{k:05d}.txt"
        path.write_text(title + "\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    else:
        front = {"title": title, "source": SOURCES[rng.randrange(len(SOURCES))], "published": published.isoformat()}
        head = "".join(f"{key}: {json.dumps(value)}\n" for key, value in front.items())
        path = folder / f"article-{k:05d}.md"
        path.write_text(f"---\n{head}---\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    return path
