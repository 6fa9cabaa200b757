"""Lab results exported as HL7 v2 messages or FHIR JSON, rewritten in place as rows the report
reader knows.

A portal's "download raw results" gives segments such as

    OBX|4|NM|10501-5^Lutropin [Units/volume] in Serum^LN||6.9|m[IU]/mL|1.7-8.6|N|||F|||20250117

where the test's name, value, unit, range, flag, status and date sit in numbered fields among
codes, timestamps and identifiers that look like values (LOINC "10501-5", a birth date). Each
result segment (OBX) becomes one row, "Lutropin  6.9 mIU/mL  2025-01-17  1.7-8.6  N", padded
with spaces to its own length, so nothing else in the text moves; the other segments (message
header, patient, order, notes) are blanked. A cancelled result (status X, or no value) becomes
a blank line. A corrected result (status C) replaces the earlier result of its test and draw,
with a comment line under it giving the earlier value. Text that has no OBX segment is returned
unchanged.

A FHIR export (a Bundle of Observations, or one Observation, as JSON) is handled the same way:
each Observation with a quantity becomes one row ("Testosterone  17.3 nmol/L  2025-02-11
8.6-29.0"), the rows replace the JSON text, padded to its length, and an Observation entered
in error or cancelled gives none. Rows keep the export's order; the report reader chooses
between dated rows of one test by their dates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

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
    rows: dict[int, str] = {}
    shown: dict[tuple[str, str], int] = {}  # (test code, date) -> the line of its latest result
    for i, line in enumerate(lines):
        match = _SEGMENT.match(line)
        if match is None or match.group("kind") not in _HL7_SEGMENTS:
            continue
        fields = line.split("|")
        if match.group("kind") == "OBR" and len(fields) > 7:
            drawn = _date(fields[7]) or drawn  # the observation time of the results below
        rows[i] = row = _row(fields, drawn) if match.group("kind") == "OBX" else ""
        if not row:
            continue
        key = (fields[3].split("^")[0].strip(), _date(fields[14]) if len(fields) > 14 else drawn)
        earlier = shown.get(key)
        corrected = f"{row}\n  previously reported as {_result(rows.get(earlier, ''))}"
        if _status(fields) == "C" and earlier is not None and len(corrected) <= len(line):
            # A corrected result replaces the one reported for the same test and draw: the old
            # row goes, and a comment under the new one says what it was (asides.corrections).
            # (Where the comment does not fit, both rows stay, and the reader asks which.)
            rows[i], rows[earlier] = corrected, ""
        shown[key] = i
    for i, row in rows.items():
        lines[i] = row[: len(lines[i])].ljust(len(lines[i]))
    return "\n".join(lines)


def _status(fields: list[str]) -> str:
    return fields[11].strip().upper() if len(fields) > 11 else ""


def _result(row: str) -> str:
    """The "value unit" cell of a row written by `_row`."""
    cells = row.split("  ")
    return cells[1] if len(cells) > 1 else ""


def _row(fields: list[str], drawn: str) -> str:
    """One OBX segment as a row, or "" when it holds no result."""

    def field(n: int) -> str:
        return fields[n] if len(fields) > n else ""

    status = _status(fields)
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


_FHIR_START = re.compile(r"[{\[]")
_FHIR_SKIPPED = frozenset({"entered-in-error", "cancelled", "registered"})


def fhir_rows(text: str) -> str:
    """`text` with a FHIR JSON export rewritten as rows (see the module docstring)."""
    if '"resourceType"' not in text:
        return text
    decoder = json.JSONDecoder()
    for match in _FHIR_START.finditer(text):
        start = match.start()
        try:
            data, end = decoder.raw_decode(text, start)
        except (ValueError, RecursionError):
            continue
        rows = [row for obs in _observations(data) if (row := _fhir_row(obs))]
        if not rows:
            return text
        block = "\n".join(rows)
        if len(block) > end - start:
            return text  # cannot happen for real exports: a row is shorter than its JSON
        return text[:start] + block.ljust(end - start) + text[end:]
    return text


def _observations(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """The Observation resources in a decoded FHIR document, in document order."""
    if depth > 12:
        return
    if isinstance(node, list):
        for item in node:
            yield from _observations(item, depth + 1)
    elif isinstance(node, dict):
        if node.get("resourceType") == "Observation":
            yield node
            return
        for key in ("entry", "resource", "contained"):
            if key in node:
                yield from _observations(node[key], depth + 1)


def _fhir_row(obs: dict[str, Any]) -> str:
    """One Observation as a row, or "" when it holds no usable quantity."""
    if str(obs.get("status", "")).lower() in _FHIR_SKIPPED:
        return ""
    quantity = obs.get("valueQuantity")
    if not isinstance(quantity, dict) or not isinstance(quantity.get("value"), int | float):
        return ""
    name = _fhir_name(obs.get("code"))
    if not name:
        return ""
    value = quantity["value"]
    comparator = quantity.get("comparator")
    number = f"{comparator if comparator in ('<', '>', '<=', '>=') else ''}{value}"
    unit = str(quantity.get("unit") or quantity.get("code") or "")
    for old, new in _UCUM:
        unit = unit.replace(old, new)
    when = obs.get("effectiveDateTime") or (obs.get("effectivePeriod") or {}).get("start") or ""
    date = _iso_date(str(when))
    cells = [name, f"{number} {unit}".strip(), date, _fhir_range(obs.get("referenceRange"))]
    return "  ".join(c for c in cells if c)


def _fhir_name(code: Any) -> str:
    if not isinstance(code, dict):
        return ""
    names = [str(code.get("text") or "")]
    codings = code.get("coding")
    if isinstance(codings, list):
        names += [str(c.get("display") or "") for c in codings if isinstance(c, dict)]
    for name in names:
        name = _SPECIMEN.sub("", _PROPERTY.sub("", name)).strip()
        if name:
            return name
    return ""


def _fhir_range(ranges: Any) -> str:
    if not isinstance(ranges, list) or not ranges or not isinstance(ranges[0], dict):
        return ""
    low, high = (ranges[0].get(k) for k in ("low", "high"))
    low_v = low.get("value") if isinstance(low, dict) else None
    high_v = high.get("value") if isinstance(high, dict) else None
    if low_v is not None and high_v is not None:
        return f"{low_v}-{high_v}"
    if high_v is not None:
        return f"<{high_v}"
    if low_v is not None:
        return f">{low_v}"
    return ""


def _iso_date(stamp: str) -> str:
    match = re.match(r"((?:19|20)\d{2})-(\d{2})-(\d{2})", stamp.strip())
    return "-".join(match.groups()) if match else ""
