"""Characters no article may carry: they hide or reorder text, or break the files made from it.

Readers drop them from every field they read; the site's escaping drops them
again from anything it prints, as its last line of defence.
"""

from __future__ import annotations

import re

# C0 and C1 controls, zero-width and bidi controls, lone surrogates and the two
# BMP non-characters. Besides hiding text, C1 controls, surrogates and U+FFFE/F
# are refused by YAML readers (MkDocs' front matter) and surrogates by UTF-8.
_INVISIBLE = re.compile(
    r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
    r"\ud800-\udfff\ufffe\uffff]"
)


def strip_invisible(text: str) -> str:
    """Drop control, zero-width, bidi-override and unencodable characters: they hide or reorder text."""
    # Every character _INVISIBLE matches is unprintable, and the C check is
    # several times faster than the regex on the common text that has none.
    return text if text.isprintable() else _INVISIBLE.sub("", text)
