"""Make untrusted article text inert on its way into Markdown.

MkDocs passes raw HTML straight through, so every ASCII punctuation mark in
article text is backslash-escaped: CommonMark and Python-Markdown (with
``pymdownx.escapeall``) then show it literally. No tag, link, emphasis,
heading marker or template syntax from an article survives as markup.
"""

from __future__ import annotations

import string

from generator.ingest.invisible import strip_invisible

# Characters that close or open markup where MkDocs/Material print a page
# title unescaped (<title>, navigation, attributes): replaced by look-alikes.
_TITLE_SWAP = str.maketrans({"<": "‹", ">": "›", '"': "”", "`": "‘", "\\": "∖"})


# Backslash first, so the escapes added after it are not escaped again. A
# replace per mark the text holds is several times faster than str.translate,
# which looks every character up in a dict.
_ESCAPES = [(c, "\\" + c) for c in "\\" + string.punctuation.replace("\\", "")]


def md_text(text: str) -> str:
    """Article text as inert Markdown inline content, on one line.

    Runs of white space become one space; a leading or trailing one is kept,
    so that separators such as ", " survive.
    """
    text = strip_invisible(text)
    body = " ".join(text.split())
    for mark, escaped in _ESCAPES:
        if mark in body:
            body = body.replace(mark, escaped)
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and body else ""
    return lead + body + trail


def page_title(text: str) -> str:
    """A title safe where MkDocs/Material print it without escaping."""
    return " ".join(strip_invisible(text).translate(_TITLE_SWAP).split())
