"""Readers: one per format; what cannot be read is an ArticleError naming the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.errors import ArticleError
from generator.ingest.readers import find_articles, read
from tests.conftest import write_files


def _read(tmp_path: Path, name: str, content: str | bytes, max_bytes: int = 1_000_000):
    write_files(tmp_path, {name: content})
    return read(tmp_path / name, tmp_path, max_bytes)


def test_txt_keeps_blank_line_chunks(tmp_path: Path) -> None:
    source = _read(tmp_path, "a.txt", "First para.\nstill first.\n\nSecond para.\n")
    assert source.format == "txt"
    assert [b.text for b in source.blocks] == ["First para.\nstill first.", "Second para."]


def test_md_front_matter_is_validated(tmp_path: Path) -> None:
    text = "---\ntitle: Gas deal\nsource: Reuters\nurl: https://example.com/a\npublished: 2024-05-16\ntags: [energy, gas]\n---\n# Heading\n\nBody text here.\n"
    source = _read(tmp_path, "a.md", text)
    assert source.meta.title == "Gas deal"
    assert source.meta.source == "Reuters"
    assert source.meta.published == date(2024, 5, 16)
    assert source.meta.tags == ("energy", "gas")
    assert source.warnings == ()


def test_md_unknown_key_and_bad_date_warn_with_file_and_key(tmp_path: Path) -> None:
    source = _read(tmp_path, "b.md", "---\ntitle: T\npublisher: X\npublished: yesterday\n---\nBody text.\n")
    assert any("b.md" in w and "'publisher'" in w for w in source.warnings)
    assert any("b.md" in w and "published" in w for w in source.warnings)
    assert source.meta.published is None


def test_md_javascript_url_is_dropped_with_warning(tmp_path: Path) -> None:
    source = _read(tmp_path, "c.md", "---\nurl: javascript:alert(1)\n---\nBody.\n")
    assert source.meta.url is None
    assert any("url" in w for w in source.warnings)


def test_md_body_is_parsed_into_structure(tmp_path: Path) -> None:
    source = _read(tmp_path, "d.md", "# Title\n\n## Section\n\nA paragraph.\n\n- one\n- two\n  - nested\n\nAfter.\n")
    kinds = [(b.kind, b.level, b.text) for b in source.blocks]
    assert kinds == [
        ("heading", 1, "Title"),
        ("heading", 2, "Section"),
        ("paragraph", 0, "A paragraph."),
        ("item", 1, "one"),
        ("item", 1, "two"),
        ("item", 2, "nested"),
        ("paragraph", 0, "After."),
    ]


@pytest.mark.parametrize(
    ("front", "reason"),
    [("title: [unclosed", "not valid YAML"), ("- a\n- b", "must be a mapping")],
)
def test_md_bad_front_matter_is_refused(tmp_path: Path, front: str, reason: str) -> None:
    with pytest.raises(ArticleError, match=reason) as info:
        _read(tmp_path, "e.md", f"---\n{front}\n---\nBody.\n")
    assert info.value.path == "e.md"


def test_html_main_text_is_extracted(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Pipeline deal signed</title></head><body><nav>Home | World | Login</nav>"
        "<article><h1>Pipeline deal signed</h1><p>Russia and China signed a gas pipeline agreement on Tuesday, officials said in Beijing.</p>"
        "<h2>Details</h2><ul><li>The pipeline runs 2,600 km.</li><li>Gas flows from 2030.</li></ul>"
        "<p>The deal follows years of talks between the two governments over price and volume.</p></article>"
        "<footer>Copyright 2024 Example News</footer></body></html>"
    )
    source = _read(tmp_path, "p.html", page)
    texts = [b.text for b in source.blocks]
    assert any("signed a gas pipeline agreement" in t for t in texts)
    assert ("item", "Gas flows from 2030.") in [(b.kind, b.text) for b in source.blocks]
    assert not any("Copyright" in t or "Login" in t for t in texts)
    assert source.meta.title == "Pipeline deal signed"


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty"), (b"   \n\t\n", "empty"), (b"\x00\x01\x02binary\x00", "binary"), (b"x" * 2000, "over the limit")],
)
def test_unusable_files_are_refused_with_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    with pytest.raises(ArticleError, match=reason) as info:
        _read(tmp_path, "bad.txt", content, max_bytes=1000)
    assert "bad.txt" in str(info.value)


def test_cp1252_text_is_decoded(tmp_path: Path) -> None:
    source = _read(tmp_path, "w.txt", "Caf\xe9 \u201cquoted\u201d text.".encode("cp1252"))
    assert source.blocks[0].text == "Café “quoted” text."


def test_find_articles_is_sorted_and_skips_hidden(tmp_path: Path) -> None:
    write_files(tmp_path, {"b.txt": "x", "a.md": "x", ".hidden/c.txt": "x", "notes.pdf": "x", "sub/d.html": "x"})
    assert [p.relative_to(tmp_path).as_posix() for p in find_articles(tmp_path)] == ["a.md", "b.txt", "sub/d.html"]


def test_find_articles_lists_what_path_rglob_lists(tmp_path: Path) -> None:
    # os.scandir replaced rglob for speed: the same files, in the same order.
    write_files(
        tmp_path / "corpus",
        {
            "B.TXT": "x",
            "a-b.md": "x",
            "a/b.md": "x",
            "deep/er/still/x.markdown": "x",
            "sub/.hidden.md": "x",
            ".git/config.md": "x",
            "page.HTM": "x",
            "folder.md/inside.txt": "x",
            "no-suffix": "x",
        },
    )
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "far.txt").write_text("x", encoding="utf-8")
    corpus = tmp_path / "corpus"
    (corpus / "linked-folder").symlink_to(tmp_path / "elsewhere")  # rglob does not enter it
    (corpus / "linked-file.txt").symlink_to(tmp_path / "elsewhere" / "far.txt")  # but lists a linked file
    (corpus / "broken.txt").symlink_to(tmp_path / "missing.txt")
    suffixes = (".txt", ".md", ".markdown", ".html", ".htm")
    reference = sorted(
        (
            p
            for p in corpus.rglob("*")
            if p.suffix.lower() in suffixes
            and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(corpus).parts)
        ),
        key=lambda p: p.as_posix(),
    )
    assert find_articles(corpus) == reference
    assert "linked-file.txt" in {p.name for p in reference} and "far.txt" not in {p.name for p in reference}
