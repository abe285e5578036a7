"""Readers: one per format. A reader never guesses silently.

Each turns one file into a ``Source`` (metadata plus raw blocks) or raises
``ArticleError`` naming the file and the reason.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator.config import check, parse_date
from generator.errors import ArticleError
from generator.ingest.invisible import strip_invisible
from generator.models import Block, Meta, Source

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def find_articles(corpus: Path) -> list[Path]:
    """Article files under ``corpus``, sorted so that builds are deterministic.

    Hidden files and folders are skipped, and symlinked folders are not
    entered (as ``Path.rglob``). Walked with os.scandir on strings: pathlib
    cost a quarter of a second per listing at 10,000 files.
    """
    found: list[str] = []
    todo = [os.fspath(corpus)]
    while todo:
        try:
            with os.scandir(todo.pop()) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(entry.path)
                    elif entry.name.lower().endswith(SUFFIXES) and entry.is_file():
                        found.append(entry.path)
        except OSError:
            continue  # an unreadable folder holds no articles we can read
    return [Path(p) for p in sorted(found, key=lambda p: p.replace(os.sep, "/"))]


def relative(path: Path, corpus: Path) -> str:
    """The path of a file under ``corpus`` relative to it, with "/" between parts."""
    # Cutting the string: Path.relative_to was most of the read stage's own time at 10,000 files.
    full, base = path.as_posix(), corpus.as_posix().rstrip("/") + "/"
    return full[len(base) :] if full.startswith(base) else path.relative_to(corpus).as_posix()


def read(path: Path, corpus: Path, max_bytes: int) -> Source:
    """Read one article file; raises ArticleError if it cannot be used."""
    return parse(path.relative_to(corpus).as_posix(), raw(path, corpus, max_bytes))


def raw(path: Path, corpus: Path, max_bytes: int) -> bytes:
    """The file's bytes, once it is known to be inside the corpus and not too large."""
    check_file(path, corpus, max_bytes, path.stat().st_size)
    return path.read_bytes()


def check_file(path: Path, corpus: Path, max_bytes: int, size: int) -> None:
    """Raise ArticleError unless the file (of ``size`` bytes) is inside the corpus and not too large."""
    if not _inside(path, corpus):
        # A contributed symlink could otherwise publish any file the build can read.
        raise ArticleError(path.relative_to(corpus).as_posix(), "is a symbolic link to a file outside the corpus folder")
    if size > max_bytes:
        raise ArticleError(
            path.relative_to(corpus).as_posix(),
            f"file is {size:,} bytes, over the limit of {max_bytes:,} (setting max_article_bytes)",
        )


def _inside(path: Path, corpus: Path) -> bool:
    """Whether the file, symlinks followed, is inside the corpus folder.

    Resolving every path from the root took half a second at 10,000 files;
    when no part below the corpus is a symlink, the file is inside as named.
    """
    here = os.fspath(corpus)
    for part in relative(path, corpus).split("/"):
        # Strings, not Path objects: this runs for every part of every file of every run.
        here = os.path.join(here, part)  # noqa: PTH118
        if os.path.islink(here):  # noqa: PTH114
            return path.resolve().is_relative_to(corpus.resolve())
    return True


def parse(rel: str, data: bytes) -> Source:
    """A file's bytes as a Source, by the reader for its suffix."""
    reader = READERS[Path(rel).suffix.lower()]
    source = reader(rel, decode(data, rel))
    if not any(b.text.strip() for b in source.blocks):
        raise ArticleError(rel, "no article text found")
    return source


def decode(data: bytes, rel: str) -> str:
    """File bytes as text: UTF-8, else Windows-1252 with a warning-worthy fallback."""
    if not data.strip():
        raise ArticleError(rel, "file is empty")
    if b"\x00" in data:
        raise ArticleError(rel, "file looks binary (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Legacy encodings are common in pasted articles; cp1252 is a superset of
        # latin-1's printable range, and latin-1 decodes any byte that remains.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _control_share(text) > 0.05:
        raise ArticleError(rel, "file looks binary (too many control characters)")
    return _CONTROL.sub("", text)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _control_share(text: str) -> float:
    return len(_CONTROL.findall(text)) / max(len(text), 1)


def read_txt(rel: str, text: str) -> Source:
    """Plain text: blank-line separated chunks; clean.py recovers structure."""
    chunks = [c for c in re.split(r"\n\s*\n", text) if c.strip()]
    return Source(rel, "txt", Meta(), tuple(Block("paragraph", c.strip("\n")) for c in chunks))


def read_md(rel: str, text: str) -> Source:
    """Markdown with optional YAML front matter, parsed with markdown-it-py."""
    meta, body = Meta(), text
    warnings: list[str] = []
    match = _FRONT_MATTER.match(text)
    if match:
        meta, warnings = parse_front_matter(rel, match.group(1))
        body = text[match.end() :]
    return Source(rel, "md", meta, tuple(markdown_blocks(body)), tuple(warnings))


def read_html(rel: str, text: str) -> Source:
    """A saved web page: trafilatura finds the main text and metadata."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    xml = trafilatura.extract(text, output_format="xml", include_comments=False, include_formatting=False, with_metadata=True)
    if not xml:
        raise ArticleError(rel, "no main text found in the HTML page")
    root = etree.fromstring(xml.encode("utf-8"))
    published = None
    if root.get("date"):
        try:
            published = parse_date(root.get("date"))
        except ValueError:
            published = None
    url = root.get("url") if _safe_url(root.get("url")) else None
    meta = Meta(
        title=root.get("title") or None,
        source=root.get("sitename") or root.get("hostname") or None,
        url=url,
        published=published,
        author=root.get("author") or None,
    )
    return Source(rel, "html", meta, tuple(_xml_blocks(root.find("main"))))


def _xml_blocks(main: Any) -> Iterator[Block]:
    if main is None:
        return
    for el in main.iter("head", "p", "item", "quote", "code", "row"):
        text = " ".join("".join(el.itertext()).split())
        if not text or (el.tag == "p" and el.getparent().tag in ("item", "quote")):
            continue
        if el.tag == "head":
            level = int((el.get("rend") or "h2").lstrip("h") or 2)
            yield Block("heading", text, min(max(level, 1), 6))
        elif el.tag == "item":
            yield Block("item", text, 1)
        else:
            yield Block("paragraph", text)


# ---------------------------------------------------------------- front matter


def _text_value(v: Any) -> str:
    if isinstance(v, (str, int, float)) and not isinstance(v, bool):
        # YAML escapes can spell any code point ("\0", "\ud800"): keep only printable, encodable text.
        return " ".join(strip_invisible(str(v)).split())
    raise ValueError(f"expected text, got {type(v).__name__}")


def _url_value(v: Any) -> str:
    url = _text_value(v)
    if not _safe_url(url):
        raise ValueError(f"expected an http(s) URL, got {url!r}")
    return url


def _tags_value(v: Any) -> tuple[str, ...]:
    if isinstance(v, str):
        v = list(v.split(","))
    if not isinstance(v, list):
        raise ValueError(f"expected a list of tags, got {type(v).__name__}")
    return tuple(t for t in (_text_value(x) for x in v) if t)


FRONT_MATTER: dict[str, Callable[[Any], Any]] = {
    "title": _text_value,
    "source": _text_value,
    "url": _url_value,
    "published": parse_date,
    "author": _text_value,
    "tags": _tags_value,
}


def _safe_url(url: str | None) -> bool:
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# libyaml's parser when present: the pure-Python one dominated reading large corpora.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe loader that reports repeated keys instead of keeping the last."""

    duplicates: list[str]


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, str) and key in seen:
            loader.duplicates.append(key)
        seen.add(key if isinstance(key, (str, int, float, bool)) else repr(key))
    return dict(loader.construct_mapping(node, deep=deep))


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_front_matter(rel: str, raw: str) -> tuple[Meta, list[str]]:
    """Validate front matter: bad YAML is refused, bad fields are warnings."""
    try:
        # The loader's constructor already reads the text and rejects unprintable characters.
        loader = _UniqueKeyLoader(raw)
    except yaml.YAMLError as exc:
        raise ArticleError(rel, f"front matter is not valid YAML: {' '.join(str(exc).split())}") from exc
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        raise ArticleError(rel, f"front matter is not valid YAML: {' '.join(str(exc).split())}") from exc
    finally:
        loader.dispose()
    if data is None:
        return Meta(), []
    if not isinstance(data, dict):
        raise ArticleError(rel, f"front matter must be a mapping of keys to values, not {type(data).__name__}")
    parsed, unknown, problems = check(data, FRONT_MATTER)
    warnings = [f"{rel}: front matter key '{k}' is repeated; the last value is used" for k in loader.duplicates]
    warnings += [f"{rel}: unknown front matter key '{k}' is ignored" for k in unknown]
    warnings += [f"{rel}: front matter {p}; the value is ignored" for p in problems]
    return Meta(**parsed), warnings


# ---------------------------------------------------------------- Markdown body

_MD = MarkdownIt("commonmark", {"html": True}).enable("table")


def markdown_blocks(body: str) -> Iterator[Block]:
    """Headings, paragraphs and list items of a Markdown body, as plain text."""
    depth = 0
    pending: tuple[str, int] = ("paragraph", 0)
    for token in _MD.parse(body):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            pending = ("item", depth) if depth else ("paragraph", 0)
        elif token.type == "heading_open":
            pending = ("heading", int(token.tag[1]))
        elif token.type == "list_item_open":
            pending = ("item", depth)
        elif token.type == "inline":
            text = " ".join(_inline_text(token).split())
            if text:
                kind, level = pending
                yield Block(kind, text, level)  # type: ignore[arg-type]
            pending = ("paragraph", 0) if pending[0] == "heading" else pending
        elif token.type in ("fence", "code_block", "html_block"):
            # Shown as text, never as markup: the content is untrusted.
            text = " ".join(token.content.split())
            if text:
                yield Block("paragraph", text)


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


READERS: dict[str, Callable[[str, str], Source]] = {
    ".txt": read_txt,
    ".md": read_md,
    ".markdown": read_md,
    ".html": read_html,
    ".htm": read_html,
}
