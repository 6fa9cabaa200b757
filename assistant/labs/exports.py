"""Lab results exported as HL7 v2 messages, FHIR JSON or a tracker's CSV, rewritten in place as
rows the report reader knows.

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
8.6-29.0"), and so does each of its components (a semen analysis as one Observation); the rows
replace the JSON text, padded to its length, and an Observation entered in error or cancelled
gives none. Rows keep the export's order; the report reader chooses between dated rows of one
test by their dates.

A CSV table with a date column and tests as columns (a spreadsheet tracker: "date,TT,TT_unit,
E2,..." and quoted cells such as "21,000,000") becomes one dated line per row, "2024-06-30: TT
486 ng/dL | E2 19.6 pg/mL | ...", each value with the unit its own unit column or its header
gives; free-text columns are left out. When the lines would not fit in the table's place the
text is left as it is.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from typing import Any

from .names import identify

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
        rows = [row for obs in _observations(data) for row in _fhir_rows_of(obs) if row]
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


def _fhir_rows_of(obs: dict[str, Any]) -> list[str]:
    """The Observation's own row, then one per component (a semen analysis reported as one
    Observation with its concentration, motility and morphology as components), each dated
    and filtered as the Observation is."""
    rows = [_fhir_row(obs)]
    components = obs.get("component")
    if isinstance(components, list):
        for part in components:
            if isinstance(part, dict):
                rows.append(_fhir_row({**part, "status": obs.get("status"),
                                       "effectiveDateTime": obs.get("effectiveDateTime"),
                                       "effectivePeriod": obs.get("effectivePeriod")}))  # fmt: skip
    return rows


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


_CSV_DATE_HEADS = frozenset({"date", "datum", "fecha", "data", "drawn", "date drawn"})
# a cheap look at a line before it is parsed as CSV: one of its cells is a date column's head
_CSV_DATE_HEAD = re.compile(
    r'(?i)(?:^|,)\s*"?(?:'
    + "|".join(sorted(_CSV_DATE_HEADS, key=len, reverse=True))
    + r')"?\s*(?:,|$)'
)
_CSV_DATE = re.compile(r"^\s*((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})\s*$")
_UNIT_COLUMN = re.compile(r"^(?P<of>.+?)[ _]*(?:unit|units|einheit|unite|unidad)s?$", re.I)
_UNIT_IN_NAME = (("per_ml", "/mL"), ("per ml", "/mL"), ("_ml", "mL"), ("(ml)", "mL"),
                 ("_pct", "%"), ("(%)", "%"), ("_percent", "%"))  # fmt: skip


def csv_rows(text: str) -> str:
    """`text` with a CSV tracker table rewritten as dated lines (see the module docstring)."""
    if text.count(",") < 6:
        return text
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    for i, line in enumerate(lines):
        if line.count(",") < 3 or not _CSV_DATE_HEAD.search(line):
            continue
        header = next(csv.reader([line]))
        date_col = next((k for k, h in enumerate(header) if h.strip().lower() in _CSV_DATE_HEADS),
                        None)  # fmt: skip
        tests = {k: identify(h.replace("_", " "), True) for k, h in enumerate(header)}
        tests = {k: a for k, a in tests.items() if a not in (None, "other") and k != date_col}
        if date_col is None or len(tests) < 2:
            continue
        end = i + 1
        while end < len(lines) and lines[end].count(",") >= len(header) // 2:
            end += 1
        block = _csv_block(header, date_col, tests, lines[i + 1 : end])
        if block is None:
            return text
        start, stop = starts[i], starts[end - 1] + len(lines[end - 1])
        if len(block) > stop - start:
            return text
        return text[:start] + block.ljust(stop - start) + text[stop:]
    return text


def _csv_block(
    header: list[str], date_col: int, tests: dict[int, str], rows: list[str]
) -> str | None:
    units = {}
    for k, h in enumerate(header):
        m = _UNIT_COLUMN.match(h.strip())
        if m is not None:
            of = next((j for j, g in enumerate(header) if g.strip() == m.group("of").strip()), None)
            if of is None and k > 0:
                of = k - 1  # "Total T,TT_unit": a unit column follows its value column
            units[of] = k
    out = []
    for raw in rows:
        try:
            cells = next(csv.reader([raw]))
        except (csv.Error, StopIteration):
            return None
        date = _CSV_DATE.match(cells[date_col]) if date_col < len(cells) else None
        if date is None:
            continue
        y, mo, d = date.groups()
        parts = []
        for k in tests:
            value = cells[k].strip() if k < len(cells) else ""
            if not value or not re.search(r"[0-9]", value):
                continue
            name = header[k].strip()
            unit = cells[units[k]].strip() if k in units and units[k] < len(cells) else ""
            for written, meant in _UNIT_IN_NAME:
                if not unit and name.lower().endswith(written):
                    name, unit = name[: -len(written)], meant
            name = name.replace("_", " ").strip()
            joined = f"{value}{unit}" if unit.startswith("/") or unit == "%" else f"{value} {unit}"
            parts.append(f"{name} {joined.strip()}")
        if parts:
            out.append(f"{y}-{int(mo):02d}-{int(d):02d}: " + " | ".join(parts))
    return "\n".join(out) if out else None
