"""The labs package: the clinical test vectors V1-V27 (clinical.md §7.2), the public examples,
patient phrasings, conversations and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.labs import (
    LabReport,
    analyse,
    analyse_turns,
    render_text,
    summary_sentence,
)
from assistant.labs.groups import QUOTES

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (ROOT / "corpus" / "article.txt").read_text(encoding="utf-8")


def close(actual: float | None, expected: float) -> bool:
    """The vectors' tolerance: ±0.01 or ±0.1 %, whichever is larger."""
    return actual is not None and abs(actual - expected) <= max(0.01, 0.001 * abs(expected))


def status(report: LabReport, code: str) -> str:
    group = report.group(code)
    assert group is not None, code
    return group.status


def applying(report: LabReport) -> set[str]:
    return {g.code for g in report.groups if g.status == "applies"}


def ratio_value(report: LabReport, name: str) -> float | None:
    r = report.ratio(name)
    return r.value if r is not None else None


def derived(report: LabReport, name: str) -> float | None:
    d = report.derived_value(name)
    return d.value if d is not None else None


# --- V1-V27 -----------------------------------------------------------------------------------

# (id, text, T/E2, T/LH, BMI, TMC, groups that apply, groups that must not apply)
VECTORS = [
    ("V1", "T 9.4 nmol/L, E2 118 pmol/L, LH 2.1", 8.43, 129.09, None, None,
     {"G4", "G2"}, {"G3"}),
    ("V3", "T 270.6 ng/dL, E2 32.0 pg/mL, LH 3.4 IU/L, BMI 28.7", 8.46, 79.59, 28.7, None,
     {"G1", "G4"}, {"G2", "G3"}),
    ("V4", "T 412.0 ng/dL, E2 15.9 pg/mL, LH 5.4 IU/L, BMI 28.7", 25.91, 76.30, 28.7, None,
     {"G1", "G3"}, {"G2", "G4"}),
    ("V5", "T 300 ng/dL, E2 30 pg/mL, LH 3.0 IU/L", 10.00, 100.00, None, None,
     {"G3", "G2"}, {"G4"}),
    ("V6", "T 299 ng/dL, E2 30 pg/mL, LH 3.0", 9.97, 99.67, None, None, {"G4"}, {"G2", "G3"}),
    ("V7", "T 10.4 nmol/L, LH 3.0 IU/L", None, 99.98, None, None, set(), {"G2"}),
    ("V8", "T 4.1 ng/mL, E2 52.1 pg/mL", 7.87, None, None, None, {"G4"}, {"G3"}),
    ("V9", "T 12 nmol/L, E2 150 pmol/L, LH 6 IU/L", 8.47, 57.68, None, None,
     {"G4"}, {"G2", "G3"}),
    ("V10", "T 500 ng/dL, E2 45 ng/L, LH 2.5 mIU/mL", 11.11, 200.00, None, None,
     {"G3", "G2"}, {"G4"}),
    ("V11", "T 350 ng/dL, E2 150 pmol/L, LH 3.2 mIU/mL", 8.57, 109.38, None, None,
     {"G4", "G2"}, {"G3"}),
    ("V12", "T 18 nmol/L, E2 25 pg/mL, LH 3.0 mIU/mL", 20.76, 173.04, None, None,
     {"G3", "G2"}, {"G4"}),
    ("V13", "T 20 nmol/L, E2 60 pmol/L, LH 5 IU/L", 35.29, 115.36, None, None,
     {"G3", "G2"}, {"G4"}),
    ("V14", "95 kg, 178 cm", None, None, 29.98, None, {"G1"}, set()),
    ("V15", "5 ft 9 in, 168 lb", None, None, 24.81, None, set(), {"G1"}),
    ("V16", "5 ft 9 in, 169 lb", None, None, 24.95, None, set(), {"G1"}),
    ("V17", "1.75 m, 76.56 kg; then 76.6 kg", None, None, 25.01, None, {"G1"}, set()),
    ("V18", "semen 3.0 mL, 45 M/mL, 55 % total motility", None, None, None, 74.25,
     set(), {"G5"}),
    ("V19", "semen 2.5 mL, 8 M/mL, 40 % total (25 % progressive)", None, None, None, 8.00,
     set(), {"G5"}),
    ("V20", "semen 2.6 mL, 15.5 M/mL, 45 %", None, None, None, 18.14, set(), {"G5"}),
    ("V21", "T 250 ng/dL, E2 20 pg/mL, LH 15, FSH 25 IU/L; semen 2.8 mL, 0 M/mL", 12.50, 16.67,
     None, 0.0, {"G3", "G5", "HIGH_LH_FSH"}, {"G2", "G4"}),
    ("V22", "semen 3.0 mL, 0.05 M/mL, 10 % motility", None, None, None, 0.015, {"G5"}, set()),
    ("V23", "120 kg, 1.80 m; T 8.0 nmol/L, E2 45 pg/mL, LH 2.0; semen 2.0 mL, 4 M/mL, 30 %",
     5.13, 115.36, 37.04, 2.40, {"G1", "G2", "G4"}, {"G3", "G5"}),
    ("V24", "T 600 ng/dL, E2 8 pg/mL, LH 4 IU/L", 75.00, 150.00, None, None,
     {"G3", "G2", "LOW_E2"}, {"G4"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("vid", "text", "te2", "tlh", "bmi", "tmc", "applies", "not_applies"),
    VECTORS,
    ids=[v[0] for v in VECTORS],
)
def test_vector(
    vid: str,
    text: str,
    te2: float | None,
    tlh: float | None,
    bmi: float | None,
    tmc: float | None,
    applies: set[str],
    not_applies: set[str],
) -> None:
    r = analyse(text)
    for name, expected in (("T/E2", te2), ("T/LH", tlh)):
        if expected is None:
            assert r.ratio(name) is None, name
        else:
            assert close(ratio_value(r, name), expected), (name, ratio_value(r, name))
    if bmi is None:
        assert r.derived_value("bmi") is None
    else:
        assert close(derived(r, "bmi"), bmi), derived(r, "bmi")
    if tmc is not None:
        assert close(derived(r, "tmc"), tmc), derived(r, "tmc")
    assert applies <= applying(r), (applies, applying(r))
    for code in not_applies:
        assert status(r, code) == "does not apply", code
    assert not [i for i in r.issues if i.kind != "no_value"], r.issues


def test_v1_normalised_values() -> None:
    r = analyse("T 9.4 nmol/L, E2 118 pmol/L, LH 2.1")
    assert close(r.value("total_t"), 271.10)
    assert close(r.value("e2"), 32.14)
    assert status(r, "G1") == status(r, "G5") == "not evaluable"


def test_v2_conversion_is_applied() -> None:
    r = analyse("T 9.4 nmol/L, E2 118 pmol/L, LH 2.1")
    assert not close(ratio_value(r, "T/E2"), 0.080)
    assert not close(ratio_value(r, "T/LH"), 4.48)


def test_v5_exactly_10_is_normal_with_a_note() -> None:
    g3 = analyse("T 300 ng/dL, E2 30 pg/mL, LH 3.0 IU/L").group("G3")
    assert g3 is not None and g3.status == "applies"
    assert any("exactly 10" in n for n in g3.notes)
    assert any("borderline" in n for n in g3.notes)


def test_v6_v7_borderline_notes() -> None:
    g2 = analyse("T 299 ng/dL, E2 30 pg/mL, LH 3.0").group("G2")
    assert g2 is not None and any("borderline" in n for n in g2.notes)
    g2 = analyse("T 10.4 nmol/L, LH 3.0 IU/L").group("G2")
    assert g2 is not None and g2.status == "does not apply"
    assert any("borderline" in n for n in g2.notes)


def test_v7_pins_the_factor_28_84() -> None:
    r = analyse("T 10.4 nmol/L, LH 3.0 IU/L")
    assert r.value("total_t") == pytest.approx(10.4 * 28.84)
    assert ratio_value(r, "T/LH") == pytest.approx(10.4 * 28.84 / 3)  # 99.979; 28.85 gives 100.01


def test_v14_cdc_category_uses_the_raw_bmi() -> None:
    bmi = analyse("95 kg, 178 cm").derived_value("bmi")
    assert bmi is not None
    assert any("overweight" in n for n in bmi.notes)
    assert any("30.0" in n and "29.98" in n for n in bmi.notes)


def test_v16_is_borderline_and_not_g1() -> None:
    r = analyse("5 ft 9 in, 169 lb")
    g1 = r.group("G1")
    assert g1 is not None and g1.status == "does not apply"
    assert any("borderline" in n for n in g1.notes)
    assert "24.95" in g1.explanation


def test_v17_boundary_of_bmi_25() -> None:
    before = analyse("1.75 m, 76.56 kg")
    assert derived(before, "bmi") == pytest.approx(24.9992, abs=1e-4)
    assert status(before, "G1") == "does not apply"
    after = analyse_turns(["1.75 m, 76.56 kg", "sorry, I meant 76.6 kg"])
    assert close(derived(after, "bmi"), 25.01)
    assert status(after, "G1") == "applies"


def test_v18_total_count_and_normal_semen() -> None:
    r = analyse("semen 3.0 mL, 45 M/mL, 55 % total motility")
    assert close(derived(r, "total_count"), 135)
    for category in r.semen:
        assert category.findings == (
            "no value below the lower reference limits (for the values given)",
        )


def test_v19_progressive_variant_and_oligozoospermia() -> None:
    r = analyse("semen 2.5 mL, 8 M/mL, 40 % total (25 % progressive)")
    assert close(derived(r, "tmc_progressive"), 5.00)
    assert close(derived(r, "total_count"), 20)
    tmc = r.derived_value("tmc")
    assert tmc is not None and "total motility" in tmc.formula_text
    for category in r.semen:
        assert "oligozoospermia" in category.findings
        assert not any("severe" in f for f in category.findings)
    assert status(r, "OLIGO") == "applies"


def test_v20_who_edition_matters() -> None:
    r = analyse("semen 2.6 mL, 15.5 M/mL, 45 %")
    assert close(derived(r, "total_count"), 40.3)
    by_edition = {c.edition: c for c in r.semen}
    assert "oligozoospermia" in by_edition["WHO 2021 (6th ed.)"].findings
    assert "oligozoospermia" not in by_edition["WHO 2010 (5th ed.)"].findings
    assert "15.5 million/mL < 16" in by_edition["WHO 2021 (6th ed.)"].explanation
    assert status(r, "OLIGO") == "does not apply"  # the article's glossary uses 15 (WHO 2010)


def test_v21_azoospermia_and_high_fsh() -> None:
    r = analyse("T 250 ng/dL, E2 20 pg/mL, LH 15, FSH 25 IU/L; semen 2.8 mL, 0 M/mL")
    assert derived(r, "tmc") == 0
    g5 = r.group("G5")
    assert g5 is not None and "azoospermia" in g5.explanation
    flag = r.group("HIGH_LH_FSH")
    assert flag is not None and "FSH 25" in flag.explanation
    assert any("LH 15" in n for n in flag.notes)  # above the typical range, below 20


def test_v22_cryptozoospermia() -> None:
    r = analyse("semen 3.0 mL, 0.05 M/mL, 10 % motility")
    assert close(derived(r, "total_count"), 0.15)
    g5 = r.group("G5")
    assert g5 is not None and "cryptozoospermia" in g5.explanation
    assert all(any("severe oligozoospermia" in f for f in c.findings) for c in r.semen)


def test_v23_obesity_class_2_and_severe_oligo() -> None:
    r = analyse("120 kg, 1.80 m; T 8.0 nmol/L, E2 45 pg/mL, LH 2.0; semen 2.0 mL, 4 M/mL, 30 %")
    assert close(r.value("total_t"), 230.72)
    bmi = r.derived_value("bmi")
    assert bmi is not None and any("obesity class 2" in n for n in bmi.notes)
    assert all(any("severe" in f for f in c.findings) for c in r.semen)


def test_v24_over_suppression_flag() -> None:
    r = analyse("T 600 ng/dL, E2 8 pg/mL, LH 4 IU/L")
    e2 = r.current("e2")
    assert e2 is not None and e2.status == "warn"
    low = r.group("LOW_E2")
    assert low is not None and low.kind == "flag" and low.status == "applies"


def test_v25_free_t_never_enters_a_ratio() -> None:
    r = analyse("testosterone 65")
    assert r.ratios == ()
    assert r.issues[0].kind == "ambiguous_unit"
    assert "free testosterone" in (r.issues[0].question or "")

    r = analyse("free T 65 pg/mL, E2 30 pg/mL, LH 4")
    assert r.ratios == ()
    assert close(r.value("free_t"), 65)
    assert r.value("total_t") is None
    assert [i.kind for i in r.issues] == ["free_t_not_total"]
    assert status(r, "G4") == status(r, "G2") == "not evaluable"


def test_v25_free_t_kept_separate_from_total() -> None:
    r = analyse("TT 12.1 nmol/l, free T 65 pg/mL, SHBG 30, E2 30 pg/mL")
    assert close(r.value("total_t"), 12.1 * 28.84)
    assert close(ratio_value(r, "T/E2"), 12.1 * 28.84 / 30)
    assert r.value("free_t") == 65
    assert r.value("shbg") == 30


@pytest.mark.parametrize(
    ("text", "analyte"),
    [
        ("E2 0 pg/mL", "e2"),
        ("LH 0", "lh"),
        ("T 5000 ng/dL", "total_t"),
        ("T −5", "total_t"),
        ("T -5 ng/dL", "total_t"),
        ("motility 120 %", "motility_total"),
    ],
)
def test_v26_implausible_values_are_rejected(text: str, analyte: str) -> None:
    r = analyse(text)
    m = r.current(analyte)
    assert m is not None and m.status == "rejected" and m.value is None
    assert [i.kind for i in r.issues] == ["rejected"]
    assert r.issues[0].question


def test_v26_all_at_once() -> None:
    r = analyse("E2 0 pg/mL; LH 0; T 5000 ng/dL; T −5; motility 120 %")
    assert r.ratios == () and r.derived == ()
    assert sum(i.kind == "rejected" for i in r.issues) == 5  # both T values are reported
    assert "undefined" in str(r.issues[0])


def test_v27_bare_t_is_ambiguous() -> None:
    r = analyse("T 9.4")
    assert r.ratios == ()
    (issue,) = r.issues
    assert issue.kind == "ambiguous_unit"
    assert issue.question is not None and "nmol/L" in issue.question and "ng/mL" in issue.question
    assert "271.1" in issue.question and "940" in issue.question


# --- the public eval examples and other patient phrasings -------------------------------------


def test_public_example_te2() -> None:
    """Bare "300" and "40": testosterone can only be ng/dL, but estradiol 40 is plausible in
    pg/mL and in pmol/L, and the two put T/E2 on opposite sides of 10 (clinical.md: ask, do not
    guess). Both readings are shown, and nothing is computed."""
    r = analyse(
        "My testosterone came back at 300 and my estradiol at 40. "
        "Is that ratio one of the low ones people talk about?"
    )
    assert r.ratio("T/E2") is None
    assert status(r, "G4") == "not evaluable"
    (issue,) = [i for i in r.issues if i.analyte == "e2"]
    assert issue.kind == "ambiguous_unit"
    assert "T/E2 would be 7.5, below" in issue.message
    assert "T/E2 would be 27.53, at or above" in issue.message
    assert issue.question is not None and "pg/mL or pmol/L" in issue.question
    t = r.current("total_t")
    assert t is not None and t.unit_source == "inferred"


def test_public_example_tlh() -> None:
    r = analyse(
        "my T is 520 and LH is 4. doc said dividing one by the other tells you if anastrozole "
        "is likely to work for me. where do I land?"
    )
    assert ratio_value(r, "T/LH") == pytest.approx(130)
    assert status(r, "G2") == "applies"
    assert (
        summary_sentence(r)
        == "From your numbers (total testosterone 520 read as ng/dL): T/LH = 520 / 4 = 130, at or "
        "above the article's 100."
    )


@pytest.mark.parametrize(
    ("text", "te2", "tlh"),
    [
        ("my testosterone was 9.4 nmol/L, estradiol 118 pmol/L and LH 2.1", 8.43, 129.09),
        ("Testosterone: 9,4 nmol/L. Oestradiol: 118 pmol/L. LH: 2,1 IU/L", 8.43, 129.09),
        ("results: total T 350 ng/dl, E2 45 pg/ml, LH 3.5 miu/ml", 7.78, 100.0),
        ("my total testosterone is 15.2 nmol/L and my oestradiol 90 pmol/L", 17.88, None),
        ("118 pmol/L estradiol, 9.4 nmol/L testosterone", 8.43, None),
        ("T=420, E2=35", 12.0, None),  # bare E2 35 -> pg/mL by unit-system consistency
        ("testosterone level 420 ng/dL, estrogen 35", 12.0, None),
        ("T 20 nmol/L, E2 40", 52.93, None),  # SI testosterone -> E2 40 read as pmol/L
        ("T 12 nmol/L, E2 40", None, None),  # pmol/L (31.8) or pg/mL (8.7): asked
        ("T 9.4, E2 118 pmol/L", None, None),  # nmol/L (8.4) or ng/mL (29.2): asked
        ("LH 4. My T came back at 520", None, 130.0),
        ("testosterone (total) 300, E2 (estradiol) 30 pg/mL", 10.0, None),
        ("Ｔ ３００ ｎｇ/ｄＬ, Ｅ2 40 pg/mL", 7.5, None),  # full-width characters
        ("my test 520 and LH 4", None, 130.0),
        ("2.1 LH and 271.1 ng/dL testosterone", None, 129.1),
        ("T levels were 410 ng/dL after 3 months on anastrozole; LH 4.1", None, 100.0),
    ],
)
def test_patient_phrasings(text: str, te2: float | None, tlh: float | None) -> None:
    r = analyse(text)
    for name, expected in (("T/E2", te2), ("T/LH", tlh)):
        if expected is None:
            assert r.ratio(name) is None, name
        else:
            assert close(ratio_value(r, name), expected), (name, ratio_value(r, name))


def test_assumption_is_visible_to_the_user() -> None:
    r = analyse("T 20 nmol/L, E2 40")  # either unit keeps T/E2 above 10: the assumption stands
    e2 = r.current("e2")
    assert e2 is not None and e2.unit_read == "pmol/L" and e2.unit_source == "assumed"
    assert "SI units" in e2.note
    assert "read as pmol/L" in (summary_sentence(r) or "")


def test_an_assumed_unit_that_decides_t_lh_is_asked_about() -> None:
    # 9.4 read as ng/mL (the other values are in mass units) gives T/LH 204; as nmol/L, 59.
    r = analyse("E2 21 pg/mL, LH 4.6 mIU/mL, TT 9.4")
    assert r.ratio("T/LH") is None and r.ratio("T/E2") is None
    assert any(i.analyte == "total_t" and "T/LH" in i.message for i in r.issues)
    assert status(r, "G2") == "not evaluable"


def test_an_assumed_unit_that_decides_only_the_low_estradiol_caution() -> None:
    # 35 pg/mL or 35 pmol/L (9.5 pg/mL): T/E2 is above 10 either way, the caution is not.
    r = analyse("T=420, E2=35")
    assert close(ratio_value(r, "T/E2"), 12.0)
    assert status(r, "LOW_E2") == "not evaluable"
    (issue,) = r.issues
    assert issue.kind == "caution_unit" and issue.question is not None
    assert "pg/mL or pmol/L" in issue.question


def test_ambiguous_estradiol_without_context_is_asked() -> None:
    r = analyse("estradiol 40")
    (issue,) = r.issues
    assert issue.kind == "ambiguous_unit"
    assert issue.question is not None and "pg/mL or pmol/L" in issue.question


def test_no_assumption_without_an_unambiguous_value() -> None:
    r = analyse("T 9.4, E2 40")
    assert r.value("total_t") is None and r.value("e2") is None
    assert [i.kind for i in r.issues] == ["ambiguous_unit", "ambiguous_unit"]


def test_body_and_semen_from_units_alone() -> None:
    r = analyse("I'm 5'9 and 215 lb. semen analysis: 2.5 ml, 8 million/ml, 40% total motility")
    assert close(derived(r, "bmi"), 215 * 703 / 69**2)
    assert close(derived(r, "tmc"), 8.0)
    assert status(r, "G1") == "applies"


@pytest.mark.parametrize(
    ("text", "cm"),
    [
        ("I'm 5'9\"", 175.26),
        ("5’9”", 175.26),
        ("5 ft 9 in", 175.26),
        ("5 foot 9", 175.26),
        ("5 feet, 9 inches tall", 175.26),
        ("6 ft", 182.88),
        ("height 175", 175),
        ("1.78 m", 178),
        ("69 inches", 175.26),
    ],
)
def test_heights(text: str, cm: float) -> None:
    assert close(analyse(text).value("height"), cm)


@pytest.mark.parametrize(
    ("text", "kg"),
    [
        ("95 kg", 95),
        ("209 lbs", 209 * 0.45359237),
        ("I weigh 300", 300 * 0.45359237),  # only lb is plausible
        ("14 st 3 lb", 199 * 0.45359237),
        ("14 stone", 196 * 0.45359237),
        ("weight 80", 80),
    ],
)
def test_weights(text: str, kg: float) -> None:
    assert close(analyse(text).value("weight"), kg)


def test_bare_weight_follows_the_height_system() -> None:
    m = analyse("I weigh 215 and I'm 5'9").current("weight")
    assert m is not None and m.unit_read == "lb" and m.unit_source == "assumed"
    r = analyse("weight 95")  # 95 kg or 95 lb (43 kg): both plausible, no height
    assert r.value("weight") is None and r.issues[0].kind == "ambiguous_unit"


def test_the_other_values_unit_system_decides_a_bare_estradiol_unless_it_makes_it_unusual() -> None:
    r = analyse("testosterone 17 nmol/L, estradiol 95")  # 95 pmol/L (26 pg/mL) or 95 pg/mL (high)
    e2 = r.current("e2")
    assert e2 is not None and e2.unit_read == "pmol/L" and e2.unit_source == "assumed"
    r = analyse("testosterone 17 nmol/L, estradiol 24")  # 24 pg/mL, or 24 pmol/L = 6.5 pg/mL
    assert r.value("e2") is None
    assert any(i.kind == "ambiguous_unit" and i.analyte == "e2" for i in r.issues)


@pytest.mark.parametrize(
    "text",
    [
        "mi estradiol salió menor que 15 pg/mL y la testosterona 480 ng/dL",
        "Testosteron 16 nmol/l, Östradiol kleiner als 18 pmol/l",
        "testostérone 5,1 ng/mL ; œstradiol inférieur à 10 pg/mL",
    ],
)
def test_a_bound_written_in_words_of_another_language_is_not_a_value(text: str) -> None:
    r = analyse(text)
    assert r.value("e2") is None
    assert not any(x.name == "T/E2" for x in r.ratios)


def test_an_estradiol_below_the_assay_range_still_decides_the_t_e2_group_when_it_can() -> None:
    r = analyse("total testosterone 480 ng/dL, estradiol <8 pg/mL")
    assert not any(x.name == "T/E2" for x in r.ratios)  # no number for the ratio itself
    g3 = next(g for g in r.groups if g.code == "G3")
    assert g3.status == "applies" and "above 480 / 8 = 60" in g3.explanation
    r = analyse("total testosterone 150 ng/dL, estradiol <20 pg/mL")  # T/E2 above 7.5 only
    assert next(g for g in r.groups if g.code == "G3").status == "not evaluable"


def test_a_censored_cell_in_a_tracker_is_a_bound_not_a_value() -> None:
    r = analyse("Date\tTT (ng/dL)\tE2 (pg/mL)\n2025-01-10\t420\t33\n2025-04-02\t560\t<5\n")
    e2 = r.current("e2")
    assert e2 is not None and e2.status == "bound"
    assert not any(x.name == "T/E2" for x in r.ratios)


def test_ordinal_21st_is_not_stone() -> None:
    assert analyse("my test on the 21st showed T 300 ng/dL").value("weight") is None


@pytest.mark.parametrize(
    ("text", "conc"),
    [
        ("sperm count 12 million per mL", 12),
        ("concentration 8 x 10^6/mL", 8),
        ("conc 8×10⁶/ml", 8),
        ("8M/ml", 8),
        ("sperm concentration 100,000/mL", 0.1),
        ("concentration 8", 8),
        ("density: 15.5 mill/ml", 15.5),
    ],
)
def test_concentrations(text: str, conc: float) -> None:
    assert close(analyse(text).value("concentration"), conc)


def test_count_without_per_ml_is_asked() -> None:
    r = analyse("my sperm count is 20 million")
    assert r.value("concentration") is None and r.value("total_count") is None
    assert r.issues[0].kind == "ambiguous_analyte"
    assert close(analyse("total count 20 million").value("total_count"), 20)


@pytest.mark.parametrize(
    "text",
    [
        "my semen analysis showed no sperm at all. can anastrozole bring any back?",
        "I was diagnosed with azoospermia",
        "my sperm count is 0",
        "we got the results: zero sperm",
    ],
)
def test_azoospermia_from_words(text: str) -> None:
    assert status(analyse(text), "G5") == "applies"


def test_cryptozoospermia_label() -> None:
    g5 = analyse("my urologist says I have cryptozoospermia").group("G5")
    assert g5 is not None and g5.status == "applies" and "cryptozoospermia" in g5.explanation


@pytest.mark.parametrize(
    "text",
    [
        "Does anastrozole help men with azoospermia?",
        "I don't have azoospermia, my count is just low",
        "what if I had no sperm at all?",
    ],
)
def test_azoospermia_words_that_are_not_a_diagnosis(text: str) -> None:
    assert status(analyse(text), "G5") == "not evaluable"


def test_motility_variants() -> None:
    r = analyse("motility 40% (progressive 25%), morphology 4%")
    assert r.value("motility_total") == 40
    assert r.value("motility_progressive") == 25
    assert r.value("morphology") == 4
    r = analyse("volume 3 ml, conc 20 M/mL, PR 30%, NP 15%")
    assert close(derived(r, "motility_total"), 45)
    assert close(derived(r, "tmc"), 27)
    assert close(derived(r, "tmc_progressive"), 18)


def test_only_progressive_gives_the_labelled_variant() -> None:
    r = analyse("volume 2 mL, concentration 10 M/mL, progressive motility 30%")
    assert r.derived_value("tmc") is None
    tmc = r.derived_value("tmc_progressive")
    assert tmc is not None and close(tmc.value, 6) and "progressive" in tmc.label


def test_later_value_replaces_earlier() -> None:
    r = analyse("testosterone: it was 250, now 410 ng/dL")
    assert r.value("total_t") == 410
    assert [m.current for m in r.measurements] == [False, True]
    assert analyse("T went from 250 to 410 ng/dL").value("total_t") == 410
    assert analyse("T 300 ng/dL ... later T 410 ng/dL").value("total_t") == 410
    assert analyse("it was 250, now 410 ng/dL").value("total_t") == 410


def test_range_uses_the_midpoint_and_is_flagged() -> None:
    r = analyse("E2 30-35 pg/mL, T 350 ng/dL")
    e2 = r.current("e2")
    assert e2 is not None and e2.is_range and e2.value == 32.5 and "midpoint" in e2.note
    te2 = r.ratio("T/E2")
    assert te2 is not None and te2.low == pytest.approx(10) and te2.high == pytest.approx(350 / 30)
    assert "midpoint" in (summary_sentence(r) or "")
    r = analyse("E2 30-40 pg/mL, T 330 ng/dL")  # 8.25 .. 11: the range spans the cut-off
    g4 = r.group("G4")
    assert g4 is not None and any("spans the cut-off" in n for n in g4.notes)


def test_reference_intervals_are_not_values() -> None:
    r = analyse(
        "Testosterone, Total 9.4 nmol/L (8.6 - 29.0)\nEstradiol 118 pmol/L ref 40-160\n"
        "LH 2.1 IU/L [1.7-8.6]\nTestosterone 271 ng/dL 264-916 ng/dL"
    )
    assert r.value("total_t") == 271
    assert close(r.value("e2"), 32.14)
    assert r.value("lh") == 2.1
    assert not r.issues


@pytest.mark.parametrize(
    "text",
    [
        "I'm 34",
        "I'm 34 and my T is 520",
        "my T is 520 and I'm 34",
        "we've been trying for 8 months, 12 months now",
        "on anastrozole 1 mg daily for 3 months since 2023",
        "46% of men improved and 12% got worse",
        "my test on 12/03/2024 at 8:30",
        "it typically takes 3-6 months, a 72-day cycle",
        "What dose do guys usually get put on? Is it something you take every day?",
        "test results came back fine",
        "I can't wait, T 520",
        "my semen test 40 and my blood test 12",
    ],
)
def test_numbers_that_are_not_lab_values(text: str) -> None:
    r = analyse(text)
    for m in r.measurements:
        assert m.analyte == "total_t" and m.value == 520, m
    assert all(i.kind != "no_analyte" for i in r.issues)


def test_other_tests_swallow_their_numbers() -> None:
    r = analyse("LH 4, prolactin 12, DHT 50, hCG 1500 IU, TSH 2.1, age 34")
    assert r.value("lh") == 4
    assert [m.analyte for m in r.measurements] == ["lh"]
    assert not r.issues


def test_article_thresholds_in_a_question_are_not_values() -> None:
    for text in (
        "Ref for AI in hypogonadal subfertile men w/ BMI ≥25 (full paper) — authors, journal, yr?",
        "Normal T/E2 (>10) subgroup on AI — outcome per the comparative table?",
        "Does a T/LH ratio of 100 or greater predict response?",
    ):
        assert analyse(text).is_empty, text


def test_bounds_typed_by_the_user() -> None:
    r = analyse("T 300 ng/dl, E2 <5 pg/ml")
    e2 = r.current("e2")
    assert e2 is not None and e2.status == "bound" and e2.value is None
    assert r.ratio("T/E2") is None
    assert [i.kind for i in r.issues] == ["bound"]
    assert status(r, "LOW_E2") == "applies"


def test_stated_ratio_is_used_only_when_it_cannot_be_computed() -> None:
    r = analyse("my T/E2 ratio is 8")
    te2 = r.ratio("T/E2")
    assert te2 is not None and te2.source == "stated" and status(r, "G4") == "applies"
    r = analyse("my T/E2 ratio is 8, T 300 ng/dL, E2 20 pg/mL")
    te2 = r.ratio("T/E2")
    assert te2 is not None and te2.source == "computed" and te2.value == 15


def test_high_lh_fsh_needs_both_to_rule_out() -> None:
    assert status(analyse("LH 4"), "HIGH_LH_FSH") == "not evaluable"
    assert status(analyse("LH 4, FSH 5"), "HIGH_LH_FSH") == "does not apply"
    assert status(analyse("LH 4, FSH 22"), "HIGH_LH_FSH") == "applies"
    flag = analyse("LH 10, FSH 5").group("HIGH_LH_FSH")
    assert flag is not None and flag.status == "does not apply" and flag.notes


def test_high_lh_fsh_in_words() -> None:
    r = analyse("My FSH and LH both came back really high. Will bringing my estrogen down help?")
    assert {i.analyte for i in r.issues} == {"fsh", "lh"}
    flag = r.group("HIGH_LH_FSH")
    assert flag is not None and flag.status == "not evaluable" and "high" in flag.explanation


# --- conversations ----------------------------------------------------------------------------


def test_turns_combine_and_later_turns_replace() -> None:
    r = analyse_turns(["My T is 300 ng/dL", "and my E2 is 40 pg/mL", "actually T was 350"])
    assert r.value("total_t") == 350
    assert ratio_value(r, "T/E2") == pytest.approx(8.75)
    assert [m.turn for m in r.measurements] == [0, 1, 2]


def test_turns_resolve_an_earlier_ambiguity() -> None:
    r = analyse_turns(["estradiol 40", "sorry, 40 pg/mL"])
    assert r.value("e2") == 40 and not r.issues
    r = analyse_turns(["E2 is high", "E2 52 pg/mL"])
    assert r.value("e2") == 52 and not r.issues


def test_a_unit_given_later_resolves_the_question() -> None:
    r = analyse_turns(["T 9.4", "nmol/L"])
    assert close(r.value("total_t"), 271.1) and not r.issues
    r = analyse_turns(["my T is 9.4 and LH 2.1", "it was ng/mL"])
    assert r.value("total_t") == pytest.approx(940) and ratio_value(r, "T/LH") == pytest.approx(
        940 / 2.1
    )
    r = analyse_turns(["estradiol 40", "pg/mL"])
    assert r.value("e2") == 40 and not r.issues


def test_turns_use_the_whole_conversation_for_units() -> None:
    r = analyse_turns(["my T is 600", "E2 35"])
    assert r.value("e2") == 35 and ratio_value(r, "T/E2") == pytest.approx(600 / 35)
    asked = analyse_turns(["my T is 300", "E2 40"])  # the unit would decide the group
    assert asked.ratio("T/E2") is None and any(i.analyte == "e2" for i in asked.issues)


# --- article quotes, output forms -------------------------------------------------------------


def test_every_criterion_quote_is_in_the_article() -> None:
    for quote in QUOTES:
        assert quote in ARTICLE, quote
    reports = [analyse(v[1]) for v in VECTORS]
    quotes = {g.criterion_quote for r in reports for g in r.groups}
    assert quotes == set(QUOTES)


def test_to_json_is_json_safe() -> None:
    r = analyse("T 9.4 nmol/L, E2 30-35 pg/mL, LH 2.1; 95 kg, 178 cm; 2 mL, 4 M/mL, 30 %; E2 <5")
    data = r.to_json()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data["is_empty"] is False
    assert {"measurements", "ratios", "derived", "semen", "groups", "issues", "labels"} <= set(data)


def test_empty_report() -> None:
    r = analyse("What's the best protein powder for building muscle?")
    assert r.is_empty and r.ratios == () and summary_sentence(r) is None
    assert all(g.status == "not evaluable" for g in r.groups)
    assert "No lab values" in render_text(r)


def test_render_text_shows_values_ratios_groups_and_quotes() -> None:
    text = render_text(analyse("T 20 nmol/L, E2 40, LH 2.1"))
    assert "20 nmol/L" in text and "576.8 ng/dL" in text
    assert "T/E2 = 576.8 ng/dL ÷ 10.9 pg/mL" in text  # SI testosterone: E2 40 read as pmol/L
    assert "G2" in text and "article:" in text


def test_render_text_lists_questions() -> None:
    text = render_text(analyse("T 9.4"))
    assert "Please clarify" in text and "nmol/L or ng/mL" in text


def test_summary_sentence_mentions_other_findings() -> None:
    s = summary_sentence(analyse("95 kg, 178 cm, T 300 ng/dL, E2 40 pg/mL"))
    assert s is not None and s.count(".") <= 4 and "BMI 30.0" in s
    assert summary_sentence(analyse("LH 4")) is None


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "\x00\x01\x02 T \x7f 9.4 \u200b nmol/L",
        "🧪💉 testosterone ٣٠٠ estradiol ४०",
        "Ｔ ３００ ｎｇ/ｄＬ",
        "T" * 50_000,
        "9" * 50_000,
        "1" + "0" * 400 + " ng/dL testosterone",
        "testosterone " + "." * 20_000 + " 300",
        "((((((((((" * 1000 + "T 300",
        ")))))" * 1000,
        "E2 " + " " * 40_000 + "40",
        "T 300 ng/dL nmol/L pg/mL",
        "testosterone 300 pg/mL",
        "estradiol 40 ng/dL",
        "LH 4 nmol/L",
        "T 1e400 ng/dL",
        "nan inf -inf",
    ],
)
def test_bad_input_never_raises(text: str) -> None:
    r = analyse(text)
    assert isinstance(r, LabReport)
    assert all(i.kind != "internal_error" for i in r.issues)
    json.dumps(r.to_json(), allow_nan=False)
    render_text(r)
    summary_sentence(r)


def test_no_value_for_a_hormone() -> None:
    (issue,) = analyse("E2 is high").issues
    assert issue.kind == "no_value" and "high" in issue.message and issue.question
    (issue,) = analyse("my testosterone came back").issues
    assert issue.kind == "no_value"
    assert analyse("testosterone").issues[0].kind == "no_value"
    assert not analyse("How does anastrozole change testosterone?").issues
    assert not analyse("My estrogen is normal. Is there any point in trying it?").issues


def test_number_without_a_hormone() -> None:
    r = analyse("it was 118 pmol/L")
    assert r.measurements == ()
    (issue,) = r.issues
    assert issue.kind == "no_analyte" and "Which test" in (issue.question or "")
    assert analyse("it was 300").is_empty


def test_contradictory_units() -> None:
    r = analyse("testosterone 300 pg/mL")
    assert r.value("total_t") is None
    assert r.issues[0].kind == "unit_mismatch" and "FREE" in (r.issues[0].question or "")
    r = analyse("T 9.4 ng/dL")  # far below any real total T, typical in nmol/L or ng/mL
    assert r.value("total_t") is None and r.issues[0].kind == "unit_check"
    r = analyse("E2 300 pg/mL")
    assert r.value("e2") is None and "300 pmol/L" in (r.issues[0].question or "")
    r = analyse("T 300 nmol/L")
    assert r.issues[0].kind == "rejected" and "300 ng/dL" in (r.issues[0].question or "")


def test_very_long_text_is_read_in_full() -> None:
    line = "Testosterone 300 ng/dL, estradiol 30 pg/mL. "
    r = analyse(line * 1200 + "LH 2.5")  # > 50,000 characters
    assert ratio_value(r, "T/LH") == pytest.approx(120)
    assert not [i for i in r.issues if i.kind == "truncated"]


def test_a_later_analysis_with_pr_and_np_gives_the_current_total_motility() -> None:
    report = analyse(
        "SA 1 (March): vol 2.5 ml, conc 7 M/ml, PR 15%, total motility 25%.\n"
        "SA 2 (May): vol 3.0 ml, conc 11 M/ml, PR 24%, NP 8%, IM 68%."
    )
    assert report.value("motility_total") == pytest.approx(32)
    assert report.value("motility_progressive") == pytest.approx(24)


def test_testicular_volumes_with_decimals_are_not_semen_volume() -> None:
    report = analyse("SA (02/05/24): vol 2.8 ml.\nTestes: right 15.2 ml, left 12.4 ml.")
    assert report.value("semen_volume") == pytest.approx(2.8)


def test_a_limit_next_to_a_value_does_not_replace_it() -> None:
    report = analyse("conc 8.5 M/ml. Genetic tests are offered when concentration is <10 M/ml")
    assert report.value("concentration") == pytest.approx(8.5)


def test_free_testosterone_that_is_an_impossible_share_of_total_is_asked_about() -> None:
    report = analyse("Total T 15.0 nmol/L, free T 4100 pmol/L, E2 90 pmol/L")
    free = next(m for m in report.measurements if m.analyte == "free_t")
    assert free.value is None and free.status != "ok"
    assert any(i.analyte == "free_t" for i in report.issues)
    assert report.value("total_t") is not None, "total T is still used"


def test_ordinary_free_testosterone_is_used() -> None:
    report = analyse("Total T 15.0 nmol/L, free T 310 pmol/L")
    assert report.value("free_t") == pytest.approx(310 / 3.467, rel=0.01)


def test_chained_pairs_keep_the_latest_pair() -> None:
    report = analyse("T/E2 went 310/45 -> 520/24 on the AI, and LH/FSH 3.1/4.7 -> 4.8/6.1")
    assert report.value("total_t") == pytest.approx(520)
    assert report.value("lh") == pytest.approx(4.8) and report.value("fsh") == pytest.approx(6.1)
    assert report.ratio("T/E2") is not None and report.ratio("T/E2").value > 10  # type: ignore[union-attr]
    assert all(m.analyte != "te2_ratio" for m in report.measurements)


def test_a_stated_ratio_beside_unclear_results_is_not_used() -> None:
    text = (
        "| | Jan | Apr | Jul |\n|---|---|---|---|\n"
        "| Total T (ng/dL) | 290 | 430 | 505 |\n| E2 (pg/mL) | 40.2 | 19.5 | 22.0 |\n"
        "| T/E2 ratio | 7.2 | 22.1 | 23.0 |\n"
    )
    report = analyse(text)
    te2 = report.ratio("T/E2")
    assert te2 is None or te2.value > 10, "never the first column's 7.2 as the current ratio"


def test_a_tilde_range_is_a_reference_interval_not_a_result() -> None:
    report = analyse("LH   mIU/mL   1.7~8.6\nFSH   mIU/mL   1.5~12.4")
    assert report.value("lh") is None and report.value("fsh") is None


def test_a_day_with_its_month_name_is_a_date_not_a_result() -> None:
    report = analyse("Your testosterone, drawn on October 7, was 315 ng/dL.")
    assert [m.value_as_typed for m in report.measurements] == ["315"]


def test_a_decade_is_asked_about_not_read_as_a_value() -> None:
    report = analyse("SHBG was in the low 40s according to the nurse")
    assert report.current("shbg") is None or not report.current("shbg").usable
    assert any("shbg" in i.message.lower() for i in report.issues)


def test_a_threshold_in_a_letter_is_not_a_stated_ratio() -> None:
    report = analyse("Your T/E2 ratio is 8, below the cut-off of 10 we go by.")
    m = report.current("te2_ratio")
    assert m is not None and m.value == 8


def test_a_clock_time_is_no_result() -> None:
    report = analyse(
        "Testosterone: draw between 0800 and 1000 for best accuracy. Testosterone 402 ng/dL"
    )
    assert report.current("total_t").value == 402
    assert all(m.value_as_typed != "0800-1000" for m in report.measurements)


def test_a_modified_normal_range_judges_a_result_rather_than_stating_one() -> None:
    report = analyse("Your LH was 3.0 and your FSH 4.4 mIU/mL, both in the mid-normal range.")
    assert report.current("lh") is not None and report.current("lh").value == 3.0


def test_bare_motility_is_asked_not_assumed_total() -> None:
    # total (WHO limit 42 %) or progressive (30 %)? 35 % is low as one and normal as the other
    r = analyse("semen analysis: volume 3 mL, 35% motility")
    m = r.current("motility_total")
    assert m is not None and m.value is None and m.status == "ambiguous"
    (issue,) = [i for i in r.issues if i.analyte == "motility_total"]
    assert issue.question is not None and "progressive" in issue.question
    assert "asthenozoospermia" not in render_text(r)


def test_bare_motility_beside_a_progression_grade_is_asked_too() -> None:
    r = analyse("Motility      28 %\nForward Progression      2      0 - 4")
    assert r.current("motility_total").status == "ambiguous"
    assert r.value("motility_progressive") is None  # a 0-4 grade is no percentage


def test_a_density_gradient_is_no_sperm_concentration() -> None:
    report = analyse("Sperm concentration 30 M/mL. Prepared by density gradient 40/80 for IUI.")
    assert report.current("concentration").value == 30
    assert all(m.value_as_typed not in ("40", "80") for m in report.measurements)


def test_a_molar_ratio_is_not_the_article_s_ratio_nor_an_estradiol() -> None:
    report = analyse("Oestradiol 110 pmol/L, a testosterone:oestradiol molar ratio of about 95.")
    assert [m.value_as_typed for m in report.measurements] == ["110"]


def test_a_bracketed_earlier_value_does_not_make_the_current_one_old() -> None:
    report = analyse("Testosterone on 02/03/2025 was 12.2 nmol/L (previously 8.8 nmol/L in 2023).")
    m = report.current("total_t")
    assert m is not None and m.usable and m.value_as_typed == "12.2"


def test_values_in_brackets_take_their_time_from_what_the_brackets_annotate() -> None:
    report = analyse(
        "My latest count was 9 million/ml with 20% progressive motility. That is up on the "
        "first one in March (count 4 million/ml, progressive motility 12%)."
    )
    assert report.current("concentration").value_as_typed == "9"
    assert report.current("motility_progressive").value_as_typed == "20"


def test_of_results_in_two_sentences_the_one_called_first_is_the_older() -> None:
    report = analyse("My first SA showed 3.5 M/mL. The repeat showed 6 M/mL.")
    m = report.current("concentration")
    assert m is not None and m.usable and m.value_as_typed == "6"


def test_a_redo_some_weeks_ago_is_still_the_newest_result() -> None:
    report = analyse("Autumn SA: volume 1.8 mL. Redo 2 weeks ago: volume 3.1 mL.")
    assert report.current("semen_volume").value_as_typed == "3.1"


@pytest.mark.parametrize(
    "text",
    ["ma testo était à 3,4 ng/mL", "la testo à 3,4 ng/mL", "Testo lag bei 3,4 ng/mL"],
)
def test_foreign_linking_words_join_a_name_to_its_value(text: str) -> None:
    m = analyse(text).current("total_t")
    assert m is not None and close(m.value, 340)


def test_free_testosterone_in_ng_per_litre_is_pg_per_ml() -> None:
    m = analyse("freies Testosteron 71,2 ng/l").current("free_t")
    assert m is not None and m.usable and close(m.value, 71.2)


def test_an_assumed_albumin_in_a_footnote_is_not_asked_about_as_shbg() -> None:
    report = analyse(
        "SHBG 31 nmol/l. Free T calculated from testosterone, SHBG and albumin (assumed 44 g/l)."
    )
    assert report.current("shbg").value == 31
    assert not report.issues


def test_a_bare_ratio_is_not_read_as_the_estradiol_before_it() -> None:
    report = analyse("T 402 and E2 31 so my ratio comes to about 13")
    assert report.current("e2").value_as_typed == "31"
    assert not any(m.value_as_typed == "13" for m in report.measurements)


def test_prose_lines_that_open_with_their_date_put_the_newest_first() -> None:
    report = analyse("SA #2 4/22/25: 2.9 mL, 13.4 M/mL\nSA #1 10/14/24: 2.1 mL, 5.8 M/mL\n")
    assert report.current("semen_volume").value_as_typed == "2.9"
    assert report.current("concentration").value_as_typed == "13.4"


def test_a_bare_sperm_count_in_millions_is_asked_even_in_a_list() -> None:
    r = analyse("sperm count 12 mil\ntotal motility 45%")
    m = r.current("sperm_count")
    assert m is not None and m.status == "ambiguous" and r.value("total_count") is None


def test_the_other_side_of_a_comparison_is_the_older_sample() -> None:
    r = analyse(
        "Semen analysis 10/05/2025: concentration 11 million/ml, progressive motility 31%. "
        "That is better than the March one (concentration 7 million/ml, progressive 20%)."
    )
    assert r.value("concentration") == 11 and r.value("motility_progressive") == 31


_GERMAN_SHEET = (
    "Parameter                     Ergebnis      Referenzwert\n"
    "Motilität (2 × 200 Spermien)\n"
    "  progressiv motil (PR)       31 %          >= 30 %\n"
    "  nicht progressiv motil (NP)  9 %\n"
    "Morphologie (strikt)\n"
    "  normal geformt               5 %          >= 4 %\n"
)


def test_how_many_sperm_were_counted_is_not_a_result() -> None:
    r = analyse(_GERMAN_SHEET)
    assert derived(r, "motility_total") == 40  # 31 + 9, never 2 or 200
    assert all(m.value_as_typed not in ("2", "200") for m in r.measurements)


def test_german_normal_forms_are_morphology() -> None:
    assert analyse(_GERMAN_SHEET).value("morphology") == 5


def test_values_under_a_name_line_in_a_previous_results_column_are_older() -> None:
    text = (
        "                                         Valeurs de référence      Antériorités\n"
        "HORMONOLOGIE                                                       14/01/2025\n\n"
        "TESTOSTÉRONE TOTALE\n"
        "                    3,85 ng/mL           2,49 à 8,36               3,12\n"
        "ŒSTRADIOL (E2)\n"
        "                      28 pg/mL           11,3 à 43,2               35\n"
    )
    r = analyse(text)
    assert r.value("total_t") == 385 and r.value("e2") == 28


def test_progressive_and_non_progressive_of_one_analysis_are_summed() -> None:
    r = analyse("Total motility 200\nPR 27 %\nNP 11 %\nPrevious 18.03.2025: PR 22 %")
    assert r.value("motility_total") == 38


def test_a_value_whose_decimals_are_not_known_is_asked_about() -> None:
    r = analyse("from memory:\n- FSH 5.6 IU/L\n- LH 3.something\n- T 14 nmol/L")
    assert r.value("lh") is None and r.value("fsh") == 5.6
    assert any(i.kind == "doubtful" and i.analyte == "lh" for i in r.issues)
    assert analyse("my LH was 4.x, FSH 6.1").value("lh") is None


def test_a_previous_sample_line_with_a_bracketed_date_is_older_and_grades_still_sum() -> None:
    text = (
        "ESPERMIOGRAMA\n"
        "Concentración ..........  21 mill/ml\n"
        "a) Progresivos rápidos ..  12 %\n"
        "b) Progresivos lentos ...  15 %\n"
        "c) No progresivos .......  8 %\n"
        "d) Inmóviles ............  65 %\n"
        "Análisis previo (03/04/2024): concentración 30 mill/ml; a+b 40 %\n"
    )
    r = analyse(text)
    assert r.value("concentration") == 21
    assert r.value("motility_progressive") == 27  # 12 + 15, never the older 40


def test_a_block_on_the_prepared_sample_is_not_the_semen_analysis() -> None:
    text = (
        "Volume ................. 3,0 ml\n"
        "Concentration .......... 18 mill/ml\n"
        "Total count ............ 54 mill\n\n"
        "SWIM-UP PREPARATION\n"
        "Final volume ........... 0,5 ml\n"
        "Total count ............ 6,1 mill\n"
    )
    r = analyse(text)
    assert r.value("total_count") == 54 and r.value("semen_volume") == 3.0


def test_a_motility_fraction_without_a_unit_is_asked_about() -> None:
    r = analyse("Progressive motility  0,31\nNormal forms  0,05\nVolume  3,1 mL")
    assert r.value("motility_progressive") is None and r.value("morphology") is None
    assert any(i.analyte == "motility_progressive" for i in r.issues)


@pytest.mark.parametrize(
    ("text", "analyte"),
    [
        ("testostérone biodisponible : 1,05 ng/mL", "bioavailable_t"),
        ("testosterone biodisponibile 1,05 ng/mL", "bioavailable_t"),
        ("testosterone libera 61 pg/mL", "free_t"),
    ],
)
def test_bioavailable_and_free_testosterone_in_other_languages_are_not_total(
    text: str, analyte: str
) -> None:
    r = analyse(text)
    assert r.value(analyte) is not None and r.value("total_t") is None


def test_immature_germ_cells_are_not_the_sperm_concentration() -> None:
    r = analyse("Concentração 12 milhões/mL\nCélulas germinativas imaturas 0,9 milhões/mL")
    assert r.value("concentration") == 12
    assert all(m.value_as_typed != "0,9" for m in r.measurements)


def test_a_method_in_brackets_under_a_name_does_not_hide_the_test() -> None:
    text = (
        "                                          Valeurs de référence     Antériorités\n"
        "HORMONOLOGIE\n\n"
        "TESTOSTÉRONE TOTALE\n"
        "                       3,40 ng/mL    (11,79 nmol/L)    2,49 à 8,36 ng/mL     3,10\n\n"
        "TESTOSTÉRONE BIODISPONIBLE\n"
        "(Précipitation par sulfate d'ammonium)\n"
        "                       1,02 ng/mL    (3,54 nmol/L)     1,12 à 4,10 ng/mL     1,15\n"
    )
    assert analyse(text).value("bioavailable_t") == 102


def test_a_past_results_table_without_units_takes_the_unit_of_the_same_value_above() -> None:
    text = (
        "Hormones\nCollected on Feb 2, 2025 8:05 AM\nComponent\nYour Value\nStandard Range\n"
        "Testosterone, Total\n9.1 nmol/L\n8.4 - 28.7 nmol/L\n"
        "Estradiol\n140 pmol/L\n41 - 159 pmol/L\n\n"
        "Past Results\n"
        "Component\tFeb 2, 2025\tSep 9, 2024\n"
        "Testosterone, Total\t9.1\t11.0\n"
        "Estradiol\t140\t122\n"
    )
    r = analyse(text)
    assert r.value("total_t") == pytest.approx(9.1 * 28.84, rel=1e-3)
    assert not any(i.kind == "ambiguous_unit" for i in r.issues)


def test_two_names_then_two_values_pair_in_order() -> None:
    r = analyse("Bloods: FSH and LH were 5.2 and 2.7 IU/L respectively, testosterone 14 nmol/L.")
    assert r.value("fsh") == 5.2 and r.value("lh") == 2.7


def test_a_value_with_another_remembered_after_a_few_words_is_asked_about() -> None:
    r = analyse("testosterone 410-ish? or perhaps it was 140, can't recall. E2 30 pg/mL")
    assert r.value("total_t") is None
    assert any(i.kind == "doubtful" and i.analyte == "total_t" for i in r.issues)


def test_a_bare_motility_beside_an_older_one_is_still_asked_about() -> None:
    text = (
        "SA 2 (May): 2.8 mL, 14 million/mL, motility 38%\n"
        "SA 1 (March): 2.5 mL, 9 million/mL, motility 30%"
    )
    r = analyse(text)
    assert r.value("motility_total") is None and r.value("concentration") == 14


def test_a_value_one_space_after_a_long_name_under_a_reference_column_header_is_read() -> None:
    text = (
        "ENDOCRINOLOGIE                               Normes            Antériorités\n"
        "                                                               02/02/24\n"
        "Hormone lutéinisante (LH)         3,9 UI/L   1,7 à 8,6         4,4\n"
        "Hormone folliculo-stimulante (FSH) 7,2 UI/L  1,5 à 12,4        6,1\n"
    )
    r = analyse(text)
    assert r.value("lh") == 3.9 and r.value("fsh") == 7.2


def test_a_result_still_to_come_in_the_newest_column_is_asked_not_filled_from_older() -> None:
    text = (
        "Test            Unit     Ref        13-09-2024   21-05-2024\n"
        "Testosteron     nmol/L   8 - 29     14,1         12,2\n"
        "Oestradiol      pmol/L   40 - 160   volgt        150\n"
    )
    r = analyse(text)
    assert r.value("e2") is None
    assert any(i.kind == "pending" and i.analyte == "e2" for i in r.issues)


def test_a_correction_sentence_replaces_the_value_typed_before_it() -> None:
    text = "LH 4.2 IU/L\nFSH 16 IU/L\nsorry, typo above: FSH is actually 6.1 IU/L"
    r = analyse(text)
    assert r.value("fsh") == 6.1 and r.value("lh") == 4.2


def test_a_prepared_sample_named_in_a_sentence_is_not_the_semen_analysis() -> None:
    text = (
        "SA: volume 3.1 mL, concentration 9 million/mL, progressive motility 28%.\n"
        "For the insemination the lab said the washed sample had 22 million/mL and 90% motile."
    )
    r = analyse(text)
    assert r.value("concentration") == 9
    assert any(i.kind == "prepared_sample" for i in r.issues)


def test_a_reference_line_of_grade_limits_is_no_result() -> None:
    text = (
        "Motilité a (rapide) ...... 10 %\nMotilité b (lente) ....... 15 %\n"
        "Motilité c (sur place) ... 12 %\n(Valeurs de référence : a+b >= 32 % ; a+b+c >= 40 %)\n"
    )
    r = analyse(text)
    assert r.value("motility_progressive") == 25
    assert not any("40" in i.message for i in r.issues)


def test_an_italian_cumulative_header_with_abbreviated_unit_and_range_columns() -> None:
    text = (
        "Esame              U.M.      Val. rif.       15/01/2024   22/06/2024\n"
        "LH                 mUI/mL    1,7 - 8,6       7,1          4,8\n"
    )
    assert analyse(text).value("lh") == 4.8


def test_hedged_values_in_french_and_queried_values_with_a_unit_are_not_used_as_fact() -> None:
    r = analyse("mon IMC est à peu près 26. testosterone 410 ng/dL?? not sure, LH 3 UI/L")
    assert r.value("total_t") is None
    bmi = next(m for m in r.measurements if m.analyte == "bmi")
    assert bmi.status != "ok"


def test_a_card_with_several_dated_draws_uses_the_newest() -> None:
    text = (
        "Testosteron\n"
        "Provtagningsdatum 2025-04-02 08:10\n"
        "Resultat: 11,2 nmol/L      Referensintervall: 8,6 - 29 nmol/L\n"
        "Provtagningsdatum 2024-10-14 07:55\n"
        "Resultat: 8,1 nmol/L      Referensintervall: 8,6 - 29 nmol/L\n\n"
        "SHBG\nProvtagningsdatum 2025-04-02 08:10\nResultat: 21 nmol/L\n"
    )
    r = analyse(text)
    assert r.value("total_t") == pytest.approx(11.2 * 28.84, rel=1e-3)


def test_a_section_title_with_only_a_previous_column_sets_the_older_values_aside() -> None:
    text = (
        "ENDOCRINOLOGIE                                                   Antériorités\n"
        "                                                                  03/03/2024\n"
        "Testostérone totale (ECLIA)\n"
        "                            3,90 ng/mL               [2,49 - 8,36]     3,10\n"
        "LH                          3,3 UI/L                 [1,7 - 8,6]       2,2\n"
    )
    r = analyse(text)
    assert r.value("total_t") == 390 and r.value("lh") == 3.3


def test_a_hedged_or_remembered_value_is_never_plain_ok() -> None:
    r = analyse("LH: 5-ish, don't remember exactly\nFSH 4.4 IU/L")
    assert r.value("lh") is None
    memo = analyse(
        "semen test (don't have the report, this is from memory):\nconcentration 11 M/mL"
    )
    conc = next(m for m in memo.measurements if m.analyte == "concentration")
    assert conc.status != "ok"


def test_a_decorated_heading_for_the_wife_sets_her_rows_aside() -> None:
    text = (
        "LH 3.3 IU/L\nFSH 4.1 IU/L\n\n==== my wife (day 3) ====\nFSH    9.9 IU/L\nLH    6.6 IU/L\n"
    )
    r = analyse(text)
    assert r.value("fsh") == 4.1 and r.value("lh") == 3.3


def test_spaced_letters_of_a_scan_name_the_test_and_a_lost_leading_digit_is_asked() -> None:
    r = analyse(
        "Test      Result   Unit     Range\n"
        "F S H     6.6      mIU/mL   1.5-12.4\nL H       .7       mIU/mL   1.7-8.6\n"
    )
    assert r.value("fsh") == 6.6
    assert r.value("lh") is None


def test_polish_semen_rows_are_read_as_a_semen_analysis() -> None:
    r = analyse("objętość 3,0 ml\nkoncentracja 12 mln/ml\ncałkowita liczba plemników 36 mln\n")
    assert r.value("semen_volume") == 3.0 and r.value("total_count") == 36


def test_a_weight_recorded_years_before_the_hormones_is_asked_about() -> None:
    text = (
        "Bloods taken 12 May 2025\nTestosterone 13.0 nmol/L\nEstradiol 90 pmol/L\n\n"
        "From my records:\nWeight 96 kg (recorded 3 March 2021)\n"
        "Height 181 cm (recorded 3 March 2021)\n"
    )
    r = analyse(text)
    assert r.value("weight") is None and r.value("height") == 181
    assert any(i.kind == "stale_value" and i.analyte == "weight" for i in r.issues)
    same_year = analyse(
        "Bloods taken 12 May 2025\nTestosterone 13.0 nmol/L\nWeight 96 kg (12 May 2025)"
    )
    assert same_year.value("weight") == 96


def test_dotted_abbreviations_name_their_test_and_a_letter_for_a_decimal_is_asked() -> None:
    text = (
        "Esame        Risultato   U.M.      Riferimento\n"
        "F.S.H.       5,1         mUI/mL    1,5 - 12,4\n"
        "L.H.         3,S         mUI/mL    1,7 - 8,6\n"
    )
    r = analyse(text)
    assert r.value("fsh") == 5.1
    assert r.value("lh") is None
    assert any(i.kind == "unreadable" and i.analyte == "lh" for i in r.issues)


def test_a_pair_of_results_under_a_row_is_read_not_taken_for_a_second_unit() -> None:
    r = analyse(
        "Results from March:\n  Testosterone 15.2 nmol/L\n  Estradiol 101 pmol/L\n"
        "  LH/FSH 3.9/5.5 IU/L\n  Prolactin 7 ug/L\n"
    )
    assert r.value("lh") == 3.9 and r.value("fsh") == 5.5


def test_a_clinic_telephone_number_is_never_a_result() -> None:
    text = (
        "Testosterone 16.0 nmol/L\nEstradiol 75 pmol/L\n\nNorthside Andrology, 12 King St\n"
        "T (416) 555-0142 ext. 31 | F (416) 555-0143\n"
    )
    r = analyse(text)
    assert r.value("total_t") == pytest.approx(16.0 * 28.84, rel=1e-3)
    assert not any(m.value_as_typed in ("416", "555") for m in r.measurements)


def test_a_labelled_line_on_the_washed_sample_is_set_aside() -> None:
    text = (
        "semen analysis: volume 2.6 mL, concentration 18 M/mL, motility 40% total\n"
        "Post-wash (for IUI): 30 M/mL in 0.4 mL, 95% motile\n"
    )
    r = analyse(text)
    assert r.value("concentration") == 18 and r.value("semen_volume") == 2.6
    assert any(i.kind == "prepared_sample" for i in r.issues)


def test_units_given_once_in_a_legend_apply_to_the_rows_below() -> None:
    text = (
        "Units used below: Total T = nmol/L ; E2 = pmol/L ;\nLH and FSH = IU/L\n\n"
        "Test              Result    Flag    Range\n"
        "Total T           8.1       L       8.6 - 29\n"
        "E2                170       H       40 - 160\n"
        "LH                2.0               1.7 - 8.6\n"
    )
    r = analyse(text)
    assert r.value("total_t") == pytest.approx(8.1 * 28.84, rel=1e-3)
    assert r.value("e2") == pytest.approx(170 / 3.671, rel=1e-3) and r.value("lh") == 2.0


def test_a_chat_export_keeps_the_senders_later_prose_values() -> None:
    text = (
        "[3/2/25, 8:01:10 PM] Sam: Testosterone, Total, MS\n520 ng/dL\n"
        "Standard range: 250 - 1100 ng/dL\nEstradiol\n25 pg/mL\nStandard range: <=39 pg/mL\n"
        "[3/2/25, 8:03:40 PM] Alex: nice!! what about the SA?\n"
        "[3/2/25, 8:05:12 PM] Sam: the semen test said volume 2.2 mL, the rest is pending\n"
    )
    assert analyse(text).value("semen_volume") == 2.2


def test_a_range_with_two_decimal_points_is_no_date() -> None:
    text = (
        "Date,Test,Value,Unit,Ref\n2024-06-01,SHBG,30,nmol/L,16.5-55.9\n2024-06-01,Weight,84,kg,\n"
    )
    r = analyse(text)
    assert r.value("weight") == 84 and r.value("shbg") == 30


def test_a_value_whose_writer_does_not_know_the_unit_gets_no_assumed_unit() -> None:
    r = analyse("T 800 ng/dL, estradiol 50 (no idea which units they use)")
    assert r.value("e2") is None
    assert any(i.kind == "ambiguous_unit" and i.analyte == "e2" for i in r.issues)


def test_an_older_total_count_gives_way_to_the_newest_volume_and_concentration() -> None:
    text = (
        "Date\t2024-09-01\t2025-01-10\n"
        "Volume (mL)\t2.0\t3.0\n"
        "Conc (M/mL)\t10\t20\n"
        "Total count (M)\t20\t\n"
    )
    r = analyse(text)
    assert r.value("total_count") is None
    assert any(d.name == "total_count" and d.value == 60 for d in r.derived)


def test_a_list_under_a_sentence_saying_it_is_from_memory_is_remembered() -> None:
    text = (
        "My portal is broken so these numbers are from memory, sorry.\n\n"
        "- Total T 410\n- Estradiol 31\n- SHBG 25\n\nMy question is about the ratio."
    )
    r = analyse(text)
    assert all(m.status != "ok" for m in r.measurements if m.analyte in ("shbg", "e2"))


@pytest.mark.parametrize(
    ("text", "analyte"),
    [("Ważę ok. 96 kg, wzrost 181 cm", "weight"), ("peso cca 90 kg e altezza 180 cm", "weight")],
)
def test_approximate_words_in_polish_and_czech_or_italian_make_a_value_approximate(
    text: str, analyte: str
) -> None:
    weight = next(m for m in analyse(text).measurements if m.analyte == analyte)
    assert weight.status != "ok"


def test_a_height_given_as_i_am_in_spanish_or_french_is_read() -> None:
    assert analyse("peso 80 kg y mido 1,82").value("height") == pytest.approx(182)
    assert analyse("je mesure 1,76 m et je pèse 85 kg").value("height") == pytest.approx(176)
