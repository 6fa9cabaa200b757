"""Semen arithmetic (total count, total motile count) and WHO 2010 / WHO 2021 categories.

Lower reference limits are those of clinical.md §3.1. Both editions are always reported, each
statement naming its edition: WHO 2021 (6th ed.) is the current one; WHO 2010 (5th ed.) is the one
the article's glossary uses ("<15 million/mL or total <39 million"). [D] choices: severe
oligozoospermia is < 5 million/mL; cryptozoospermia is 0 < concentration < 0.1 million/mL.
TMC (million) = volume x concentration x total motility / 100; with only progressive motility the
progressive variant is computed and labelled as such. With no sperm (concentration or volume 0)
the TMC is 0 whatever the motility.
"""

from __future__ import annotations

from dataclasses import dataclass

from .types import Derived, SemenCategory
from .units import fmt

SEVERE_OLIGO_BELOW = 5.0
CRYPTO_BELOW = 0.1


@dataclass(frozen=True)
class Edition:
    name: str
    volume: float
    concentration: float
    total_count: float
    total_motility: float
    progressive: float
    morphology: float


WHO_2021 = Edition("WHO 2021 (6th ed.)", 1.4, 16.0, 39.0, 42.0, 30.0, 4.0)
WHO_2010 = Edition("WHO 2010 (5th ed.)", 1.5, 15.0, 39.0, 40.0, 32.0, 4.0)
EDITIONS = (WHO_2021, WHO_2010)

IUI_NOTE = (
    "pre-wash count from the semen analysis; IUI guidance often quotes about 9-10 million "
    "motile sperm (not a figure from the article)"
)


@dataclass(frozen=True)
class SemenValues:
    """The usable semen values (None when not given): volume mL, concentration M/mL, % motility."""

    volume: float | None = None
    concentration: float | None = None
    total_count: float | None = None
    motility_total: float | None = None
    motility_progressive: float | None = None
    motility_nonprogressive: float | None = None
    morphology: float | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in vars(self).values())


def derive(s: SemenValues) -> tuple[tuple[Derived, ...], SemenValues]:
    """Total count, total motility from PR + NP, TMC; and the values completed with them."""
    out: list[Derived] = []
    total_count = s.total_count
    if s.volume is not None and s.concentration is not None and total_count is None:
        total_count = s.volume * s.concentration
        out.append(
            Derived(
                "total_count",
                "Total sperm count",
                total_count,
                "M",
                f"total count = {fmt(s.volume)} mL × {fmt(s.concentration)} million/mL = "
                f"{fmt(total_count)} million",
            )
        )
    motility = s.motility_total
    if (
        motility is None
        and s.motility_progressive is not None
        and s.motility_nonprogressive is not None
    ):
        motility = s.motility_progressive + s.motility_nonprogressive
        if motility <= 100:
            out.append(
                Derived(
                    "motility_total",
                    "Total motility (PR + NP)",
                    motility,
                    "%",
                    f"total motility = {fmt(s.motility_progressive)}% progressive + "
                    f"{fmt(s.motility_nonprogressive)}% non-progressive = {fmt(motility)}%",
                )
            )
        else:
            motility = None
    if s.volume is not None and s.concentration is not None:
        if s.volume == 0 or s.concentration == 0:
            out.append(
                Derived(
                    "tmc",
                    "Total motile count",
                    0.0,
                    "M",
                    f"total motile count = {fmt(s.volume)} mL × {fmt(s.concentration)} "
                    "million/mL = 0 million (no sperm, so no motile sperm)",
                )
            )
        else:
            for key, label, pct, which in (
                ("tmc", "Total motile count (total motility)", motility, "total motility"),
                ("tmc_progressive", "Total motile count (progressive motility only)",
                 s.motility_progressive, "progressive motility"),
            ):  # fmt: skip
                if pct is None:
                    continue
                value = s.volume * s.concentration * pct / 100
                out.append(
                    Derived(
                        key,
                        label,
                        value,
                        "M",
                        f"TMC = {fmt(s.volume)} mL × {fmt(s.concentration)} million/mL × "
                        f"{fmt(pct)}% {which} = {fmt(value, 3)} million",
                        (IUI_NOTE,),
                    )
                )
    completed = SemenValues(
        s.volume,
        s.concentration,
        total_count,
        motility,
        s.motility_progressive,
        s.motility_nonprogressive,
        s.morphology,
    )
    return tuple(out), completed


def categorise(s: SemenValues, edition: Edition) -> SemenCategory:
    """The findings for one WHO edition, with each comparison spelled out."""
    findings: list[str] = []
    checks: list[str] = []
    missing: list[str] = []

    def check(label: str, value: float | None, limit: float, unit: str) -> bool | None:
        if value is None:
            missing.append(label)
            return None
        low = value < limit
        sign = "<" if low else "≥"
        checks.append(f"{label} {fmt(value)}{unit} {sign} {fmt(limit)}{unit}")
        return low

    c = s.concentration
    conc_low = check("concentration", c, edition.concentration, " million/mL")
    total_low = check("total count", s.total_count, edition.total_count, " million")
    if c == 0 or s.total_count == 0:
        findings.append("azoospermia (no sperm in the sample)")
    elif c is not None and c < CRYPTO_BELOW:
        findings.append("cryptozoospermia (below 0.1 million/mL)")
        findings.append("severe oligozoospermia (below 5 million/mL)")
    elif conc_low or total_low:
        findings.append("oligozoospermia")
        if c is not None and c < SEVERE_OLIGO_BELOW:
            findings.append("severe oligozoospermia (below 5 million/mL)")
    mot_low = check("total motility", s.motility_total, edition.total_motility, "%")
    prog_low = check("progressive motility", s.motility_progressive, edition.progressive, "%")
    if (mot_low or prog_low) and c != 0:
        findings.append("asthenozoospermia (low motility)")
    if check("normal forms", s.morphology, edition.morphology, "%") and c != 0:
        findings.append("teratozoospermia (few normal forms)")
    if check("volume", s.volume, edition.volume, " mL"):
        findings.append("low semen volume")
    if not findings and checks:
        findings.append("no value below the lower reference limits (for the values given)")
    explanation = f"{edition.name} lower limits: " + "; ".join(checks) if checks else ""
    return SemenCategory(edition.name, tuple(findings), explanation, tuple(missing))


def categories(s: SemenValues) -> tuple[SemenCategory, ...]:
    if not s.any:
        return ()
    return tuple(categorise(s, e) for e in EDITIONS)
