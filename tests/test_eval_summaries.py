"""The summary evaluation on a small inline data set."""

from __future__ import annotations

import json
from pathlib import Path

from generator.evaluation import harness
from generator.evaluation.summaries import evaluate as evaluate_summaries

ARTICLE = (
    "The central bank raised interest rates by half a point on Thursday. "
    "Officials said inflation had stayed above target for a year.\n\n"
    "Shares fell sharply after the decision. Analysts at Acme Corp. expected the rise. "
    "The bank's governor, Dr. Jane Smith, said further rises were possible. "
    "Mortgage lenders are expected to pass the rise on to borrowers."
)
RECORDS = [
    {
        "id": "one",
        "title": "Bank raises interest rates",
        "text": ARTICLE,
        "summary": "The central bank raised interest rates by half a point on Thursday. "
        "The bank's governor, Dr. Jane Smith, said further rises were possible.",
        "summary_sentences": 2,
    },
    {
        "id": "two",
        "title": None,
        "text": "Rain fell all day. The river rose to a record level. Roads were closed near the river.",
        "summary": "The river rose to a record level.",
        "summary_sentences": 1,
    },
    {
        "id": "three",
        "title": "Team wins cup",
        "text": "The team won the cup final 2-1. The captain scored twice. Fans celebrated in the streets.",
        "summary": "The team won the cup final 2-1. The captain scored twice. Fans celebrated in the streets.",
        "summary_sentences": 3,
    },
]


def test_structure_and_sane_numbers() -> None:
    result = evaluate_summaries(RECORDS)
    assert result["n"] == 3
    methods = result["methods"]
    assert {"briefing", "lead3", "leadk"} <= set(methods)
    sumy = {"lexrank", "textrank", "lsa", "luhn"}
    assert sumy <= set(methods) or set(result["skipped"]) == sumy
    for scores in methods.values():
        assert set(scores) == {"rouge1", "rouge2", "rougeL", "words", "ms_per_doc"}
        assert 0.0 <= scores["rouge2"] <= scores["rouge1"] <= 100.0
        assert scores["words"] > 0
    # Record three's reference is the whole article: every method finds it.
    # LEAD-3 takes all of record one's first paragraph and more, so LEAD-k
    # (budget 2, 1, 3) must be at least as precise as LEAD-3 on these.
    assert methods["leadk"]["words"] < methods["lead3"]["words"]
    assert methods["briefing"]["rouge1"] > 60.0


def test_perfect_summary_scores_100() -> None:
    result = evaluate_summaries([RECORDS[2]])
    assert round(result["methods"]["leadk"]["rouge1"], 6) == 100.0
    assert round(result["methods"]["leadk"]["rougeL"], 6) == 100.0


def test_runs_from_a_jsonl_file(tmp_path: Path) -> None:
    data = tmp_path / "data.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    result = harness.run("summaries", data, limit=2)
    assert result["n"] == 2
    assert "| briefing |" in harness.format_table(result)
