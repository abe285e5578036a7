"""Property-based tests: arbitrary article text renders inert and complete; arbitrary bytes never crash ingest."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from generator import config
from generator.analysis.analyze import analyze
from generator.errors import ArticleError
from generator.ingest.clean import clean
from generator.ingest.readers import SUFFIXES, read
from generator.linking.digest import link
from generator.models import Article, Block, Meta
from generator.site.escape import strip_invisible
from generator.site.render import render

MD = MarkdownIt("commonmark").enable("table")
SETTINGS = config.from_mapping({"workers": 1})
# The only link targets the generator makes: our pages, anchors in them, http(s) originals.
SAFE_HREF = re.compile(
    r"^(?:https?://\S+|#[\w-]*|(?:\.\./)?(?:articles/|topics/|timeline/|stories/|sources/|figures/|quotes/)?[a-z0-9-]+\.md(?:#sent-\d+|#[a-z0-9-]+)?)$"
)
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)

# Text that leans on Markdown, HTML and template syntax, but may be anything.
SYNTAX = st.sampled_from(
    [
        "<script>",
        "</title>",
        "<!--",
        "`",
        "```",
        "~~~",
        "*",
        "_",
        "#",
        "[",
        "](",
        ")",
        "!",
        "|",
        "---",
        "===",
        "{{",
        "}}",
        "{%",
        "{:",
        "==",
        "&amp;",
        "&#60;",
        "javascript:",
        "data:",
        "\\",
        "\n",
        "\n\n",
        "    ",
        "> ",
        "1. ",
        "- ",
        "＜",
        "\u202e",
        "\u200b",
        "http://x.example",
        "<http://x>",
        "[a]: /b",
        "^",
        "~",
        "$",
    ]
)
TEXT = st.lists(st.one_of(SYNTAX, st.text(min_size=1, max_size=12)), min_size=1, max_size=25).map("".join)
WORDY = TEXT.filter(lambda t: bool(strip_invisible(t).split()))


def _article(title: str, blocks: list[tuple[str, str]]) -> Article:
    return Article(
        slug="a",
        path="a.md",
        title=title,
        meta=Meta(title=title),
        blocks=tuple(Block(kind, text, 1 if kind == "item" else 2 if kind == "heading" else 0) for kind, text in blocks),  # type: ignore[arg-type]
        content_hash="0",
    )


def _pages(article: Article) -> dict[str, str]:
    digest = link([article], {article.slug: analyze(article, SETTINGS)}, SETTINGS)
    return dict(render(digest, SETTINGS))


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from _walk(token.children or [])


def _body(page: str) -> tuple[dict[str, object], str]:
    match = FRONT_MATTER.match(page)
    assert match, page[:200]
    return yaml.safe_load(match.group(1)), page[match.end() :]


BLOCKS = st.lists(st.tuples(st.sampled_from(["paragraph", "heading", "item"]), WORDY), min_size=1, max_size=4)


@settings(derandomize=True, max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=WORDY, blocks=BLOCKS)
def test_rendered_markdown_has_no_html_and_no_unsafe_links(title: str, blocks: list[tuple[str, str]]) -> None:
    for path, page in _pages(_article(title, blocks)).items():
        meta, body = _body(page)
        assert isinstance(meta, dict) and isinstance(meta["title"], str), path
        assert not set(meta["title"]) & set('<>"`\\'), path
        for token in _walk(MD.parse(body)):
            assert token.type not in ("html_inline", "html_block"), (path, token.content)
            if token.type in ("link_open", "image"):
                href = str(token.attrs.get("href") or token.attrs.get("src"))
                assert SAFE_HREF.match(href), (path, href)


@settings(derandomize=True, max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=WORDY, blocks=BLOCKS)
def test_visible_text_keeps_every_word(title: str, blocks: list[tuple[str, str]]) -> None:
    _, body = _body(_pages(_article(title, blocks))["articles/a.md"])
    tokens = MD.parse(body)
    # Pieces of one line of text join as they print (a link's text runs on into the words after it); lines join with a space.
    visible = " ".join(
        "".join(c.content for c in _walk(t.children or []) if c.type in ("text", "code_inline"))
        for t in tokens
        if t.type == "inline"
    )
    for text in [title] + [text for _, text in blocks]:
        for word in strip_invisible(text).split():
            assert word in visible, (word, visible[:500])


@pytest.fixture(scope="module")
def corpus() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


FRONT = st.builds(lambda fm, body: f"---\n{fm}\n---\n{body}".encode(), TEXT, TEXT)
BYTES = st.one_of(
    st.binary(max_size=3000),
    TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
    FRONT,
    TEXT.map(lambda t: t.encode("cp1252", "replace")),
)


@settings(derandomize=True, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=BYTES, suffix=st.sampled_from(SUFFIXES))
def test_ingest_never_crashes_on_arbitrary_bytes(corpus: Path, data: bytes, suffix: str) -> None:
    path = corpus / f"article{suffix}"
    path.write_bytes(data)
    try:
        article = clean(read(path, corpus, 1_000_000))
    except ArticleError as exc:
        assert exc.path == path.name and exc.reason
        return
    assert isinstance(article, Article) and article.blocks
