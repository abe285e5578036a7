"""Who is quoted across the corpus: each speaker's quotations, roles and the sources that quote them.

A speaker quoted by one source only is flagged as such on the quotes page:
a reader weighs an expert whom one outlet alone quotes differently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from generator.ingest.clean import slugify
from generator.linking.topics import unique_slug
from generator.models import Analysis, Article, Speaker


def speakers(articles: Sequence[Article], analyses: Mapping[str, Analysis], versions: Mapping[str, str]) -> tuple[Speaker, ...]:
    """Every speaker, most quoted by distinct articles first; ``versions`` maps a later version to its first."""
    quotes: dict[str, list[tuple[str, int]]] = {}
    names: dict[str, Counter[str]] = {}
    roles: dict[str, Counter[str]] = {}
    for article in articles:
        for n, quote in enumerate(analyses[article.slug].quotes):
            key = " ".join(quote.speaker.lower().split())
            quotes.setdefault(key, []).append((article.slug, n))
            names.setdefault(key, Counter())[quote.speaker] += 1
            if quote.role:
                roles.setdefault(key, Counter())[quote.role] += 1
    by_slug = {a.slug: a for a in articles}
    out = []
    taken: set[str] = set()
    for key in sorted(quotes):
        cited = quotes[key]
        slug = unique_slug(slugify(key), taken)
        out.append(
            Speaker(
                name=_most(names[key]),
                slug=slug,
                roles=tuple(r for r, _ in sorted(roles.get(key, Counter()).items(), key=lambda kv: (-kv[1], kv[0]))),
                quotes=tuple(cited),
                sources=tuple(sorted({s for a, _ in cited if (s := by_slug[a].meta.source)})),
                articles=len({versions.get(a, a) for a, _ in cited}),
            )
        )
    return tuple(sorted(out, key=lambda s: (-s.articles, -len(s.quotes), s.name.lower(), s.slug)))


def single_source(speaker: Speaker) -> bool:
    """Quoted by one article (or versions of it), or by articles of one stated source only."""
    return speaker.articles == 1 or len(speaker.sources) == 1


def _most(counts: Counter[str]) -> str:
    return min(counts, key=lambda name: (-counts[name], -len(name), name))
