"""Lab results exported as HL7 v2 messages, rewritten in place as rows the report reader knows.

A portal's "download raw results" gives segments such as

    OBX|4|NM|10501-5^Lutropin [Units/volume] in Serum^LN||6.9|m[IU]/mL|1.7-8.6|N|||F|||20250117

where the test's name, value, unit, range, flag, status and date sit in numbered fields among
codes, timestamps and identifiers that look like values (LOINC "10501-5", a birth date). Each
result segment (OBX) becomes one row, "Lutropin  6.9 mIU/mL  2025-01-17  1.7-8.6  N", padded
with spaces to its own length, so nothing else in the text moves; the other segments (message
header, patient, order, notes) are blanked. A cancelled result (status X, or no value) becomes
a blank line. Text that has no OBX segment is returned unchanged.
"""

from __future__ import annotations

import re

_SEGMENT = re.compile(r"^(?P<kind>[A-Z][A-Z0-9]{2})\|", re.MULTILINE)
_HL7_SEGMENTS = frozenset({"MSH", "PID", "PV1", "ORC", "OBR", "OBX", "NTE", "SPM", "EVN", "PD1"})
_TIMESTAMP = re.compile(r"(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})")
# LOINC long names: "Testosterone [Moles/volume] in Serum or Plasma by calculation"
_PROPERTY = re.compile(r"\s*\[[^\]]*\]")
_SPECIMEN = re.compile(r"\s+(?:in|by)\s+(?:serum|plasma|blood|semen|urine|calculation)\b.*$", re.I)
# UCUM writes units with brackets: "m[IU]/mL", "[IU]/L", "10*6/mL"
_UCUM = (("[", ""), ("]", ""), ("10*6", "10^6"))
VALUE_TYPES = frozenset({"NM", "SN", "ST", "TX", "CE", "CWE"})


def is_hl7(text: str) -> bool:
    return any(m.group("kind") == "OBX" for m in _SEGMENT.finditer(text))


def hl7_rows(text: str) -> str:
    """`text` with each HL7 segment line rewritten (see the module docstring)."""
    if not is_hl7(text):
        return text
    lines = text.split("\n")
    drawn = ""
    for i, line in enumerate(lines):
        match = _SEGMENT.match(line)
        if match is None or match.group("kind") not in _HL7_SEGMENTS:
            continue
        fields = line.split("|")
        if match.group("kind") == "OBR" and len(fields) > 7:
            drawn = _date(fields[7]) or drawn  # the observation time of the results below
        row = _row(fields, drawn) if match.group("kind") == "OBX" else ""
        lines[i] = row[: len(line)].ljust(len(line))
    return "\n".join(lines)


def _row(fields: list[str], drawn: str) -> str:
    """One OBX segment as a row, or "" when it holds no result."""

    def field(n: int) -> str:
        return fields[n] if len(fields) > n else ""

    status = field(11).strip().upper()
    if status in ("X", "D", "W") or field(2).strip().upper() not in VALUE_TYPES:
        return ""
    parts = field(3).split("^")
    name = parts[1] if len(parts) > 1 and parts[1].strip() else parts[0]
    name = _SPECIMEN.sub("", _PROPERTY.sub("", name)).strip()
    value = field(5).split("~")[0]
    pieces = value.split("^")
    if len(pieces) >= 2 and pieces[0].strip() in ("<", ">", "<=", ">=", "="):
        value = pieces[0].strip().replace("=", "") + pieces[1].strip()  # "<^5.0" -> "<5.0"
    elif len(pieces) >= 2:
        value = pieces[1] if not pieces[0].strip() else pieces[0]
    value = value.strip()
    if not name or not value:
        return ""
    unit = field(6).split("^")[0].strip()
    for old, new in _UCUM:
        unit = unit.replace(old, new)
    date = _date(field(14)) or drawn
    cells = [name, f"{value} {unit}".strip(), date, field(7).strip(), field(8).strip()]
    return "  ".join(c for c in cells if c)


def _date(stamp: str) -> str:
    match = _TIMESTAMP.match(stamp.strip())
    return f"{match['y']}-{match['m']}-{match['d']}" if match else ""
