"""Frozen result types of the labs package and the JSON conversion they share."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

# "noted": usable, but read with an assumption the notes state (a unit inferred, an older value
# set aside, a value replaced); never shown as plainly "ok".
Status = Literal["ok", "noted", "warn", "ambiguous", "rejected", "bound"]
UnitSource = Literal["typed", "inferred", "assumed", "default", "none"]
GroupStatus = Literal["applies", "does not apply", "not evaluable"]

APPLIES: GroupStatus = "applies"
DOES_NOT_APPLY: GroupStatus = "does not apply"
NOT_EVALUABLE: GroupStatus = "not evaluable"

USABLE: frozenset[str] = frozenset({"ok", "noted", "warn"})


@dataclass(frozen=True)
class Measurement:
    """One value the user typed, with its normalised reading.

    `value` is in the canonical `unit` of the analyte (ng/dL, pg/mL, IU/L, kg, cm, ...), or None
    when the value cannot be used (`status` ambiguous, rejected or bound). For a range, `value` is
    the midpoint and `low`/`high` the normalised ends. `unit_read` is the unit the number was read
    in (typed, inferred or assumed, e.g. "nmol/L"). `current` is False when a later mention of
    the same analyte replaced this one.
    """

    analyte: str
    label: str
    value_as_typed: str
    unit_as_typed: str | None
    span: tuple[int, int]
    value: float | None
    unit: str
    status: Status
    note: str = ""
    unit_source: UnitSource = "typed"
    turn: int = 0
    name_as_typed: str | None = None
    unit_read: str | None = None
    low: float | None = None
    high: float | None = None
    current: bool = True
    # How the value was read, where that involved a choice the user should see: "read as
    # ng/dL" (no unit typed), "older result 287 (2023-10-19) set aside", "replaces 9.4 from an
    # earlier message". Any of them makes the status "noted" rather than "ok".
    assumptions: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return self.status in USABLE and self.value is not None

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None


@dataclass(frozen=True)
class Ratio:
    """T/E2 or T/LH on the article's scale (T in ng/dL; E2 in pg/mL; LH in IU/L).

    `assumptions` are the readings the user should see next to the number ("estradiol 40 read as
    pg/mL", "estradiol range 30-35: midpoint used").
    """

    name: str
    numerator: float | None
    denominator: float | None
    value: float
    formula_text: str
    source: Literal["computed", "stated"] = "computed"
    low: float | None = None
    high: float | None = None
    notes: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    status: Status = "ok"  # "ok" only when both inputs were read with status ok


@dataclass(frozen=True)
class Derived:
    """A value computed from several measurements (BMI, total count, total motile count)."""

    name: str
    label: str
    value: float
    unit: str
    formula_text: str
    notes: tuple[str, ...] = ()
    status: Status = "ok"  # the weakest status of the values it was computed from


@dataclass(frozen=True)
class SemenCategory:
    """The semen findings under one WHO edition, e.g. oligozoospermia under WHO 2021 (6th ed.)."""

    edition: str
    findings: tuple[str, ...]
    explanation: str
    not_checked: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupResult:
    """Whether one of the article's patient groups (kind "group") or a caution ("flag") applies."""

    code: str
    label: str
    status: GroupStatus
    explanation: str
    criterion_quote: str
    kind: Literal["group", "flag"] = "group"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Issue:
    """Something the user should clarify: an ambiguous unit, a rejected value, a missing number."""

    kind: str
    message: str
    question: str | None = None
    analyte: str | None = None
    span: tuple[int, int] | None = None
    turn: int = 0

    def __str__(self) -> str:
        return f"{self.message} {self.question}" if self.question else self.message


@dataclass(frozen=True)
class Label:
    """A semen diagnosis the user stated in words ("no sperm", "cryptozoospermia")."""

    kind: Literal["azoospermia", "cryptozoospermia"]
    text: str
    span: tuple[int, int]
    turn: int = 0


@dataclass(frozen=True)
class LabReport:
    """Everything `analyse` found in the user's text."""

    measurements: tuple[Measurement, ...] = ()
    ratios: tuple[Ratio, ...] = ()
    derived: tuple[Derived, ...] = ()
    semen: tuple[SemenCategory, ...] = ()
    groups: tuple[GroupResult, ...] = ()
    issues: tuple[Issue, ...] = ()
    labels: tuple[Label, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        """True when the text held no lab value, label or lab question at all."""
        return not (self.measurements or self.issues or self.labels)

    def current(self, analyte: str) -> Measurement | None:
        """The value of `analyte` in force (the last one typed), usable or not."""
        for m in reversed(self.measurements):
            if m.analyte == analyte and m.current:
                return m
        return None

    def value(self, analyte: str) -> float | None:
        """The normalised value of `analyte`, or None when missing or unusable."""
        m = self.current(analyte)
        return m.value if m is not None and m.usable else None

    def ratio(self, name: str) -> Ratio | None:
        return next((r for r in self.ratios if r.name == name), None)

    def derived_value(self, name: str) -> Derived | None:
        return next((d for d in self.derived if d.name == name), None)

    def group(self, code: str) -> GroupResult | None:
        return next((g for g in self.groups if g.code == code), None)

    def to_json(self) -> dict[str, Any]:
        """A dict of plain lists, strings, numbers, booleans and None (json.dumps-safe)."""
        return _jsonable(self)


_Spanned = TypeVar("_Spanned")


def shifted(item: _Spanned, offset: int) -> _Spanned:
    """A copy of a frozen result with its `span` moved by `offset` (a piece of a text read on
    its own, placed back in the whole). Built directly: `dataclasses.replace` is ten times
    slower, and a pasted report has thousands of these."""
    span = getattr(item, "span", None)
    if not offset or span is None:
        return item
    new = object.__new__(type(item))
    new.__dict__.update(item.__dict__)
    new.__dict__["span"] = (span[0] + offset, span[1] + offset)
    return new


def _jsonable(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {f.name: _jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        if isinstance(obj, LabReport):
            out["is_empty"] = obj.is_empty
        if isinstance(obj, Measurement):
            out["usable"] = obj.usable
        return out
    if isinstance(obj, (list, tuple)):
        return [_jsonable(x) for x in obj]
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    return obj
