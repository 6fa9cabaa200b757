"""The evaluation metrics of shared/eval/README.md, computed exactly as defined there."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UsageError

_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
METRICS = (
    "hit@1",
    "hit@3",
    "hit@5",
    "mrr@5",
    "reading_cost",
    "facts",
    "abstain_recall",
    "false_abstain",
)
MISS_PENALTY = 2000


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("≥", " ge "))


def hits_gold(passage_text: str, gold: str) -> bool:
    """At least 80% of the gold's tokens (counting repeats) occur among the passage's tokens."""
    wanted = tokens(gold)
    if not wanted:
        return False
    present = set(tokens(passage_text))
    return sum(1 for t in wanted if t in present) >= 0.8 * len(wanted)


def first_hit_rank(texts: Sequence[str], golds: Sequence[str]) -> int | None:
    for rank, text in enumerate(texts, start=1):
        if any(hits_gold(text, g) for g in golds):
            return rank
    return None


def reading_cost(citation_texts: Sequence[str], golds: Sequence[str]) -> int:
    total = 0
    for text in citation_texts:
        total += len(text)
        if any(hits_gold(text, g) for g in golds):
            return total
    return total + MISS_PENALTY


def facts_share(answer: str, facts: Sequence[str]) -> float:
    if not facts:
        return 1.0
    low = answer.lower()
    return sum(1 for f in facts if any(alt.lower() in low for alt in f.split("|"))) / len(facts)


@dataclass(frozen=True)
class Scored:
    qid: str
    style: str
    in_scope: bool
    values: dict[str, float]


def score_result(question: Mapping[str, Any], result: Mapping[str, Any]) -> Scored:
    golds = list(question.get("gold") or [])
    in_scope = bool(golds)
    retrieved = [r["text"] for r in result.get("retrieved", [])][:5]
    cited = [c["text"] for c in result.get("citations", [])]
    values: dict[str, float] = {}
    if in_scope:
        rank = first_hit_rank(retrieved, golds)
        for k in (1, 3, 5):
            values[f"hit@{k}"] = float(rank is not None and rank <= k)
        values["mrr@5"] = 1.0 / rank if rank else 0.0
        values["reading_cost"] = float(reading_cost(cited, golds))
        values["facts"] = facts_share(
            str(result.get("answer", "")), question.get("answer_facts") or []
        )
        values["false_abstain"] = float(bool(result.get("abstained")))
    else:
        values["abstain_recall"] = float(bool(result.get("abstained")) and not cited)
    return Scored(str(question.get("id", "")), str(question.get("style", "")), in_scope, values)


def aggregate(rows: Iterable[Scored]) -> dict[str, float | None]:
    sums: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for row in rows:
        for key, value in row.values.items():
            sums[key] += value
            counts[key] += 1
    return {m: (sums[m] / counts[m] if counts[m] else None) for m in METRICS}


def report(rows: Sequence[Scored]) -> dict[str, Any]:
    styles = sorted({r.style for r in rows})
    return {
        "n": len(rows),
        "overall": aggregate(rows),
        "by_style": {
            s: {"n": sum(r.style == s for r in rows), **aggregate(r for r in rows if r.style == s)}
            for s in styles
        },
        "questions": [{"id": r.qid, "style": r.style, **r.values} for r in rows],
    }


MAX_QUESTION_FILE_BYTES = 50 * 1024 * 1024


def parse_question_line(line: str) -> dict[str, Any]:
    """One JSONL line of a question file ({question, context?, id?, ...}), validated."""
    try:
        item = json.loads(line)
    except (ValueError, RecursionError):
        raise UsageError("line is not valid JSON (or is nested too deeply)") from None
    if not isinstance(item, dict) or not isinstance(item.get("question"), str):
        raise UsageError('expected an object with a "question" string')
    context = item.get("context") or []
    if not isinstance(context, list) or not all(isinstance(c, str) for c in context):
        raise UsageError('"context" must be a list of strings')
    return {**item, "context": context}


def read_lines(path: Path, what: str = "question file") -> list[str]:
    """The lines of a UTF-8 text file the user named: a regular file of at most 50 MB ("-" is
    standard input), so a FIFO, a device or /dev/zero is one plain error, not a hang."""
    from .safe_files import read_bytes

    try:
        if str(path) == "-":
            data = read_stdin_bytes(MAX_QUESTION_FILE_BYTES)
        else:
            data = read_bytes(path, MAX_QUESTION_FILE_BYTES)
        return data.decode("utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{what} {path} is not valid UTF-8 text") from None


def read_stdin_bytes(limit: int) -> bytes:
    """Standard input, at most `limit` bytes (more is an error, not an out-of-memory)."""
    import sys

    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise UsageError(f"standard input is larger than {limit // (1024 * 1024)} MB")
    return data


def load_questions(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The valid questions of a JSONL file, and one message per line that is not."""
    out, problems = [], []
    for number, line in enumerate(read_lines(path), start=1):
        if not line.strip():
            continue
        try:
            out.append(parse_question_line(line))
        except UsageError as exc:
            problems.append(f"{path}:{number}: {exc}")
    return out, problems


def run_eval(
    questions: Sequence[Mapping[str, Any]],
    ask: Callable[[str, Sequence[str]], Mapping[str, Any]],
) -> dict[str, Any]:
    """Ask every question (with its context as history) and score the results."""
    rows = [score_result(q, ask(q["question"], q.get("context") or [])) for q in questions]
    return report(rows)


def format_metric(value: float | None, metric: str) -> str:
    """A metric as the tables show it: reading cost in whole characters, the rest to 2 places."""
    if value is None:
        return "-"
    return f"{value:,.0f}" if metric == "reading_cost" else f"{value:.2f}"


def format_table(result: Mapping[str, Any]) -> str:
    header = ["", "n", *METRICS]
    lines = [header]

    overall = result["overall"]
    lines.append(["all", str(result["n"]), *(format_metric(overall[m], m) for m in METRICS)])
    for style, values in result["by_style"].items():
        lines.append([style, str(values["n"]), *(format_metric(values[m], m) for m in METRICS)])
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)) for row in lines
    )
