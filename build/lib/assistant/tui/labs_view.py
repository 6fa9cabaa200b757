"""The "Your numbers" panel as Markdown, built from a `labs.LabReport`.

The labs package is read through `getattr` with defaults so the panel degrades to less detail,
never to a crash, if a field is renamed. Nothing here imports textual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..gauges import gauge_lines, gauges, study_lines, study_rows
from ..lab_answers import passage_for_quote
from ..passages import Passage
from .format import PASSAGE_SCHEME, escape_markdown

EMPTY_TEXT = (
    "Mention your lab values in a question and the article's ratios appear here, for example:\n\n"
    "*my T is 300 ng/dL and E2 40 pg/mL*\n\n"
    "Testosterone, estradiol, LH, FSH, weight and height, and semen results are understood. "
    "Nothing is stored."
)
UNAVAILABLE_TEXT = "Lab-value analysis is not available in this installation."
PANEL_WIDTH = 36  # characters a gauge may use inside the 42-column panel
STATUS_MARK = {"applies": "✔", "does not apply": "✘", "not evaluable": "?"}

Analyser = Callable[[Sequence[str]], Any]


def load_analyser() -> Analyser | None:
    """`labs.analyse_turns`, or None when the labs package cannot be imported."""
    try:
        from ..labs import analyse_turns
    except ImportError:
        return None
    return analyse_turns


def load_text_renderer() -> Callable[[Any], str] | None:
    try:
        from ..labs import render_text
    except ImportError:
        return None
    return render_text


def number(value: object) -> str:
    """7.5 -> '7.5', 300.0 -> '300', 25.911 -> '25.91'."""
    if not isinstance(value, (int, float)):
        return str(value)
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _md(text: object) -> str:
    return escape_markdown(str(text)) if text else ""


def _measurement_line(m: Any) -> str:
    label = getattr(m, "label", None) or getattr(m, "analyte", "value")
    typed = str(getattr(m, "value_as_typed", "") or "")
    unit_typed = getattr(m, "unit_as_typed", None)
    if unit_typed and unit_typed != typed:
        typed = f"{typed} {unit_typed}".strip()
    value, unit = getattr(m, "value", None), getattr(m, "unit", "")
    status = getattr(m, "status", "ok")
    if getattr(m, "low", None) is not None and getattr(m, "high", None) is not None:
        used = f"{number(m.low)}–{number(m.high)} {unit}"
    elif value is not None and status in ("ok", "warn"):
        used = f"{number(value)} {unit}".strip()
    else:
        used = {"ambiguous": "unclear", "rejected": "not used", "bound": "not used"}.get(
            status, "not used"
        )
    line = f"- {_md(label)}: `{typed or '?'}` → **{_md(used)}**"
    note = _without_conversion(str(getattr(m, "note", "") or ""), str(m_typed(m)))
    source = getattr(m, "unit_source", "typed")
    if source in ("assumed", "inferred", "default", "none") and not note:
        note = f"no unit typed; read as {unit}: please check" if unit else "no unit typed"
    if status == "warn" and not note:
        note = "outside the usual range; please check"
    if note:
        line += f"  \n  *{_md(note)}*"
    return line


def m_typed(m: Any) -> str:
    return str(getattr(m, "value_as_typed", "") or "")


def _without_conversion(note: str, typed: str) -> str:
    """The note minus the unit conversion ("9.4 nmol/L = 271.1 ng/dL") that the line's
    "as typed → used" already shows: each conversion is shown once."""
    parts = [p.strip() for p in note.split(";")]
    kept = [
        p
        for p in parts
        if not (typed and p.startswith(typed) and p.count(" = ") == 1 and "read as" not in p)
    ]
    return "; ".join(p for p in kept if p)


def _value_with_notes(name: str, value: Any, unit: str, formula: str, notes: Sequence[str]) -> str:
    line = f"- **{_md(name)} = {number(value)}{(' ' + unit) if unit else ''}**"
    if formula:
        line += f"  \n  {_md(formula)}"
    for note in notes:
        line += f"  \n  *{_md(note)}*"
    return line


def _formula_line(formula: str, notes: Sequence[str]) -> str:
    line = f"- {_md(formula)}"
    for note in notes:
        line += f"  \n  *{_md(note)}*"
    return line


def labs_pictures(report: Any, width: int = PANEL_WIDTH) -> tuple[str, str]:
    """(the gauges, the study table) as plain text for the panel; "" for each when none."""
    if report is None or getattr(report, "is_empty", True):
        return "", ""
    found = gauges(report)
    if not found:
        return "", ""
    lines = [line for g in found for line in gauge_lines(g, width)]
    return "\n".join(lines), "\n".join(study_lines(study_rows(report), width))


def _group_lines(group: Any, passages: Sequence[Passage]) -> list[str]:
    """One paragraph per group: mark, label and status; explanation; the quoted criterion."""
    status = str(getattr(group, "status", "not evaluable"))
    mark = STATUS_MARK.get(status, "·")
    label = getattr(group, "label", None) or getattr(group, "code", "group")
    lines = [f"{mark} **{_md(label)}** — *{_md(status)}*"]
    explanation = getattr(group, "explanation", "")
    if explanation:
        lines.append(_md(explanation))
    for note in getattr(group, "notes", ()) or ():
        lines.append(f"*{_md(note)}*")
    quote = getattr(group, "criterion_quote", "")
    if quote:
        passage = passage_for_quote(passages, quote)
        link = f" [source]({PASSAGE_SCHEME}{passage.id})" if passage is not None else ""
        lines.append(f"Article: “{_md(quote)}”{link}")
    return ["  \n".join(lines), ""]


def labs_markdown(report: Any, passages: Sequence[Passage]) -> str:
    """The panel body: values as typed and normalised, ratios, derived values, the article's
    groups (with the quoted criterion and a link to its passage), cautions and what to clarify."""
    if report is None or getattr(report, "is_empty", True):
        return EMPTY_TEXT
    out: list[str] = []
    measurements = [m for m in getattr(report, "measurements", ()) if getattr(m, "current", True)]
    if measurements:
        out += ["**Values** (as typed → used)", ""]
        out += [_measurement_line(m) for m in measurements]
        out.append("")
    ratios = getattr(report, "ratios", ())
    derived = getattr(report, "derived", ())
    if ratios or derived:
        # The figures themselves are in the gauges above; here is how each was worked out.
        out += ["**How they were worked out**", ""]
        for item in (*ratios, *derived):
            formula = getattr(item, "formula_text", "")
            if formula:
                out.append(_formula_line(formula, getattr(item, "notes", ())))
            else:
                name = getattr(item, "label", None) or getattr(item, "name", "value")
                out.append(
                    _value_with_notes(
                        name, getattr(item, "value", None), getattr(item, "unit", ""), "", ()
                    )
                )
        out.append("")
    for semen in getattr(report, "semen", ()):
        edition = getattr(semen, "edition", "WHO")
        out += [f"**Semen, {_md(edition)}**", "", _md(getattr(semen, "explanation", "")), ""]
    order = {status: i for i, status in enumerate(STATUS_MARK)}
    groups = sorted(
        (g for g in getattr(report, "groups", ()) if getattr(g, "kind", "group") == "group"),
        key=lambda g: order.get(getattr(g, "status", ""), len(order)),
    )
    flags = [g for g in getattr(report, "groups", ()) if getattr(g, "kind", "group") != "group"]
    if groups:
        out += ["**The article's patient groups**", ""]
        for g in groups:
            out += _group_lines(g, passages)
        out.append("")
    shown_flags = [f for f in flags if getattr(f, "status", "") == "applies"]
    if shown_flags:
        out += ["**Cautions**", ""]
        for f in shown_flags:
            out += _group_lines(f, passages)
        out.append("")
    issues = getattr(report, "issues", ())
    if issues:
        out += ["**Please clarify**", ""]
        out += [f"- {_md(str(i))}" for i in issues]
        out.append("")
    return "\n".join(out).rstrip() + "\n" if out else EMPTY_TEXT


def labs_plain(report: Any) -> str | None:
    """The report as plain text for the export, or None when there is nothing to say."""
    if report is None or getattr(report, "is_empty", True):
        return None
    render = load_text_renderer()
    if render is not None:
        try:
            return render(report)
        except Exception:  # a renderer bug must not lose the user's export
            pass
    values = [_measurement_line(m) for m in getattr(report, "measurements", ())]
    values += [f"- {r.name} = {number(r.value)}" for r in getattr(report, "ratios", ())]
    return "\n".join(values) or None
