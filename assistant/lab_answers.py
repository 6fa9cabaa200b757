"""Turn lab values typed in a question into the opening lines of an answer, each with the
passage of the article that states the criterion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .passages import Passage

# Groups with no complementary group: saying they do not apply tells the reader where they land.
# (Low and normal T/E2 complement each other, so only the one that applies is stated.)
_STATE_WHEN_NOT_APPLYING = frozenset({"G1", "G2"})
# Groups whose cut-off the article itself states (BMI ≥ 25, T/LH ≥ 100, T/E2 10, the glossary's
# oligospermia numbers): their line cites the passage. The others (cryptozoospermia below 0.1
# million/mL, LH/FSH above 20, estradiol below 10 pg/mL) use cut-offs of this tool: their line
# cites nothing and says so, and the article's related sentence follows as a quote.
ARTICLE_CUTOFFS = frozenset({"G1", "G2", "G3", "G4", "OLIGO"})
NOT_THE_ARTICLES = "(This cut-off is not from the article.)"
THE_ARTICLE_SAYS = "The article says: “{quote}”"


@dataclass(frozen=True)
class LabLines:
    """What an answer says about the numbers in a question."""

    lines: tuple[tuple[str, Passage | None], ...]
    report: object | None
    spans: tuple[tuple[int, int], ...]


NO_LABS = LabLines((), None, ())


def passage_for_quote(passages: Sequence[Passage], quote: str) -> Passage | None:
    """The first passage containing `quote` verbatim (criteria are quoted from the article)."""
    return next((p for p in passages if quote and quote in p.text), None)


def without_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with the typed lab values blanked, so numbers and units do not steer retrieval; a
    full stop a unit took ("my count is 11 mil. is there ...") still ends its sentence."""
    out = list(text)
    for start, end in spans:
        kept = text[end - 1] if end > start and text[end - 1] in ".!?" else ""
        out[start:end] = " " * (end - start - len(kept)) + kept
    return "".join(out)


def lab_lines(passages: Sequence[Passage], question: str, history: Sequence[str]) -> LabLines:
    """Lines for the numbers in this turn (earlier turns' numbers fill in), and the report."""
    if not any(ch.isdigit() for ch in question):
        return NO_LABS  # no number, no measurement; and the parser's ~80 regexes stay unloaded
    from .labs import analyse, analyse_turns

    own = analyse(question)
    typed = [m for m in own.measurements if m.status != "bound"]
    if not typed:  # no value typed ("my T is high", "is below 10 low?"): the panel's job
        return NO_LABS
    report = analyse_turns([*history, question])
    lines: list[tuple[str, Passage | None]] = []
    for group in report.groups:
        shown = group.status == "applies" or (
            group.status == "does not apply" and group.code in _STATE_WHEN_NOT_APPLYING
        )
        if not (shown and group.explanation):
            continue
        passage = passage_for_quote(passages, group.criterion_quote)
        if group.code in ARTICLE_CUTOFFS:
            lines.append((group.explanation, passage))
        elif group.status == "applies":
            lines.append((f"{group.explanation} {NOT_THE_ARTICLES}", None))
            if passage is not None:
                lines.append((THE_ARTICLE_SAYS.format(quote=group.criterion_quote), passage))
    lines.extend(
        (str(issue), None)
        for issue in report.issues
        if issue.turn == len(history) and issue.kind != "no_value"
    )
    if lines:
        lines[0] = (f"From your numbers: {lines[0][0]}", lines[0][1])
    spans = tuple(m.span for m in own.measurements)
    return LabLines(tuple(lines), report, spans)
