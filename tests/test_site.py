"""The demo corpus built into a real MkDocs site with --strict."""

from __future__ import annotations

import re

from generator.config import Settings
from tests.conftest import DEMO_CORPUS
from tests.test_clean import BOILERPLATE


def _article_pages(settings: Settings) -> dict[str, str]:
    pages = {}
    for path in sorted((settings.site / "articles").glob("*/index.html")):
        pages[path.parent.name] = path.read_text(encoding="utf-8")
    return pages


def _main(html: str) -> str:
    """The article content, without navigation and chrome."""
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    assert match, "no article element"
    return match.group(1)


def test_every_demo_article_has_a_page(demo_site: Settings) -> None:
    slugs = {p.stem for p in DEMO_CORPUS.iterdir()}
    assert set(_article_pages(demo_site)) == slugs


def test_article_pages_have_summary_keyphrases_and_no_boilerplate(demo_site: Settings) -> None:
    for slug, html in _article_pages(demo_site).items():
        main = _main(html)
        assert 'id="summary"' in main, slug
        assert main.count('summary-sentence"') >= 1, slug
        assert main.count("md-tag") >= 3, slug
        assert 'id="related-articles"' in main, slug
        text = re.sub(r"<[^>]+>", " ", main)
        for phrase in BOILERPLATE:
            assert phrase not in text, (slug, phrase)


def test_summary_links_point_at_highlighted_sentences(demo_site: Settings) -> None:
    for slug, html in _article_pages(demo_site).items():
        targets = re.findall(r'href="#(sent-\d+)"', html)
        assert targets, slug
        for target in targets:
            assert re.search(rf'<mark class="s summary-sentence" id="{target}">', html), (slug, target)


def test_keyphrase_tags_link_to_topic_pages(demo_site: Settings) -> None:
    html = _article_pages(demo_site)["russia-china-defense-ministers-qingdao"]
    links = re.findall(r'<a class="md-tag" href="\.\./\.\./topics/([a-z0-9-]+)/"', html)
    assert links
    for slug in links:
        assert (demo_site.site / "topics" / slug / "index.html").exists()


def test_headings_and_lists_are_restored(demo_site: Settings) -> None:
    main = _main(_article_pages(demo_site)["china-russia-partnership-western-order"])
    assert re.search(r"<h3[^>]*>Historical Background of China-Russia Relations", main)
    assert re.search(r"<li>.*?Early Cooperation and Conflict.*?<ul>", main, re.S)


def test_home_index_and_topic_pages(demo_site: Settings) -> None:
    home = (demo_site.site / "index.html").read_text(encoding="utf-8")
    assert "Top stories" in home and "Newest articles" in home and "topics/" in home and "stories/" in home
    index = (demo_site.site / "articles" / "index.html").read_text(encoding="utf-8")
    assert index.count('href="../articles/') + index.count('href="') >= 5
    topics = list((demo_site.site / "topics").glob("*/index.html"))
    assert topics
    for page in topics:
        assert page.read_text(encoding="utf-8").count('href="../../articles/') >= 2, page


def test_navigation_holds_only_index_pages(demo_site: Settings) -> None:
    # Material repeats the nav on every page: with articles in it the site grows quadratically.
    home = (demo_site.site / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', home, re.S)
    assert nav
    assert "russia-china-defense-ministers-qingdao" not in nav.group(0)


def test_hand_written_page_is_built_and_untouched(demo_site: Settings) -> None:
    assert (demo_site.docs / "about.md").read_text(encoding="utf-8").startswith("# About this briefing")
    assert (demo_site.site / "about" / "index.html").exists()


def test_topic_links_in_text_never_in_headings_or_nested(demo_site: Settings) -> None:
    linked = 0
    for slug, html in _article_pages(demo_site).items():
        main = _main(html)
        for heading in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", main, re.S):
            assert "topics/" not in heading, (slug, heading)
        assert not re.search(r"<a [^>]*>[^<]*<a ", main), slug
        body = main.split('id="full-text"', 1)[1].split('id="related-articles"', 1)[0]
        linked += body.count('href="../../topics/')
    assert linked > 0
