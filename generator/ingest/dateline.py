"""The publication date a wire-style dateline gives, for articles whose metadata has none.

A dateline opens the article: "MOSCOW, March 3, 2024 (Reuters) -",
"BEIJING, 21 May 2024 /Xinhua/ --", "March 3, 2024 —". Only a full date
counts (a dateline without a year names no day), and only at the very
start of the text followed by the agency or a dash, so that a date the
story is about ("On March 3, 2024, troops...") is never taken for the day
it was published. File times and git history are never used.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"[A-Za-z]{3,9}\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATES = (  # month first, day first, ISO
    rf"(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}),?\s+(?P<y1>\d{{4}})",
    rf"(?P<d2>{_DAY})\s+(?P<m2>{_MONTH}),?\s+(?P<y2>\d{{4}})",
    r"(?P<iso>\d{4}-\d{2}-\d{2})",
)
# An optional place in capitals, an optional weekday, the date, then the agency or a dash.
_DATELINE = re.compile(
    rf"\A\s*(?:[A-Z][A-Z .'’-]{{1,40}},\s+)?(?:[A-Z][a-z]{{2,8}}day,?\s+)?(?:{'|'.join(_DATES)})"
    r"\s*(?:\([^()\n]{1,40}\)|/[^/\n]{1,40}/)?\s*(?:[-–—]{1,2}|:)\s"
)


def dateline_date(text: str) -> date | None:
    """The day the dateline at the start of ``text`` gives, or None when it has none or it is no real day."""
    m = _DATELINE.match(text[:200])
    if m is None:
        return None
    try:
        if m["iso"]:
            return date.fromisoformat(m["iso"])
        name, day, year = (m["m1"], m["d1"], m["y1"]) if m["m1"] else (m["m2"], m["d2"], m["y2"])
        month = _MONTHS.get(name.rstrip(".").lower())
        return date(int(year), month, int(day.rstrip("stndrh"))) if month else None
    except ValueError:  # February 30, month 13
        return None
