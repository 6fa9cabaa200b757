"""HL7 v2 messages and FHIR JSON read as report rows (labs/exports.py), written here by hand."""

from __future__ import annotations

import pytest

from assistant.labs import analyse
from assistant.labs.exports import csv_rows, fhir_rows, hl7_rows
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


def test_a_corrected_hl7_result_replaces_the_one_it_corrects_and_says_so() -> None:
    text = (
        "OBR|1|A1|B1|PNL^Panel^L|||20250610080000\n"
        "OBX|1|NM|2243-4^Estradiol [Mass/volume] in Serum^LN||61|pg/mL|8-35|H|||F|||20250610\n"
        "OBX|2|NM|2986-8^Testosterone^LN||402|ng/dL|264-916|N|||F\n"
        "OBR|1|A1|B1|PNL^Panel^L|||20250610080000\n"
        "OBX|1|NM|2243-4^Estradiol [Mass/volume] in Serum^LN||26|pg/mL|8-35|N|||C|||20250610\n"
    )
    assert len(hl7_rows(text)) == len(text)
    report = analyse(text)
    e2 = report.current("e2")
    assert e2 is not None and e2.value == 26
    assert "61" in (e2.note or "")  # the replaced value is named where the number is shown
    assert [r.value for r in report.ratios if r.name == "T/E2"] == [pytest.approx(402 / 26, 0.01)]


def test_a_correction_with_no_room_for_its_comment_keeps_both_results_and_asks() -> None:
    text = "OBX|1|NM|2243-4^E2^LN||61|pg/mL|||||F\nOBX|1|NM|2243-4^E2^LN||26|pg/mL|||||C\n"
    e2 = analyse(text).current("e2")
    assert e2 is None or e2.status != "ok"


FHIR = """Here is the file the hospital app exported:
{"resourceType": "Bundle", "type": "collection", "entry": [
 {"resource": {"resourceType": "Observation", "status": "final",
   "code": {"coding": [{"system": "http://loinc.org", "code": "2986-8",
            "display": "Testosterone [Mass/volume] in Serum or Plasma"}]},
   "effectiveDateTime": "2025-06-02T08:10:00Z",
   "valueQuantity": {"value": 388, "unit": "ng/dL"},
   "referenceRange": [{"low": {"value": 264}, "high": {"value": 916}}]}},
 {"resource": {"resourceType": "Observation", "status": "entered-in-error",
   "code": {"text": "Estradiol"}, "effectiveDateTime": "2025-06-02",
   "valueQuantity": {"value": 95, "unit": "pg/mL"}}},
 {"resource": {"resourceType": "Observation", "status": "final",
   "code": {"text": "Estradiol"}, "effectiveDateTime": "2025-06-02",
   "valueQuantity": {"value": 29, "unit": "pg/mL"}}},
 {"resource": {"resourceType": "Observation", "status": "final",
   "code": {"text": "Testosterone"}, "effectiveDateTime": "2024-11-20",
   "valueQuantity": {"value": 251, "unit": "ng/dL"}}},
 {"resource": {"resourceType": "Observation", "status": "final",
   "code": {"text": "LH"}, "effectiveDateTime": "2025-06-02",
   "valueQuantity": {"value": 3.1, "unit": "IU/L", "code": "[IU]/L"}}}
]}
what is my T/E2?"""


def test_a_fhir_export_is_read_by_dates_and_skips_results_entered_in_error() -> None:
    rows = fhir_rows(FHIR)
    assert len(rows) == len(FHIR) and rows.endswith("what is my T/E2?")
    assert "Testosterone  388 ng/dL  2025-06-02  264-916" in rows
    assert "95" not in rows and "2986-8" not in rows
    report = analyse(FHIR)
    t, e2 = report.current("total_t"), report.current("e2")
    assert t is not None and t.value == 388  # the 2025 draw, though the 2024 one comes later
    assert e2 is not None and e2.value == 29
    assert [r.value for r in report.ratios if r.name == "T/E2"] == [pytest.approx(388 / 29, 0.01)]


def test_a_fhir_censored_quantity_is_a_bound_not_a_value() -> None:
    text = (
        '{"resourceType": "Observation", "status": "final", "code": {"text": "Estradiol"},'
        ' "valueQuantity": {"value": 5, "comparator": "<", "unit": "pg/mL"}}'
    )
    assert fhir_rows(text).strip() == "Estradiol  <5 pg/mL"
    e2 = analyse(text).current("e2")
    assert e2 is None or e2.value is None


def test_json_that_is_not_a_fhir_export_or_is_broken_is_left_alone() -> None:
    for text in (
        '{"resourceType": "Patient", "birthDate": "1988-02-03"}',
        '{"resourceType": "Observation", "valueQuantity": {"value": 388',
        "[" * 5000 + '"resourceType"' + "]" * 5000,
        'T 12 nmol/L {"note": "resourceType"}',
    ):
        assert fhir_rows(text) == text


CSV = (
    "export from my tracker:\n"
    "date,clinic,Total T,TT_unit,E2,E2_unit,LH,sperm_conc_per_ml,notes\n"
    '2025-03-01,A,350,ng/dL,40,pg/mL,3.2,"9,000,000","before, baseline"\n'
    '2025-07-15,B,17.5,nmol/L,90,pmol/L,4.0,"18,500,000",after 4 months\n'
    "2025-05-02,A,420,ng/dL,31,pg/mL,,,\n"
)


def test_a_csv_tracker_is_read_by_its_dates_with_each_rows_own_units() -> None:
    rows = csv_rows(CSV)
    assert len(rows) == len(CSV)
    assert (
        "2025-07-15: Total T 17.5 nmol/L | E2 90 pmol/L | LH 4.0 | sperm conc 18,500,000/mL" in rows
    )
    assert "baseline" not in rows  # free text is left out
    report = analyse(CSV)
    t, e2 = report.current("total_t"), report.current("e2")
    assert t is not None and t.value_as_typed == "17.5"  # the newest row, though not the last
    assert e2 is not None and e2.value_as_typed == "90"
    conc = report.current("concentration")
    assert conc is not None and conc.value == 18.5


def test_text_that_is_not_a_csv_table_is_left_alone() -> None:
    for text in (
        "T 12, E2 30, LH 4, FSH 5, SHBG 30, weight 80, height 180",
        'date,notes\n2025-01-01,"a, b, c, d"\n',
    ):
        assert csv_rows(text) == text


def test_a_fhir_observation_with_components_gives_a_row_for_each() -> None:
    text = (
        '{"resourceType": "Observation", "status": "final", "code": {"text": "Semen analysis"},'
        ' "effectiveDateTime": "2025-08-04", "component": ['
        ' {"code": {"text": "Sperm concentration"}, "valueQuantity": {"value": 9.5,'
        ' "code": "10*6/mL"}},'
        ' {"code": {"text": "Progressive motility"}, "valueQuantity": {"value": 22, "unit": "%"}}'
        "]}"
    )
    rows = fhir_rows(text)
    assert "Sperm concentration  9.5 10^6/mL  2025-08-04" in rows
    report = analyse(text)
    conc, prog = report.current("concentration"), report.current("motility_progressive")
    assert conc is not None and conc.value == 9.5
    assert prog is not None and prog.value == 22
