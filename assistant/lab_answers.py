"""Turn lab values typed in a question into the opening lines of an answer, each with the
passage of the article that states the criterion."""

from __future__ import annotations

from collections.abc import Sequence

from .corpus import Corpus
from .passages import Passage

SHOWN_STATUSES = ("applies", "does not apply")


def passage_for_quote(passages: Sequence[Passage], quote: str) -> Passage | None:
    """The first passage containing `quote` verbatim (criteria are quoted from the article)."""
    return next((p for p in passages if quote and quote in p.text), None)


def lab_summary(
    corpus: Corpus, passages: Sequence[Passage], question: str, history: Sequence[str]
) -> tuple[list[tuple[str, Passage | None]], object | None]:
    """(line, cited passage) pairs for the numbers in this turn, and the full lab report."""
    try:
        from .labs import analyse, analyse_turns
    except ImportError:  # pragma: no cover - the labs package is part of the project
        return [], None

    if analyse(question).is_empty:
        return [], None
    report = analyse_turns([*history, question])
    lines: list[tuple[str, Passage | None]] = []
    for group in report.groups:
        if group.status not in SHOWN_STATUSES or not group.explanation:
            continue
        lines.append((group.explanation, passage_for_quote(passages, group.criterion_quote)))
    for issue in report.issues:
        lines.append((str(issue), None))
    if lines:
        lines[0] = (f"From your numbers: {lines[0][0]}", lines[0][1])
    return lines, report
