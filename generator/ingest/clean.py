"""Cleaning: strip boilerplate, restore structure, infer a title.

Pasted articles lose their markup: headings become short lines, lists become
"- " lines, paragraphs become one sentence per line. This stage brings that
structure back as ``Block``s and drops the widgets that came along.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import replace

from generator.errors import ArticleError
from generator.ingest.dateline import dateline_date
from generator.ingest.sentences import split_spans
from generator.models import Article, Block, Meta, Source

TITLE_MAX = 90

# Lines that are page furniture, never article text.
_BOILERPLATE = re.compile(
    r"""^(?:read\s*time\s*:.*|\d+\s*min(?:ute)?s?\s+read|average\s+rating|[1-5]\s+stars?
    |share\s+(?:this|on\s+\w+).*|click\s+to\s+share.*|like\s+this:?|related\s+posts?:?
    |posted\s+in\b.*|filed\s+under\b.*|tags?:\s.*|print\s+this\s+(?:page|article)
    |subscribe\b.{0,60}|sign\s+up\s+for\s+our\s+newsletter.*|advertisement
    |your\s+email\s+address\s+will\s+not\s+be\s+published.*|required\s+fields\s+are\s+marked.*
    |(?:post\s+)?comment\s*\*?|name\s*\*|email\s*\*|website|save\s+my\s+name.*)$""",
    re.I | re.X,
)
# Lines after which everything is site trailer (navigation, ratings, comments).
_TRAILER = re.compile(
    r"^(?:previous\s+(?:post|article)|next\s+(?:post|article)|leave\s+a\s+(?:reply|comment)|post\s+navigation)\b", re.I
)
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
_BULLET = re.compile(r"^\s*(?:[-*•·▪‣◦–]|\d{1,2}[.)])\s+(\S.*)$")
_END_PUNCT = re.compile(r"""[.!?…:;]["'”’)\]]*$""")


def clean(source: Source) -> Article:
    """Turn a raw ``Source`` into an ``Article`` with structure and a title."""
    blocks = _lines_to_blocks(source.blocks) if source.format == "txt" else list(source.blocks)
    blocks = _drop_boilerplate(blocks)
    full_title, blocks = _take_title(source.meta.title, blocks)
    untitled = blocks
    blocks = _drop_repeated_title(full_title, blocks)
    if not source.meta.title and not any(b.text.strip() for b in blocks):
        blocks = untitled  # one line and nothing else: the line is the article, and its title is inferred from it
    title = shorten(full_title)
    article_blocks = tuple(blocks)
    if not any(b.text.strip() for b in article_blocks):
        raise ArticleError(source.path, "no article text besides the title")
    return Article(
        slug=slugify(source.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]),
        path=source.path,
        title=title,
        meta=_dated(source.meta, article_blocks),
        blocks=article_blocks,
        content_hash=content_hash(title, article_blocks, source),
        warnings=source.warnings,
    )


def _dated(meta: Meta, blocks: tuple[Block, ...]) -> Meta:
    """The metadata, with the dateline's date as the publication date when the metadata gives none."""
    if meta.published is not None or not blocks:
        return meta
    published = dateline_date(blocks[0].text)
    return meta if published is None else replace(meta, published=published)


def content_hash(title: str, blocks: tuple[Block, ...], source: Source) -> str:
    """A hash of everything analysis reads, for the cache key."""
    payload = json.dumps([title, [(b.kind, b.text, b.level) for b in blocks]], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def slugify(text: str, max_len: int = 60) -> str:
    """A URL- and file-safe slug: ASCII letters, digits and dashes only."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:max_len].rstrip("-")
    return slug or "x" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


# ------------------------------------------------------------ plain text structure


def _lines_to_blocks(chunks: tuple[Block, ...]) -> list[Block]:
    lines: list[str] = []
    for chunk in chunks:
        lines.extend(_unwrap(chunk.text.split("\n")))
        lines.append("")  # a blank line between chunks is a paragraph break
    blocks: list[Block] = []
    run: list[str] = []  # consecutive one-sentence lines, to regroup into paragraphs
    for i, line in enumerate(lines):
        nxt = next((x for x in lines[i + 1 :] if x.strip()), "")
        block = _classify(line, nxt)
        if block is None or block.kind != "paragraph" or len(split_spans(block.text)) > 1:
            blocks.extend(_paragraphs(run))
            run = []
            if block is not None:
                blocks.append(block)
        else:
            run.append(block.text)
    blocks.extend(_paragraphs(run))
    return _nest_items(_level_headings(blocks))


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines: a line that stops mid-sentence before a lower-case one."""
    out: list[str] = []
    for line in (x.strip() for x in lines):
        if out and out[-1] and line[:1].islower() and not _END_PUNCT.search(out[-1]) and not _BULLET.match(line):
            out[-1] += " " + line
        else:
            out.append(line)
    return out


def _classify(line: str, nxt: str) -> Block | None:
    line = " ".join(line.split())
    if not line:
        return None
    bullet = _BULLET.match(line)
    if bullet and line[0] in "-*•·▪‣◦–":
        return Block("item", bullet.group(1), 1)
    numbered = _NUMBERED.match(line)
    if numbered and _looks_like_heading(numbered.group(2)):
        depth = numbered.group(1).count(".") + (0 if line.split()[0].endswith(".") else 1)
        return Block("heading", numbered.group(2), 2 if depth <= 1 else 3)
    if (_looks_like_heading(line) or _is_question_heading(line)) and nxt:
        return Block("heading", line, 0)  # level 0: section or subsection, decided later
    return Block("paragraph", line)


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 14 and len(line) <= 100 and not _END_PUNCT.search(line) and line[0].isupper()


def _is_question_heading(line: str) -> bool:
    return line.endswith("?") and len(line.split()) <= 8 and line[0].isupper()


def _paragraphs(sentences: list[str]) -> list[Block]:
    """Regroup one-sentence lines into paragraphs of a few sentences each."""
    out: list[Block] = []
    current: list[str] = []
    for sentence in sentences:
        if current and (len(current) >= 4 or (len(current) >= 2 and not _cohesive(current, sentence))):
            out.append(Block("paragraph", " ".join(current)))
            current = []
        current.append(sentence)
    if current:
        out.append(Block("paragraph", " ".join(current)))
    return out


_CONNECTIVE = re.compile(
    r"^(?:this|these|that|those|it|they|such|the\s+two|both|but|and|also|in\s+addition|moreover|furthermore|meanwhile|however)\b",
    re.I,
)


def _cohesive(current: list[str], sentence: str) -> bool:
    # A sentence that points back ("This statement", "These exercises") continues
    # the paragraph; otherwise shared content words decide.
    if _CONNECTIVE.match(sentence):
        return True

    def words(s: str) -> set[str]:
        return set(re.findall(r"[a-z]{4,}", s.lower()))

    return len(words(sentence) & words(current[-1])) >= 3


def _level_headings(blocks: list[Block]) -> list[Block]:
    """Two headings in a row are a section and its first subsection."""
    unnumbered = [i for i, b in enumerate(blocks) if b.kind == "heading" and b.level == 0]
    stacked = any(i + 1 < len(blocks) and blocks[i + 1].kind == "heading" for i in unnumbered)
    out: list[Block] = []
    for i, b in enumerate(blocks):
        if b.kind != "heading" or b.level != 0:
            out.append(b)
            continue
        opens_section = i + 1 < len(blocks) and blocks[i + 1].kind == "heading"
        follows_heading = i > 0 and blocks[i - 1].kind == "heading"
        subsection = stacked and (follows_heading or not opens_section)
        out.append(Block("heading", b.text, 3 if subsection else 2))
    return out


def _nest_items(blocks: list[Block]) -> list[Block]:
    """A short item followed by full-sentence items is a group label: nest them."""
    out: list[Block] = []
    group = False
    for i, b in enumerate(blocks):
        if b.kind != "item":
            group = False
            out.append(b)
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        label = _looks_like_heading(b.text) and nxt is not None and nxt.kind == "item" and bool(_END_PUNCT.search(nxt.text))
        if label:
            group = True
            out.append(Block("item", b.text, 1))
        else:
            out.append(Block("item", b.text, 2 if group else 1))
    return out


# ------------------------------------------------------------ boilerplate and title


def _drop_boilerplate(blocks: list[Block]) -> list[Block]:
    for i, b in enumerate(blocks):
        if i >= len(blocks) // 2 and _TRAILER.match(b.text):
            blocks = blocks[:i]
            break
    return [b for b in blocks if not _BOILERPLATE.match(b.text.strip())]


def _take_title(meta_title: str | None, blocks: list[Block]) -> tuple[str, list[Block]]:
    if meta_title and meta_title.strip():
        return meta_title, blocks
    first = blocks[0] if blocks else None
    if (first is not None and first.kind == "heading") or (
        first is not None and _looks_like_heading(first.text) and len(blocks) > 1
    ):
        return first.text, blocks[1:]
    text = next((b.text for b in blocks if b.kind == "paragraph"), blocks[0].text if blocks else "Untitled")
    spans = split_spans(text)
    sentence = text[spans[0][0] : spans[0][1]] if spans else text
    return sentence.rstrip("."), blocks


def shorten(text: str, limit: int = TITLE_MAX) -> str:
    """At most ``limit`` characters, cut at a word boundary, never mid-word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(str.maketrans("‘’“”", "''\"\""))
    return " ".join(re.findall(r"\w+", text.lower()))


def _drop_repeated_title(title: str, blocks: list[Block]) -> list[Block]:
    """Pasted pages often repeat the headline; keep it once, as the title."""
    key = _norm(title)
    out = list(blocks)
    while out and key and _norm(out[0].text).startswith(key) and len(_norm(out[0].text)) <= len(key) + 3:
        out.pop(0)
    return out
