"""The figures page (claims across sources), the quotes page, story pages' figures and the PDF's Figures and claims chapter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import build
from generator.config import Settings
from generator.report import Report
from tests.conftest import project

TRADE = "---\ntitle: {title}\nsource: {source}\npublished: 2024-02-1{day}\n---\n{body}\n\nOfficials met in Beijing for two days of talks on energy.\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = project(tmp_path_factory.mktemp("claims"), demo=True)
    build.generate(settings)
    return settings


def _page(settings: Settings, rel: str) -> str:
    return (settings.docs / rel).read_text(encoding="utf-8")


def test_demo_trade_figure_is_corroborated_by_three_articles(demo: Settings) -> None:
    page = _page(demo, "figures/index.md")
    corroborated = page.split("## Corroborated", 1)[1].split("## Contradicted", 1)[0]
    entry = corroborated.split("### bilateral trade\\, 2023: \\$200 billion", 1)[1].split("###", 1)[0]
    assert "**corroborated** · 3 articles" in entry
    cited = set(re.findall(r"\(\.\./articles/([a-z0-9-]+)\.md#sent-\d+\)", entry))
    assert cited == {
        "russia-china-defense-ministers-qingdao",
        "putin-visit-russia-china-friendship",
        "sino-russian-alignment-assessment",
    }


def test_demo_experts_are_quoted_with_their_roles_and_flagged_single_source(demo: Settings) -> None:
    page = _page(demo, "quotes/index.md")
    assert (
        "Eleanor Harding, Senior Fellow at the International Studies Institute — quoted in 1 article · **single source**" in page
    )
    assert "## Alistair Davies" in page and "King’s College London" in page
    assert "“The fundamental drivers of the relationship" in page


def test_anchors_are_plain_slugs_and_story_pages_link_their_figures(demo: Settings) -> None:
    page = _page(demo, "figures/index.md")
    assert "{: #bilateral-trade-2023-dollar }" in page
    assert all(re.fullmatch(r"[a-z0-9-]+", a) for a in re.findall(r"\{: #([^ ]+) \}", page))
    stories = [p.read_text(encoding="utf-8") for p in (demo.docs / "stories").glob("*.md") if p.name != "index.md"]
    assert any("(../figures/index.md#bilateral-trade-2023-dollar) — corroborated" in s for s in stories)


def test_sources_that_disagree_make_a_contradicted_claim(tmp_path: Path) -> None:
    files = {
        "a.md": TRADE.format(
            title="Trade grows", source="Wire One", day=1, body="Bilateral trade grew 30% in 2023, officials said."
        ),
        "b.md": TRADE.format(
            title="Trade surges", source="Wire Two", day=2, body="Bilateral trade grew 45% in 2023, customs data show."
        ),
    }
    settings = project(tmp_path, files)
    build.generate(settings)
    page = _page(settings, "figures/index.md")
    contradicted = page.split("## Contradicted", 1)[1].split("## Single source", 1)[0]
    assert "30\\%" in contradicted and "45\\%" in contradicted and "2 sources" in contradicted


def test_hostile_text_in_figures_and_quotes_stays_text(tmp_path: Path) -> None:
    body = '"<script>alert(1)</script> is the plan for all of us," said Dr. <b>Evil</b> Person, head of <i>Things</i>. Trade hit $5 billion <img src=x> in 2022.'
    settings = project(tmp_path, {"h.md": TRADE.format(title="<script>x</script>", source="<b>S</b>", day=3, body=body)})
    build.generate(settings)
    for rel in ("figures/index.md", "quotes/index.md"):
        assert not re.search(r"(?<!\\)<", _page(settings, rel)), rel


def test_figures_in_article_text_link_their_claim_with_its_status(demo: Settings) -> None:
    page = _page(demo, "articles/russia-china-defense-ministers-qingdao.md")
    assert '[\\$200 billion](../figures/index.md#bilateral-trade-2023-dollar "corroborated")' in page


def test_a_person_named_in_one_story_only_is_marked_on_their_page(demo: Settings) -> None:
    story = next(s for s in build.corpus_digest(demo, Report()).stories if "exclusive-insights-secret-talks" in s.members)
    page = _page(demo, "topics/andrei-bozhovsky.md")
    assert "Named in one story only: [" in page and f"(../stories/{story.slug}.md)" in page
    assert "Named in one story only" not in _page(demo, "topics/china.md")


def test_demo_gas_volume_is_single_source_from_seed_002(demo: Settings) -> None:
    single = _page(demo, "figures/index.md").split("## Single source", 1)[1]
    entry = next(e for e in single.split("### ")[1:] if "38 billion cubic metres" in e)
    assert "**single source** · 1 article" in entry
    assert "(../articles/putin-visit-russia-china-friendship.md#sent-" in entry


def test_an_article_with_another_2023_trade_figure_makes_a_contradiction_naming_both(tmp_path: Path) -> None:
    other = "---\ntitle: Trade slows\nsource: Wire Three\n---\nIn 2023, bilateral trade between Russia and China reached $150 billion, officials said.\n"
    settings = project(tmp_path, {"trade-slows.md": other}, demo=True)
    build.generate(settings)
    contradicted = _page(settings, "figures/index.md").split("## Contradicted", 1)[1].split("## Single source", 1)[0]
    entry = next(e for e in contradicted.split("### ")[1:] if e.startswith("bilateral trade"))
    assert "\\$200 billion" in entry and "\\$150 billion" in entry
    assert (
        "(../articles/trade-slows.md#sent-" in entry and "(../articles/russia-china-defense-ministers-qingdao.md#sent-" in entry
    )


def test_huge_malformed_and_mixed_figures_give_no_crash_and_no_inf_or_nan(tmp_path: Path) -> None:
    body = (
        "Reserves reached 1e309 dollars in 2021, a figure of " + "9" * 400 + " units. "
        "The fund holds $999,999,999 trillion, €5 billion and £3 million in 2022, it said."
    )
    settings = project(tmp_path, {"odd.md": TRADE.format(title="Odd figures", source="Wire", day=4, body=body)})
    report = build.generate(settings)
    assert not report.errors
    for rel in ("figures/index.md", "articles/odd.md"):
        page = _page(settings, rel)
        assert not re.search(r"\b(?:inf|nan)\b", page, flags=re.IGNORECASE), rel
