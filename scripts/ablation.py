"""Ablation: each retrieval feature switched on in turn, all metrics, on one or more question sets.

    .venv/bin/python scripts/ablation.py                      # public set, prints Markdown
    .venv/bin/python scripts/ablation.py --all --write docs/ablation.md

Rows: dense only; + BM25 (weighted fusion); + lay-term lexicon; + sentence-level evidence
(sentence similarity in ranking and sentence choice in answers; without it the answer is the
top passage's first two sentences); + follow-up handling; + BM25 over each passage's bank
questions (= the shipped configuration). A last
row swaps weighted fusion for reciprocal-rank fusion to justify the fusion choice.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from assistant.answer import Assistant
from assistant.evaluate import METRICS, format_metric, load_questions, run_eval
from assistant.index import load_index, query_embedder
from assistant.retrieve import RetrievalConfig, Retriever

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
FULL = RetrievalConfig()
EXTRA_SETS = (
    ("dev", "Dev questions (ours, written while building)"),
    ("holdout", "Held-out questions (written blind; used to find general weaknesses)"),
    ("blind2", "Second blind set (written blind; measured once before any change it prompted)"),
)
ROWS = [
    ("dense only", replace(FULL, lexical=False, lexicon=False, sentences=False, followup=False)),
    ("+ BM25 (weighted)", replace(FULL, lexicon=False, sentences=False, followup=False)),
    ("+ lexicon", replace(FULL, sentences=False, followup=False)),
    ("+ sentence evidence", replace(FULL, followup=False)),
    ("+ follow-up handling", replace(FULL, bank_words_weight=0.0)),
    ("+ bank words (BM25 over the question bank; shipped)", FULL),
    ("shipped, RRF instead of weighted", replace(FULL, fusion="rrf")),
]


def table(name: str, path: Path, index, embedder) -> list[str]:
    questions, _ = load_questions(path)
    lines = [
        f"**{name}** (`{path.relative_to(DATA.parent.parent)}`, {len(questions)} questions)",
        "",
        "| configuration | " + " | ".join(METRICS) + " |",
        "|---|" + "---|" * len(METRICS),
    ]
    for label, config in ROWS:
        assistant = Assistant(index, Retriever(index, embedder, config=config))
        overall = run_eval(questions, lambda q, h, a=assistant: a.ask(q, h).to_json())["overall"]
        lines.append(
            f"| {label} | " + " | ".join(format_metric(overall[m], m) for m in METRICS) + " |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--all", action="store_true", help="also run our dev, holdout and blind2 sets"
    )
    parser.add_argument("--write", type=Path, help="also write the Markdown to this file")
    args = parser.parse_args()
    index = load_index()
    embedder = query_embedder(index)
    out = table("Public questions", DATA / "questions_public.jsonl", index, embedder)
    if args.all:
        for name, label in EXTRA_SETS:
            out += ["", *table(label, DATA / f"questions_{name}.jsonl", index, embedder)]
    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
