"""Leave-one-out check of the two question banks, the evidence behind scope.BANK_MARGIN/FLOOR.

    .venv/bin/python scripts/calibrate_scope.py

Each question of corpus/out_of_scope.json and corpus/questions.json is compared with the rest of
both banks (never with an evaluation set): a question counts as out of scope when its closest
out-of-scope questions beat its closest in-scope ones by the margin and are close in themselves
(the floor). The table shows how much of the out-of-scope bank is caught and how much of the
in-scope bank would be wrongly flagged. Uses the bundled model through sentence-transformers.
A second table shows how much of each bank lies far from every in-scope question (FAR_FLOOR),
a third does the same for the word odds (scope_words.py; no model needed):
`--words` prints only that one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.corpus import load_banks, load_corpus
from assistant.scope import BANK_FLOOR, BANK_MARGIN, FAR_FLOOR, TOP, WORD_ODDS
from assistant.scope_words import WordOdds


def top(sims: np.ndarray) -> np.ndarray:
    return -np.sort(-sims, axis=1)[:, :TOP].mean(axis=1)


def word_odds_table() -> None:
    """Leave-one-out: each bank question's odds with its own words left out of the counts."""
    banks = load_banks()
    inside, outside = banks["questions"].texts, banks["scope"].texts
    odds = WordOdds.from_banks(inside, outside, load_corpus().source)
    in_odds = [odds.log_odds(q, leave_out=q, side="inside") for q in inside]
    out_odds = [odds.log_odds(q, leave_out=q, side="outside") for q in outside]
    print("\nword odds | out-of-scope caught | in-scope flagged")
    print("--- | --- | ---")
    for threshold in (2.0, 3.0, 3.5, 4.0, 5.0, 6.0):
        caught = sum(o >= threshold for o in out_odds) / len(out_odds)
        flagged = sum(o >= threshold for o in in_odds) / len(in_odds)
        mark = " (shipped)" if threshold == WORD_ODDS else ""
        print(f"{threshold:.1f} | {caught:.3f} | {flagged:.4f}{mark}")


def main() -> None:
    if "--words" in sys.argv:
        word_odds_table()
        return
    from assistant.embed import SentenceTransformerEmbedder

    banks = load_banks()
    encoder = SentenceTransformerEmbedder()
    inside = encoder.encode(list(banks["questions"].texts))
    outside = encoder.encode(list(banks["scope"].texts))
    in_in, out_out = inside @ inside.T, outside @ outside.T
    np.fill_diagonal(in_in, -1.0)  # leave each question out of its own bank
    np.fill_diagonal(out_out, -1.0)
    closeness = {
        "in-scope bank": (top(in_in), top(inside @ outside.T)),
        "out-of-scope bank": (top(outside @ inside.T), top(out_out)),
    }
    print("margin | floor | out-of-scope caught | in-scope flagged")
    print("--- | --- | --- | ---")
    for margin in (0.03, 0.05, 0.06, 0.07, 0.08):
        for floor in (0.0, 0.4, 0.5):
            rates = {
                name: float(((out - ins >= margin) & (out >= floor)).mean())
                for name, (ins, out) in closeness.items()
            }
            mark = " (shipped)" if (margin, floor) == (BANK_MARGIN, BANK_FLOOR) else ""
            print(f"{margin:.2f} | {floor:.1f} | {rates['out-of-scope bank']:.3f} | "
                  f"{rates['in-scope bank']:.4f}{mark}")  # fmt: skip
    far_table(closeness)
    word_odds_table()


def far_table(closeness: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    """A question far from every in-scope question: each bank question's closeness to the
    in-scope bank, itself left out."""
    print("\nin-scope closeness below | out-of-scope caught | in-scope flagged")
    print("--- | --- | ---")
    for floor in (0.25, 0.30, 0.35, 0.37, 0.40):
        caught = float((closeness["out-of-scope bank"][0] < floor).mean())
        flagged = float((closeness["in-scope bank"][0] < floor).mean())
        mark = " (shipped)" if floor == FAR_FLOOR else ""
        print(f"{floor:.2f} | {caught:.3f} | {flagged:.4f}{mark}")


if __name__ == "__main__":
    main()
