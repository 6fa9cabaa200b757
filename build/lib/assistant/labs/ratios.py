"""T/E2, T/LH and BMI from normalised measurements, at full precision.

T/E2 = total T (ng/dL) / E2 (pg/mL); T/LH = total T (ng/dL) / LH (IU/L) (clinical.md §1). Free
testosterone is never used. A ratio the user states ("my T/E2 is 8") is used only when it cannot be
computed. BMI is kg/m²; when both weight and height were typed in imperial units it is lb/in² x 703
as the CDC computes it (703 is rounded from 703.07, so the two differ by < 0.01 %). Comparisons use
the unrounded BMI; the display is 1 dp (clinical.md §3.4), 2 dp near 25.
"""

from __future__ import annotations

from .types import Derived, Measurement, Ratio
from .units import IN_TO_CM, LB_TO_KG, fmt

BMI_CUTOFF = 25.0
BMI_BORDERLINE = (24.5, 25.5)


_STRENGTH = {"ok": 0, "noted": 1, "warn": 2}


def weakest(*statuses: str) -> str:
    """The status a figure computed from values of these statuses gets: "ok" only if all were."""
    return max(statuses, key=lambda s: _STRENGTH.get(s, 3), default="ok")


def _usable(m: Measurement | None) -> Measurement | None:
    return m if m is not None and m.usable else None


def _ratio(
    name: str,
    num: Measurement | None,
    den: Measurement | None,
    stated: Measurement | None,
    den_unit: str,
) -> Ratio | None:
    num, den, stated = _usable(num), _usable(den), _usable(stated)
    if num is not None and den is not None:
        assert num.value is not None and den.value is not None
        value = num.value / den.value
        low = high = None
        notes: list[str] = []
        if num.is_range or den.is_range:
            lo_n = num.low if num.low is not None else num.value
            hi_n = num.high if num.high is not None else num.value
            lo_d = den.low if den.low is not None else den.value
            hi_d = den.high if den.high is not None else den.value
            low, high = lo_n / hi_d, hi_n / lo_d
            notes.append(f"with the ends of your range(s) it would be {fmt(low)} to {fmt(high)}")
        if stated is not None and stated.value is not None:
            notes.append(f"you also stated {fmt(stated.value)}; the computed value is used")
        text = f"{name} = {fmt(num.value, 2)} ng/dL ÷ {fmt(den.value, 2)} {den_unit} = {fmt(value)}"
        assumptions = tuple(a for m in (num, den) if (a := assumption(m)))
        return Ratio(
            name,
            num.value,
            den.value,
            value,
            text,
            "computed",
            low,
            high,
            tuple(notes),
            assumptions,
            weakest(num.status, den.status),  # type: ignore[arg-type]
        )
    if stated is not None and stated.value is not None:
        text = f"{name} = {fmt(stated.value)} (as you stated it; read as T in ng/dL ÷ {den_unit})"
        return Ratio(name, None, None, stated.value, text, "stated", status="noted")
    return None


def assumption(m: Measurement) -> str | None:
    """What the user should know about how a value was read, or None."""
    label = m.label[0].lower() + m.label[1:] if m.label[1:2].islower() else m.label
    if m.is_range:
        return f"{label} range {m.value_as_typed}: midpoint used"
    if not m.assumptions:
        return None
    first, *rest = m.assumptions
    text = (
        f"{label} {m.value_as_typed} {first}"
        if first.startswith("read as")
        else (f"{label} {m.value_as_typed}: {first}")
    )
    return "; ".join([text, *rest])


def te2_ratio(
    t: Measurement | None, e2: Measurement | None, stated: Measurement | None = None
) -> Ratio | None:
    return _ratio("T/E2", t, e2, stated, "pg/mL")


def tlh_ratio(
    t: Measurement | None, lh: Measurement | None, stated: Measurement | None = None
) -> Ratio | None:
    return _ratio("T/LH", t, lh, stated, "IU/L")


def bmi(
    weight: Measurement | None, height: Measurement | None, stated: Measurement | None = None
) -> Derived | None:
    """BMI from weight and height when both are usable, else the BMI the user stated."""
    weight, height, stated = _usable(weight), _usable(height), _usable(stated)
    if weight is not None and height is not None:
        assert weight.value is not None and height.value is not None
        imperial = weight.unit_read in ("lb", "st") and height.unit_read in ("in", "ftin")
        if imperial:
            lb, inches = weight.value / LB_TO_KG, height.value / IN_TO_CM
            value = lb * 703 / inches**2
            text = f"BMI = {fmt(lb, 1)} lb × 703 ÷ ({fmt(inches, 2)} in)² = {bmi_display(value)}"
        else:
            metres = height.value / 100
            value = weight.value / metres**2
            text = f"BMI = {fmt(weight.value, 2)} kg ÷ ({fmt(metres, 3)} m)² = {bmi_display(value)}"
        status = weakest(weight.status, height.status)
        return Derived("bmi", "BMI", value, "kg/m2", text, bmi_notes(value), status)  # type: ignore[arg-type]
    if stated is not None and stated.value is not None:
        text = f"BMI = {bmi_display(stated.value)} (as you stated it)"
        return Derived("bmi", "BMI", stated.value, "kg/m2", text, bmi_notes(stated.value),
                       stated.status)  # fmt: skip
    return None


def bmi_display(value: float) -> str:
    """1 dp, or 2 dp near 25 so that "25.0" is never shown for a BMI below 25."""
    lo, hi = BMI_BORDERLINE
    return fmt(value, 2) if lo <= value <= hi else f"{value:.1f}"


def bmi_category(value: float) -> str:
    """CDC adult category of the unrounded BMI [D: raw, not the 1-dp display]."""
    if value < 18.5:
        return "underweight (below 18.5)"
    if value < 25:
        return "healthy weight (18.5 to below 25)"
    if value < 30:
        return "overweight (25 to below 30)"
    if value < 35:
        return "obesity class 1 (30 to below 35)"
    if value < 40:
        return "obesity class 2 (35 to below 40)"
    return "obesity class 3 (40 or more)"


def bmi_notes(value: float) -> tuple[str, ...]:
    notes = [f"CDC category: {bmi_category(value)}"]
    shown = f"{value:.1f}"
    if any(float(shown) >= bound > value for bound in (18.5, 25.0, 30.0, 35.0, 40.0)):
        notes.append(
            f"shown rounded as {shown}, but the unrounded {fmt(value)} is used for comparisons"
        )
    lo, hi = BMI_BORDERLINE
    if lo <= value <= hi:
        notes.append("borderline: close to the article's BMI 25 cut-off")
    return tuple(notes)
