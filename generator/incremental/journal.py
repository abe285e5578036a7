"""Writing into docs/: only the files the generator owns, atomically.

A manifest lists what the generator wrote. A file not in it is the user's and
is never overwritten or deleted; a generated page whose article is gone is
removed; a page is rewritten only when its bytes change. A page the caller
keeps (not rendered this run, as its inputs did not change) stays owned with
its recorded hash and is neither read nor rewritten.

A run is all-or-nothing for docs/, even when killed: every changed page is
first staged as a temporary file beside its target, then a journal listing the
renames, removals and the new manifest is written atomically (the commit
point), then the renames are done and the journal deleted. A run killed before
the commit leaves docs/ as it was (its staged files are swept next time); one
killed after it is rolled forward by the next run before anything else. Each
file is replaced by rename, so no page is ever seen half-written.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import stat
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import OwnershipError

# A page's Markdown, or a picklable callable that makes it where the page is staged (render.ArticlePage, TopicPage).
Text = str | Callable[[], str]
MANIFEST = ".briefing-manifest.json"
JOURNAL = ".briefing-journal.json"
STAGE_PREFIX = ".briefing-tmp-"


@dataclass(frozen=True)
class WriteResult:
    """What a write pass did, for the report and the incremental-build tests."""

    written: tuple[str, ...]
    unchanged: int  # rendered, and the same bytes as the file already there
    removed: tuple[str, ...]
    kept: int = 0  # not rendered this run: left as they were, still owned


def write_pages(
    docs: Path, pages: Iterable[tuple[str, Text]], kept: Collection[str] = (), pool: Executor | None = None
) -> WriteResult:
    """Write ``pages`` under ``docs`` and keep the owned pages ``kept``; a page refused raises before docs/ changes."""
    return commit(docs, stage(docs, pages, kept, pool))


@dataclass(frozen=True)
class Staged:
    """What a run will do to docs/, every changed page already staged beside its target."""

    pages: dict[str, tuple[str, str | None]]  # rel -> (sha256, staged file, None when the bytes are already there)
    keep: frozenset[str]  # owned pages not rendered this run
    owned: dict[str, str]  # the manifest as this run found it


def stage(docs: Path, pages: Iterable[tuple[str, Text]], kept: Collection[str] = (), pool: Executor | None = None) -> Staged:
    """Check and stage ``pages`` as they come; raise OwnershipError (staged files removed) on a page refused.

    Pages go to ``pool`` in batches when one is given, so that creating the
    files (mostly kernel time: about 1 s for 15,000 pages in a fresh folder,
    up to 10 s just after as many files were deleted on an ext4 file system
    without a journal) overlaps making the pages after them in this process;
    a page given as a callable is rendered there too. docs/ itself is not
    changed until commit().
    """
    recover(docs)
    owned = read_manifest(docs)
    batches = _Batches(docs, pool)
    try:
        check = _target_check(docs)
        for rel, text in pages:
            check(rel)
            batches.add(rel, text, rel in owned)
        done = batches.results()
        keep = frozenset(kept) - set(done)
        if not keep <= set(owned):
            # Only a page this generator wrote can be vouched for without reading it.
            raise ValueError(f"Cannot keep pages the manifest does not list: {sorted(keep - set(owned))[:5]}")
    except BaseException:
        batches.discard()
        raise
    return Staged(done, keep, owned)


def commit(docs: Path, staged: Staged) -> WriteResult:
    """Journal, then rename the staged pages into place, remove stale pages and write the manifest."""
    gone = set(staged.owned) - set(staged.pages) - staged.keep
    removed = [rel for rel in sorted(gone) if _is_plain_file(docs / rel) and _inside(docs, docs / rel)]
    renames = [(file, rel) for rel, (_, file) in sorted(staged.pages.items()) if file is not None]
    hashes = {rel: sha for rel, (sha, _) in staged.pages.items()} | {rel: staged.owned[rel] for rel in staged.keep}
    journal = {"rename": renames, "remove": removed, "manifest": _manifest_bytes(hashes).decode()}
    atomic_write(docs / JOURNAL, json.dumps(journal).encode())
    _apply(docs, journal)
    written = tuple(rel for _, rel in renames)
    return WriteResult(written, len(staged.pages) - len(written), tuple(removed), len(staged.keep))


class _Batches:
    """Pages staged by _stage_batch in batches, in a pool or here; their results in the order they came."""

    SIZE = 64  # pages per job: enough to make a job's overhead small, few enough to keep both workers busy

    def __init__(self, docs: Path, pool: Executor | None) -> None:
        self.docs, self.pool = docs, pool
        self.batch: list[tuple[str, Text, bool]] = []
        self.parts: list[Future[list[_Row]]] = []

    def add(self, rel: str, text: Text, owned: bool) -> None:
        self.batch.append((rel, text, owned))
        if len(self.batch) >= self.SIZE:
            self._flush()

    def _flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:  # results() flushes whatever is left, which may be nothing
            return
        if self.pool is not None:
            self.parts.append(self.pool.submit(_stage_batch, self.docs, batch))
        else:
            done: Future[list[_Row]] = Future()
            done.set_result(_stage_batch(self.docs, batch))
            self.parts.append(done)

    def results(self) -> dict[str, tuple[str, str | None]]:
        """rel -> (sha256, staged file or None); a page given twice is the last one, the other's file removed."""
        self._flush()
        rows = [row for part in self.parts for row in part.result()]
        out: dict[str, tuple[str, str | None]] = {}
        for rel, sha, file in rows:
            if rel in out and (superseded := out[rel][1]) is not None:
                (self.docs / superseded).unlink(missing_ok=True)
            out[rel] = (sha, file)
        return out

    def discard(self) -> None:
        """Remove every file staged so far; a batch that failed removed its own, one not started is cancelled."""
        for part in self.parts:
            part.cancel()
        for part in self.parts:
            if part.cancelled() or part.exception() is not None:
                continue
            for _, _, file in part.result():
                if file is not None:
                    (self.docs / file).unlink(missing_ok=True)


_Row = tuple[str, str, str | None]  # (rel, sha256, staged file or None)


def _stage_batch(docs: Path, batch: list[tuple[str, Text, bool]]) -> list[_Row]:
    """Hash each page and stage it unless its bytes are already there; a batch that fails leaves nothing staged.

    Each page is (rel, text, whether the manifest lists it). What is at its
    path is checked here, not before: looking up a name in a folder that a
    worker is filling waits for it, and was four seconds at 10,000 articles.
    """
    rows: list[_Row] = []
    try:
        for rel, text, owned in batch:
            data = (text if isinstance(text, str) else text()).encode("utf-8")
            file = None if _unchanged(docs / rel, data, owned) else _stage(docs, rel, data)
            rows.append((rel, hashlib.sha256(data).hexdigest(), file))
    except BaseException:
        for _, _, file in rows:
            if file is not None:
                (docs / file).unlink(missing_ok=True)
        raise
    return rows


def recover(docs: Path) -> None:
    """Finish a run that was killed after its commit point; sweep staged files of one killed before."""
    journal = _read_journal(docs)
    if journal is not None:
        _apply(docs, journal)
    for leftover in docs.rglob(STAGE_PREFIX + "*") if docs.is_dir() else ():
        if _is_plain_file(leftover):
            leftover.unlink()


def _apply(docs: Path, journal: dict[str, Any]) -> None:
    # Idempotent: a rename already done has no staged file left, so a run
    # killed here can be finished again by the next one.
    for staged, rel in journal["rename"]:
        if (docs / staged).is_file():
            _rename(docs / staged, docs / rel)
    for rel in journal["remove"]:
        _remove(docs, rel)
    atomic_write(docs / MANIFEST, journal["manifest"].encode())
    (docs / JOURNAL).unlink(missing_ok=True)


def _read_journal(docs: Path) -> dict[str, Any] | None:
    """The journal of a killed run, or None; entries outside docs/ are dropped, never followed."""
    try:
        data = json.loads((docs / JOURNAL).read_text(encoding="utf-8"))
        renames = [
            (str(a), str(b))
            for a, b in data["rename"]
            if _is_safe_relative(str(a)) and _is_safe_relative(str(b)) and Path(str(a)).name.startswith(STAGE_PREFIX)
        ]
        removes = [str(r) for r in data["remove"] if _is_safe_relative(str(r))]
        manifest = str(data["manifest"])
        json.loads(manifest)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        (docs / JOURNAL).unlink(missing_ok=True)  # not ours or unreadable: nothing to roll forward
        return None
    return {"rename": renames, "remove": removes, "manifest": manifest}


def _stage(docs: Path, rel: str, data: bytes) -> str:
    """Write ``data`` to a temporary file beside its target; return that file's path in docs/."""
    target = docs / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    return _write_new(target.parent, data).relative_to(docs).as_posix()


def _write_new(folder: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file in ``folder``.

    Not mkstemp: its files are private (0600), and a page renamed into place
    keeps the mode it was made with. These get 0666 less the umask, as any
    file the user writes.
    """
    for _ in range(1000):  # a name left by an earlier process with this pid is passed over
        path = folder / f"{STAGE_PREFIX}{os.getpid()}-{next(_STAGED)}"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path
    raise FileExistsError(f"No free temporary file name in {folder}")


_STAGED = itertools.count()


def _rename(src: Path, dst: Path) -> None:
    src.replace(dst)


def _inside(docs: Path, path: Path) -> bool:
    return path.resolve().is_relative_to(docs.resolve())


def _is_plain_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def read_manifest(docs: Path) -> dict[str, str]:
    """{path: sha256} of the files the generator wrote last time."""
    try:
        data = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
        return {str(k): str(v) for k, v in files.items() if _is_safe_relative(str(k))}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _manifest_bytes(hashes: dict[str, str]) -> bytes:
    files = dict(sorted(hashes.items()))
    return (json.dumps({"generator": "briefing", "files": files}, indent=1) + "\n").encode()


def _target_check(docs: Path) -> Callable[[str], None]:
    """A check that a page's path stays inside docs/; what is at the path is checked where it is staged."""
    root = docs.resolve()
    # Each folder resolved once, looked up by name: a site has thousands of
    # pages in a few folders, and a Path per page was half a second at 10,000 articles.
    inside: dict[str, bool] = {}

    def check(rel: str) -> None:
        if not _is_safe_relative(rel):
            raise OwnershipError(f"Refusing to write outside {docs}: {rel!r}")
        folder = rel.rpartition("/")[0]
        if folder not in inside:
            inside[folder] = (docs / folder).resolve().is_relative_to(root)
        if not inside[folder]:
            # A symlinked folder inside docs/ would carry the write somewhere else.
            raise OwnershipError(f"Refusing to write '{docs / rel}': its folder is a link to outside {docs}")

    return check


def _unchanged(path: Path, data: bytes, owned: bool) -> bool:
    """Whether ``path`` already holds ``data``; raise OwnershipError if it must not be replaced."""
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False  # nothing there yet
    if not stat.S_ISREG(st.st_mode):  # a link, a folder, a device
        raise OwnershipError(f"Refusing to replace '{path}': it is not a regular file")
    same = st.st_size == len(data) and path.read_bytes() == data
    if not owned and not same:
        raise OwnershipError(
            f"'{path}' exists and was not written by Briefing; move it away or rename it, it will not be overwritten"
        )
    return same


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
    if _is_plain_file(path) and _inside(docs, path):
        path.unlink()
        return True
    return False


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _write_new(path.parent, data)
    try:
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def file_id(path: str | Path) -> list[int] | None:
    """Size, modification time, change time and inode of a regular file, or None.

    The change time cannot be set back by hand, and the inode changes when a
    file is replaced, so an edited page is noticed even if it keeps its size
    and modification time.
    """
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def page_ids(docs: Path, rels: Iterable[str]) -> dict[str, list[int] | None]:
    """file_id of many pages in docs/ at once."""
    # Joined as strings: Path objects for every page of every run cost more than the stat calls.
    base = os.fspath(docs)
    return {rel: file_id(os.path.join(base, rel)) for rel in rels}  # noqa: PTH118
