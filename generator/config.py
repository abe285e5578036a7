"""Settings: every option declared once, with its default and a one-line doc.

Settings live in ``briefing.yml`` beside ``mkdocs.yml``. All problems are
collected before aborting (as MkDocs' ``config_options``); the same checker
validates article front matter.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
import yaml_env_tag  # MkDocs' own !ENV tag (a dependency of mkdocs), so mkdocs.yml reads here as MkDocs reads it

from generator.errors import ConfigError

Parser = Callable[[Any], Any]


def _opt(default: Any, doc: str, parse: Parser) -> Any:
    return field(default=default, metadata={"doc": doc, "parse": parse})


def _int(lo: int, hi: int) -> Parser:
    def parse(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise ValueError(f"expected a whole number from {lo} to {hi}, got {v!r}")
        return v

    return parse


def _float(lo: float, hi: float) -> Parser:
    def parse(v: Any) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
            raise ValueError(f"expected a number from {lo} to {hi}, got {v!r}")
        return float(v)

    return parse


def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError(f"expected text, got {type(v).__name__}")
    return v


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueError(f"expected true or false, got {v!r}")
    return v


def _choice(*options: str) -> Parser:
    def parse(v: Any) -> str:
        if v not in options:
            raise ValueError(f"expected one of {', '.join(options)}, got {v!r}")
        return str(v)

    return parse


def _optional(parse: Parser) -> Parser:
    return lambda v: None if v is None else parse(v)


def parse_date(v: Any) -> date:
    """A date from YAML (already a date) or ISO text such as ``2024-05-16``."""
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        try:
            return datetime.fromisoformat(v.strip().replace("Z", "+00:00")).date()
        except ValueError:
            pass
    raise ValueError(f"expected a date such as 2024-05-16, got {v!r}")


@dataclass(frozen=True)
class Settings:
    """Every option of the generator."""

    title: str = _opt("Briefing", "Title of the site and of the PDF.", _str)
    mkdocs_config: str = _opt("mkdocs.yml", "MkDocs configuration used by `build` and `serve`.", _str)
    corpus_dir: str = _opt("corpus", "Folder of articles (.txt, .md, .html).", _str)
    docs_dir: str = _opt("docs", "MkDocs source folder; the generator owns only what its manifest lists.", _str)
    site_dir: str = _opt("site", "Where `mkdocs build` writes the site.", _str)
    cache_dir: str = _opt(".cache/briefing", "Per-article analysis cache, keyed by content hash.", _str)
    templates_dir: str | None = _opt(None, "Optional folder of templates that override the built-in ones.", _optional(_str))
    summary_sentences: int = _opt(3, "Summary length in sentences (used when summary_ratio is not set).", _int(1, 50))
    summary_ratio: float | None = _opt(
        None, "Summary length as a share of the article's sentences (e.g. 0.2).", _optional(_float(0.01, 1.0))
    )
    executive_sentences: int = _opt(
        8, "Top stories on the home page and in the PDF, one executive-summary bullet each.", _int(1, 50)
    )
    keyphrases: int = _opt(8, "Keyphrases kept per article.", _int(1, 50))
    topic_min_articles: int = _opt(2, "Articles that must share a topic before it gets a page.", _int(2, 1000))
    topic_max_share: float = _opt(
        0.8, "Topics in more than this share of articles are shown but make no cross-links.", _float(0.0, 1.0)
    )
    related_articles: int = _opt(5, "Related articles listed at the end of each article page.", _int(0, 50))
    home_articles: int = _opt(10, "Newest articles shown on the home page.", _int(1, 1000))
    words_per_minute: int = _opt(230, "Reading speed used for reading time.", _int(50, 1000))
    max_article_bytes: int = _opt(
        5_000_000, "Larger files are refused with a message (bounded time and memory).", _int(1_000, 1_000_000_000)
    )
    workers: int = _opt(0, "Processes for per-article analysis; 0 means one per core.", _int(0, 256))
    scheduler: str | None = _opt(
        None, "Dask scheduler (tcp://host:port) for per-article analysis instead of local processes.", _optional(_str)
    )
    paper: str = _opt("A4", "PDF paper size.", _choice("A4", "Letter"))
    pdf_full_text: bool = _opt(False, "Include each article's full text in the PDF.", _bool)
    strict: bool = _opt(False, "Treat warnings (front matter, refused articles) as failure.", _bool)
    feed_entries: int = _opt(50, "Articles and story updates in the Atom feed, newest first; 0: no feed.", _int(0, 10_000))

    @property
    def corpus(self) -> Path:
        return Path(self.corpus_dir)

    @property
    def docs(self) -> Path:
        return Path(self.docs_dir)

    @property
    def site(self) -> Path:
        return Path(self.site_dir)

    @property
    def cache(self) -> Path:
        return Path(self.cache_dir)

    def analysis_key(self) -> dict[str, Any]:
        """The settings that change per-article analysis, for the cache key."""
        return {"summary_sentences": self.summary_sentences, "summary_ratio": self.summary_ratio, "keyphrases": self.keyphrases}

    def output_key(self) -> dict[str, Any]:
        """The settings that may change what a run writes: all but where analysis runs, which gives the same bytes."""
        return {k: v for k, v in dataclasses.asdict(self).items() if k != "scheduler"}


def options() -> list[tuple[str, Any, str]]:
    """(name, default, doc) for every setting, for the README and ``--help``."""
    return [(f.name, f.default, f.metadata["doc"]) for f in dataclasses.fields(Settings)]


def check(values: Mapping[str, Any], spec: Mapping[str, Parser]) -> tuple[dict[str, Any], list[str], list[str]]:
    """Parse ``values`` against ``spec``: (parsed, unknown keys, problems)."""
    parsed: dict[str, Any] = {}
    unknown = [k for k in values if k not in spec]
    problems: list[str] = []
    for key, parse in spec.items():
        if key in values:
            try:
                parsed[key] = parse(values[key])
            except ValueError as exc:
                problems.append(f"{key}: {exc}")
    return parsed, [str(k) for k in unknown], problems


def from_mapping(values: Mapping[str, Any], **overrides: Any) -> Settings:
    """Settings from a mapping; raises ConfigError listing every problem."""
    spec = {f.name: f.metadata["parse"] for f in dataclasses.fields(Settings)}
    parsed, unknown, problems = check({**values, **overrides}, spec)
    problems += [f"{k}: unknown setting" for k in unknown]
    if problems:
        raise ConfigError(problems)
    return Settings(**parsed)


def load(path: Path | None = None, **overrides: Any) -> Settings:
    """Read ``briefing.yml`` (if present) and apply command-line overrides."""
    path = path or Path("briefing.yml")
    values: Any = {}
    if path.exists():
        try:
            values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError([f"{path}: not valid YAML: {exc}"]) from exc
        if not isinstance(values, dict):
            raise ConfigError([f"{path}: expected a mapping of settings"])
    return from_mapping(values, **{k: v for k, v in overrides.items() if v is not None})


@dataclass(frozen=True)
class SiteAddress:
    """Where the built site is published, from mkdocs.yml: what absolute links (the feed's) are made from."""

    url: str | None  # site_url, ending in "/"; None when mkdocs.yml sets none
    directory_urls: bool = True  # use_directory_urls: a page is "articles/x/" rather than "articles/x.html"


class _MkDocsLoader(yaml.SafeLoader):
    """A safe loader that knows MkDocs' !ENV tag and reads any other tag (!!python/name, !relative) as null.

    Only two plain keys are read here; MkDocs itself loads the whole file when it builds.
    """


_MkDocsLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
_MkDocsLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def site_address(settings: Settings) -> SiteAddress:
    """site_url and use_directory_urls from ``settings.mkdocs_config``; no file means no site_url."""
    path = Path(settings.mkdocs_config)
    try:
        values = yaml.load(path.read_text(encoding="utf-8"), Loader=_MkDocsLoader)  # noqa: S506 (a SafeLoader)
    except FileNotFoundError:
        return SiteAddress(None)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError([f"{path}: cannot be read: {exc}"]) from exc
    values = values if isinstance(values, dict) else {}
    url, directory_urls = values.get("site_url"), values.get("use_directory_urls", True)
    if not url:
        return SiteAddress(None, directory_urls is not False)
    parts = urlsplit(str(url))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError([f"{path}: site_url: expected an http or https address, got {url!r}"])
    return SiteAddress(str(url).rstrip("/") + "/", directory_urls is not False)
