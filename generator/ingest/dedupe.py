"""One Article per text: exact copies dropped, and every slug made unique, in path order."""

from __future__ import annotations

from dataclasses import replace

from generator.models import Article


def dedupe(articles: list[Article]) -> tuple[list[Article], list[str]]:
    """Exact duplicates dropped, with a warning each; colliding slugs given a stable suffix."""
    warnings: list[str] = []
    seen_content: dict[str, str] = {}
    taken = {"index"}  # articles/index.md is the list of articles
    out: list[Article] = []
    for article in sorted(articles, key=lambda a: a.path):
        if article.content_hash in seen_content:
            warnings.append(f"{article.path}: same text as {seen_content[article.content_hash]}; skipped as a duplicate")
            continue
        seen_content[article.content_hash] = article.path
        slug = article.slug
        if slug in taken:
            slug = f"{slug[:50]}-{article.content_hash[:8]}"
        taken.add(slug)
        out.append(article if slug == article.slug else replace(article, slug=slug))
    return out, warnings
