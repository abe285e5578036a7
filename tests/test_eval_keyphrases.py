"""The keyphrase evaluation: protocol and output shape."""

from __future__ import annotations

from generator.evaluation import keyphrases as ev


def test_normalize_lowercases_and_stems_each_word() -> None:
    assert ev.normalize("Economic Sanctions") == ev.normalize("economic sanction")
    assert ev.normalize("3-Day Phestival") == "3 day phestiv"


def test_gold_deduplicated_after_normalization() -> None:
    assert len(ev.gold_set(["Sanctions", "sanction", "SANCTION", ""])) == 1


def test_scores_at_k_divide_by_k_and_ignore_duplicates() -> None:
    gold = ev.gold_set(["sanction", "oil price", "Moscow"])
    p, r, f = ev.scores_at(["sanctions", "Sanction", "Moscow", "weather"], gold, 2)
    assert (p, r) == (1.0, 2 / 3)  # the duplicate is dropped before the cut
    assert abs(f - 0.8) < 1e-9
    assert ev.scores_at([], gold, 5) == (0.0, 0.0, 0.0)


def test_evaluate_shape_and_empty_text() -> None:
    records = [
        {"id": "a", "title": "Oil prices rise as sanctions bite", "text": "", "keyphrases": ["oil prices", "sanctions"]},
        {"id": "b", "title": None, "text": "Oil prices rose in Moscow.\nSanctions bite.", "keyphrases": ["Moscow"]},
    ]
    result = ev.evaluate(records)
    assert result["n"] == 2
    assert set(result["methods"]) == {"briefing", "yake"}
    for scores in result["methods"].values():
        assert set(scores) == {"p@5", "r@5", "f1@5", "p@10", "r@10", "f1@10", "ms_per_doc"}
        assert all(0 <= v <= 100 for k, v in scores.items() if k != "ms_per_doc")


def test_document_is_title_then_text() -> None:
    assert "\n".join(ev.document_segments({"title": "T", "text": "a\nb"})) == "T\na\nb"
