"""The article's patient groups (G1-G5) and cautions, each with the article's own words.

Rules (clinical.md §7.1, [D] where marked):
  G1 BMI ≥ 25 on the unrounded BMI; borderline note for 24.5-25.5.
  G2 T/LH ≥ 100 (the article: "100 or greater", inclusive); borderline note for 95-105.
  G3 normal T/E2: ≥ 10 [D]. The article writes ">10" and "<10", so exactly 10 is in neither; it
     is counted as normal here, with a note. G4 low T/E2: < 10. Borderline note for 9.5-10.5.
  G5 azoospermia (concentration or total count 0, or the user said "no sperm"/"azoospermia") or
     cryptozoospermia (0 < concentration < 0.1 million/mL [D], or said "cryptozoospermia").
  HIGH_LH_FSH caution [D]: LH > 20 or FSH > 20 IU/L. "Does not apply" needs both values (a high
     FSH with a normal LH is a common pattern, so LH alone cannot rule it out); values above the
     typical range (LH > 8.6, FSH > 12.4) but ≤ 20 get a milder note.
  LOW_E2 caution [D]: E2 < 10 pg/mL, possible over-suppression.
  OLIGO: the article's glossary definition, < 15 million/mL or total < 39 million (= WHO 2010).
A group whose inputs are missing is "not evaluable", never "does not apply".
"""

from __future__ import annotations

from dataclasses import dataclass

from .ratios import BMI_BORDERLINE, BMI_CUTOFF, bmi_display
from .semen import CRYPTO_BELOW
from .types import (
    APPLIES,
    DOES_NOT_APPLY,
    NOT_EVALUABLE,
    Derived,
    GroupResult,
    GroupStatus,
    Label,
    Ratio,
)
from .units import fmt

Q_BMI = "Overweight/Obese (BMI ≥25)"
Q_TLH = "a testosterone-to-luteinizing hormone (T/LH) ratio of 100 or greater"
Q_TE2_NORMAL = "Normal T/E2 Ratio (>10)"
Q_TE2_LOW = "a low testosterone-to-estradiol (T/E2) ratio, often defined as being less than 10"
Q_AZOO = "Azoospermia/Cryptozoospermia"
Q_HIGH_LH_FSH = (
    "men with very high baseline LH and FSH may already be experiencing primary testicular "
    "dysfunction"
)
Q_LOW_E2 = "lower estradiol into a healthier range without suppressing it completely"
Q_OLIGO = (
    "below the World Health Organization's reference threshold of 15 million sperm per "
    "milliliter or a total count of less than 39 million per ejaculate"
)
QUOTES = (Q_BMI, Q_TLH, Q_TE2_NORMAL, Q_TE2_LOW, Q_AZOO, Q_HIGH_LH_FSH, Q_LOW_E2, Q_OLIGO)

TE2_CUTOFF = 10.0
TE2_BORDERLINE = (9.5, 10.5)
TLH_CUTOFF = 100.0
TLH_BORDERLINE = (95.0, 105.0)
GONADOTROPIN_CAUTION = 20.0
LH_TYPICAL_MAX = 8.6
FSH_TYPICAL_MAX = 12.4
E2_LOW = 10.0
OLIGO_CONC = 15.0
OLIGO_TOTAL = 39.0


@dataclass(frozen=True)
class GroupInputs:
    te2: Ratio | None = None
    tlh: Ratio | None = None
    bmi: Derived | None = None
    concentration: float | None = None
    total_count: float | None = None
    labels: tuple[Label, ...] = ()
    lh: float | None = None
    fsh: float | None = None
    e2: float | None = None
    e2_below: float | None = None
    e2_unit_unclear: bool = False  # estradiol typed without a unit that decides the caution
    described_high: tuple[str, ...] = ()
    total_t: float | None = None  # ng/dL: with an estradiol "<5", T/E2 has a lower bound


def _arith(r: Ratio) -> str:
    if r.source == "stated" or r.numerator is None or r.denominator is None:
        return f"{r.name} = {fmt(r.value)} (as you stated it)"
    text = f"{r.name} = {fmt(r.numerator)} / {fmt(r.denominator)} = {fmt(r.value)}"
    return f"{text} ({'; '.join(r.assumptions)})" if r.assumptions else text


def _range_note(r: Ratio, cutoff: float) -> tuple[str, ...]:
    if r.low is not None and r.high is not None and r.low < cutoff <= r.high:
        return (
            f"the ends of your range give {fmt(r.low)} to {fmt(r.high)}, which spans the cut-off",
        )
    return ()


def g1_bmi(bmi: Derived | None) -> GroupResult:
    label = "Overweight/obese (BMI ≥ 25)"
    if bmi is None:
        return GroupResult(
            "G1", label, NOT_EVALUABLE, "BMI needs weight and height (or your BMI).", Q_BMI
        )
    notes: list[str] = []
    lo, hi = BMI_BORDERLINE
    if lo <= bmi.value <= hi:
        notes.append(f"borderline: BMI {fmt(bmi.value)} is close to 25")
    body = bmi.formula_text or f"BMI = {bmi_display(bmi.value)}"
    if bmi.value >= BMI_CUTOFF:
        text = f"{body}, at or above 25: the overweight/obese (BMI ≥25) group applies."
        return GroupResult("G1", label, APPLIES, text, Q_BMI, notes=tuple(notes))
    text = f"{body}, below 25: the overweight/obese (BMI ≥25) group does not apply."
    return GroupResult("G1", label, DOES_NOT_APPLY, text, Q_BMI, notes=tuple(notes))


def g2_tlh(r: Ratio | None) -> GroupResult:
    label = "High T/LH ratio (≥ 100)"
    if r is None:
        return GroupResult(
            "G2", label, NOT_EVALUABLE, "T/LH needs total testosterone and LH.", Q_TLH
        )
    notes = list(_range_note(r, TLH_CUTOFF))
    if TLH_BORDERLINE[0] <= r.value <= TLH_BORDERLINE[1]:
        notes.append("borderline: close to the article's 100")
    if r.value >= TLH_CUTOFF:
        text = (
            f"{_arith(r)}, at or above the article's 100: the high T/LH group applies "
            "(a possible predictor of response, not a guarantee)."
        )
        return GroupResult("G2", label, APPLIES, text, Q_TLH, notes=tuple(notes))
    text = f"{_arith(r)}, below the article's 100: the high T/LH group does not apply."
    return GroupResult("G2", label, DOES_NOT_APPLY, text, Q_TLH, notes=tuple(notes))


def g3_g4_te2(
    r: Ratio | None, total_t: float | None = None, e2_below: float | None = None
) -> tuple[GroupResult, GroupResult]:
    """G3/G4 from T/E2; with an estradiol given only as "below x", from the least the ratio can
    be (testosterone ÷ x), when that already decides."""
    normal, low = "Normal T/E2 ratio (≥ 10; article: >10)", "Low T/E2 ratio (< 10)"
    if r is None and total_t is not None and e2_below and total_t / e2_below >= TE2_CUTOFF:
        least = total_t / e2_below
        text = (f"T/E2 is above {fmt(total_t)} / {fmt(e2_below)} = {fmt(least)} (estradiol below "
                f"{fmt(e2_below)} pg/mL), at or above the article's cut-off of 10 whatever the "
                "exact estradiol: the normal T/E2 group (>10) applies.")  # fmt: skip
        return (
            GroupResult("G3", normal, APPLIES, text, Q_TE2_NORMAL),
            GroupResult("G4", low, DOES_NOT_APPLY,
                        f"T/E2 is above {fmt(least)}, not below 10, so the low T/E2 group does "
                        "not apply.", Q_TE2_LOW),
        )  # fmt: skip
    if r is None:
        why = "T/E2 needs total testosterone and estradiol."
        return (
            GroupResult("G3", normal, NOT_EVALUABLE, why, Q_TE2_NORMAL),
            GroupResult("G4", low, NOT_EVALUABLE, why, Q_TE2_LOW),
        )
    notes = list(_range_note(r, TE2_CUTOFF))
    if TE2_BORDERLINE[0] <= r.value <= TE2_BORDERLINE[1]:
        notes.append("borderline: close to the article's cut-off of 10")
    if r.value == TE2_CUTOFF:
        notes.append(
            'exactly 10: the article says "less than 10" for low and ">10" for normal; '
            "it is counted as normal here"
        )
    n = tuple(notes)
    if r.value < TE2_CUTOFF:
        return (
            GroupResult(
                "G3", normal, DOES_NOT_APPLY,
                f"T/E2 {fmt(r.value)} is below 10, so the normal T/E2 group (>10) does not apply.",
                Q_TE2_NORMAL, notes=n,
            ),
            GroupResult(
                "G4", low, APPLIES,
                f"{_arith(r)}, below the article's cut-off of 10: the low T/E2 group applies.",
                Q_TE2_LOW, notes=n,
            ),
        )  # fmt: skip
    return (
        GroupResult(
            "G3", normal, APPLIES,
            f"{_arith(r)}, at or above the article's cut-off of 10: the normal T/E2 group "
            "(>10) applies.",
            Q_TE2_NORMAL, notes=n,
        ),
        GroupResult(
            "G4", low, DOES_NOT_APPLY,
            f"T/E2 {fmt(r.value)} is not below 10, so the low T/E2 group does not apply.",
            Q_TE2_LOW, notes=n,
        ),
    )  # fmt: skip


def g5_azoo(conc: float | None, total: float | None, labels: tuple[Label, ...]) -> GroupResult:
    label = "Azoospermia / cryptozoospermia"
    said = labels[-1] if labels else None
    if conc == 0 or (conc is None and total == 0):
        what = (
            f"sperm concentration {fmt(conc)}"
            if conc is not None
            else f"total count {fmt(total or 0)}"
        )
        text = (
            f"A {what} means no sperm were seen (azoospermia): the azoospermia/"
            "cryptozoospermia group applies."
        )
        return GroupResult("G5", label, APPLIES, text, Q_AZOO)
    if conc is not None and conc < CRYPTO_BELOW:
        text = (
            f"A sperm concentration of {fmt(conc, 3)} million/mL is above 0 but below 0.1 "
            "million/mL, a common cut-off for cryptozoospermia (the article gives none): the "
            "azoospermia/cryptozoospermia group applies."
        )
        return GroupResult("G5", label, APPLIES, text, Q_AZOO)
    if conc is not None:
        notes = (f'you also wrote "{said.text}"; the numbers are used',) if said else ()
        text = (
            f"A sperm concentration of {fmt(conc)} million/mL means sperm are present, so the "
            "azoospermia/cryptozoospermia group does not apply."
        )
        return GroupResult("G5", label, DOES_NOT_APPLY, text, Q_AZOO, notes=notes)
    if said is not None:
        text = (
            f'You said "{said.text}" ({said.kind}): the azoospermia/cryptozoospermia group applies.'
        )
        return GroupResult("G5", label, APPLIES, text, Q_AZOO)
    return GroupResult(
        "G5", label, NOT_EVALUABLE, "This needs the sperm concentration (million/mL).", Q_AZOO
    )


def high_lh_fsh(lh: float | None, fsh: float | None, described: tuple[str, ...]) -> GroupResult:
    label = "Very high LH/FSH (possible primary testicular dysfunction)"
    parts = [(n, v) for n, v in (("LH", lh), ("FSH", fsh)) if v is not None]
    high = [(n, v) for n, v in parts if v > GONADOTROPIN_CAUTION]
    notes = tuple(
        f"{n} {fmt(v)} IU/L is above the typical adult range (up to {fmt(cap)} IU/L)"
        for n, v, cap in (("LH", lh, LH_TYPICAL_MAX), ("FSH", fsh, FSH_TYPICAL_MAX))
        if v is not None and cap < v <= GONADOTROPIN_CAUTION
    )
    if high:
        shown = " and ".join(f"{n} {fmt(v)} IU/L" for n, v in high)
        verb = "is" if len(high) == 1 else "are"
        text = (
            f"{shown} {verb} above 20 IU/L: very high LH/FSH can mean primary testicular "
            "dysfunction, where lowering estradiol is unlikely to help."
        )
        return GroupResult("HIGH_LH_FSH", label, APPLIES, text, Q_HIGH_LH_FSH, "flag", notes)
    if len(parts) == 2:
        text = (
            f"LH {fmt(lh or 0)} and FSH {fmt(fsh or 0)} IU/L are not very high (20 IU/L or less)."
        )
        return GroupResult("HIGH_LH_FSH", label, DOES_NOT_APPLY, text, Q_HIGH_LH_FSH, "flag", notes)
    if described:
        text = (
            f"You described {' and '.join(described)} as high but gave no number; with the "
            "values in IU/L they can be checked against 20 IU/L."
        )
    elif parts:
        n, v = parts[0]
        other = "FSH" if n == "LH" else "LH"
        text = f"{n} {fmt(v)} IU/L is not very high, but {other} is also needed to rule this out."
    else:
        text = "This needs LH and FSH (IU/L)."
    return GroupResult("HIGH_LH_FSH", label, NOT_EVALUABLE, text, Q_HIGH_LH_FSH, "flag", notes)


def low_e2(e2: float | None, below: float | None = None, unclear: bool = False) -> GroupResult:
    label = "Estradiol below 10 pg/mL (possible over-suppression)"
    if unclear:
        text = "This needs estradiol's unit: in one plausible unit it is below 10 pg/mL."
        return GroupResult("LOW_E2", label, NOT_EVALUABLE, text, Q_LOW_E2, "flag")
    if e2 is None and below is not None and below <= E2_LOW:
        text = (
            f"Estradiol below {fmt(below)} pg/mL is below 10 pg/mL, the usual adult-male lower "
            "limit: possible over-suppression (the article advises against suppressing it "
            "completely); worth discussing with a clinician."
        )
        return GroupResult("LOW_E2", label, APPLIES, text, Q_LOW_E2, "flag")
    if e2 is None:
        return GroupResult(
            "LOW_E2", label, NOT_EVALUABLE, "This needs estradiol.", Q_LOW_E2, "flag"
        )
    if e2 < E2_LOW:
        text = (
            f"Estradiol {fmt(e2)} pg/mL is below 10 pg/mL, the usual adult-male lower limit: "
            "possible over-suppression (the article advises against suppressing it completely); "
            "worth discussing with a clinician."
        )
        return GroupResult("LOW_E2", label, APPLIES, text, Q_LOW_E2, "flag")
    text = f"Estradiol {fmt(e2)} pg/mL is not below 10 pg/mL."
    return GroupResult("LOW_E2", label, DOES_NOT_APPLY, text, Q_LOW_E2, "flag")


def oligo(conc: float | None, total: float | None) -> GroupResult:
    label = "Oligospermia (article glossary: < 15 million/mL or total < 39 million)"
    why: list[str] = []
    if conc is not None and conc < OLIGO_CONC:
        why.append(f"concentration {fmt(conc)} < 15 million/mL")
    if total is not None and total < OLIGO_TOTAL:
        why.append(f"total count {fmt(total)} < 39 million")
    note = ("the glossary's 15 million/mL is the WHO 2010 limit; WHO 2021 uses 16 million/mL",)
    if why:
        status: GroupStatus = APPLIES
        text = f"Sperm {' and '.join(why)}: below the article's oligospermia thresholds."
    elif conc is not None and total is not None:
        status = DOES_NOT_APPLY
        text = (
            f"Sperm concentration {fmt(conc)} ≥ 15 million/mL and total count {fmt(total)} ≥ 39 "
            "million: not oligospermia by the article's definition."
        )
    elif conc is not None:
        status = NOT_EVALUABLE
        text = (
            f"Concentration {fmt(conc)} ≥ 15 million/mL, but the total count (needs the volume) "
            "is unknown."
        )
    else:
        status = NOT_EVALUABLE
        text = "This needs the sperm concentration (and volume for the total count)."
    return GroupResult("OLIGO", label, status, text, Q_OLIGO, "flag", note)


_ORDER = {APPLIES: 0, DOES_NOT_APPLY: 1, NOT_EVALUABLE: 2}


def evaluate(x: GroupInputs) -> tuple[GroupResult, ...]:
    """All groups, then all cautions; within each, those that apply first."""
    g3, g4 = g3_g4_te2(x.te2, x.total_t, x.e2_below)
    groups = [
        g1_bmi(x.bmi),
        g2_tlh(x.tlh),
        g3,
        g4,
        g5_azoo(x.concentration, x.total_count, x.labels),
    ]
    flags = [
        high_lh_fsh(x.lh, x.fsh, x.described_high),
        low_e2(x.e2, x.e2_below, x.e2_unit_unclear),
        oligo(x.concentration, x.total_count),
    ]
    groups.sort(key=lambda g: _ORDER[g.status])
    flags.sort(key=lambda g: _ORDER[g.status])
    return (*groups, *flags)
