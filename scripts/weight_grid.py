"""Sensitivity of the fusion weights: a 3x3x3 grid over dense / best-sentence / BM25 weights.

    .venv/bin/python scripts/weight_grid.py

For each point: mean MRR@5, reading cost, false-abstain and abstain-recall over the sets not used
to build the rules (dev, holdout, blind2), and the public set's MRR@5 and reading cost. A flat
landscape means the shipped weights are not fitted to particular questions.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

from assistant.answer import Assistant
from assistant.evaluate import load_questions, run_eval
from assistant.index import load_index, query_embedder
from assistant.retrieve import RetrievalConfig, Retriever

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
HELD = ("dev", "holdout", "blind2")


def main() -> None:
    index = load_index()
    embedder = query_embedder(index)
    sets = {n: load_questions(DATA / f"questions_{n}.jsonl")[0] for n in ("public", *HELD)}
    shipped = RetrievalConfig()
    print("dense sent  bm25 | held MRR held cost held f.abst held abst | pub MRR pub cost")
    for dense, sentence, lexical in itertools.product(
        (0.3, 0.45, 0.6), (0.2, 0.35, 0.5), (0.2, 0.3, 0.45)
    ):
        config = replace(
            shipped, dense_weight=dense, sentence_weight=sentence, lexical_weight=lexical
        )
        assistant = Assistant(index, Retriever(index, embedder, config=config))
        res = {
            n: run_eval(qs, lambda q, h, a=assistant: a.ask(q, h).to_json())["overall"]
            for n, qs in sets.items()
        }

        def held(metric: str, res: dict = res) -> float:
            return sum(res[n][metric] for n in HELD) / len(HELD)

        mark = (
            " <- shipped"
            if (dense, sentence, lexical)
            == (shipped.dense_weight, shipped.sentence_weight, shipped.lexical_weight)
            else ""
        )
        print(
            f"{dense:5.2f} {sentence:4.2f} {lexical:5.2f} | {held('mrr@5'):8.3f} "
            f"{held('reading_cost'):9.0f} {held('false_abstain'):10.3f} "
            f"{held('abstain_recall'):9.3f} "
            f"| {res['public']['mrr@5']:7.3f} {res['public']['reading_cost']:8.0f}{mark}",
            flush=True,
        )


if __name__ == "__main__":
    main()
