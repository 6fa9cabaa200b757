"""Count the safety lines fired on ordinary article questions: the in-scope questions of the
question sets (every style but out_of_scope), which should fire none but a personal dose line.

    .venv/bin/python scripts/safety_on_questions.py                  # tests/data/questions_*.jsonl
    .venv/bin/python scripts/safety_on_questions.py FILE ... --list  # and each urgent one

Prints how many questions were asked and, per class, how many got its line; `--list` adds the
questions that got an urgent line (emergency, self-harm, exposure), which are false alarms.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLASSES = ("emergency", "self_harm", "dose", "exposure")
URGENT = ("emergency", "self_harm", "exposure")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", type=Path, nargs="*")
    parser.add_argument("--list", action="store_true", help="list the questions with urgent lines")
    args = parser.parse_args()
    from assistant.answer import Assistant

    files = args.files or sorted((ROOT / "tests" / "data").glob("questions_*.jsonl"))
    assistant = Assistant.load()
    asked, fired, urgent = 0, Counter[str](), []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            if item.get("style") == "out_of_scope":
                continue
            asked += 1
            lines = assistant.ask(item["question"], item.get("context") or []).to_json()["safety"]
            fired.update(lines)
            if set(lines) & set(URGENT):
                question = item["question"][:90]
                urgent.append(f"{path.name} {item.get('id')} {sorted(lines)}: {question}")
    counts = ", ".join(f"{cls} {fired[cls]}" for cls in CLASSES)
    print(f"{asked} in-scope questions; lines fired: {counts}")
    print(f"questions with an urgent line: {len(urgent)}")
    if args.list:
        print("\n".join(urgent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
