"""Story briefs recorded by one run are reused by the next only while everything they are made from is unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator import build
from generator.config import Settings
from generator.incremental import link_record, story_record
from generator.models import Digest
from generator.report import Report
from tests.conftest import project
from tests.test_stories import ARTICLES


def _article(title: str | None, text: str, published: date | None, source: str) -> str:
    head = (f"title: {title}\n" if title else "") + (f"published: {published}\n" if published else "")
    return f"---\n{head}source: {source}\n---\n\n{text}\n"


def _project(tmp_path: Path) -> Settings:
    return project(tmp_path, {f"{slug}.md": _article(*fields) for slug, fields in ARTICLES.items()})


def _reusable(settings: Settings, recorded: story_record.Previous) -> tuple[Digest, dict[str, object]]:
    """This corpus's stories briefed afresh (no records read), and which of them the recorded briefs would serve."""
    digest = build.corpus_digest(settings, Report(), use_cache=False)
    keys = story_record.brief_keys(digest.stories, digest.articles, link_record.identities(digest.articles, settings))
    return digest, dict(story_record.reusable(recorded, digest.stories, keys))


def test_recorded_briefs_equal_fresh_ones_and_an_edit_rebriefs_only_its_story(tmp_path: Path) -> None:
    settings = _project(tmp_path)
    build.generate(settings)
    recorded = story_record.load(settings.cache)
    digest, known = _reusable(settings, recorded)
    multi = {s.slug: s for s in digest.stories if len(s.members) > 1}
    assert len(multi) >= 2  # two quakes at least: otherwise this tests nothing
    assert known == multi  # every story of two or more reused, and equal to its fresh brief

    edited = next(iter(multi.values())).members[-1]
    path = settings.corpus / f"{edited}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOfficials said the count was final.\n", encoding="utf-8")
    digest, known = _reusable(settings, recorded)
    stories = {s.slug: s for s in digest.stories}
    changed = next(s for s in digest.stories if edited in s.members)
    assert changed.slug not in known
    assert known and all(known[slug] == stories[slug] for slug in known)


def test_briefs_from_other_code_or_a_corrupt_record_are_not_used(tmp_path: Path) -> None:
    settings = _project(tmp_path)
    build.generate(settings)
    briefs = settings.cache / story_record.BRIEFS
    briefs.write_bytes(briefs.read_bytes().replace(story_record.salt().encode(), b"0" * 16))
    assert story_record.load(settings.cache).briefs == {}
    assert story_record.load(settings.cache).stories  # slugs survive a code change
    briefs.write_text("{not json", encoding="utf-8")
    assert story_record.load(settings.cache).briefs == {}
    assert build.generate(settings).exit_code() == 0
