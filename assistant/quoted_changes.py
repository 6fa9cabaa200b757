"""A change the user quotes ("T went from 268 to about 420") and the table rows reporting a
change of about that size ("Testosterone (ng/dL) 270.6 412.0").

People ask whether their own before-and-after numbers are typical; the row that answers is the
one whose baseline and post-treatment figures both lie near theirs, whatever words they used for
the test. Pure functions over text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .passages import Passage

_NUMBER = r"\d+(?:[.,]\d+)?"
# what follows a number that is no result: a duration, a dose, a percentage, a count of times
_NOT_A_RESULT = r"months?|mos?|weeks?|wks?|days?|years?|yrs?|mg|%|percent|times|x\b"
# "from 268 to about 420", "268 -> 420", "9 to 26 now"; not "3 to 6 months" or "0.5 to 1 mg"
_CHANGE = re.compile(
    rf"(?<![\d.,])(?P<a>{_NUMBER})\s*(?:ng/dl|pg/ml|m/ml|million|mil|m)?\s*"
    r"(?:to|->|→|=>|-->|and now|now|then)\s*(?:about|around|roughly|like|approx\.?|~)?\s*"
    rf"(?P<b>{_NUMBER})(?!\d|[.,]\d)(?!\s*(?:-|to)?\s*\d*\s*(?:{_NOT_A_RESULT}))",
    re.IGNORECASE,
)
_ROW_FIGURES = re.compile(rf"({_NUMBER})\s+({_NUMBER})\s*$")
TOLERANCE = 0.15  # each end within 15% of the row's figure ("268" for 270.6, "about 420")
START_TOLERANCE = 0.05  # one number alone is weaker evidence: "270" for 270.6, "32" for 32.0
# a number of the user's own, not a duration, dose, percentage, count of times or fraction
_LONE = re.compile(
    rf"(?<![\d.,/])({_NUMBER})(?!\d|[.,]\d)(?!\s*(?:-|to)?\s*\d*\s*(?:{_NOT_A_RESULT}|/))"
)


def quoted_changes(question: str) -> list[tuple[float, float]]:
    """The (before, after) pairs of numbers the question quotes as a change."""
    return [(_number(m["a"]), _number(m["b"])) for m in _CHANGE.finditer(question)]


def rows_like(question: str, passages: Iterable[Passage], *, moves: bool = False) -> set[str]:
    """Ids of the table rows whose two figures (baseline, after) are each near a change the
    question quotes; and, for a question about how much a figure moves (`moves`: "how much
    does T usually go up? mine's 270"), the rows whose baseline is within 5% of a number it
    gives."""
    changes = quoted_changes(question)
    starts = [_number(n) for n in _LONE.findall(question)] if moves else []
    if not changes and not starts:
        return set()
    # two changes quoted together ("T from 300 to 450, estradiol from 35 to 18") also give the
    # change of their ratio, which a row may report (T/E2 9.0 -> 26.5)
    changes += [
        (a1 / a2, b1 / b2)
        for i, (a1, b1) in enumerate(changes)
        for a2, b2 in changes[i + 1 :] + changes[:i]
        if a2 and b2
    ]
    out = set()
    for passage in passages:
        found = _ROW_FIGURES.search(passage.text) if passage.kind == "table_row" else None
        if found is None:
            continue
        before, after = (float(x) for x in found.groups())
        if any(_near(a, before) and _near(b, after) for a, b in changes) or any(
            _near(n, before, START_TOLERANCE) for n in starts
        ):
            out.add(passage.id)
    return out


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _near(value: float, figure: float, tolerance: float = TOLERANCE) -> bool:
    return figure > 0 and abs(value - figure) <= tolerance * figure
