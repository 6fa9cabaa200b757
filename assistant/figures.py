"""Questions that ask for a figure, and whether a sentence gives one.

"How many men were enrolled?", "what percentage of couples conceived?", "how many months did
they take it?", "how often is estradiol rechecked?", "what FSH cut-off?", "target E2 (pg/mL)?"
ask for a number of a kind (a threshold or value must come with its unit or a comparison: "less
than 10", "32.0 pg/mL"). When no sentence near the answer gives a number of that kind about what
was asked, the article does not state it, and quoting the closest sentence would read as if it
did. Pure functions over text; the answer layer decides what to do with the verdict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .text import terms

_NUMBER = r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|" \
    r"twenty|thirty|forty|fifty|hundred)"  # fmt: skip

# (kind, what the question says, what a sentence giving that figure says)
_KINDS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (kind, re.compile(ask, re.IGNORECASE), re.compile(gives, re.IGNORECASE))
    for kind, ask, gives in (
        (
            "sample",
            r"\bsample size\b|\bhow many (?:\w+ ){0,4}(?:were|was|are) (?:there )?(?:enrolled|"
            r"included|recruited|studied|in (?:the|each|that|this) (?:study|trial|cohort))\b|"
            r"\bhow many (?:\w+ ){0,2}(?:did|does|do) (?:the|each|that|this) (?:\w+ )?"
            r"(?:study|trial) (?:include|enrol|enroll|have|recruit|study)|"
            r"\bhow many (?:\w+ ){0,3}(?:took part|participated)|"
            r"\bhow (?:big|large) (?:was|were|is) (?:the|each|that) (?:study|trial)",
            rf"\b{_NUMBER}\s+(?:\w+\s+)?(?:men|patients|participants|subjects|couples)\b|"
            r"\bn\s*=\s*\d",
        ),
        (
            "count",
            r"\bhow many (?:men|patients|participants|subjects|couples|people|guys|infertile|"
            r"subfertile)\b",
            rf"\b{_NUMBER}\s+(?:\w+\s+)?(?:men|patients|participants|subjects|couples)\b|"
            rf"\bn\s*=\s*\d|{_NUMBER}\s*(?:%|percent)",  # "how many got better": "46% of men"
        ),
        (
            "percent",
            r"\bwhat (?:percent(?:age)?|proportion|fraction|share)\b|\bhow many percent\b|"
            r"\b(?:percent(?:age)?|proportion) of\b|"
            r"(?:^|[^\d.,\s])\s*%(?!\w)",  # "% improved vs % worse": a % sign with no number
            rf"{_NUMBER}\s*(?:%|percent)|\b(?:half|a third|a quarter|one in {_NUMBER})\b",
        ),
        (
            "duration",
            r"\bhow many (?:months|weeks|days|years)\b|\bfor how long\b|\bhow long (?:did|were|"
            r"was|do|does|is|should)\b.{0,60}\b(?:take|taken|treated|treatment|receive|given|"
            r"study|studies|follow|last|stay|course)",
            rf"\b{_NUMBER}\s*(?:-|to|–)?\s*{_NUMBER}?\s*(?:months?|weeks?|days?|years?)\b|"
            r"\bseveral (?:months|weeks)\b",
        ),
        (
            "frequency",
            r"\bhow (?:often|frequently)\b|\bevery how many\b|\bhow many times\b",
            r"\bevery\b|\bdaily\b|\bweekly\b|\bmonthly\b|\btwice\b|\btimes (?:a|per)\b|"
            r"\bper (?:day|week|month)\b",
        ),
        (
            # a threshold, target, range, interval or half-life, or a value asked in a named unit
            "value",
            r"\b(?:cut-?offs?|cut-?points?|thresholds?|target (?:range|level|number|value)|"
            r"reference (?:range|interval)|normal range|intervals?|half-?life|what (?:exact )?"
            r"(?:number|level|value)|how many (?:pounds|lbs|kilos|kg))\b|"
            r"(?:\bin |\()(?:pg/ml|iu/l|ng/dl|nmol/l|pmol/l|miu/ml)\b",  # not "my T is 9.4 nmol/L"
            rf"{_NUMBER}\s*(?:pg/ml|iu/l|ng/dl|nmol/l|pmol/l|miu/ml|mg|%|months?|weeks?|days?|"
            rf"hours?)\b|\((?:pg/ml|iu/l|ng/dl|nmol/l|pmol/l|miu/ml)\)[^.;]{{0,40}}?{_NUMBER}|"
            rf"(?:less|lower|greater|more|higher|above|below) than {_NUMBER}|[<>≥≤]\s*{_NUMBER}|"
            rf"{_NUMBER} or (?:greater|more|higher|less|lower|above|below)",
        ),
        (
            "average",
            # "mean" as a noun ("the mean rise", "mean T"), not the verb ("what does E2 mean")
            r"\b(?:average|median)\b|\b(?:the|a|what(?:'s| is| was| were) the) mean\b|"
            r"\bmean (?:value|level|change|increase|rise|difference|improvement|age|t|testosterone|"
            r"estradiol|e2|concentration|count|sperm)\b",
            r"\b(?:mean|average|median|typical)\b",
        ),
    )
)
# Words every question about this article shares; they say nothing about what a figure is of.
_GENERIC = frozenset(
    terms(
        "anastrozole adex arimidex aromatase inhibitor men man male patients study studies "
        "article trial treatment therapy take taking taken receive received give given many "
        "much how what percent percentage proportion number long often exact exactly mean "
        "average median month months week weeks year years day days time times "
        "enrolled included were was guys guy actually really realistically got get "
        "work works worked working"
    )
)


def asked_figure(question: str) -> str | None:
    """The kind of figure a question asks for ("sample", "count", "percent", "duration",
    "frequency", "average"), or None."""
    for kind, ask, _ in _KINDS:
        if ask.search(question):
            return kind
    return None


def gives_figure(kind: str, sentence: str) -> bool:
    """Does `sentence` state a figure of `kind`?"""
    return any(k == kind and gives.search(sentence) for k, _, gives in _KINDS)


def focus_terms(question: str, related: Iterable[str] = ()) -> frozenset[str]:
    """What the figure is of: the question's content terms and `related` terms (its lexicon
    expansions: "better" -> "improvement"), without the generic ones."""
    return (frozenset(terms(question)) | frozenset(related)) - _GENERIC


def figure_stated(kind: str, focus: Iterable[str], sentences: Iterable[str]) -> bool:
    """Does one of `sentences` give a figure of `kind` about the `focus` (sharing one of its
    terms; any such figure when the question names nothing specific)?"""
    focus = frozenset(focus)
    for sentence in sentences:
        if gives_figure(kind, sentence) and (not focus or focus & set(terms(sentence))):
            return True
    return False
