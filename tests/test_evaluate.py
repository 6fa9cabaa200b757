"""The metrics, on hand-made results whose values are known."""

from __future__ import annotations

import pytest

from assistant.evaluate import aggregate, facts_share, hits_gold, reading_cost, score_result, tokens


def test_tokens_follow_the_definition() -> None:
    assert tokens("BMI ≥25, T/E2 9.0 → 26.5!") == ["bmi", "ge", "25", "t", "e2", "9.0", "26.5"]


def test_hit_needs_eighty_percent_of_gold_tokens() -> None:
    gold = "one two three four five"
    assert hits_gold("one two three four", gold)
    assert not hits_gold("one two three", gold)


def test_reading_cost_counts_until_first_hit_or_penalises() -> None:
    golds = ["alpha beta"]
    assert reading_cost(["xx", "alpha beta", "zzz"], golds) == 2 + 10
    assert reading_cost(["xx", "yy"], golds) == 4 + 2000


def test_facts_share_accepts_alternatives() -> None:
    assert facts_share("Twelve months", ["12|twelve", "months", "zebra"]) == pytest.approx(2 / 3)


def test_score_result_and_aggregate() -> None:
    question = {"id": "q", "style": "patient", "gold": ["alpha beta"], "answer_facts": ["alpha"]}
    result = {
        "answer": "alpha [1]",
        "abstained": False,
        "citations": [{"text": "alpha beta"}],
        "retrieved": [{"text": "nothing"}, {"text": "alpha beta"}],
    }
    row = score_result(question, result)
    assert row.values["hit@1"] == 0 and row.values["hit@3"] == 1 and row.values["mrr@5"] == 0.5
    oos = score_result(
        {"id": "o", "style": "out_of_scope", "gold": []},
        {"answer": "no", "abstained": True, "citations": [], "retrieved": []},
    )
    overall = aggregate([row, oos])
    assert overall["abstain_recall"] == 1.0 and overall["false_abstain"] == 0.0
