"""HL7 v2 result messages read as report rows (labs/exports.py), written here by hand."""

from __future__ import annotations

from assistant.labs import analyse
from assistant.labs.exports import hl7_rows
from assistant.labs.names import identify

MESSAGE = (
    "Raw results from my portal, newest first:\n"
    "MSH|^~\\&|LIS|WESTLAB|EHR|CLINIC|20250302101500||ORU^R01|M1|P|2.5.1\n"
    "PID|1||99812^^^WL^MR||ROE^SAM||19851130|M\n"
    "OBR|1|O1|L1|HORM^Hormones^L|||20250301083000\n"
    "OBX|1|NM|2986-8^Testosterone [Mass/volume] in Serum or Plasma^LN||512|ng/dL|264-916|N|||F|||"
    "20250301083000\n"
    "OBX|2|SN|2243-4^Estradiol [Mass/volume] in Serum or Plasma^LN||<^5.0|pg/mL|8-35|L|||F\n"
    "OBX|3|NM|10501-5^Lutropin [Units/volume] in Serum or Plasma^LN||4.4|m[IU]/mL|1.7-8.6|N|||F\n"
    "NTE|1|L|Previously reported as 9.9 pg/mL.\n"
    "MSH|^~\\&|LIS|WESTLAB|EHR|CLINIC|20240902101500||ORU^R01|M0|P|2.5.1\n"
    "OBR|1|O0|L0|HORM^Hormones^L|||20240901083000\n"
    "OBX|1|NM|2986-8^Testosterone [Mass/volume] in Serum or Plasma^LN||301|ng/dL|264-916|N|||F\n"
)


def test_segments_become_rows_of_the_same_length() -> None:
    rows = hl7_rows(MESSAGE)
    assert len(rows) == len(MESSAGE)
    assert [len(x) for x in rows.split("\n")] == [len(x) for x in MESSAGE.split("\n")]
    lines = [x.strip() for x in rows.split("\n")]
    assert "Testosterone  512 ng/dL  2025-03-01  264-916  N" in lines
    assert "Estradiol  <5.0 pg/mL  2025-03-01  8-35  L" in lines  # OBR-7 dates the segment
    assert "19851130" not in rows and "2986-8" not in rows and "9.9" not in rows


def test_text_without_result_segments_is_unchanged() -> None:
    text = "MSH is a header word; T 9.4 nmol/L|E2 118 pmol/L"
    assert hl7_rows(text) == text


def test_an_hl7_export_is_read_by_its_dates_not_its_order() -> None:
    report = analyse(MESSAGE)
    t = report.current("total_t")
    assert t is not None and t.value == 512  # the newer draw, though the older comes last
    lh = report.current("lh")
    assert lh is not None and lh.value == 4.4  # "m[IU]/mL" is mIU/mL
    e2 = report.current("e2")
    assert e2 is None or e2.value is None  # "<5.0" is a bound, not a value
    assert not any(r.name == "T/E2" for r in report.ratios)


def test_a_cancelled_result_is_no_row() -> None:
    text = "OBX|1|NM|2986-8^Testosterone^LN||512|ng/dL|264-916|N|||X\n"
    assert hl7_rows(text).strip() == ""


def test_loinc_bioavailable_testosterone_is_not_free_testosterone() -> None:
    assert identify("Testosterone.free+weakly bound", False) == "bioavailable_t"


def test_broken_segments_give_no_number_and_no_exception() -> None:
    broken = "OBX|\nOBX|1|NM\nOBX|2|NM|^^||\nOBX|3|SN|2243-4^Estradiol^LN||<^|pg/mL\nOBR|1|||\n"
    rows = hl7_rows(broken)
    assert len(rows) == len(broken) and not any(ch.isdigit() for ch in rows)
    report = analyse(broken)
    assert not [m for m in report.measurements if m.value is not None]
