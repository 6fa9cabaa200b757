"""Plain-text views of a LabReport: a table for the `labs` command and a one-line summary."""

from __future__ import annotations

import re

from .groups import TE2_BORDERLINE, TLH_BORDERLINE
from .ratios import bmi_display
from .types import APPLIES, NOT_EVALUABLE, LabReport, Measurement, Ratio
from .units import SPECS, fmt, fmt_unit

QUOTE_WIDTH = 60


def _shorten(text: str, width: int = QUOTE_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _typed(m: Measurement) -> str:
    unit = f" {m.unit_as_typed}" if m.unit_as_typed and m.unit_as_typed != m.value_as_typed else ""
    return f"{m.value_as_typed}{unit}"


def _used(m: Measurement) -> str:
    if m.value is None:
        return "-"
    digits = SPECS[m.analyte].digits if m.analyte in SPECS else 2
    return fmt_unit(m.value, m.unit, digits)


def _note(m: Measurement) -> str:
    """The measurement's note without its conversion ("9.4 nmol/L = 271.1 ng/dL"): the table's
    two value columns already show both sides."""
    parts = [p for p in m.note.split("; ") if not re.fullmatch(r"[^=]+ = [^=]+", p.strip())]
    return "; ".join(parts)


def _table(rows: list[tuple[str, ...]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        indent + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in rows
    ]


def render_text(report: LabReport) -> str:
    """A readable plain-text report: values as typed and as used, ratios, groups with the
    article's wording (shortened), and the questions to ask."""
    if report.is_empty:
        return "No lab values found. Example: T 9.4 nmol/L, E2 118 pmol/L, LH 2.1"
    out: list[str] = []
    if report.measurements:
        out.append("Values")
        rows = [("Test", "As typed", "Used as", "Status", "Note")]
        for m in report.measurements:
            status = m.status if m.current else f"{m.status}, replaced"
            rows.append((m.label, _typed(m), _used(m), status, _note(m)))
        out.extend(_table(rows))
    if report.labels:
        out.append("You said: " + "; ".join(f'"{lb.text}" ({lb.kind})' for lb in report.labels))
    if report.ratios or report.derived:
        out.append("")
        out.append("Calculated")
        for r in report.ratios:
            extra = f"  ({'; '.join(r.notes)})" if r.notes else ""
            out.append(f"  {r.formula_text}{extra}")
        for d in report.derived:
            extra = f"  ({'; '.join(d.notes)})" if d.notes else ""
            out.append(f"  {d.formula_text}{extra}")
    if report.semen:
        out.append("")
        out.append("Semen analysis (WHO lower reference limits)")
        for c in report.semen:
            missing = f" Not given: {', '.join(c.not_checked)}." if c.not_checked else ""
            out.append(f"  {c.edition}: {', '.join(c.findings)}.{missing}")
            if c.explanation:
                out.append(f"    {c.explanation}")
    evaluated = [g for g in report.groups if g.status != NOT_EVALUABLE]
    if evaluated:
        out.append("")
        out.append("Article groups and cautions")
        for g in evaluated:
            out.append(f"  {g.code} {g.label}: {g.status.upper()}")
            out.append(f"    {g.explanation}")
            for n in g.notes:
                out.append(f"    note: {n}")
            out.append(f'    article: "{_shorten(g.criterion_quote)}"')
        missing = [g.code for g in report.groups if g.status == NOT_EVALUABLE]
        if missing:
            out.append(f"  Not evaluable (inputs missing): {', '.join(missing)}")
    if report.issues:
        out.append("")
        out.append("Please clarify")
        for i in report.issues:
            out.append(f"  - {i}")
    return "\n".join(out).strip("\n")


def _ratio_part(r: Ratio, cutoff: float, band: tuple[float, float], article: str) -> str:
    if r.source == "stated" or r.numerator is None or r.denominator is None:
        head = f"{r.name} = {fmt(r.value)} (as you stated it)"
    else:
        head = f"{r.name} = {fmt(r.numerator)} / {fmt(r.denominator)} = {fmt(r.value)}"
    side = f"at or above {article}" if r.value >= cutoff else f"below {article}"
    borderline = ", borderline" if band[0] <= r.value <= band[1] else ""
    return f"{head}, {side}{borderline}"


def _assumptions(report: LabReport) -> str:
    parts = dict.fromkeys(a for r in report.ratios for a in r.assumptions)
    return f" ({'; '.join(parts)})" if parts else ""


def summary_sentence(report: LabReport) -> str | None:
    """One or two plain sentences with the arithmetic, or None when nothing can be computed.

    e.g. "From your numbers: T/E2 = 300 / 40 = 7.5, below the article's cut-off of 10."
    """
    first: list[str] = []
    te2, tlh = report.ratio("T/E2"), report.ratio("T/LH")
    if te2 is not None:
        first.append(_ratio_part(te2, 10.0, TE2_BORDERLINE, "the article's cut-off of 10"))
    if tlh is not None:
        first.append(_ratio_part(tlh, 100.0, TLH_BORDERLINE, "the article's 100"))
    second: list[str] = []
    bmi = report.derived_value("bmi")
    if bmi is not None:
        side = "at or above" if bmi.value >= 25 else "below"
        second.append(f"BMI {bmi_display(bmi.value)}, {side} the article's 25")
    g5 = report.group("G5")
    if g5 is not None and g5.status == APPLIES:
        second.append("your semen result falls in the article's azoospermia/cryptozoospermia group")
    flag = report.group("HIGH_LH_FSH")
    if flag is not None and flag.status == APPLIES:
        second.append("LH or FSH above 20 IU/L, which the article links to testicular dysfunction")
    oligo = report.group("OLIGO")
    conc = report.value("concentration")
    total = report.derived_value("total_count")
    total_value = total.value if total is not None else report.value("total_count")
    if oligo is not None and oligo.status == APPLIES and (g5 is None or g5.status != APPLIES):
        where = "in the article's oligospermia definition"
        if conc is not None and conc < 15:
            second.append(
                f"sperm concentration {fmt(conc)} million/mL, below the 15 million/mL {where}"
            )
        elif total_value is not None:
            second.append(
                f"total sperm count {fmt(total_value)} million, below the 39 million {where}"
            )
    low = report.group("LOW_E2")
    if low is not None and low.status == APPLIES:
        second.append("estradiol below 10 pg/mL (possible over-suppression)")
    if not first and not second:
        return None
    if not first:
        first, second = second[:1], second[1:]
    lead = "From your numbers" + _assumptions(report)
    text = f"{lead}: {'; '.join(first)}."
    if second:
        rest = "; ".join(second)
        text += f" {rest[0].upper()}{rest[1:]}."
    return text
