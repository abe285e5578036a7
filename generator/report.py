"""What a run tells its user: problems, counts, timings, and a progress bar on long work."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from generator.incremental.journal import WriteResult
    from generator.models import Digest

T = TypeVar("T")


@dataclass
class Report:
    """Problems and counts of one run, printed at the end."""

    strict: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    analyzed: int = 0
    cached: int = 0
    rendered: int = 0  # pages rendered this run
    kept: int = 0  # pages whose inputs did not change: neither rendered nor compared
    written: WriteResult | None = None
    timings: dict[str, float] = field(default_factory=dict)
    digest: Digest | None = None  # kept for the PDF, so `build` does not link twice
    cache_keys: set[str] = field(default_factory=set)  # the cache entries this run read or wrote

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time one stage, for the log and ``make bench``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start

    @property
    def problems(self) -> list[str]:
        return self.errors + (self.warnings if self.strict else [])

    def exit_code(self) -> int:
        """1 when --strict and anything went wrong; refused articles alone do not fail a normal build."""
        return 1 if self.strict and (self.errors or self.warnings) else 0

    def print(self) -> None:
        for line in self.warnings:
            print(f"WARNING - {line}", file=sys.stderr)
        for line in self.errors:
            print(f"ERROR   - {line}", file=sys.stderr)


def log(message: str) -> None:
    """One line of the run's log, in MkDocs' format."""
    print(f"INFO    - {message}", file=sys.stderr)


def progress(items: Iterator[T], total: int, desc: str) -> Iterator[T]:
    """A progress bar on a terminal only; CI logs stay clean."""
    if total < 20 or not sys.stderr.isatty() or os.environ.get("CI"):
        return items
    from tqdm import tqdm

    return iter(tqdm(items, total=total, desc=desc, unit="article", file=sys.stderr))
