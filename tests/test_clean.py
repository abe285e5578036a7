"""Cleaning the demo corpus: boilerplate gone, structure and titles back."""

from __future__ import annotations

from pathlib import Path

from generator.ingest.clean import clean, shorten, slugify
from generator.ingest.readers import read
from generator.models import Article
from tests.conftest import DEMO_CORPUS, write_files

BOILERPLATE = [
    "Read Time",
    "Previous post",
    "Next post",
    "Average Rating",
    "5 Star",
    "Leave a Reply",
    "Your email address will not be published",
    "Required fields are marked",
]


def demo(name: str) -> Article:
    return clean(read(DEMO_CORPUS / f"{name}.txt", DEMO_CORPUS, 10_000_000))


def all_text(article: Article) -> str:
    return "\n".join(b.text for b in article.blocks)


def test_demo_boilerplate_is_gone() -> None:
    for path in sorted(DEMO_CORPUS.iterdir()):
        article = clean(read(path, DEMO_CORPUS, 10_000_000))
        text = all_text(article) + article.title
        for phrase in BOILERPLATE:
            assert phrase not in text, (path.name, phrase)


def test_trailer_cut_keeps_the_last_real_paragraph() -> None:
    article = demo("putin-visit-russia-china-friendship")
    assert article.blocks[-1].text.endswith("far-reaching consequences for global peace and security.")


def test_repeated_title_is_kept_once_as_title() -> None:
    article = demo("exclusive-insights-secret-talks")
    assert article.title.startswith("Exclusive Insights: Russia and China")
    assert not any("Exclusive Insights" in b.text for b in article.blocks)


def test_numbered_sections_become_headings_and_bullets_nest() -> None:
    article = demo("china-russia-partnership-western-order")
    headings = [(b.level, b.text) for b in article.blocks if b.kind == "heading"]
    assert (2, "Historical Background of China-Russia Relations") in headings
    assert (3, "Central Asia") in headings
    items = [(b.level, b.text) for b in article.blocks if b.kind == "item"]
    assert (1, "Early Cooperation and Conflict") in items
    assert (2, "Relations between the two powers have shifted multiple times since the 20th century.") in items


def test_stacked_headings_become_section_and_subsection() -> None:
    article = demo("putin-visit-russia-china-friendship")
    headings = [(b.level, b.text) for b in article.blocks if b.kind == "heading"]
    assert headings[:3] == [
        (2, "Historical Context of Russia-China Relations"),
        (3, "The Evolution of Diplomatic Ties"),
        (3, "Post-Cold War Reconciliation"),
    ]


def test_one_sentence_per_line_is_regrouped_into_paragraphs() -> None:
    article = demo("russia-china-defense-ministers-qingdao")
    raw_lines = len((DEMO_CORPUS / "russia-china-defense-ministers-qingdao.txt").read_text().splitlines())
    assert len(article.blocks) < raw_lines / 2
    assert all(b.kind == "paragraph" for b in article.blocks)


def test_inferred_titles_are_short_and_never_cut_mid_word() -> None:
    for path in sorted(DEMO_CORPUS.iterdir()):
        article = clean(read(path, DEMO_CORPUS, 10_000_000))
        assert len(article.title) <= 91
        words = article.title.rstrip("…").split()
        source_words = {w.strip(",;:.") for w in path.read_text(encoding="utf-8").split()}
        assert words[-1].strip(",;:.") in source_words, article.title


def test_shorten_cuts_at_word_boundary() -> None:
    text = "word " * 40
    short = shorten(text, 30)
    assert len(short) <= 30
    assert short.endswith("word…")


def test_front_matter_title_wins(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.md": "---\ntitle: Given title\n---\n# Given title\n\nBody sentence here.\n"})
    article = clean(read(tmp_path / "a.md", tmp_path, 10_000))
    assert article.title == "Given title"
    assert [b.text for b in article.blocks] == ["Body sentence here."]


def test_slugify_allows_only_safe_characters() -> None:
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("Отчёт 🚀").startswith("x")
    assert slugify("Café au lait") == "cafe-au-lait"
    assert len(slugify("a" * 500)) <= 60


def test_a_one_line_text_article_keeps_its_text_and_gets_a_title(tmp_path: Path) -> None:
    write_files(tmp_path, {"brief.txt": "Russia and China agreed on Tuesday to extend the Power of Siberia 2 talks.\n"})
    article = clean(read(tmp_path / "brief.txt", tmp_path, 10_000))
    assert [b.text for b in article.blocks] == ["Russia and China agreed on Tuesday to extend the Power of Siberia 2 talks."]
    assert article.title == "Russia and China agreed on Tuesday to extend the Power of Siberia 2 talks"


def test_a_dateline_gives_the_publication_date_when_metadata_has_none(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "wire.txt": "Talks resume\n\nMOSCOW, March 3, 2024 (Reuters) - Talks resumed.\n",
            "dated.md": "---\npublished: 2024-05-01\n---\nMOSCOW, March 3, 2024 (Reuters) - Talks resumed.\n",
        },
    )
    assert str(clean(read(tmp_path / "wire.txt", tmp_path, 10_000)).meta.published) == "2024-03-03"
    assert str(clean(read(tmp_path / "dated.md", tmp_path, 10_000)).meta.published) == "2024-05-01"  # front matter wins
