"""Text gauges for lab numbers: shape and words agree, doubtful figures get no verdict, and the
article's before/after table is quoted exactly."""

from __future__ import annotations

import re
import subprocess
import sys
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.gauges import (
    BMI,
    CONCENTRATION,
    STUDY_LABEL,
    STUDY_PASSAGES,
    STUDY_TABLE,
    TE2,
    Gauge,
    bar,
    gauge_lines,
    gauges,
    gauges_text,
    gauges_words,
    placement,
    strip,
    study_lines,
    study_rows,
)
from assistant.labs import analyse_turns

EXAMPLE = "T 9.4 nmol/L, E2 118 pmol/L, LH 2.1, 5'9 and 215 lb"


def by_key(report) -> dict[str, Gauge]:
    return {g.scale.key: g for g in gauges(report)}


def test_bar_shape() -> None:
    assert bar(8.43, 0, 30, 10, 22) == "[======-|------------]"
    assert bar(9.9, 0, 30, 10, 22) == "[=======|------------]"
    assert bar(12, 0, 30, 10, 22) == "[=======|=-----------]"
    assert bar(10, 0, 30, 10, 22).startswith("[=======|=")
    assert bar(40, 0, 30, 10, 22).endswith(">]")
    assert bar(-1, 0, 30, 10, 22) == "[<------|------------]"
    assert bar(12, 15, 45, 25, 22).startswith("[<")


@given(
    value=st.floats(min_value=0, max_value=500, allow_nan=False),
    width=st.integers(min_value=5, max_value=60),
)
def test_bar_never_contradicts_the_words(value: float, width: int) -> None:
    for scale in (TE2, BMI, CONCENTRATION):
        drawn = bar(value, scale.lo, scale.hi, scale.cutoff, width)
        assert len(drawn) == max(5, width)
        assert set(drawn) <= set("[]=-|<>"), "monochrome ASCII only"
        inside = drawn[1:-1]
        mark = inside.index("|")
        after_mark = inside[mark + 1 : mark + 2]
        if value < scale.cutoff:
            assert after_mark in ("-", ">", ""), (value, drawn)
        else:
            assert after_mark in ("=", ">") or mark == len(inside) - 1, (value, drawn)


def test_example_report_gauges() -> None:
    found = by_key(analyse_turns([EXAMPLE]))
    assert set(found) == {"T/E2", "T/LH", "bmi"}
    assert found["T/E2"].figure == "8.43" and found["T/E2"].verdict == "below cut-off 10"
    assert found["T/LH"].figure == "129.09" and found["T/LH"].verdict == "above cut-off 100"
    assert found["bmi"].figure == "31.7" and found["bmi"].verdict == "above cut-off 25"
    assert all(g.sure and not g.notes for g in found.values())


def test_lines_fit_the_width_and_read_without_colour() -> None:
    report = analyse_turns([EXAMPLE])
    narrow = gauges_text(report, 36)
    assert all(len(line) <= 36 for line in narrow.splitlines()), narrow
    assert "T/E2  8.43  below cut-off 10" in narrow
    wide = gauges_text(report, 100)
    line = next(x for x in wide.splitlines() if x.startswith("T/E2"))
    assert re.fullmatch(r"T/E2 +8\.43  \[=+-*\|-+\]  below cut-off 10", line), line


REPORTS = [
    [EXAMPLE],
    ["my T is 300 and E2 40", "sperm concentration 15.5 million/mL, motility 40%, volume 2 mL"],
    ["e2 of 40 and T was 4"],
    ["T 280-330 ng/dL, E2 30 pg/mL, BMI 24.9, concentration 0.5 million/mL"],
]


@pytest.mark.parametrize("texts", REPORTS)
@pytest.mark.parametrize("width", [36, 40, 50, 63, 64, 72, 80, 100, 120, 200])
def test_every_line_fits_the_width(texts: list[str], width: int) -> None:
    text = gauges_text(analyse_turns(texts), width)
    assert text
    too_wide = [line for line in text.splitlines() if len(line) > width]
    assert not too_wide, too_wide


def test_assumed_unit_is_shown_beside_the_figure() -> None:
    # 600 and 35: pg/mL (17.1) and pmol/L (63) are both above 10, so the assumption stands
    g = by_key(analyse_turns(["my T is 600 and E2 35"]))["T/E2"]
    assert g.sure and g.level == "noted"
    assert "assumed: estradiol 35 read as pg/mL" in g.notes
    assert g.verdict == "above cut-off 10, if read right"
    lines = gauge_lines(g, 36)
    assert lines[0].startswith("T/E2  17.14")
    bar = next(x for x in lines if x.startswith("["))
    assert bar.startswith("[~") and "=" not in bar, "an assumed reading is drawn with ~"
    assert "assumed: estradiol 35 read as pg/mL" in " ".join(x.strip() for x in lines)


def fake_report(ratio_status: str | None = None, issues=(), e2_status: str = "ok"):
    ratio = SimpleNamespace(
        name="T/E2", value=8.43, assumptions=(), source="computed", low=None, high=None
    )
    if ratio_status is not None:
        ratio.status = ratio_status
    e2 = SimpleNamespace(
        analyte="e2", label="Estradiol", status=e2_status, value=32.1, current=True
    )
    return SimpleNamespace(
        measurements=(e2,), ratios=(ratio,), derived=(), issues=tuple(issues), is_empty=False
    )


def test_a_ratio_without_a_status_field_is_judged() -> None:
    (g,) = gauges(fake_report())
    assert g.sure and g.verdict == "below cut-off 10"


@pytest.mark.parametrize("status", ["assumed", "ambiguous", "warn", "something-new"])
def test_a_ratio_whose_status_is_not_ok_gets_no_verdict(status: str) -> None:
    (g,) = gauges(fake_report(status))
    assert not g.sure and g.verdict == "unsure"
    lines = gauge_lines(g, 38)
    assert "[" not in "\n".join(lines), "no bar for a doubtful figure"
    assert "below" not in "\n".join(lines) and "above" not in "\n".join(lines)
    assert lines[0].startswith("T/E2  8.43") and "unsure" in "\n".join(lines)


def test_an_issue_about_an_input_makes_the_figure_unsure() -> None:
    issue = SimpleNamespace(analyte="e2", message="Estradiol unit unclear.", question="pg/mL?")
    (g,) = gauges(fake_report("ok", [issue]))
    assert not g.sure and "unsure: pg/mL?" in g.notes
    other = SimpleNamespace(analyte="fsh", message="FSH?", question=None)
    (g,) = gauges(fake_report("ok", [other]))
    assert g.sure, "an issue about another analyte does not matter"


def test_an_out_of_range_input_makes_the_figure_unsure() -> None:
    (g,) = gauges(fake_report("ok", e2_status="warn"))
    assert not g.sure and any("outside the usual range" in n for n in g.notes)


def test_the_question_replaces_a_missing_ratio() -> None:
    report = analyse_turns(["e2 of 40 and T was 4"])
    found = by_key(report)
    assert found["T/E2"].value is None and "pg/mL or pmol/L" in (found["T/E2"].question or "")
    text = gauges_text(report, 40)
    assert "needs an answer first" in text and "[" not in text
    assert study_lines(study_rows(report)) == [], "no placing without a value"


def test_concentration_against_both_who_limits() -> None:
    def verdict(conc: str) -> str:
        report = analyse_turns([f"sperm concentration {conc} million/mL"])
        return by_key(report)["concentration"].verdict

    assert verdict("7") == "below the WHO limit 16 (2010: 15)"
    assert verdict("15.5") == "below WHO 2021's 16, not 2010's 15"
    assert verdict("40") == "at or above the WHO limit 16 (2010: 15)"


def test_stated_ratio_and_ranges() -> None:
    g = by_key(analyse_turns(["T/E2 ratio 8"]))["T/E2"]
    assert g.sure and g.notes == ("as you stated it",)
    g = by_key(analyse_turns(["T 280-330 ng/dL, E2 30 pg/mL"]))["T/E2"]
    assert not g.sure and "unsure: your range spans the cut-off" in g.notes


def test_study_table_is_the_articles(corpus_text: str) -> None:
    for (label, unit, before, after), row in zip(STUDY_TABLE, STUDY_PASSAGES, strict=True):
        assert row in corpus_text
        assert row.endswith(f"{before:.1f} {after:.1f}")
        assert (unit or label) in row


@pytest.fixture(scope="module")
def corpus_text() -> str:
    from assistant.corpus import load_corpus

    return load_corpus().source


def test_study_rows_place_the_users_values() -> None:
    rows = study_rows(analyse_turns([EXAMPLE]))
    you = {r.label: r.you for r in rows}
    assert round(you["Testosterone"], 1) == 271.1 and round(you["T/E2"], 2) == 8.43
    assert you["Sperm conc."] is None
    lines = study_lines(rows, 38)
    assert lines[0] + " " + lines[1] == STUDY_LABEL
    assert any(re.fullmatch(r"Testosterone \(ng/dL\) +270\.6 → 412\.0", x) for x in lines)
    assert any(line.startswith("  you 271.1  [") for line in lines)
    assert all(len(line) <= 38 for line in lines)


def test_strip_and_placement() -> None:
    assert strip(270.6, 412.0, 300, 18).count("Y") == 1
    assert strip(9.0, 26.5, 8.43, 18).index("Y") < strip(9.0, 26.5, 8.43, 18).index("a")
    assert placement(270.6, 412.0, 271.1) == "about the study's before"
    assert placement(32.0, 15.9, 20) == "between before and after"
    assert placement(9.0, 26.5, 30) == "above both"
    assert placement(7.8, 14.2, 2) == "below both"


def test_words_for_the_plain_chat() -> None:
    words = gauges_words(analyse_turns(["my T is 300 ng/dL and E2 40 pg/mL"]))
    assert words == ["T/E2 7.5: below cut-off 10."]
    words = gauges_words(analyse_turns(["my T is 600 and E2 35"]))
    assert words[0].startswith("T/E2 17.14: above cut-off 10, if read right (assumed: ")
    assert gauges_words(None) == [] and gauges_text(None) == ""


def test_import_is_pure() -> None:
    code = "import sys, assistant.gauges; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
