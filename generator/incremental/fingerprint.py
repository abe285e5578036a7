"""The no-change shortcuts, as make and git do them.

A run records a fingerprint of its inputs (the code, the templates, the
settings, every article file's size and modification time) and of the pages
it left in docs/. When both are the same next time, nothing can come out different, so
the run stops at once instead of reading, analyzing and rendering again.

It also records each article file's stamp (size, modification and change
times, inode, device) with the key of the bytes it read, as git's index
does. A file whose stamp is the same next time is not read again: its
Article comes from the cache by that key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import msgspec

from generator.config import Settings, SiteAddress
from generator.incremental.cache import ingest_version
from generator.incremental.journal import MANIFEST, atomic_write, page_ids, read_manifest

STATE = "state.json"
FILES = "files.json"
FILES_SCHEMA = "briefing-files/1"
# A file changed this close before the run that stamped it could change
# again within the same timestamp tick (two seconds on FAT) without its
# stamp changing: it is read again next time (git calls it "racily clean").
RACY_NS = 2 * 10**9
Stamp = tuple[int, int, int, int, int]  # size, modification and change times (ns), inode, device
_CODE = Path(__file__).parent.parent  # the generator package


def code_and_settings(settings: Settings) -> str:
    """A hash of the generator's code, its templates, the user's templates, the settings and the template engine."""
    digest = hashlib.sha256()
    files = [
        (f"generator/{p.relative_to(_CODE).as_posix()}", p) for p in [*_CODE.rglob("*.py"), *_CODE.glob("site/templates/**/*")]
    ]
    if settings.templates_dir and Path(settings.templates_dir).is_dir():
        user = Path(settings.templates_dir)
        files += [(f"user/{p.relative_to(user).as_posix()}", p) for p in user.rglob("*")]
    for name, path in sorted(files):
        if path.is_file():
            digest.update(f"{name}\0{path.stat().st_size}\0".encode() + path.read_bytes())
    # Not where analysis runs: a run on a Dask cluster and a local one reuse each other's records.
    digest.update(json.dumps(settings.output_key(), sort_keys=True, default=str).encode())
    # What renders the pages besides our code: a new Jinja2 or Python may change them.
    digest.update(f"{sys.version}\0{version('jinja2')}\0{version('markupsafe')}".encode())
    return digest.hexdigest()


def inputs(settings: Settings, paths: list[Path], site: SiteAddress) -> str:
    """A hash of everything a run reads: the code and settings, where the site is published, and the article files found (``paths``)."""
    digest = hashlib.sha256(code_and_settings(settings).encode())
    digest.update(f"{site.url}\0{site.directory_urls}\n".encode())  # the feed's links: site_url may come from the environment
    for path in paths:
        stat = path.stat()
        digest.update(f"{path.as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def outputs(docs: Path) -> list[list[Any]]:
    """Size, modification and change times and inode of every page the generator owns, and of the manifest.

    The change time cannot be set back by hand and the inode changes when a
    file is replaced, so an edited page is noticed even with its size and
    modification time restored.
    """
    found: list[list[Any]] = []
    for rel, identity in page_ids(docs, [*sorted(read_manifest(docs)), MANIFEST]).items():
        if identity is None:
            return [["missing", rel]]
        found.append([rel, *identity])
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


def stamp(path: Path) -> Stamp | None:
    """Size, modification and change times, inode and device of a file (symlinks followed), or None.

    The change time cannot be set by hand, and the inode and device change
    when another file takes the name.
    """
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def file_keys(cache: Path) -> dict[str, tuple[Stamp, str]]:
    """The last run's {article path: (stamp, file key)} for files stamped safely before it started."""
    try:
        record = _FILES.decode((cache / FILES).read_bytes())
    except (OSError, msgspec.MsgspecError):
        return {}
    if record.schema != FILES_SCHEMA or record.salt != ingest_version():
        return {}  # keys made by other reading code name other Articles
    settled = record.started - RACY_NS
    return {rel: entry for rel, entry in record.files.items() if max(entry[0][1], entry[0][2]) < settled}


def save_file_keys(cache: Path, started: int, files: dict[str, tuple[Stamp, str]]) -> None:
    """Record this run's stamps and file keys; a cache that cannot be written only costs reading."""
    with contextlib.suppress(OSError):
        atomic_write(cache / FILES, msgspec.json.encode(_FileRecord(FILES_SCHEMA, ingest_version(), started, files)))


class _FileRecord(msgspec.Struct, frozen=True):
    schema: str
    salt: str  # the reading code's version: file keys depend on it
    started: int  # when the run took its stamps (time.time_ns)
    files: dict[str, tuple[Stamp, str]]  # article path -> (stamp, file key); msgspec checks the stamp's length


_FILES = msgspec.json.Decoder(_FileRecord)
