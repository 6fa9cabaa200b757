"""Text pictures for lab numbers: where a ratio or measure stands against the article's cut-off,
and the user's values beside the article's before/after table.

Pure functions over a `labs.LabReport`, read through `getattr` with defaults so that fields the
labs package adds later (a `status` on ratios and derived values) are honoured when present and
harmless when absent. Every picture is readable in monochrome: the shape (`=` filled up to the
value, `|` at the cut-off) and the words beside it carry the meaning, never colour alone.

A figure is pictured only when it is sure: when its status is not "ok", or the report has an issue
about one of its inputs, or an input is out of the usual range, the figure is shown with the
reason beside it and no bar. When a ratio is missing because the user was asked something (which
unit?), the question is shown instead.

No textual import: the chat panel, `assistant labs` on a terminal and the plain chat share these.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

WHO_2021_CONCENTRATION = 16.0  # million/mL, WHO 2021 (6th ed.) lower reference limit
WHO_2010_CONCENTRATION = 15.0  # million/mL, WHO 2010 (5th ed.); the article's glossary figure
STUDY_LABEL = "Study averages (one cohort), not a prediction"
STUDY_LEGEND = "b before, a after treatment, Y you"
WIDE = 64  # from this width a gauge takes one line, when that line fits
MIN_WIDTH = 36  # the narrowest layout every line fits in


@dataclass(frozen=True)
class Scale:
    """What a gauge measures: its cut-off and the stretch of values the bar spans."""

    key: str
    label: str
    unit: str
    cutoff: float
    lo: float
    hi: float
    cutoff_text: str
    inputs: tuple[str, ...]  # analytes whose issues make the figure unsure


TE2 = Scale("T/E2", "T/E2", "", 10.0, 0.0, 30.0, "cut-off 10", ("total_t", "e2", "te2_ratio"))
TLH = Scale("T/LH", "T/LH", "", 100.0, 0.0, 300.0, "cut-off 100", ("total_t", "lh", "tlh_ratio"))
BMI = Scale("bmi", "BMI", "", 25.0, 15.0, 45.0, "cut-off 25", ("weight", "height", "bmi"))
CONCENTRATION = Scale(
    "concentration",
    "Sperm conc.",
    "million/mL",
    WHO_2021_CONCENTRATION,
    0.0,
    48.0,
    "WHO limit 16",
    ("concentration",),
)
SCALES = (TE2, TLH, BMI, CONCENTRATION)


OK, NOTED, UNSURE = "ok", "noted", "unsure"


@dataclass(frozen=True)
class Gauge:
    """One row: a figure against its cut-off, or (value None) the question to answer first.

    `level` is OK (read as typed: bar and verdict), NOTED (read with an assumption the notes
    state: the verdict is qualified and the bar drawn with `~`) or UNSURE (a status that is not
    usable as it stands, an issue about an input, a range across the cut-off: no bar and no
    verdict, the notes say why).
    """

    scale: Scale
    value: float | None
    level: str = OK
    notes: tuple[str, ...] = ()
    question: str | None = None

    @property
    def sure(self) -> bool:
        """True when a verdict may be drawn (OK or NOTED)."""
        return self.value is not None and self.level in (OK, NOTED)

    @property
    def figure(self) -> str:
        if self.value is None:
            return "?"
        if self.scale is BMI and not 24.5 <= self.value <= 25.5:
            return f"{self.value:.1f}"  # as the labs report shows BMI (2 dp only near 25)
        return number(self.value)

    @property
    def verdict(self) -> str:
        """Where the figure stands in words ("below cut-off 10"), or "unsure"."""
        if self.value is None or not self.sure:
            return "unsure"
        if self.scale is CONCENTRATION:
            v = self.value
            if v >= WHO_2021_CONCENTRATION:
                text = "at or above the WHO limit 16 (2010: 15)"
            elif v >= WHO_2010_CONCENTRATION:
                text = "below WHO 2021's 16, not 2010's 15"
            else:
                text = "below the WHO limit 16 (2010: 15)"
        else:
            cutoff = self.scale.cutoff
            side = "below" if self.value < cutoff else "at" if self.value == cutoff else "above"
            text = f"{side} {self.scale.cutoff_text}"
        return f"{text}, if read right" if self.level == NOTED else text


def number(value: float) -> str:
    """8.4338 -> '8.43', 129.09 -> '129.09', 300.0 -> '300', 31.746 -> '31.75'."""
    if not math.isfinite(value):
        return "?"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def bar(value: float, lo: float, hi: float, cutoff: float, width: int = 22, fill: str = "=") -> str:
    """`[=======|-------]`: `fill` up to the value, `|` at the cut-off, `<`/`>` off the scale.

    A value below the cut-off never reaches the `|`; one at or above it always passes it, so the
    picture agrees with the words even when rounding to cells would blur the difference.
    """
    cells = max(3, width - 2)
    span = (hi - lo) or 1.0

    def cell(x: float) -> int:
        return math.floor((x - lo) / span * cells + 0.5)

    mark = min(cells - 1, max(0, cell(cutoff)))
    filled = min(cells, max(0, cell(value))) if math.isfinite(value) else 0
    filled = min(filled, mark) if value < cutoff else min(cells, max(filled, mark + 2))
    chars = [fill if i < filled else "-" for i in range(cells)]
    chars[mark] = "|"
    if value > hi:
        chars[-1] = ">"
    elif value < lo:
        chars[0] = "<"
    return "[" + "".join(chars) + "]"


# -- reading the report ---------------------------------------------------------------------------

_USABLE = ("ok", "noted", "warn")


def _current(report: Any, analyte: str) -> Any:
    for m in reversed(tuple(getattr(report, "measurements", ()) or ())):
        if getattr(m, "analyte", None) == analyte and getattr(m, "current", True):
            return m
    return None


def _usable(m: Any) -> bool:
    return (
        m is not None
        and getattr(m, "status", "ok") in _USABLE
        and isinstance(getattr(m, "value", None), (int, float))
    )


# A question that holds back only a caution (estradiol's unit decides the < 10 pg/mL caution,
# not the ratio) leaves the figures it feeds as they are.
_CAUTION_ONLY = frozenset({"caution_unit"})


def _input_issues(report: Any, scale: Scale) -> list[Any]:
    issues = getattr(report, "issues", ()) or ()
    return [
        i
        for i in issues
        if getattr(i, "analyte", None) in scale.inputs
        and getattr(i, "kind", None) not in _CAUTION_ONLY
    ]


def _issue_text(issue: Any) -> str:
    question = getattr(issue, "question", None)
    return str(question or getattr(issue, "message", None) or issue)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _measured_assumptions(report: Any, analytes: Sequence[str]) -> list[str]:
    """What the inputs' own readings assumed (labs' `Measurement.assumptions` when present; else
    a unit the parser assumed)."""
    out: list[str] = []
    for analyte in analytes:
        m = _current(report, analyte)
        if m is None:
            continue
        stated = tuple(getattr(m, "assumptions", ()) or ())
        if stated:
            out += [str(a) for a in stated]
        elif getattr(m, "unit_source", "typed") == "assumed":
            label = _lower_first(str(getattr(m, "label", analyte)))
            read = getattr(m, "unit_read", None) or getattr(m, "unit", "")
            out.append(f"{label} {getattr(m, 'value_as_typed', '')} read as {read}".strip())
    return out


def _judge(
    report: Any, scale: Scale, status: str, assumptions: Iterable[str]
) -> tuple[str, list[str]]:
    """(level, notes) for a figure with `status`, computed from `scale.inputs`."""
    notes = [f"assumed: {a}" for a in assumptions if a]
    level = OK
    if status == NOTED or (status == OK and notes):
        level = NOTED
        if not notes:
            notes.append("read with an assumption; check the values")
    elif status != OK:
        level = UNSURE
        notes.append(
            {
                "warn": "unsure: an unusual value; check it",
                "ambiguous": "unsure: check the unit",
            }.get(status, f"unsure ({status}): check the values")
        )
    for analyte in scale.inputs:
        m = _current(report, analyte)
        if m is not None and getattr(m, "status", "ok") == "warn":
            level = UNSURE
            label = _lower_first(str(getattr(m, "label", analyte)))
            notes.append(f"unsure: {label} is outside the usual range; check it")
    for issue in _input_issues(report, scale):
        level = UNSURE
        notes.append(f"unsure: {_issue_text(issue)}")
    return level, list(dict.fromkeys(notes))


def _question_gauge(report: Any, scale: Scale) -> Gauge | None:
    """The question standing in for a missing figure, when the user was asked one."""
    issues = _input_issues(report, scale)
    asked = [i for i in issues if getattr(i, "question", None)] or issues
    if not asked:
        return None
    return Gauge(scale, None, UNSURE, question=_issue_text(asked[0]))


def _ratio_gauge(report: Any, scale: Scale) -> Gauge | None:
    ratio = next(
        (r for r in getattr(report, "ratios", ()) or () if getattr(r, "name", None) == scale.key),
        None,
    )
    if ratio is None or not isinstance(getattr(ratio, "value", None), (int, float)):
        return _question_gauge(report, scale)
    status = str(getattr(ratio, "status", OK) or OK)
    level, notes = _judge(report, scale, status, getattr(ratio, "assumptions", ()) or ())
    if getattr(ratio, "source", "computed") == "stated":
        # The user's own figure: that is the assumption, said plainly.
        notes = ["as you stated it", *(n for n in notes if not n.startswith("read with"))]
    low, high = getattr(ratio, "low", None), getattr(ratio, "high", None)
    if isinstance(low, (int, float)) and isinstance(high, (int, float)):
        notes.append(f"from your range: {number(low)} to {number(high)}")
        if (low < scale.cutoff) != (high < scale.cutoff):
            level = UNSURE
            notes.append("unsure: your range spans the cut-off")
    return Gauge(scale, float(ratio.value), level, tuple(notes))


def _bmi_gauge(report: Any) -> Gauge | None:
    derived = next(
        (d for d in getattr(report, "derived", ()) or () if getattr(d, "name", None) == "bmi"),
        None,
    )
    if derived is None or not isinstance(getattr(derived, "value", None), (int, float)):
        return _question_gauge(report, BMI)
    status = str(getattr(derived, "status", OK) or OK)
    assumptions = _measured_assumptions(report, ("weight", "height", "bmi"))
    level, notes = _judge(report, BMI, status, assumptions)
    return Gauge(BMI, float(derived.value), level, tuple(notes))


def _concentration_gauge(report: Any) -> Gauge | None:
    m = _current(report, "concentration")
    if not _usable(m):
        return _question_gauge(report, CONCENTRATION)
    status = str(getattr(m, "status", OK) or OK)
    assumptions = _measured_assumptions(report, ("concentration",))
    level, notes = _judge(report, CONCENTRATION, status, assumptions)
    # A "warn" reading would be reported twice (its status and its input check): keep one.
    if status == "warn":
        notes = [n for n in notes if "outside the usual range" not in n]
    return Gauge(CONCENTRATION, float(m.value), level, tuple(notes))


def gauges(report: Any) -> list[Gauge]:
    """The gauges the report supports, in the article's order: T/E2, T/LH, BMI, concentration."""
    if report is None:
        return []
    found = [
        _ratio_gauge(report, TE2),
        _ratio_gauge(report, TLH),
        _bmi_gauge(report),
        _concentration_gauge(report),
    ]
    return [g for g in found if g is not None]


# -- drawing --------------------------------------------------------------------------------------


def _wrap(text: str, width: int, indent: str = "  ") -> list[str]:
    return textwrap.wrap(
        text, max(12, width), initial_indent=indent, subsequent_indent=indent + "  "
    ) or [indent]


def gauge_lines(g: Gauge, width: int = 38) -> list[str]:
    """A gauge as text lines no wider than `width` (notes wrap): one line when `width` >= WIDE,
    else the figure and its verdict above the bar."""
    s = g.scale
    unit = f" {s.unit}" if s.unit else ""
    if g.value is None:
        return [f"{s.label}: needs an answer first", *_wrap(g.question or "", width)]
    if not g.sure:
        head = f"{s.label}  {g.figure}{unit}  unsure, no verdict"
        return [*_wrap(head, width, ""), *(line for n in g.notes for line in _wrap(n, width))]
    fill = "~" if g.level == NOTED else "="
    drawn = bar(g.value, s.lo, s.hi, s.cutoff, fill=fill)
    one_line = f"{s.label:<12}{g.figure:>8}{unit}  {drawn}  {g.verdict}"
    if width >= WIDE and len(one_line) <= width:
        lines = [one_line]
    else:
        head = f"{s.label}  {g.figure}{unit}  {g.verdict}"
        base, qualified, _ = head.partition(", if read right")
        if len(head) > width and qualified:
            lines = [*_wrap(base + ",", width, ""), "  if read right"]
        else:
            lines = _wrap(head, width, "")
        lines.append(bar(g.value, s.lo, s.hi, s.cutoff, min(width, 32), fill))
    lines += [line for n in g.notes for line in _wrap(n, width)]
    return lines


@dataclass(frozen=True)
class StudyRow:
    """One row of the article's table "Biochemical and Semen Parameter Changes with Anastrozole"
    (typical baseline and post-treatment), with the user's value when there is one."""

    label: str
    unit: str
    before: float
    after: float
    you: float | None = None
    level: str = OK


STUDY_TABLE: tuple[tuple[str, str, float, float], ...] = (
    ("Testosterone", "ng/dL", 270.6, 412.0),
    ("Estradiol", "pg/mL", 32.0, 15.9),
    ("T/E2", "", 9.0, 26.5),
    ("Sperm conc.", "million/mL", 7.8, 14.2),
    ("Motile count", "million", 12.6, 17.7),
)
STUDY_PASSAGES = (  # the article's table rows, in STUDY_TABLE's order
    "Testosterone (ng/dL) 270.6 412.0",
    "Estradiol (pg/mL) 32.0 15.9",
    "T/E2 Ratio 9.0 26.5",
    "Sperm Concentration (million/mL) 7.8 14.2",
    "Total Motile Count (million) 12.6 17.7",
)


def _measurement_value(report: Any, analyte: str) -> tuple[float | None, str]:
    m = _current(report, analyte)
    if not _usable(m):
        return None, OK
    status = getattr(m, "status", OK)
    issues = getattr(report, "issues", ()) or ()
    if status == "warn" or any(getattr(i, "analyte", None) == analyte for i in issues):
        return float(m.value), UNSURE
    if status == NOTED or _measured_assumptions(report, (analyte,)):
        return float(m.value), NOTED
    return float(m.value), OK if status == OK else UNSURE


def _derived_level(d: Any) -> str:
    status = str(getattr(d, "status", OK) or OK)
    return status if status in (OK, NOTED) else UNSURE


def study_rows(report: Any) -> list[StudyRow]:
    """The article's before/after table with the user's value on each row it has one for."""
    if report is None:
        return []
    by_gauge = {g.scale.key: g for g in gauges(report)}
    te2 = by_gauge.get("T/E2")
    tmc = next(
        (d for d in getattr(report, "derived", ()) or () if getattr(d, "name", None) == "tmc"),
        None,
    )
    mine: list[tuple[float | None, str]] = [
        _measurement_value(report, "total_t"),
        _measurement_value(report, "e2"),
        (te2.value, te2.level) if te2 is not None and te2.value is not None else (None, OK),
        _measurement_value(report, "concentration"),
        (
            (float(tmc.value), _derived_level(tmc))
            if tmc is not None and isinstance(getattr(tmc, "value", None), (int, float))
            else _measurement_value(report, "tmc_reported")
        ),
    ]
    return [
        StudyRow(label, unit, before, after, you, level)
        for (label, unit, before, after), (you, level) in zip(STUDY_TABLE, mine, strict=True)
    ]


def strip(before: float, after: float, you: float, width: int = 18) -> str:
    """`[b--Y--------a]`: the study's before (b) and after (a) and the user's value (Y) on one
    line. Y is drawn last, so it stays visible when it lands on b or a."""
    cells = max(5, width - 2)
    lo, hi = min(before, after, you), max(before, after, you)
    pad = (hi - lo) * 0.08 or 1.0
    lo, hi = lo - pad, hi + pad

    def cell(x: float) -> int:
        return min(cells - 1, max(0, math.floor((x - lo) / (hi - lo) * (cells - 1) + 0.5)))

    chars = ["-"] * cells
    chars[cell(before)] = "b"
    chars[cell(after)] = "a"
    chars[cell(you)] = "Y"
    return "[" + "".join(chars) + "]"


def placement(before: float, after: float, you: float) -> str:
    """Where the user's value sits against the study's averages, in words."""
    near = abs(after - before) * 0.05
    if abs(you - before) <= near:
        return "about the study's before"
    if abs(you - after) <= near:
        return "about the study's after"
    if min(before, after) < you < max(before, after):
        return "between before and after"
    return "below both" if you < min(before, after) else "above both"


def study_lines(rows: Sequence[StudyRow], width: int = 38) -> list[str]:
    """The table as text: the label once, each row with its before -> after, and for each value
    of the user's a strip placing it and the words for where it sits (a value read with an
    assumption says so; an unsure one is not placed)."""
    if not rows or all(r.you is None for r in rows):
        return []
    wrap = max(12, width)
    out = [*textwrap.wrap(STUDY_LABEL, wrap), *textwrap.wrap(STUDY_LEGEND, wrap)]
    for r in rows:
        name = f"{r.label} ({r.unit})" if r.unit else r.label
        figures = f"{r.before:.1f} → {r.after:.1f}"
        where = ""
        if r.you is not None and r.level != UNSURE:
            where = placement(r.before, r.after, r.you)
            where += ", if read right" if r.level == NOTED else ""
        line = f"{name:<26}{figures:>16}"
        if r.you is not None:
            line += f"   you {number(r.you)}"
            if where:
                line += f"  {strip(r.before, r.after, r.you)}  {where}"
            else:
                line += "  (unsure: see above)"
        if width >= WIDE and len(line) <= width:
            out.append(line)
            continue
        pad = max(1, width - len(name) - len(figures))
        out.append(f"{name}{' ' * pad}{figures}")
        if r.you is None:
            continue
        if where:
            out.append(f"  you {number(r.you)}  {strip(r.before, r.after, r.you)}")
            out += _wrap(where, width, "    ")
        else:
            out.append(f"  you {number(r.you)}  (unsure: see above)")
    return out


def gauges_text(report: Any, width: int = 80, *, with_study: bool = True) -> str:
    """Every gauge, then (optionally) the study table, as plain text no wider than `width`
    (at least MIN_WIDTH); "" when there is none."""
    width = max(MIN_WIDTH, width)
    found = gauges(report)
    if not found:
        return ""
    out: list[str] = []
    for g in found:
        out += gauge_lines(g, width)
    if with_study:
        table = study_lines(study_rows(report), width)
        if table:
            out += ["", *table]
    return "\n".join(out)


def gauges_words(report: Any) -> list[str]:
    """The gauges as sentences with no pictures (for screen readers and the plain chat)."""
    out = []
    for g in gauges(report):
        s = g.scale
        unit = f" {s.unit}" if s.unit else ""
        if g.value is None:
            out.append(f"{s.label}: needs an answer first. {g.question or ''}".strip())
            continue
        line = f"{s.label} {g.figure}{unit}: {g.verdict if g.sure else 'unsure, no verdict'}"
        if g.notes:
            line += f" ({'; '.join(g.notes)})"
        out.append(line + ".")
    return out
