"""Lab values from free text: units, T/E2 and T/LH, BMI, semen counts and the article's groups.

Pure and offline: standard library only, no I/O. `analyse` never raises on any string.

    >>> r = analyse("My testosterone came back at 300 and my estradiol at 40")
    >>> r.ratio("T/E2").value
    7.5
    >>> summary_sentence(r)[:60]
    'From your numbers (estradiol 40 read as pg/mL): T/E2 = 300 /'


Design choices (details in the module docstrings):
  * units (`units`): factors of clinical.md (T nmol/L x 28.84, ng/mL x 100; E2 pmol/L / 3.671);
    a bare number is read in the only unit giving a plausible adult-male value, else by
    unit-system consistency with the other hormone (noted as an assumption), else asked about;
    values outside the [D] bounds are rejected with a reason;
  * pairing names and numbers, dates/ages/doses, later-replaces-earlier (`parse`, `pipeline`);
    pasted reports read row by row (`rows`, names in several languages: `names`);
  * whose numbers (`asides`): a partner's, a brother's or another user's results and
    struck-through values are set aside before reading, and the report says so;
  * ratios on the article's scale (T ng/dL / E2 pg/mL; T ng/dL / LH IU/L); free T is never used;
    BMI compared unrounded (`ratios`);
  * groups (`groups`): BMI ≥ 25, T/LH ≥ 100, T/E2 ≥ 10 normal / < 10 low (exactly 10 counted
    as normal, noted), borderline notes for BMI 24.5-25.5, T/E2 9.5-10.5, T/LH 95-105; missing
    inputs give "not evaluable"; every criterion is quoted verbatim from the article;
  * semen (`semen`): WHO 2021 (6th ed.) and WHO 2010 (5th ed.) both reported, each named; the
    article's oligospermia group uses its glossary's numbers (= WHO 2010).
"""

from __future__ import annotations

from .pipeline import analyse, analyse_turns
from .render import render_text, summary_sentence
from .types import (
    Derived,
    GroupResult,
    Issue,
    Label,
    LabReport,
    Measurement,
    Ratio,
    SemenCategory,
)

__all__ = [
    "Derived",
    "GroupResult",
    "Issue",
    "LabReport",
    "Label",
    "Measurement",
    "Ratio",
    "SemenCategory",
    "analyse",
    "analyse_turns",
    "render_text",
    "summary_sentence",
]
