"""Untrusted text becomes inert Markdown; titles are safe where MkDocs prints them raw."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from generator.ingest import invisible
from generator.site.escape import md_text, page_title, strip_invisible

MD = MarkdownIt("commonmark").enable("table")
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![x](data:text/html;base64,PHNjcmlwdD4=)",
    "{{ config.secret }} {% include 'x' %}",
    "# not a heading",
    "```\nunclosed fence",
    "| a | b |\n|---|---|",
    "[ref]: http://evil.example",
    "&lt;script&gt; &#60;b&#62;",
]


def _tokens(markdown: str) -> list[tuple[str, str]]:
    out = []
    for token in MD.parse(markdown):
        out.append((token.type, token.content))
        out.extend((c.type, c.content) for c in token.children or [])
    return out


def test_hostile_strings_render_as_text_only() -> None:
    for text in HOSTILE:
        tokens = _tokens(md_text(text))
        kinds = {t for t, _ in tokens}
        assert kinds <= {"paragraph_open", "paragraph_close", "inline", "text"}, (text, kinds)
        assert MD.renderInline(md_text(text)).count("<") == 0, text


def test_visible_text_is_unchanged() -> None:
    text = "Trade rose 30% to $200 billion (a record) — “free from hegemonism.” *Really*?"
    rendered = "".join(c for t, c in _tokens(md_text(text)) if t == "text")
    assert rendered == text


@given(st.text())
def test_any_text_is_inert_and_keeps_every_word(text: str) -> None:
    markdown = md_text(text)
    tokens = _tokens(markdown)
    assert not any(t in ("html_inline", "html_block", "link_open", "image") for t, _ in tokens)
    visible = " ".join(c for t, c in tokens if t in ("text", "code_inline"))
    for word in strip_invisible(text).split():
        assert word in visible, (word, markdown)


def test_page_title_cannot_close_the_title_element() -> None:
    title = page_title("</title><script>alert(2)</script>")
    assert "<" not in title and ">" not in title
    assert "script" in title  # the text is still there, as look-alikes


def test_every_invisible_character_is_unprintable() -> None:
    # strip_invisible skips its regex for printable text: exact only while this holds.
    caught = [c for c in map(chr, range(0x110000)) if invisible._INVISIBLE.match(c)]
    assert len(caught) > 2000  # the surrogates alone are 2,048
    assert not [c for c in caught if c.isprintable()]
    assert strip_invisible("a\u200bb\u202ec") == "abc"
