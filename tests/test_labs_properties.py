"""Property tests of the labs package: never raises, unit invariance, order independence."""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.labs import analyse, analyse_turns, render_text, summary_sentence

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words the parser reacts to, so that random text often looks like a lab message.
VOCAB = [
    "T", "t", "TT", "test", "testosterone", "free T", "E2", "estradiol", "estrogen", "LH", "FSH",
    "SHBG", "BMI", "weight", "height", "volume", "concentration", "count", "sperm count",
    "motility", "motile", "progressive", "PR", "NP", "morphology", "total", "total count", "TMC",
    "T/E2", "T/LH", "ratio", "ng/dL", "nmol/L", "ng/mL", "pg/mL", "pmol/L", "IU/L", "mIU/mL",
    "M/mL", "million", "x10^6/mL", "%", "mL", "kg", "lb", "st", "cm", "m", "ft", "in", "'", '"',
    "5'9", "now", "then", "from", "to", "->", "ref", "normal", "range", "high", "low", "<", ">",
    "≥", "or greater", "(", ")", "[", "]", ".", ",", ";", "\n", "?", "my", "I'm", "and", "was",
    "is", "no sperm", "azoospermia", "cryptozoospermia", "age", "months", "years", "mg", "2024",
    "12/03/2024", "8:30", "-", "−", "9,4", "1,200", "0", "0.05", "9.4", "40", "118", "300",
    "520", "5000", "-5", "30-35", "between 30 and 35",
]  # fmt: skip
LAB_TEXT = st.lists(
    st.one_of(st.sampled_from(VOCAB), st.integers(-10, 20000).map(str), st.text(max_size=3)),
    max_size=40,
).map(" ".join)


def _check(text: str) -> None:
    r = analyse(text)
    assert all(i.kind != "internal_error" for i in r.issues), r.issues
    json.dumps(r.to_json(), allow_nan=False)
    render_text(r)
    summary_sentence(r)
    for m in r.measurements:
        assert m.value is None or m.usable or m.status in ("ambiguous", "rejected", "bound")
    for ratio in r.ratios:
        assert ratio.value == ratio.value and ratio.value > 0


@FAST
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    _check(text)


@FAST
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x7F)))
def test_never_raises_on_ascii_with_control_chars(text: str) -> None:
    _check(text)


@FAST
@given(LAB_TEXT)
def test_never_raises_on_lab_like_text(text: str) -> None:
    _check(text)


@FAST
@given(st.lists(LAB_TEXT, max_size=4))
def test_turns_never_raise(texts: list[str]) -> None:
    r = analyse_turns(texts)
    assert all(i.kind != "internal_error" for i in r.issues)


T_NGDL = st.floats(100, 1400, allow_nan=False).map(lambda x: round(x, 1))
E2_PGML = st.floats(11, 59, allow_nan=False).map(lambda x: round(x, 1))
LH_IUL = st.floats(0.5, 19, allow_nan=False).map(lambda x: round(x, 2))


@FAST
@given(T_NGDL, E2_PGML, LH_IUL, st.sampled_from(["nmol/L", "ng/mL"]))
def test_ratios_do_not_depend_on_units(t: float, e2: float, lh: float, t_unit: str) -> None:
    conventional = analyse(f"T {t} ng/dL, E2 {e2} pg/mL, LH {lh} IU/L")
    t_other = t / 28.84 if t_unit == "nmol/L" else t / 100
    si = analyse(
        f"testosterone {t_other:.9f} {t_unit}, estradiol {e2 * 3.671:.9f} pmol/L, LH {lh} mIU/mL"
    )
    for name in ("T/E2", "T/LH"):
        a, b = conventional.ratio(name), si.ratio(name)
        assert a is not None and b is not None
        assert abs(a.value - b.value) <= 1e-6 * a.value
    on_a_cutoff = any(
        abs(r.value - cut) <= 1e-6 * cut for r in conventional.ratios for cut in (10.0, 100.0)
    )
    if not on_a_cutoff:  # 9-decimal text can land a hair on the other side of exactly 10 or 100
        assert [g.status for g in conventional.groups] == [g.status for g in si.groups]


@FAST
@given(
    st.floats(45, 150).map(lambda x: round(x, 1)),
    st.floats(150, 205).map(lambda x: round(x, 1)),
)
def test_bmi_does_not_depend_on_units(kg: float, cm: float) -> None:
    metric = analyse(f"{kg} kg, {cm} cm")
    mixed = analyse(f"{kg / 0.45359237:.9f} lb, {cm / 100:.9f} m")
    a, b = metric.derived_value("bmi"), mixed.derived_value("bmi")
    assert a is not None and b is not None and abs(a.value - b.value) <= 1e-6 * a.value


MENTIONS = {
    "total_t": ("testosterone {} ng/dL", T_NGDL),
    "e2": ("E2 {} pg/mL", E2_PGML),
    "lh": ("LH {} IU/L", LH_IUL),
    "fsh": ("FSH {}", st.floats(0.5, 30).map(lambda x: round(x, 1))),
    "weight": ("{} kg", st.floats(50, 150).map(lambda x: round(x, 1))),
    "height": ("height {} cm", st.floats(150, 200).map(lambda x: round(x, 1))),
    "semen_volume": ("volume {} mL", st.floats(0.5, 6).map(lambda x: round(x, 1))),
    "concentration": ("concentration {} million/mL", st.floats(0, 120).map(lambda x: round(x, 2))),
    "motility_total": ("total motility {}%", st.integers(0, 100)),
}


@st.composite
def lab_messages(draw: st.DrawFn) -> tuple[list[str], dict[str, float]]:
    keys = draw(st.lists(st.sampled_from(sorted(MENTIONS)), min_size=1, unique=True))
    parts, values = [], {}
    for key in keys:
        template, values_st = MENTIONS[key]
        value = draw(values_st)
        parts.append(template.format(value))
        values[key] = value
    return parts, values


def _summary(text: str) -> tuple[object, ...]:
    r = analyse(text)
    return (
        sorted((m.analyte, m.value) for m in r.measurements),
        sorted((x.name, round(x.value, 9)) for x in r.ratios),
        sorted((d.name, round(d.value, 9)) for d in r.derived),
        sorted((g.code, g.status) for g in r.groups),
    )


@FAST
@given(
    lab_messages(),
    st.randoms(use_true_random=False),
    st.sampled_from([", ", " and ", "; ", ". ", "\n"]),
)
def test_mention_order_does_not_matter(
    message: tuple[list[str], dict[str, float]], rnd: random.Random, sep: str
) -> None:
    parts, values = message
    shuffled = parts[:]
    rnd.shuffle(shuffled)
    assert _summary(sep.join(parts)) == _summary(sep.join(shuffled))
    r = analyse(sep.join(shuffled))
    for key, value in values.items():
        got = r.value(key)
        assert got is not None, (key, sep.join(shuffled))
        if key not in ("weight", "height"):
            assert abs(got - value) < 1e-9


@FAST
@given(T_NGDL, T_NGDL, st.sampled_from([", ", ". ", " and later "]))
def test_repeated_analyte_later_replaces_earlier(first: float, second: float, sep: str) -> None:
    r = analyse(f"testosterone {first} ng/dL{sep}E2 30 pg/mL{sep}testosterone {second} ng/dL")
    assert r.value("total_t") == second
    assert [m.current for m in r.measurements if m.analyte == "total_t"] == [False, True]
    turns = analyse_turns([f"testosterone {first} ng/dL, E2 30 pg/mL", f"T {second} ng/dL"])
    assert turns.value("total_t") == second


@FAST
@given(st.sampled_from(VOCAB), st.integers(1, 5000), st.sampled_from([" ", "\n", "x", ".", "("]))
def test_long_runs_stay_fast_and_safe(word: str, repeat: int, filler: str) -> None:
    _check((word + filler) * min(repeat, 50_000 // (len(word) + 1)))
