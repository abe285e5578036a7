"""Story clustering: same-event articles join, same-kind events stay apart, and the evaluation scores."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest

from generator.analysis.story_keys import counted_keys, key_code, story_features
from generator.evaluation.stories import b_cubed, evaluate, pairwise_f1
from generator.linking.stories import Item, assign, cluster, near_duplicates
from generator.models import Story

# Invented articles: two earthquakes (different places, dates, magnitudes, officials), a festival.
ARTICLES: dict[str, tuple[str | None, str, date | None, str]] = {
    "quake-a1": (
        "Strong earthquake hits Merrowdale, killing 14",
        "A magnitude 6.4 earthquake struck the hill town of Merrowdale in northern Valdoria on Tuesday.\n\n"
        "At least 14 people were killed and dozens injured when buildings collapsed, Governor Ilse Brannock said.\n\n"
        "Rescue teams from Quorry worked through the night to reach families trapped in the old market district.",
        date(2031, 3, 4),
        "valdoria-herald.example",
    ),
    "quake-a2": (
        None,
        "Rescuers in Merrowdale searched collapsed homes on Wednesday after the magnitude 6.4 quake killed 14 people.\n\n"
        "Governor Ilse Brannock declared three days of mourning across northern Valdoria.\n\n"
        "The earthquake destroyed the Merrowdale market hall and cut the road to Quorry.",
        date(2031, 3, 5),
        "wire.example",
    ),
    "quake-a3": (
        "Valdoria quake: death toll stays at 14",
        "Officials in Valdoria said the death toll from the Merrowdale earthquake remained at 14.\n\n"
        "Governor Ilse Brannock visited the injured in Quorry hospital, where 40 people were treated.\n\n"
        "Engineers warned that aftershocks of the 6.4 quake could bring down damaged buildings.",
        date(2031, 3, 6),
        "daily-courier.example",
    ),
    "quake-b1": (
        "Earthquake shakes Ostfield coast, three dead",
        "A magnitude 5.1 earthquake struck the port of Ostfield in southern Kestrania on Friday.\n\n"
        "Three people were killed when a warehouse collapsed, Mayor Dario Felk told reporters.\n\n"
        "Rescue teams from Lunmere searched the harbour district for survivors.",
        date(2031, 9, 19),
        "kestrania-times.example",
    ),
    "quake-b2": (
        None,
        "Mayor Dario Felk said the Ostfield earthquake killed three people and injured 22.\n\n"
        "The magnitude 5.1 quake damaged the harbour wall and several buildings in southern Kestrania.\n\n"
        "Rescuers from Lunmere ended their search on Saturday.",
        date(2031, 9, 20),
        "wire.example",
    ),
    "quake-b3": (
        "Kestrania counts the cost of the Ostfield quake",
        "Insurers in Kestrania estimated the damage from the Ostfield earthquake at 90 million.\n\n"
        "Mayor Dario Felk promised to rebuild the harbour warehouses destroyed by the 5.1 quake.\n\n"
        "Three victims were buried in Lunmere on Sunday.",
        date(2031, 9, 22),
        "business-daily.example",
    ),
    "festival-1": (
        "Lantern festival draws record crowds to Pellham",
        "More than 80,000 visitors came to the Pellham lantern festival on the river Avel this weekend.\n\n"
        "Organiser Marta Quill said paper lanterns from 30 countries floated past the old mill.\n\n"
        "The festival closes with fireworks over the Avel on Monday night.",
        date(2031, 6, 14),
        "pellham-post.example",
    ),
}
EVENTS = {"quake-a": {"quake-a1", "quake-a2", "quake-a3"}, "quake-b": {"quake-b1", "quake-b2", "quake-b3"}}

WIRE = (
    "The city council of Brackwater voted on Thursday to close the old ferry terminal at the end of the year. "
    "Councillors said the terminal had lost money for a decade and that the harbour needed the space for a new "
    "fish market. Ferry passengers will use the north pier instead, where a new waiting hall is being built. "
    "Local traders, who had campaigned to keep the terminal open, said they would appeal the decision. "
    "The ferry company said timetables would not change and that tickets already sold remain valid. "
    "A public meeting on the plans for the fish market is planned for next month at the town hall."
)


def _items(ids: list[str] | None = None) -> list[Item]:
    chosen = ids if ids is not None else list(ARTICLES)
    return [(i, story_features(ARTICLES[i][0], ARTICLES[i][1]), ARTICLES[i][2], ARTICLES[i][3]) for i in chosen]


def _memberships(stories: tuple[Story, ...]) -> set[frozenset[str]]:
    return {frozenset(s.members) for s in stories}


def test_same_event_articles_join_and_same_kind_events_stay_apart() -> None:
    groups = _memberships(cluster(_items()))
    assert frozenset(EVENTS["quake-a"]) in groups
    assert frozenset(EVENTS["quake-b"]) in groups
    assert frozenset({"festival-1"}) in groups


def test_every_article_in_exactly_one_story() -> None:
    stories = cluster(_items())
    members = [m for s in stories for m in s.members]
    assert sorted(members) == sorted(ARTICLES)
    assert len({s.slug for s in stories}) == len(stories)


def test_slug_is_the_earliest_member_and_members_are_all_there() -> None:
    stories = {s.slug: s for s in cluster(_items())}
    assert set(stories["quake-a1"].members) == EVENTS["quake-a"]
    assert set(stories["quake-b1"].members) == EVENTS["quake-b"]


def test_deterministic_whatever_the_input_order() -> None:
    items = _items()
    expected = cluster(items)
    for seed in range(3):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)  # noqa: S311 (test order, not secrets)
        assert cluster(shuffled) == expected


def test_incremental_assignment_equals_a_full_recluster() -> None:
    first = ["quake-a1", "quake-a2", "quake-b1", "quake-b2", "festival-1"]
    existing = cluster(_items(first))
    updated = assign(existing, _items())
    full = cluster(_items())
    assert _memberships(updated) == _memberships(full)
    # Each story keeps the slug it had before the new articles came.
    before = {frozenset(s.members): s.slug for s in existing}
    for story in updated:
        older = [slug for members, slug in before.items() if members <= set(story.members)]
        assert story.slug in older


def test_a_story_keeps_its_slug_when_an_earlier_article_joins() -> None:
    later = ["quake-a2", "quake-a3", "quake-b1", "quake-b2", "quake-b3"]
    existing = cluster(_items(later))
    assert "quake-a2" in {s.slug for s in existing}
    updated = {frozenset(s.members): s.slug for s in assign(existing, _items([*later, "quake-a1"]))}
    assert updated[frozenset(EVENTS["quake-a"])] == "quake-a2"  # a full recluster would call it quake-a1


def test_near_duplicates_group_versions_of_one_text() -> None:
    edited = WIRE.replace("on Thursday", "on Thursday evening") + " (Reporting by Ana Holt.)"  # shingle Jaccard 0.88
    rewritten = (
        WIRE.replace("on Thursday", "on Thursday evening").replace("next month", "in May").replace("a decade", "ten years")
    )
    items = [
        ("wire-3", story_features(None, rewritten)),  # 0.73: a version edited further is no near-duplicate
        ("wire-1", story_features(None, WIRE)),
        ("wire-2", story_features("Brackwater to close ferry terminal", edited)),
        *[(i, story_features(ARTICLES[i][0], ARTICLES[i][1])) for i in ARTICLES],
    ]
    assert near_duplicates(items) == (("wire-1", "wire-2"),)


def test_near_duplicates_join_one_story_even_with_different_titles() -> None:
    edited = WIRE.replace("on Thursday", "on Thursday evening")
    items = [
        ("wire-1", story_features(None, WIRE), None, None),
        ("wire-2", story_features("Ferry terminal to close", edited), None, None),
    ]
    assert _memberships(cluster(items)) == {frozenset({"wire-1", "wire-2"})}


def test_features_are_pure_and_kinds_are_recognised() -> None:
    title, text = ARTICLES["quake-a1"][:2]
    features = story_features(title, text)
    assert features == story_features(title, text)
    keys = counted_keys(title, text)
    # Packed as clustering reads them: each key's code, ascending, with its count.
    packed = dict(zip(np.frombuffer(features.keys, "<u8").tolist(), np.frombuffer(features.counts, "<u4").tolist(), strict=True))
    assert packed == {key_code(key): count for key, count in keys.items()}
    assert list(packed) == sorted(packed)
    assert "n:merrowdale" in keys  # a name
    assert "n:governor ilse brannock" in keys  # a run of capitalized words
    assert "d:6.4" in keys  # a figure
    assert "d:14" in keys
    assert "w:earthquake" in keys  # a content word
    assert "n:strong" not in keys  # a headline capital is not a name


def test_metrics_on_a_hand_computed_example() -> None:
    gold = ["x", "x", "x", "y", "y"]
    predicted = [1, 1, 2, 2, 2]
    precision, recall, f1 = b_cubed(predicted, gold)
    # Precision: 1, 1, then 1/3 for the third x and 2/3 for each y; recall: 2/3, 2/3, 1/3, 1, 1.
    assert precision == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    assert recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert f1 == pytest.approx(2 * precision * recall / (precision + recall))
    # Pairs: predicted {01, 23, 24, 34}, gold {01, 02, 12, 34}: two shared.
    assert pairwise_f1(predicted, gold) == pytest.approx(2 * 0.5 * 0.5 / (0.5 + 0.5))


def _records() -> list[dict[str, object]]:
    story = {i: next((e for e, members in EVENTS.items() if i in members), i) for i in ARTICLES}
    return [
        {"id": i, "title": t, "text": x, "published": d.isoformat() if d else None, "source": s, "story": story[i]}
        for i, (t, x, d, s) in ARTICLES.items()
    ]


def test_evaluate_scores_every_method() -> None:
    pytest.importorskip("sklearn")  # the TF-IDF baseline is a dev extra
    result = evaluate(_records())
    assert result["n"] == 7
    assert list(result["methods"]) == ["briefing", "tfidf", "singletons"]
    briefing = result["methods"]["briefing"]
    assert list(briefing) == ["b3_p", "b3_r", "b3_f1", "pairwise_f1", "clusters", "ms_per_article"]
    assert (briefing["b3_p"], briefing["b3_r"], briefing["b3_f1"], briefing["pairwise_f1"], briefing["clusters"]) == (
        100.0,
        100.0,
        100.0,
        100.0,
        3,
    )
    singletons = result["methods"]["singletons"]
    # Each quake article finds 1 of its 3: recall (6 * 1/3 + 1) / 7; no pairs at all.
    assert (singletons["b3_p"], singletons["b3_r"], singletons["pairwise_f1"], singletons["clusters"]) == (100.0, 42.86, 0.0, 7)


def test_demo_corpus_joins_only_the_two_reports_of_the_qingdao_meeting() -> None:
    from generator.ingest.clean import clean
    from generator.ingest.readers import read
    from tests.conftest import DEMO_CORPUS

    articles = [clean(read(p, DEMO_CORPUS, 10**7)) for p in sorted(DEMO_CORPUS.glob("*.txt"))]
    items: list[Item] = [
        (a.slug, story_features(a.title, "\n\n".join(b.text for b in a.blocks)), a.meta.published, a.meta.source)
        for a in articles
    ]
    joined = {frozenset(s.members) for s in cluster(items) if len(s.members) > 1}
    assert joined == {frozenset({"exclusive-insights-secret-talks", "russia-china-defense-ministers-qingdao"})}


COMMENTARY = (
    "Why Valdoria keeps rebuilding",
    "Earthquakes have shaped northern Valdoria for centuries, and every generation rebuilds its hill towns.\n\n"
    "Engineers and governors argue over building codes after each quake, while rescue teams ask for more funding.\n\n"
    "Collapsed buildings, trapped families and a night of searching: the pattern repeats across the region.\n\n"
    "Historians count dozens of destructive earthquakes since records began.\n\n"
    "The market districts of the old towns are the most exposed, built of stone before any code existed.\n\n"
    "This week's disaster in Merrowdale, where Governor Ilse Brannock counted 14 dead, is only the latest.",
)


def test_commentary_on_the_theme_stays_out_of_the_event_story() -> None:
    # In a corpus this small, idf cannot tell the quake's facts from the theme's words: the essay
    # shares both with the reports, but leads with none of the quake's facts.
    items = [*_items(["quake-a1", "quake-a2", "quake-a3"]), ("essay", story_features(*COMMENTARY), None, None)]
    assert _memberships(cluster(items)) == {frozenset(EVENTS["quake-a"]), frozenset({"essay"})}


def test_two_reports_alone_in_a_corpus_still_join() -> None:
    # Every fact two articles share is in all of them: two texts may always share a specific fact.
    assert _memberships(cluster(_items(["quake-a1", "quake-a2"]))) == {frozenset({"quake-a1", "quake-a2"})}


def test_lead_keys_mark_the_first_sentences_and_headings_make_no_names() -> None:
    text = (
        "Governor Ilse Brannock opened the bridge at Merrowdale with Chilean engineers on Tuesday.\n\n"
        "Historical Context of Valdoria Bridges\n\n"
        + " ".join(f"Sentence {i} of the story goes on." for i in range(6))
        + "\n\nLater the engineers from Quorry inspected the span."
    )
    keys = counted_keys(None, text)
    assert "ln:ilse brannock" in keys and "ln:merrowdale" in keys  # the lead's facts
    assert "n:quorry" in keys and "ln:quorry" not in keys  # past the lead's five sentences
    assert "n:chilean" in keys and "ln:chilean" not in keys  # a demonym is no event's fact
    assert not {"n:context", "n:valdoria", "n:bridges"} & set(keys)  # a heading's capitals make no names
