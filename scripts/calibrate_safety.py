"""Leave-one-out check of the safety exemplar bank, the evidence behind safety.EXEMPLAR_RULES.

    .venv/bin/python scripts/calibrate_safety.py
    .venv/bin/python scripts/calibrate_safety.py --words    # safety.WORD_VETO (no model)
    .venv/bin/python scripts/calibrate_safety.py --dominated    # safety.DOMINATED

Each exemplar of corpus/safety_bank.json is classified by the rest of the bank (never by any
evaluation set) for a grid of floors and margins; the table shows, per class, the recall on that
class's exemplars and how many of the bank's negatives (mostly hard look-alikes) would fire.
Exposure and dose ship the highest recall with at most ~1.6% of negatives firing; emergency and
self-harm ship the highest recall at floor 0.40 with no margin (about 3-4% of the negatives,
nearly all look-alikes written to sit beside them: a missed line costs more than one too many).
Uses the bundled model through sentence-transformers (a development-time script; imports torch).

`--words`: the word-odds veto of an urgent vote (`safety.WORD_VETO`), also by leave-one-out
over the bank: each urgent exemplar is scored without its own words, each negative likewise;
the table shows, per threshold, the share of a class's own exemplars the veto would set aside
(must stay 0) and the share of negatives it would.

`--dominated`: how far below the best class's score an urgent class may vote
(`safety.DOMINATED`): per urgent class, the gap between the best class and the class itself
over its own exemplars, by leave-one-out; the shipped value is the 99th percentile plus 0.02
(about 1 in 100 of a class's own exemplars, the hardest phrasings, would be outvoted).

Two further settings are not chosen here: the extra margin a single sentence of a message must
win by (`ExemplarRule.piece_margin`) and the extra margin in Spanish, German and French
(`FOREIGN_MARGIN`). Both were set on the development set tests/data/safety_dev.jsonl
(scripts/eval_safety.py tests/data/safety_dev.jsonl), never on a blind set.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.corpus import forum_questions, load_banks
from assistant.embed import SentenceTransformerEmbedder
from assistant.safety import (
    CLASSES,
    DOMINATED,
    EXEMPLAR_RULES,
    TOP,
    URGENT,
    WORD_VETO,
    word_odds,
)

FLOORS = (0.35, 0.40, 0.45, 0.50)
MARGINS = (0.0, 0.03, 0.06)


def main() -> None:
    bank = load_banks()["safety"]
    labels = np.asarray(bank.labels)
    vectors = SentenceTransformerEmbedder().encode(list(bank.texts))
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)  # leave each exemplar out of its own vote
    top = {}
    for cls in (*CLASSES, "negative"):
        columns = np.sort(sims[:, labels == cls], axis=1)[:, ::-1][:, :TOP]
        top[cls] = np.where(np.isfinite(columns), columns, -1.0).mean(axis=1)
    negatives = labels == "negative"
    print(f"bank: {len(labels)} exemplars, {int(negatives.sum())} negatives; top-{TOP} means")
    print("class | floor | margin | recall | negatives firing")
    print("--- | --- | --- | --- | ---")
    for cls in CLASSES:
        own = labels == cls
        for floor in FLOORS:
            for margin in MARGINS:
                fire = (top[cls] >= floor) & (top[cls] - top["negative"] >= margin)
                shipped = (
                    EXEMPLAR_RULES[cls].floor == floor and EXEMPLAR_RULES[cls].margin == margin
                )
                mark = " (shipped)" if shipped else ""
                print(f"{cls} | {floor:.2f} | {margin:.2f} | {fire[own].mean():.2f} | "
                      f"{int(fire[negatives].sum())}{mark}")  # fmt: skip


def dominated() -> None:
    bank = load_banks()["safety"]
    labels = np.asarray(bank.labels)
    vectors = SentenceTransformerEmbedder().encode(list(bank.texts))
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    top = {}
    for cls in CLASSES:
        columns = np.sort(sims[:, labels == cls], axis=1)[:, ::-1][:, :TOP]
        top[cls] = np.where(np.isfinite(columns), columns, -1.0).mean(axis=1)
    best = np.max(np.stack([top[c] for c in CLASSES]), axis=0)
    print("class | exemplars | gap p50 | p95 | p99 | max | p99 + 0.02 | shipped")
    print("--- | --- | --- | --- | --- | --- | --- | ---")
    for cls in URGENT:
        gap = (best - top[cls])[labels == cls]
        q = [float(np.quantile(gap, x)) for x in (0.5, 0.95, 0.99, 1.0)]
        print(f"{cls} | {len(gap)} | " + " | ".join(f"{v:.3f}" for v in q)
              + f" | {q[2] + 0.02:.2f} | {DOMINATED.get(cls)}")  # fmt: skip


def word_veto() -> None:
    banks = load_banks()
    bank = banks["safety"]
    forum = forum_questions()  # the vote's ordinary side leaves the forum register out
    plain = [t for t in banks["questions"].texts if t not in forum]
    odds = word_odds(bank.labels, bank.texts, plain)
    pairs = list(zip(bank.labels, bank.texts, strict=True))
    print("class | threshold | own exemplars set aside | negatives set aside")
    print("--- | --- | --- | ---")
    for cls in URGENT:
        own = [odds[cls].log_odds(t, leave_out=t, side="outside") for c, t in pairs if c == cls]
        neg = [odds[cls].log_odds(t, leave_out=t, side="inside") for c, t in pairs
               if c == "negative"]  # fmt: skip
        print(f"{cls} | lowest own: {min(own):.2f} | | ")
        for threshold in (-1.0, -1.5, -2.0, -2.5, -3.0, -4.0):
            mark = " (shipped)" if threshold == WORD_VETO else ""
            share_own = sum(x < threshold for x in own) / len(own)
            share_neg = sum(x < threshold for x in neg) / len(neg)
            print(f"{cls} | {threshold:.1f} | {share_own:.3f} | {share_neg:.3f}{mark}")


if __name__ == "__main__":
    if "--words" in sys.argv[1:]:
        word_veto()
    elif "--dominated" in sys.argv[1:]:
        dominated()
    else:
        main()
