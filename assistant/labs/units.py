"""Units: canonical unit keys, conversion factors, plausibility bounds and bare-number reading.

Factors are those of the project's clinical reference (research/clinical.md §2.1, §7.1):
T ng/dL = nmol/L x 28.84 = ng/mL x 100; E2 pg/mL = pmol/L / 3.671 = ng/L; LH/FSH IU/L = mIU/mL.

Reading a number typed without a unit (design choices, [D] in clinical.md §2.2):
  * every unit the analyte is reported in is tried; a unit is *plausible* when the converted value
    falls in the analyte's plausible window (`AnalyteSpec.plausible`, the un-warned band);
  * exactly one plausible unit -> used, unit_source "inferred", with a note;
  * several -> "unit-system consistency": when another hormone in the same conversation was typed
    (or unambiguously inferred) in one system only, SI (nmol/L, pmol/L) or mass units (ng/dL,
    ng/mL, pg/mL), the candidate of that system is used, unit_source "assumed", with a note the
    user sees. The same rule reads a bare weight as lb when the height was in ft/in (kg for cm);
  * otherwise the value is AMBIGUOUS and an Issue asks for the unit;
  * no plausible unit -> the units that at least pass the hard bounds; one -> used with a warning,
    several -> ambiguous, none -> rejected.
A bare total testosterone below 100 that reads only as ng/dL is ambiguous too: it is in the usual
range of FREE testosterone in pg/mL (clinical.md V25), so the user is asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

T_NMOL_TO_NGDL = 28.84
E2_PMOL_PER_PG = 3.671
FREE_T_PMOL_PER_PG = 3.467
LB_TO_KG = 0.45359237
IN_TO_CM = 2.54
STONE_TO_LB = 14.0

SI, MASS, METRIC, IMPERIAL = "SI", "mass", "metric", "imperial"

# Canonical unit keys that identify the analyte by themselves (a number with one of these units
# needs no analyte name): used by the parser.
BODY_UNITS = frozenset({"kg", "lb", "st", "cm", "m", "in", "ftin"})
SEMEN_UNITS = frozenset({"mL", "M/mL", "/mL"})
HORMONE_UNITS = frozenset(
    {"ng/dL", "ng/mL", "ng/L", "nmol/L", "pmol/L", "pg/mL", "IU/L", "mIU/mL", "IU", "IU/mL",
     "mIU/L", "pg/dL", "pg/L", "nmol/dL", "pmol/mL", "ng", "pg", "nmol", "pmol"}
)  # fmt: skip


@dataclass(frozen=True)
class AnalyteSpec:
    """How one analyte is read: units, plausible window, hard bounds and warning bands."""

    key: str
    label: str
    unit: str
    factors: Mapping[str, float]
    bare: tuple[str, ...]
    plausible: tuple[float, float]
    minimum: float
    maximum: float
    minimum_allowed: bool = False
    maximum_allowed: bool = True
    warn_low: float | None = None
    warn_high: float | None = None
    systems: Mapping[str, str] = field(default_factory=dict)
    digits: int = 2


def _spec(
    key: str, label: str, unit: str, factors: Mapping[str, float], **kw: object
) -> AnalyteSpec:
    bare = kw.pop("bare", (unit,))
    return AnalyteSpec(key, label, unit, dict(factors), bare=bare, **kw)  # type: ignore[arg-type]


_GONADOTROPIN_UNITS = {"IU/L": 1.0, "mIU/mL": 1.0, "IU": 1.0}
_PERCENT = {"%": 1.0}
_MILLION = {"M": 1.0, "m": 1.0, "count": 1e-6}

# [D] bounds not in clinical.md: SHBG, free T, body and semen totals (chosen to catch unit slips).
SPECS: dict[str, AnalyteSpec] = {
    s.key: s
    for s in (
        _spec("total_t", "Total testosterone", "ng/dL",
              {"ng/dL": 1.0, "nmol/L": T_NMOL_TO_NGDL, "ng/mL": 100.0},
              bare=("ng/dL", "nmol/L", "ng/mL"), plausible=(50.0, 1500.0), minimum=0.0,
              maximum=5000.0, maximum_allowed=False, warn_low=50.0, warn_high=1500.0,
              systems={"ng/dL": MASS, "ng/mL": MASS, "nmol/L": SI}, digits=1),
        _spec("e2", "Estradiol", "pg/mL",
              # nmol/L: Nordic reports ("P—Østradiol 0,098 nmol/L")
              {"pg/mL": 1.0, "pmol/L": 1.0 / E2_PMOL_PER_PG, "ng/L": 1.0,
               "nmol/L": 1000.0 / E2_PMOL_PER_PG},
              bare=("pg/mL", "pmol/L"), plausible=(5.0, 100.0), minimum=0.0, maximum=1000.0,
              warn_low=10.0, warn_high=60.0,
              systems={"pg/mL": MASS, "ng/L": MASS, "pmol/L": SI, "nmol/L": SI}),
        # [D] below 0.05 IU/L is under every assay's detection limit: a typing or unit slip.
        _spec("lh", "LH", "IU/L", _GONADOTROPIN_UNITS, plausible=(0.05, 200.0), minimum=0.05,
              minimum_allowed=True, maximum=200.0, warn_low=0.3, warn_high=20.0),
        _spec("fsh", "FSH", "IU/L", _GONADOTROPIN_UNITS, plausible=(0.05, 200.0), minimum=0.05,
              minimum_allowed=True, maximum=200.0, warn_low=0.3, warn_high=20.0),
        _spec("shbg", "SHBG", "nmol/L", {"nmol/L": 1.0}, plausible=(0.0, 250.0), minimum=0.0,
              maximum=250.0),
        _spec("free_t", "Free testosterone", "pg/mL",
              {"pg/mL": 1.0, "ng/L": 1.0, "pmol/L": 1.0 / FREE_T_PMOL_PER_PG, "ng/dL": 10.0,
               "nmol/L": 1000.0 / FREE_T_PMOL_PER_PG},
              bare=("pg/mL", "pmol/L", "ng/dL", "nmol/L"), plausible=(3.0, 500.0), minimum=0.0,
              maximum=1500.0,
              systems={"pg/mL": MASS, "ng/L": MASS, "ng/dL": MASS, "pmol/L": SI, "nmol/L": SI}),
        _spec("bioavailable_t", "Bioavailable testosterone", "ng/dL",
              {"ng/dL": 1.0, "nmol/L": T_NMOL_TO_NGDL, "ng/mL": 100.0}, bare=("ng/dL", "nmol/L"),
              plausible=(20.0, 1000.0), minimum=0.0, maximum=3000.0, digits=1),
        _spec("weight", "Weight", "kg",
              {"kg": 1.0, "lb": LB_TO_KG, "st": STONE_TO_LB * LB_TO_KG},
              bare=("kg", "lb"), plausible=(40.0, 250.0), minimum=30.0, maximum=350.0,
              minimum_allowed=True, systems={"kg": METRIC, "lb": IMPERIAL, "st": IMPERIAL}),
        _spec("height", "Height", "cm",
              {"cm": 1.0, "m": 100.0, "in": IN_TO_CM, "ftin": IN_TO_CM},
              bare=("cm", "m", "in"), plausible=(130.0, 220.0), minimum=100.0, maximum=250.0,
              minimum_allowed=True,
              systems={"cm": METRIC, "m": METRIC, "in": IMPERIAL, "ftin": IMPERIAL}, digits=1),
        _spec("bmi", "BMI", "kg/m2", {"kg/m2": 1.0}, plausible=(12.0, 70.0), minimum=10.0,
              maximum=90.0, minimum_allowed=True, digits=1),
        _spec("semen_volume", "Semen volume", "mL", {"mL": 1.0}, plausible=(0.0, 20.0),
              minimum=0.0, maximum=20.0, minimum_allowed=True),
        _spec("concentration", "Sperm concentration", "M/mL",
              {"M/mL": 1.0, "/mL": 1e-6, "M": 1.0, "m": 1.0, "G/L": 1.0}, plausible=(0.0, 500.0),
              minimum=0.0, maximum=500.0, minimum_allowed=True),
        _spec("total_count", "Total sperm count", "M", {**_MILLION}, plausible=(0.0, 5000.0),
              minimum=0.0, maximum=5000.0, minimum_allowed=True),
        _spec("tmc_reported", "Total motile count (as reported)", "M", {**_MILLION},
              plausible=(0.0, 5000.0), minimum=0.0, maximum=5000.0, minimum_allowed=True),
        _spec("tpmc_reported", "Progressive motile count (as reported)", "M", {**_MILLION},
              plausible=(0.0, 5000.0), minimum=0.0, maximum=5000.0, minimum_allowed=True),
        _spec("motility_total", "Total motility", "%", _PERCENT, plausible=(0.0, 100.0),
              minimum=0.0, maximum=100.0, minimum_allowed=True, digits=1),
        _spec("motility_progressive", "Progressive motility", "%", _PERCENT,
              plausible=(0.0, 100.0), minimum=0.0, maximum=100.0, minimum_allowed=True, digits=1),
        _spec("motility_nonprogressive", "Non-progressive motility", "%", _PERCENT,
              plausible=(0.0, 100.0), minimum=0.0, maximum=100.0, minimum_allowed=True, digits=1),
        _spec("morphology", "Normal morphology", "%", _PERCENT, plausible=(0.0, 100.0),
              minimum=0.0, maximum=100.0, minimum_allowed=True, digits=1),
        _spec("te2_ratio", "T/E2 ratio (as stated)", "ratio", {"ratio": 1.0},
              plausible=(1.0, 500.0), minimum=0.0, maximum=1000.0),
        _spec("tlh_ratio", "T/LH ratio (as stated)", "ratio", {"ratio": 1.0},
              plausible=(1.0, 5000.0), minimum=0.0, maximum=10000.0),
    )
}  # fmt: skip

# Analytes a name can carry that are not in SPECS: "sperm_count" is resolved to concentration or
# total count from its unit; "other" (prolactin, DHT, drug doses, age ...) swallows its number.
ACCEPTS: dict[str, frozenset[str]] = {k: frozenset(s.factors) for k, s in SPECS.items()}
ACCEPTS["sperm_count"] = frozenset({"M/mL", "/mL", "M", "m", "count", "G/L"})
ACCEPTS["semen_volume"] = frozenset({"mL"})
# WHO motility grades a-d are shares; the pipeline sums them into progressive and total motility.
ACCEPTS.update({f"grade_{g}": frozenset({"%"}) for g in "abcd"})

# A number followed by one of these units belongs to this analyte even without a name.
UNIT_ANALYTE: dict[str, str] = {
    "kg": "weight", "lb": "weight", "st": "weight",
    "cm": "height", "in": "height", "ftin": "height", "m": "height",
    "kg/m2": "bmi", "mL": "semen_volume", "M/mL": "concentration", "/mL": "concentration",
}  # fmt: skip


def convertible(analyte: str, unit: str | None) -> bool:
    return unit is None or unit in ACCEPTS.get(analyte, frozenset())


# ---------------------------------------------------------------------------------------------
# Number formatting shared by notes, explanations and the renderer.


def fmt(x: float, digits: int = 2) -> str:
    """`x` rounded to `digits` decimals without trailing zeros: 7.5, 130, 8.43."""
    if x != x or x in (float("inf"), float("-inf")):
        return str(x)
    s = f"{x:.{digits}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def fmt_unit(value: float, unit: str, digits: int = 2) -> str:
    if unit == "%":
        return f"{fmt(value, digits)}%"
    if unit == "ratio":
        return fmt(value, digits)
    return f"{fmt(value, digits)} {unit}"


# ---------------------------------------------------------------------------------------------
# Normalisation of one typed value.


@dataclass(frozen=True)
class Reading:
    """The outcome of reading one typed number for one analyte."""

    value: float | None
    unit_key: str | None
    unit_source: str
    status: str
    notes: tuple[str, ...] = ()
    issue_kind: str | None = None
    message: str | None = None
    question: str | None = None
    low: float | None = None
    high: float | None = None


def in_bounds(spec: AnalyteSpec, v: float) -> bool:
    low_ok = v >= spec.minimum if spec.minimum_allowed else v > spec.minimum
    high_ok = v <= spec.maximum if spec.maximum_allowed else v < spec.maximum
    return low_ok and high_ok


def _range_text(spec: AnalyteSpec) -> str:
    low = "≥" if spec.minimum_allowed else ">"
    high = "≤" if spec.maximum_allowed else "<"
    return f"{low} {fmt(spec.minimum)} and {high} {fmt(spec.maximum)} {spec.unit}"


def bare_candidates(spec: AnalyteSpec, number: float) -> tuple[list[str], list[str]]:
    """(units giving a plausible value, units giving a value within the hard bounds)."""
    lo, hi = spec.plausible
    plausible = [u for u in spec.bare if lo <= number * spec.factors[u] <= hi]
    valid = [u for u in spec.bare if in_bounds(spec, number * spec.factors[u])]
    return plausible, valid


def lower_label(spec: AnalyteSpec) -> str:
    """The label inside a sentence: "estradiol", but "LH" and "BMI" unchanged."""
    label = spec.label
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def analyte_label(analyte: str) -> str:
    """`lower_label` of an analyte key, or the key in words when it has no spec ("sperm count")."""
    return lower_label(SPECS[analyte]) if analyte in SPECS else analyte.replace("_", " ")


def _unit_question(spec: AnalyteSpec, typed: str, number: float, units: list[str]) -> str:
    conv = "; ".join(
        f"{typed} {u} = {fmt(number * spec.factors[u], spec.digits)} {spec.unit}"
        for u in units
        if u != spec.unit
    )
    q = f"Was your {lower_label(spec)} {typed} in {' or '.join(units)}?"
    return f"{q} ({conv})" if conv else q


def read_value(
    analyte: str,
    number: float,
    typed: str,
    unit_key: str | None,
    *,
    number2: float | None = None,
    hint: str | None = None,
) -> Reading:
    """Convert one typed value of `analyte` to its canonical unit and judge it.

    `hint` is the unit system ("SI"/"mass"/"metric"/"imperial") other values were typed in.
    """
    spec = SPECS[analyte]
    notes: list[str] = []
    source = "typed"
    if unit_key is not None and unit_key not in spec.factors:
        return Reading(
            None, unit_key, "typed", "rejected", (),
            "unit_mismatch",
            f"{spec.label} is not reported in {unit_key}; {typed} {unit_key} cannot be used.",
            _mismatch_question(spec, typed, unit_key),
        )  # fmt: skip
    if unit_key is None and spec.unit == "%" and 0 < number < 1 and number2 is None:
        # "0,28" for progressive motility: a fraction (28 %) as Nordic reports print it, or
        # 0.28 %; nothing on the line says which
        return Reading(
            None, None, "typed", "ambiguous", (), "ambiguous_unit",
            f"{spec.label} {typed} has no unit: it may be a fraction ({typed} = "
            f"{fmt(number * 100)} %) or {typed} %.",
            f"Was your {lower_label(spec)} {fmt(number * 100)} % or {typed} %?",
        )  # fmt: skip
    if unit_key is None:
        middle = number if number2 is None else (number + number2) / 2
        unit_key, source, early = _infer_unit(spec, middle, typed, hint)
        if early is not None:
            return early
        assert unit_key is not None
        if source == "default":
            notes.append(f"no unit typed; read as {unit_key}, the usual unit for {spec.label}")
        elif source == "inferred":
            notes.append(
                f"no unit typed; read as {unit_key}, the only unit giving a plausible value"
            )
        elif source == "assumed":
            system = spec.systems[unit_key]
            what = "SI units" if system == SI else f"{system} units"
            notes.append(
                f"no unit typed; assumed {unit_key} because your other values were in {what}"
            )
    factor = spec.factors[unit_key]
    value = number * factor
    if factor < 1e-3 and 0 < number < 1000 and source == "typed":
        return Reading(
            None, unit_key, source, "ambiguous", tuple(notes), "unit_check",
            f"{spec.label} {typed} {unit_key} would be only {typed} single sperm; reports count "
            "sperm in millions.", f"Was it {typed} million ({typed} × 10⁶)?",
        )  # fmt: skip
    low = high = None
    if number2 is not None:
        a, b = sorted((number * factor, number2 * factor))
        if a > 0 and b / a > 1.5:
            return Reading(
                None, unit_key, source, "ambiguous", tuple(notes), "wide_range",
                f"{spec.label} {typed} is a wide range; it may be the lab's reference range.",
                f"What was your own {lower_label(spec)} result?",
            )  # fmt: skip
        low, high = a, b
        value = (a + b) / 2
        notes.append(
            f"you gave a range; its midpoint {fmt(value, spec.digits)} {spec.unit} is used"
        )
    check = (low, high) if low is not None and high is not None else (value, value)
    if not (in_bounds(spec, check[0]) and in_bounds(spec, check[1])):
        return Reading(
            None, unit_key, source, "rejected", tuple(notes), "rejected",
            _reject_message(spec, typed, unit_key, value),
            _reject_question(spec, typed, unit_key, number),
        )  # fmt: skip
    lo, hi = spec.plausible
    if source == "typed" and len(spec.bare) > 1 and not lo / 2.5 <= value <= hi * 2.5:
        others = [u for u in spec.bare if u != unit_key and lo <= number * spec.factors[u] <= hi]
        if others:
            return Reading(
                None, unit_key, source, "ambiguous", tuple(notes), "unit_check",
                f"{spec.label} {typed} {unit_key} (= {fmt(value, spec.digits)} {spec.unit}) is far "
                f"outside the usual adult-male range, but {typed} {others[0]} would be typical.",
                f"Was it {' or '.join(f'{typed} {u}' for u in others)}?",
            )  # fmt: skip
    status = "ok"
    if spec.warn_low is not None and value < spec.warn_low:
        status = "warn"
        notes.append(f"below {fmt(spec.warn_low)} {spec.unit}, unusually low; please double-check")
    if spec.warn_high is not None and value > spec.warn_high:
        status = "warn"
        notes.append(f"above {fmt(spec.warn_high)} {spec.unit}, unusually high")
    if unit_key != spec.unit and source == "typed" and factor != 1.0:
        shown = typed if unit_key == "ftin" or not typed[-1:].isdigit() else f"{typed} {unit_key}"
        notes.insert(0, f"{shown} = {fmt(value, spec.digits)} {spec.unit}")
    return Reading(value, unit_key, source, status, tuple(notes), low=low, high=high)


def _infer_unit(
    spec: AnalyteSpec, number: float, typed: str, hint: str | None
) -> tuple[str | None, str, Reading | None]:
    if len(spec.bare) == 1:
        return spec.bare[0], "default", None
    plausible, valid = bare_candidates(spec, number)
    if spec.key == "total_t" and plausible == ["ng/dL"] and number < 100:
        return None, "none", Reading(
            None, None, "none", "ambiguous", (), "ambiguous_unit",
            f"A testosterone of {typed} with no unit is unclear: as total testosterone it would be "
            f"{typed} ng/dL (very low), and free testosterone is often reported around that "
            "number in pg/mL.",
            f"Was {typed} your total testosterone in ng/dL, or your free testosterone in pg/mL?",
        )  # fmt: skip
    if len(plausible) == 1:
        return plausible[0], "inferred", None
    if len(plausible) > 1 and hint is not None:
        same = [u for u in plausible if spec.systems.get(u) == hint]
        # The other values' unit system decides, unless it makes this value unusual (below or
        # above the warning bands) where another unit reads it as usual: "E2 21" beside
        # "T 15 nmol" is 21 pg/mL (usual) or 21 pmol/L (5.7 pg/mL, over-suppressed); ask.
        if len(same) == 1 and not (
            _unusual(spec, number, same[0])
            and any(not _unusual(spec, number, u) for u in plausible if u != same[0])
        ):
            return same[0], "assumed", None
    if not plausible and len(valid) == 1:
        return valid[0], "inferred", None
    if number < 0 or (number == 0 and not spec.minimum_allowed):
        return None, "none", Reading(
            None, None, "none", "rejected", (), "rejected",
            f"{spec.label} {typed} cannot be used: it must be above 0.",
            f"Could you check the number of your {lower_label(spec)}?",
        )  # fmt: skip
    if not plausible and not valid:
        return None, "none", Reading(
            None, None, "none", "rejected", (), "rejected",
            f"{spec.label} {typed} is outside the range this tool accepts in any unit "
            f"({', '.join(spec.bare)}).",
            f"Could you check the number and give its unit for {lower_label(spec)}?",
        )  # fmt: skip
    units = plausible or valid
    return None, "none", Reading(
        None, None, "none", "ambiguous", (), "ambiguous_unit",
        f"{spec.label} {typed} has no unit, and it is plausible in more than one "
        f"({', '.join(units)}), which changes the result.",
        _unit_question(spec, typed, number, units),
    )  # fmt: skip


def _unusual(spec: AnalyteSpec, number: float, unit: str) -> bool:
    """Whether `number` in `unit` falls outside the analyte's warning bands."""
    value = number * spec.factors[unit]
    return (spec.warn_low is not None and value < spec.warn_low) or (
        spec.warn_high is not None and value > spec.warn_high
    )


def _mismatch_question(spec: AnalyteSpec, typed: str, unit: str) -> str:
    if spec.key == "total_t" and unit in ("pg/mL", "pmol/L"):
        return (
            f"{unit} is the usual unit of FREE testosterone; the ratios need TOTAL testosterone "
            "(ng/dL, nmol/L or ng/mL). Do you have a total testosterone result?"
        )
    return (
        f"Could you check the unit? {spec.label} is usually given in {' or '.join(spec.factors)}."
    )


def _reject_message(spec: AnalyteSpec, typed: str, unit: str, value: float) -> str:
    shown = f"{typed} {unit}" if unit != spec.unit else f"{typed} {spec.unit}"
    if unit != spec.unit:
        shown += f" (= {fmt(value, spec.digits)} {spec.unit})"
    if value < 0 or (value == 0 and not spec.minimum_allowed):
        if spec.key in ("e2", "lh", "fsh"):
            return f"{spec.label} {shown} cannot be used: the ratio is undefined for 0 or less."
        return f"{spec.label} {shown} cannot be used: it must be above 0."
    return f"{spec.label} {shown} is outside the range this tool accepts ({_range_text(spec)})."


def _reject_question(spec: AnalyteSpec, typed: str, unit: str, number: float) -> str:
    factor = spec.factors.get(unit)
    others = [
        u for u, f in spec.factors.items()
        if f != factor and number > 0 and spec.plausible[0] <= number * f <= spec.plausible[1]
    ]  # fmt: skip
    if others:
        return f"Could you check the number and unit? Did you mean {typed} {others[0]}?"
    return f"Could you check the number and unit of your {lower_label(spec)}?"
