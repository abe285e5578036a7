"""A hostile corpus, built by the tests: every class of bad input with its expected outcome.

Each case is either RENDERED (built, its text shown as text) or REFUSED (left
out with a message naming the file and the reason). ``write_corpus`` writes
them into a folder; ``CASES`` is the table the tests and SECURITY.md report on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.conftest import write_files

RENDERED = "rendered safely"
REFUSED = "refused with a message"
WARNED = "rendered safely, with a warning"

# A plain paragraph that makes every hostile article long enough to analyze,
# and gives the benign articles a shared topic so that cross-links exist.
FILLER = (
    "Officials from Russia and China met in Qingdao to discuss the Power of Siberia pipeline. "
    "The talks covered gas exports, joint drills and new trade routes. "
    "Both delegations said the Power of Siberia pipeline would carry more gas next year.\n"
)

SCRIPT = "<script>alert('body')</script>"
HTML_BODY = f"""# Raw HTML and scripts

Text with {SCRIPT} inline and <img src=x onerror="alert('img')"> an image.

<div onclick="alert('div')">A block of raw HTML with an event handler.</div>

<iframe src="javascript:alert('iframe')"></iframe>

A [javascript link](javascript:alert('link')) and [a data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==).

An image ![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) and ![js](javascript:alert('image')).

<a href="JaVaScRiPt:alert('anchor')">anchor</a> and <svg onload="alert('svg')"></svg> and <style>body{{display:none}}</style>

{FILLER}"""

FRONT_MATTER_BODY = f"""---
title: "</title><script>alert('title')</script>"
source: "<img src=x onerror=alert('source')>"
url: "javascript:alert('url')"
published: "2024-01-01<script>alert('date')</script>"
author: "<svg onload=alert('author')> {{{{ config }}}}"
tags: ["<script>alert('tag')</script>", "{{% include 'x' %}}", "javascript:alert(1)"]
---
{FILLER}"""

ENTITIES_BODY = f"""---
title: "&lt;script&gt;alert('entity')&lt;/script&gt; ＜script＞fullwidth＜/script＞"
source: "Look\u202eAlike News"
author: "Zero\u200bWidth Writer"
---
Encoded &lt;script&gt;alert('entity')&lt;/script&gt; and &#60;img src=x onerror=alert(1)&#62; and &amp;lt;b&amp;gt;.

Fullwidth ＜script＞alert('fullwidth')＜/script＞ and small ﹤script﹥ and a right-to-left \u202etxt.exe override.

Zero\u200bwidth java\u200bscript:alert(1) and a non-breaking\u00a0space and a soft\u00adhyphen.

{FILLER}"""

MARKDOWN_BODY = f"""Article whose Markdown would break the page

# Heading marker at the top
## Second level heading
###### Sixth

| Column | Other |
|---|---|
| cell <b>bold</b> | [x](javascript:alert('table')) |

[ref]: javascript:alert('ref')
[evil][ref] and [other][missing]

{{: onclick="alert('attr')" }}
Paragraph with ==marked== text and {{: #id .class onmouseover="alert(1)" }} attributes.

> quoted <script>alert('quote')</script>

---

Setext heading
==============

* list item
1. ordered item

<!-- an unclosed HTML comment

{FILLER}
```python
unbalanced fence that never closes
<script>alert('fence')</script>
"""

TEMPLATE_BODY = f"""---
title: "{{{{ config.site_name }}}} {{% raw %}}"
source: "{{% include '/etc/passwd' %}}"
---
Jinja2 and MkDocs macros: {{{{ config.extra }}}} {{% for x in range(10) %}}x{{% endfor %}} {{# comment #}}.

{{{{ '<script>alert(1)</script>' | safe }}}} and {{% macro evil() %}}{{% endmacro %}} and ${{{{ page.title }}}}.

{FILLER}"""

TRAVERSAL_BODY = f"""---
title: "../../../../etc/passwd"
source: "/etc/shadow"
author: "..\\\\..\\\\windows\\\\system32"
tags: ["../../outside", "/absolute/tag", "a\\0b"]
url: "file:///etc/passwd"
---
{FILLER}"""

NUL_TITLE_BODY = f"""---
title: "nul\\0byte/../../escape"
---
{FILLER}"""

LONG_TITLE_BODY = f"""---
title: "{"A" * 5000}/{"../" * 300}"
source: "{"S" * 3000}"
---
{FILLER}"""

REPEATED_KEYS_BODY = f"""---
title: First title
title: Second title
source: One
source: Two
---
{FILLER}"""

CP1252_BYTES = "Caf\u00e9 prices \u201cquoted\u201d \u2014 \u20ac5 rise in Qingdao.\n\n".encode("cp1252") + FILLER.encode(
    "cp1252"
)
LATIN1_BYTES = "Na\u00efve r\u00e9sum\u00e9 of \u00bd the talks, \u00a9 2024.\n\n".encode("latin-1") + FILLER.encode("latin-1")
BINARY_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
CONTROL_BYTES = bytes(range(1, 32)) * 40  # binary without a NUL byte
TWENTY_MB = 20 * 1024 * 1024


def big_article() -> bytes:
    """A 20 MB article: refused by max_article_bytes before it is read."""
    line = FILLER.encode("utf-8")
    return line * (TWENTY_MB // len(line) + 1)


@dataclass(frozen=True)
class Case:
    """One hostile input: its class, file, content and expected outcome."""

    cls: str
    name: str
    content: str | bytes
    outcome: str
    reason: str = ""  # for REFUSED/WARNED: a phrase the message must contain


CASES: tuple[Case, ...] = (
    Case("raw HTML, scripts, event handlers, javascript:/data: URLs", "html and scripts.md", HTML_BODY, RENDERED),
    Case("hostile values in every front-matter field", "front-matter.md", FRONT_MATTER_BODY, WARNED, "front matter"),
    Case("HTML entities, fullwidth look-alikes, RTL override, zero-width", "entities.md", ENTITIES_BODY, RENDERED),
    Case("Markdown that would break the page", "markdown-breakers.md", MARKDOWN_BODY, RENDERED),
    Case("Markdown syntax in a plain-text article", "markdown-breakers.txt", MARKDOWN_BODY, RENDERED),
    Case("Jinja2 and MkDocs macro syntax", "templates.md", TEMPLATE_BODY, RENDERED),
    Case(
        "front matter: invalid YAML",
        "bad-yaml.md",
        f"---\ntitle: [unclosed\nsource: : :\n---\n{FILLER}",
        REFUSED,
        "not valid YAML",
    ),
    Case("front matter: not a mapping (list)", "list-fm.md", f"---\n- a\n- b\n---\n{FILLER}", REFUSED, "must be a mapping"),
    Case(
        "front matter: not a mapping (scalar)", "scalar-fm.md", f"---\njust a string\n---\n{FILLER}", REFUSED, "must be a mapping"
    ),
    Case("front matter: repeated keys", "repeated.md", REPEATED_KEYS_BODY, WARNED, "is repeated"),
    Case(
        "front matter: YAML tags that would build objects",
        "yaml-object.md",
        f"---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n{FILLER}",
        REFUSED,
        "not valid YAML",
    ),
    Case("path traversal in front matter (../, absolute)", "traversal.md", TRAVERSAL_BODY, WARNED, "front matter"),
    Case("NUL byte in a front-matter value", "nul-title.md", NUL_TITLE_BODY, RENDERED),
    Case("very long front-matter values", "long-title.md", LONG_TITLE_BODY, RENDERED),
    Case(
        "C1 control characters (legacy bytes) in the title line",
        "c1-title.txt",
        b"Title \x81with\x8d controls\n\n" + FILLER.encode(),
        RENDERED,
    ),
    Case(
        "lone surrogate and non-characters from YAML escapes",
        "surrogate.md",
        f'---\ntitle: "bad \\ud800 \\uffff \\x85 escape"\nauthor: "\\udfff"\n---\n{FILLER}',
        REFUSED,
        "not valid YAML",
    ),
    Case(
        "unprintable character in front matter",
        "unprintable-fm.md",
        f"---\ntitle: a\u0080b\n---\n{FILLER}",
        REFUSED,
        "not valid YAML",
    ),
    Case("a one-line plain-text article", "one-line.txt", "Just one line of news about the Qingdao talks\n", RENDERED),
    Case(
        "a title and nothing else",
        "title-only.md",
        "---\ntitle: Just a headline with nothing after it\n---\nJust a headline with nothing after it\n",
        REFUSED,
        "no article text besides the title",
    ),
    Case("empty file", "empty.txt", "", REFUSED, "empty"),
    Case("whitespace-only file", "blank.md", " \n\t\n   \n", REFUSED, "empty"),
    Case("front matter and no body", "no-body.md", "---\ntitle: Nothing here\n---\n\n", REFUSED, "no article text"),
    Case("binary file with NUL bytes", "image.txt", BINARY_BYTES, REFUSED, "binary"),
    Case("binary file without NUL bytes", "controls.md", CONTROL_BYTES, REFUSED, "binary"),
    Case("non-UTF-8 text: cp1252", "cp1252.txt", CP1252_BYTES, RENDERED),
    Case("non-UTF-8 text: latin-1", "latin1.txt", LATIN1_BYTES, RENDERED),
    Case("20 MB article", "huge.txt", b"", REFUSED, "over the limit"),  # content written by write_corpus
    Case("duplicate article (same text, two names)", "zz duplicate of html.md", HTML_BODY, WARNED, "duplicate"),
    Case("file name with spaces", "news report from beijing.txt", "News report from Beijing\n\n" + FILLER, RENDERED),
    Case(
        "file name in Cyrillic",
        "новости россии.txt",
        "Новости России и Китая\n\n" + FILLER.replace("Qingdao", "Tianjin"),
        RENDERED,
    ),
    Case("file name with emoji", "🚀 launch 🇨🇳.md", "# Rocket launch\n\nA rocket left Jiuquan. " + FILLER, RENDERED),
    Case(
        "very long file name (250 bytes)",
        "long " * 49 + "x.txt",
        "A long file name\n\n" + FILLER.replace("Qingdao", "Xiamen"),
        RENDERED,
    ),
    Case(
        "file name that is markup",
        "<img src=x onerror=alert(9)>.txt",
        "Markup in the file name\n\n" + FILLER.replace("Qingdao", "Harbin"),
        RENDERED,
    ),
    Case(
        "title that closes <title> and opens a script",
        "title-breakout.md",
        f"---\ntitle: </title><script>alert(2)</script>\n---\n{FILLER.replace('Qingdao', 'Dalian')}",
        RENDERED,
    ),
    Case(
        "HTML page with scripts",
        "saved page.html",
        "<html><head><title>&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;</title><script>alert('head')</script></head><body><article><h1>Saved <script>alert(4)</script> page</h1><p onclick=\"alert(5)\">"
        + FILLER.replace("Qingdao", "Shenyang")
        + '</p><p><a href="javascript:alert(6)">a link</a> &lt;script&gt;alert(7)&lt;/script&gt; and more text about the talks and the gas pipeline between the two countries.</p></article></body></html>',
        RENDERED,
    ),
)

BENIGN = {
    "benign-a.txt": "Gas pipeline talks\n\nRussia and China discussed the Power of Siberia pipeline in Beijing on Monday. Officials said gas exports would grow. The Power of Siberia line already carries gas.\n",
    "benign-b.txt": "Defense ministers meet\n\nThe defense ministers met in Qingdao to discuss joint drills. The Power of Siberia pipeline was also mentioned. Both sides praised the talks.\n",
}


def write_corpus(corpus: Path, cases: tuple[Case, ...] = CASES) -> Path:
    """Write the benign articles and ``cases`` into ``corpus``."""
    files: dict[str, str | bytes] = dict(BENIGN)
    for case in cases:
        files[case.name] = big_article() if case.name == "huge.txt" else case.content
    return write_files(corpus, files)


def rendered(cases: tuple[Case, ...] = CASES) -> tuple[Case, ...]:
    """The cases that must build with no problem at all (for mkdocs --strict)."""
    return tuple(c for c in cases if c.outcome == RENDERED)
