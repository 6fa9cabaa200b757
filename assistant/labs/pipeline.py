"""Parse, normalise, derive and group: the work behind `analyse` and `analyse_turns`.

One message is read in stages (`_read_turn`): parts about someone else and struck-through values
are set aside (asides.py); a report is read row by row (rows.py) and the rest as prose
(parse.py); WHO grades become progressive and total motility (`_combine_grades`); a corrected
value says what it replaces (`_corrected`); an LH/FSH pair with its unit printed once shares it
(`_shared_units`). Then the value in force of each analyte is chosen (`_in_force`), read in its
unit (units.py) and used for ratios, semen figures and the article's groups.

Conversation rule: every turn is parsed on its own; for each analyte the last value typed (last
turn, then last position) is the one in force, even when it cannot be used (a later "T 3000
nmol/L" is rejected rather than silently falling back to the earlier value). Unit inference sees the
whole conversation. Issues of replaced values are dropped, except rejections when the value in
force is not usable either.

Only the last MAX_LISTED (10) mentions of each analyte are kept in `measurements`, and at most
ten "no test name" issues per message: a pasted report repeated many times gives the same result
in bounded space. Texts longer than MAX_CHARS (200,000 characters, four times the 50,000 the
package is benchmarked on) are cut there, and the report says so with a "truncated" issue.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from . import groups as grp
from . import ratios, semen
from .asides import (
    SENTENCE_END,
    Correction,
    corrections,
    others,
    phone_numbers,
    prepared_sections,
    struck_out,
)
from .exports import csv_rows, fhir_rows, hl7_rows
from .names import identify, normalise
from .parse import UNASSESSED, Mention, NoValue, Orphan, blanked, parse, to_float
from .rows import (
    damaged,
    day_first_convention,
    earlier_draw,
    numbered_label,
    opening_date,
    opening_number,
    read_report,
    tokens,
)
from .types import Derived, Issue, Label, LabReport, Measurement, Ratio
from .unit_table import canonical_unit, latinise_units, scan_pattern
from .units import (
    HORMONE_UNITS,
    SPECS,
    Reading,
    analyte_label,
    bare_candidates,
    convertible,
    fmt,
    lower_label,
    read_value,
)

MAX_CHARS = 200_000
MAX_LISTED = 10  # per analyte: only the last ten mentions are listed (a report pasted twice...)

_HINTED = {"total_t": "hormone", "e2": "hormone", "free_t": "hormone", "weight": "body",
           "height": "body"}  # fmt: skip
# Free T takes the system of the other hormones but gives none: pg/mL is its usual unit in SI
# countries too.
_HINT_GIVERS = frozenset({"total_t", "e2", "weight", "height"})
_ABNORMAL = ("high", "elevated", "raised", "low", "borderline", "abnormal", "off")
_NORMAL = ("normal", "ok", "okay", "fine")
_FAMILY = {
    "sperm_count": ("sperm_count", "concentration", "total_count"),
    "te2_ratio": ("te2_ratio", "total_t", "e2"),
    "tlh_ratio": ("tlh_ratio", "total_t", "lh"),
    "motility_total": ("motility_total", "motility_progressive"),
    "semen_volume": ("semen_volume",),
}
_EXAMPLE_UNITS = {
    "total_t": "ng/dL or nmol/L", "e2": "pg/mL or pmol/L", "lh": "IU/L", "fsh": "IU/L",
    "shbg": "nmol/L", "free_t": "pg/mL or pmol/L", "bmi": "kg/m²", "weight": "kg or lb",
    "height": "cm or ft/in", "concentration": "million/mL", "semen_volume": "mL",
}  # fmt: skip


@dataclass(frozen=True)
class _Item:
    turn: int
    order: int
    mention: Mention
    note: str = ""


_PER_ML = frozenset({"M/mL", "/mL", "G/L"})
_PER_EJACULATE = frozenset({"M", "m", "count"})
_EJACULATE = re.compile(r"ejac|éjac|eyac|ejak", re.IGNORECASE)  # "million per ejaculate"


def _prepare(m: Mention) -> tuple[Mention, str]:
    """Unit fixes that depend on the analyte: raw sperm numbers, a count of 0, and counts whose
    unit says what they are ("Total sperm count 28 million/ml" is a concentration)."""
    note = m.note
    if m.analyte == "sperm_count" and m.number == 0 and m.number2 is None:
        return _replace(m, analyte="concentration", unit_key="M/mL"), note
    if m.analyte in ("sperm_count", "total_count") and m.unit_key in _PER_ML:
        if m.analyte == "total_count":
            note = _join(note, "labelled a total count but given per mL, so read as concentration")
        return _replace(m, analyte="concentration"), note
    # "Numération par éjaculat 23,8 millions", "45 million/ejaculate"; a bare "sperm count 8 mil"
    # could be either, and is asked
    per_ejaculate = any(_EJACULATE.search(t or "") for t in (m.unit_text, m.name_text))
    if m.analyte == "sperm_count" and m.unit_key in _PER_EJACULATE and per_ejaculate:
        return _replace(m, analyte="total_count"), note  # "45 M" in prose is asked
    if m.analyte == "concentration" and m.unit_key is None and m.number >= 1000:
        return _replace(m, unit_key="/mL"), _join(note, "read as sperm per mL")
    if (
        m.analyte in ("total_count", "tmc_reported", "tpmc_reported")
        and m.unit_key is None
        and m.number >= 100_000
    ):
        return _replace(m, unit_key="count"), _join(note, "read as a number of sperm")
    return m, note


def _replace(m: Mention, **kw: object) -> Mention:
    return replace(m, **kw)  # type: ignore[arg-type]


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _measurement(item: _Item, reading: Reading | None, current: bool, note: str) -> Measurement:
    m = item.mention
    if m.analyte == "sperm_count":
        return Measurement(
            "sperm_count", "Sperm count (unclear which)", m.value_text, m.unit_text, m.span, None,
            "M/mL", "ambiguous", _join(note, "concentration or total count?"), "none", item.turn,
            m.name_text, m.unit_key, current=current,
        )  # fmt: skip
    spec = SPECS[m.analyte]
    if m.bound is not None:
        return Measurement(
            m.analyte, spec.label, m.value_text, m.unit_text, m.span, None, spec.unit, "bound",
            _join(note, f"given as a bound ({_as_bound(m)}), not a value"),
            "typed" if m.unit_key else "none", item.turn, m.name_text, m.unit_key,
            current=current,
        )  # fmt: skip
    assert reading is not None
    assumptions = []
    if reading.unit_source in ("inferred", "assumed") and reading.unit_key:
        assumptions.append(f"read as {reading.unit_key}")
    if reading.low is not None:
        assumptions.append("midpoint of the range used")
    assumptions.extend(p for p in note.split("; ") if p)
    status = reading.status
    if status == "ok" and assumptions:
        status = "noted"  # usable, with the assumption stated beside it
    return Measurement(
        m.analyte,
        spec.label,
        m.value_text,
        m.unit_text,
        m.span,
        reading.value,
        spec.unit,
        status,  # type: ignore[arg-type]
        _join(note, *reading.notes, reading.message or ""),
        reading.unit_source,  # type: ignore[arg-type]
        item.turn,
        m.name_text,
        reading.unit_key,
        reading.low,
        reading.high,
        current,
        tuple(assumptions),
    )


def _as_bound(m: Mention) -> str:
    """A bound as typed: "< 5" (prose keeps the comparator apart), "<0.3" (a report cell)."""
    bound = (m.bound or "").strip()
    return m.value_text if m.value_text.startswith(bound) else f"{bound} {m.value_text}"


def _read(item: _Item, hint: str | None) -> Reading | None:
    m = item.mention
    if m.analyte == "sperm_count" or m.bound is not None:
        return None
    return read_value(m.analyte, m.number, m.value_text, m.unit_key, number2=m.number2, hint=hint)


def _own_unit(item: _Item, reading: Reading, items: list[_Item]) -> Reading:
    """A newest value typed without a unit ("T was 9.4 nmol last year, now 15"), read in the
    unit system of the same test's earlier value when that one was typed with a unit and the
    newest is plausible in it; else `reading` (ambiguous) as it was."""
    a = item.mention.analyte
    spec = SPECS.get(a)
    earlier = [
        it for it in items
        if it.mention.analyte == a and it is not item and it.mention.unit_key is not None
        and spec is not None and spec.systems.get(it.mention.unit_key)
    ]  # fmt: skip
    systems = {spec.systems[it.mention.unit_key] for it in earlier} if spec else set()
    if len(systems) != 1:
        return reading
    again = _read(item, next(iter(systems)))
    if again is None or again.issue_kind == "ambiguous_unit" or again.value is None:
        return reading
    before = earlier[-1].mention
    said = (
        f"your earlier {analyte_label(a)} ({before.value_text} {before.unit_text or ''}".rstrip()
        + ")"
    )
    notes = tuple(n.replace("your other values were", f"{said} was") for n in again.notes)
    return replace(again, notes=notes)


def _unit_given_elsewhere(item: _Item, items: list[_Item]) -> Reading | None:
    """A value typed without a unit that the text also gives, the same number for the same test,
    with one ("Testosterone, Total  8.2 nmol/L" above a past-results table's "8.2"): read in
    that unit. None when no such twin, or twins with different units."""
    m = item.mention
    units = {
        it.mention.unit_key for it in items
        if it is not item and it.mention.analyte == m.analyte and it.mention.unit_key is not None
        and it.mention.number == m.number
    }  # fmt: skip
    return _read_in_the_one(item, units, "the same value is given in {unit} elsewhere in the text")


def _read_in_the_one(item: _Item, units: set[str | None], note: str) -> Reading | None:
    """The item read in the one unit of `units`, with `note` ("{unit}" filled in); None when
    `units` holds another number of units or that reading gives no clean value."""
    if len(units) != 1 or (unit := next(iter(units))) is None:
        return None
    again = _read_in(item, unit)
    if again is None:
        return None
    return replace(again, notes=(*again.notes, note.format(unit=unit)))


_CORRECTED_LATER = "corrected later in the message"


def _unit_of_corrected(item: _Item, items: list[_Item]) -> Reading | None:
    """A correction typed without a unit ("your testosterone is 12.4 not 14.2", after "14.2
    nmol/L"): read in the unit of the value it corrects, when that had one."""
    if "corrects " not in item.note:
        return None
    units = {
        it.mention.unit_key for it in items
        if it.mention.analyte == item.mention.analyte and it.order < item.order
        and _CORRECTED_LATER in it.note and it.mention.unit_key is not None
    }  # fmt: skip
    return _read_in_the_one(item, units, "in {unit}, the unit of the value it corrects")


def _line_at(text: str, start: int, end: int) -> str:
    """The whole line of `text` that holds `text[start:end]`."""
    stop = text.find("\n", end)
    return text[text.rfind("\n", 0, start) + 1 : stop if stop != -1 else len(text)]


def _read_in(item: _Item, unit: str) -> Reading | None:
    """The item read as if typed with `unit`; None when that gives no clean value."""
    again = _read(replace(item, mention=replace(item.mention, unit_key=unit)), None)
    if again is None or again.value is None or again.issue_kind is not None:
        return None
    return again


# Words that may stand between a test's name and the unit said for it ("T was nmol/L", "FSH and
# LH IU/L"): anything else (a hedge, "I think") and the unit is not taken as said.
_UNIT_FILLER = frozenset(
    [
        "was",
        "were",
        "is",
        "are",
        "in",
        "both",
        "all",
        "and",
        "the",
        "came",
        "back",
        "at",
        "units",
        "unit",
        "them",
        "they",
        "it",
        "reported",
        "given",
        "measured",
        "also",
        "too",
        "as",
    ]
)


def _unit_stated(item: _Item, texts: Sequence[str]) -> Reading | None:
    """A value typed without a unit whose unit the writer states on its own ("T 14.1" and later
    "T was nmol/L she said"): read in that unit. None when no such statement, or several."""
    m = item.mention
    if not 0 <= item.turn < len(texts):
        return None
    low = texts[item.turn].lower()
    said = set()
    for tok in tokens(low, 0, False):
        key = canonical_unit(tok.text) if tok.kind == "unit" else "other"
        if key == "other" or not convertible(m.analyte, key):
            continue
        line = _line_at(low, tok.start, tok.end)
        if "\t" in line or "  " in line or low[: tok.start].rstrip().endswith(("(", "[")):
            continue  # a table's header ("E2 (pg/mL)"): its rows may say otherwise
        before = re.split(r"[.;:!?\n]", low[max(0, tok.start - 40) : tok.start])[-1]
        words = re.findall(r"[^\W_][\w/+]*", before)
        while words and words[-1] in _UNIT_FILLER:
            words.pop()
        names = set()
        while words and (analyte := identify(words[-1])) in SPECS:
            names.add(analyte)
            words.pop()
            while words and words[-1] in ("and", "&", "+"):
                words.pop()
        if m.analyte in names:
            said.add(key)
    if len(said) != 1:
        return None
    unit = next(iter(said))
    again = _read_in(item, unit)
    if again is None:
        return None
    return replace(
        again,
        unit_source="inferred",
        notes=(*again.notes, f"the unit {unit} is said for it elsewhere in the text"),
    )


def _hints(readings: dict[str, Reading | None]) -> dict[str, str | None]:
    systems: dict[str, set[str]] = {"hormone": set(), "body": set()}
    for analyte, r in readings.items():
        kind = _HINTED.get(analyte) if analyte in _HINT_GIVERS else None
        if kind is None or r is None or r.value is None or r.unit_key is None:
            continue
        if r.unit_source in ("typed", "inferred"):
            system = SPECS[analyte].systems.get(r.unit_key)
            if system:
                systems[kind].add(system)
    return {k: next(iter(v)) if len(v) == 1 else None for k, v in systems.items()}


def _issue_for(meas: Measurement, reading: Reading | None, mention: Mention) -> Issue | None:
    if meas.analyte == "sperm_count":
        amount = f"{mention.value_text} {mention.unit_text or ''}".strip()
        return Issue(
            "ambiguous_analyte",
            f"Sperm count {amount} is unclear: it could be the concentration (per mL) or the "
            "total in the whole sample.",
            f"Was {amount} your sperm concentration (million per mL) or the total count?",
            "sperm_count", meas.span, meas.turn,
        )  # fmt: skip
    if meas.status == "bound":
        return Issue(
            "bound",
            f"{meas.label} was given as \"{_as_bound(mention)}\", a limit rather than a value, "
            "so it is not used in the calculations.",
            f"If you have the exact {lower_label(SPECS[meas.analyte])} result, what was it?",
            meas.analyte, meas.span, meas.turn,
        )  # fmt: skip
    if reading is not None and reading.issue_kind is not None:
        return Issue(
            reading.issue_kind,
            reading.message or "",
            reading.question,
            meas.analyte,
            meas.span,
            meas.turn,
        )
    return None


def _novalue_issue(nv: NoValue, turn: int) -> Issue | None:
    if nv.qualifier and _UNASSESSED.fullmatch(nv.qualifier.lower()) and nv.analyte in SPECS:
        label = lower_label(SPECS[nv.analyte])
        return Issue(
            "no_value",
            f"Your text says your {label} could not be assessed (“{nv.qualifier}”), so there is "
            "no result to check.",
            f"If a later analysis gave a {label} result, what was it?",
            nv.analyte,
            nv.span,
            turn,
        )
    qual = (nv.qualifier or "").lower().split()[-1:] or [""]
    word = qual[0]
    abnormal = word in _ABNORMAL
    if word in _NORMAL or not (
        nv.whole
        or (nv.owned and (abnormal or nv.prompted))
        or (nv.statement and nv.prompted and abnormal)
    ):
        return None
    label = "sperm count" if nv.analyte == "sperm_count" else lower_label(SPECS[nv.analyte])
    units = _EXAMPLE_UNITS.get(nv.analyte)
    ask = f"What was the {label} result" + (f", with its unit ({units})?" if units else "?")
    if nv.analyte in ("te2_ratio", "tlh_ratio"):
        ask = "What were your testosterone and " + (
            "estradiol results (with units)?" if nv.analyte == "te2_ratio" else "LH results?"
        )
    said = (
        f"described your {label} as {nv.qualifier}" if word in _ABNORMAL else f"mentioned {label}"
    )
    return Issue(
        "no_value",
        f"You {said} but gave no number, so it cannot be checked against the article's cut-offs.",
        ask,
        nv.analyte,
        nv.span,
        turn,
    )


_UNASSESSED = re.compile(UNASSESSED)
_SHARES_OF_SPERM = ("motility_total", "motility_progressive", "motility_nonprogressive",
                    "motility_immotile", "morphology")  # fmt: skip
_FEW_SPERM = "counted on very few sperm (under 1 million/mL): a share of a handful of cells"
_BARE_MOTILITY = re.compile(
    r"(?:sperm )?(?:motility|motile|mot|motilita|motilitat|mobilite|mobilita|motilidad|motilidade|"
    r"motiliteit|beweeglijkheid)"
)
_BARE_MOTILITY_NOTE = "the text does not say whether this is total or progressive motility"
_OLDER_ASIDE = "(older) set aside"


def _across_draws(
    ratio: Ratio | None, t: Measurement | None, other: Measurement | None
) -> Ratio | None:
    """A ratio whose two results come from different draws of a dated table (one of them is the
    latest result of a test a later draw left out) says so, and is not "ok". (A ratio the table
    states for an earlier draw only is not used as the current one at all.)"""
    if ratio is None or ratio.source != "computed" or t is None or other is None:
        return ratio
    mine, theirs = earlier_draw(t.note), earlier_draw(other.note)
    if mine == theirs:
        return ratio  # the same draw (or no dated table)
    older, when = (other, theirs) if theirs is not None else (t, mine)
    label = analyte_label(older.analyte)
    note = f"{label} is from an earlier draw ({when}): the two were not measured together"
    return replace(ratio, notes=(*ratio.notes, note), status=ratios.weakest(ratio.status, "noted"))


# Weight and BMI change: a figure recorded a year or more before the newest dated result in
# the same text (an old health-record entry pasted beside this month's labs) is asked about.
_BODY_MEASURES = ("weight", "bmi")
_STALE_MONTHS = 12


def _months(when: str | None) -> int | None:
    """Months since year 0 of a yyyy-mm-dd date key (None when unknown or partial)."""
    found = re.match(r"([0-9]{4})-([0-9]{2})", when or "")
    return int(found[1]) * 12 + int(found[2]) if found else None


# "I've lost about 8kg since that BMI reading": a weight or BMI recorded before is not his now.
_WEIGHT_CHANGED = re.compile(
    r"\b(?:lost|gained|put on|dropped|shed|gone (?:down|up)|went (?:down|up))\b[^.!?\n]{0,20}?"
    r"\b[0-9]+(?:[.,][0-9]+)?\s?(?:kg|kgs|kilos?|lbs?|pounds?|st|stone)\b",
    re.IGNORECASE,
)
_NOW = re.compile(r"\b(?:now|currently|today|these days|at the moment)\b", re.IGNORECASE)


def _weighed_now(texts: Sequence[str], it: _Item) -> bool:
    """Whether a weight or BMI is given as today's ("I'm 95 kg now")."""
    if not 0 <= it.turn < len(texts):
        return False
    return _NOW.search(_line_at(texts[it.turn], *it.mention.span)) is not None


# "FT not run", "FSH still pending", "morph wasn't reported on the last SA": the writer says the
# latest draw left a test out (its latest figure, from an earlier draw, is then not assumed).
_NOT_DONE = re.compile(
    r"\b(?:(?:was|were|is|are|got|has been|have been)\s*)?(?:not|n'?t|never)\s+(?:been\s+)?"
    r"(?:run|done|reported|measured|tested|included|back|drawn|checked|performed|given)\b"
    r"|\b(?:still\s+)?[\"“']?pending\b|\bmissing\b",
    re.IGNORECASE,
)
_NAME_WORDS = re.compile(r"[^\W\d_][\w/+-]*")


def _said_not_done(texts: Sequence[str]) -> list[str]:
    """The tests the writer says the latest draw left out: those named in the words before
    "not run", "pending", "not performed" ("SHBG, cFT and prolactin not performed"), in the
    order the text names them (the questions asked follow it)."""
    out: dict[str, None] = {}
    for text in texts:
        for m in _NOT_DONE.finditer(text):
            clause = re.split(r"[.;:!?\n]|\bbut\b", text[max(0, m.start() - 80) : m.start()])[-1]
            words = _NAME_WORDS.findall(clause)[-8:]
            for k in range(len(words)):
                analyte = identify(words[k]) or identify(" ".join(words[k : k + 2]))
                if analyte in SPECS:
                    out[analyte] = None
    return list(out)


def _stale_body_measures(
    cur: dict[str, Measurement], latest: dict[str, _Item]
) -> list[tuple[str, Issue]]:
    """(analyte, question) for each weight or BMI recorded `_STALE_MONTHS` or more before the
    newest dated value of the text."""
    dated = [m for it in latest.values() if (m := _months(it.mention.when)) is not None]
    if not dated:
        return []
    newest = max(dated)
    out = []
    for analyte in _BODY_MEASURES:
        m, it = cur.get(analyte), latest.get(analyte)
        month = _months(it.mention.when) if it is not None else None
        if m is None or it is None or not m.usable or month is None:
            continue
        if newest - month >= _STALE_MONTHS:
            shown = f"{m.value_as_typed} {m.unit_as_typed or ''}".strip()
            label, on = analyte_label(analyte), (it.mention.when or "").removesuffix("-00")
            out.append((analyte, Issue(
                "stale_value",
                f"{label[0].upper()}{label[1:]} {shown} was recorded on {on}, more than a year "
                "before the other results in your text, so it was not used.",
                f"What is your {label} now?",
                analyte, m.span, m.turn,
            )))  # fmt: skip
    return out


def _upper_bound(
    analyte: str, m: Measurement | None, items: list[_Item], latest: dict[str, _Item]
) -> float | None:
    """The number of a value typed as an upper bound ("<5", "< 1.0 million/mL"), in the
    analyte's canonical unit; else None."""
    if m is None or m.status != "bound" or analyte not in latest:
        return None
    mention = latest[analyte].mention
    bound = (mention.bound or "").lower()
    if not (bound.startswith(("<", "≤", "⩽", "=<", "less", "below", "under", "lower", "inferior",
                              "inférieur", "inferieur", "menor", "menos", "kleiner", "unter",
                              "minore", "abaixo", "lager"))):  # fmt: skip
        return None
    r = read_value(analyte, mention.number, mention.value_text, mention.unit_key)
    if r.value is not None:
        return r.value
    if analyte == "e2" and mention.unit_key is None and mention.number <= 10:
        return mention.number  # "<5" with no unit: below 5 in either unit is below 10 pg/mL
    return None


def analyse_turns(texts: Sequence[str]) -> LabReport:
    """Analyse a conversation: later turns replace earlier values of the same analyte."""
    try:
        return _analyse([t if isinstance(t, str) else "" for t in texts])
    except Exception as exc:  # pragma: no cover - a bug; the tests assert this never happens
        return LabReport(
            issues=(
                Issue(
                    "internal_error", f"The lab values could not be read ({type(exc).__name__})."
                ),
            )
        )


def analyse(text: str) -> LabReport:
    """Analyse one message."""
    return analyse_turns([text])


_UNIT_REPLY = re.compile(
    r"\W{0,5}(?:(?:sorry|oh|oops|yes|yeah|it|that|was|is|it's|in|the|unit|units|were|they)"
    r"[\s,:]{1,3}){0,4}(?P<unit>[a-zµμ/ ]{2,14})\W{0,5}",
    re.IGNORECASE,
)


def _unit_reply(text: str) -> str | None:
    """The unit of a reply that is only a unit ("pg/mL", "it was nmol/L"), else None."""
    if len(text) > 60:
        return None
    m = _UNIT_REPLY.fullmatch(text.strip())
    if m is None:
        return None
    key = canonical_unit(m.group("unit"))
    return key if key in HORMONE_UNITS else None


def _clarified(
    latest: dict[str, _Item], unit: str, number: float | None, turn: int, pos: int
) -> list[_Item]:
    """Earlier bare values that a later "40 pg/mL" or "pg/mL" gives the unit of."""
    out = []
    for it in latest.values():
        m = it.mention
        if m.unit_key is not None or m.bound is not None or m.analyte not in SPECS:
            continue
        if unit not in SPECS[m.analyte].factors or len(SPECS[m.analyte].bare) < 2:
            continue
        if number is not None and number != m.number:
            continue
        mention = _replace(m, unit_key=unit, unit_text=unit, note="unit given in a later message")
        out.append(_Item(turn, pos, mention, mention.note))
    return out


# The writer says the order of the results is not known: "I don't remember which was before",
# "not sure which one is newer", "the copies have no dates".
_ORDER_UNKNOWN = re.compile(
    r"\b(?:don'?t|do not|can'?t|cannot|not sure|no idea|unsure|forgot|forget)\b[^.?!\n]{0,40}?"
    r"\bwhich\b[^.?!\n]{0,40}?\b(?:first|before|after|newer|newest|older|oldest|latest|recent|"
    r"earlier|later|came)\b|\b(?:have|has|had|with|there are|there's) no dates?\b|\bno dates? on\b|"
    r"\bwithout dates?\b|\bundated\b|\bnot dated\b",
    re.IGNORECASE,
)


def _unordered_repeats(items: list[_Item]) -> list[_Item]:
    """Values of an analyte given more than once, in a message saying their order is unknown:
    none is taken as the current one (so differing ones are asked about)."""
    seen: dict[str, int] = {}
    for it in items:
        seen[it.mention.analyte] = seen.get(it.mention.analyte, 0) + 1
    return [
        replace(it, mention=replace(it.mention, role="unordered"))
        if seen[it.mention.analyte] > 1 and it.mention.role in ("current", "older") else it
        for it in items
    ]  # fmt: skip


def _read_turn(text: str, turn: int) -> tuple[list[_Item], object, list[Issue]]:
    """The values of one message: a lab report is read row by row (rows.py), the rest of the
    text, and any message that is not a report, by the prose reader (parse.py). Parts about
    someone else (asides.py: a reply by another user, a partner's or a brother's results) and
    struck-through values are set aside first, and the report says so. Cyrillic units are
    written in Latin letters first, at the same positions, and shown as typed."""
    # an HL7, FHIR or CSV export: its results as rows, in place
    text = csv_rows(fhir_rows(hl7_rows(text)))
    typed, text = text, latinise_units(text)
    asides = others(text)
    prepared = [p for p in prepared_sections(text) if not any(
        a.start <= p.start < a.end for a in asides)]  # fmt: skip
    struck = struck_out(text)
    phones = phone_numbers(text)  # a clinic's "T (613) 555-0199" is no testosterone
    set_aside = [
        Issue("other_person", f"Numbers in {a.what} (“{_quoted(text[a.start : a.end])}”) were "
              "not read as yours.", turn=turn)
        for a in asides
    ] + [
        Issue("prepared_sample", f"Numbers in {p.what} (“{_quoted(text[p.start : p.end])}”) were "
              "not read as your semen analysis.", turn=turn)
        for p in prepared
    ]  # fmt: skip
    asides = sorted([*asides, *prepared], key=lambda a: a.start)
    if asides or struck or phones:
        text = blanked(text, [(a.start, a.end) for a in (*asides, *struck, *phones)])
    report = read_report(text)
    is_report = report.is_report
    parsed = parse(blanked(text, report.consumed) if is_report else text)
    has_values = any(m.bound is None for m in parsed.mentions) or is_report
    row_items = [_Item(turn, m.span[0], *_prepare(m)) for m in report.mentions] if is_report else []
    rows = {it.mention.analyte for it in row_items}
    row_items = _combine_grades(_motile_rows(_first_assessment(row_items, text)))
    rows |= {it.mention.analyte for it in row_items}
    # A row the report reader asks about is not answered by a mention in the prose around it
    # (a remark quoting an earlier analysis, a footnote): the question stands.
    rows |= {i.analyte for i in report.issues if is_report and i.analyte is not None}
    items: list[_Item] = list(row_items)
    by_row = _distinct_row_values(row_items)
    by_number = {(it.mention.analyte, it.mention.number): it for it in row_items}
    for mention in parsed.mentions:
        value_end = mention.span[0] + len(mention.value_text)
        if damaged(text, mention.span[0], value_end):  # "4_ %", "▒8": a digit lost in a scan
            analyte = mention.analyte if mention.analyte in SPECS else None
            label = analyte_label(analyte) if analyte is not None else "this test"
            set_aside.append(Issue(
                "unreadable", f"The {label} value “{mention.value_text}” has a digit missing "
                "or misread, so it was not used.", f"What is your {label} result, with its unit?",
                analyte, mention.span, turn))  # fmt: skip
            continue
        restated = _restated_row(mention, by_number)
        if restated is not None:
            said = _quoted(text[mention.span[0] : mention.span[1]])
            set_aside.append(Issue("restated", _restated_message(said, restated.mention), None,
                                   mention.analyte, mention.span, turn))  # fmt: skip
            continue
        if mention.analyte in rows:
            # A comment or footnote repeating (or bounding) a value the rows give adds nothing;
            # a different value for it (a row the report reader could not take apart) makes
            # the analyte unclear, so both are kept and asked about.
            if mention.bound is not None or not _differs_from_rows(mention, by_row):
                continue
            mention = replace(mention, role="unordered")
        if mention.bound is not None and not (mention.personal or has_values):
            continue  # "BMI ≥25", "ratio of 100 or greater": the article's thresholds
        prepared, note = _prepare(mention)
        items.append(_Item(turn, mention.span[0], prepared, note))
    issues = [replace(i, turn=turn) for i in report.issues] if is_report else []
    items = _numbered_prose(_dated_prose(items, text), text)
    items = _first_assessment(sorted(items, key=lambda it: it.order), text)
    items = _count_by_product(_total_from_parts(_combine_grades(_motile_rows(items))))
    items = _shared_units(_corrected(items, corrections(text, struck)), text)
    items = _prose_corrections(items, text)
    if _ORDER_UNKNOWN.search(text):
        items = _unordered_repeats(items)
    items, doubts = _doubted(items, text, turn)
    items = _unit_unknown(_approximate(items, text), text)
    if typed != text:
        items = [_as_typed(it, typed, text) for it in items]
    return items, parsed, set_aside + issues + doubts


# A sentence that corrects a value given before it: "small correction: Estradiol is 39 pg/ml
# (not 29), typing mistake", "FSH should read 4.1".
_CORRECTION = re.compile(
    r"\b(?:correct(?:ion|ed)|amended|revised|typo|typing (?:mistake|error)|misprint|mistyped|"
    r"should (?:read|be|have been)|is actually|was actually|(?:not|instead of) [0-9]|korrektur|"
    r"korrigiert|correcci[oó]n|corre[cç][aã]o|correzione|correctie|rectificaci[oó]n)",
    re.IGNORECASE,
)


# a cheap test before the pattern (a 50,000-character paste is searched in a few ms otherwise)
_CORRECTION_WORDS = ("correc", "amend", "revis", "typo", "typing", "misprint", "mistyped",
                     "should", "actually", "not ", "instead of", "korr", "rectific")  # fmt: skip


def _prose_corrections(items: list[_Item], text: str) -> list[_Item]:
    """A value typed in a sentence that corrects an earlier one of the same test (`_CORRECTION`)
    is the current one; the earlier values are older, and both say so."""
    low = text.lower()
    if not any(w in low for w in _CORRECTION_WORDS) or not _CORRECTION.search(text):
        return items  # the usual message: no sentence to look for
    ends = [b.end() for b in SENTENCE_END.finditer(text)]
    out = list(items)
    for k, it in enumerate(out):
        m = it.mention
        if m.source != "prose" or m.bound is not None:
            continue
        i = bisect.bisect_right(ends, m.span[0])
        start = ends[i - 1] if i else 0
        after = bisect.bisect_right(ends, m.span[1])
        stop = ends[after] if after < len(ends) else len(text)
        if not _CORRECTION.search(text, start, stop):
            continue
        before = [
            j
            for j, o in enumerate(out)
            if o.mention.analyte == m.analyte
            and o.order < it.order
            and o.mention.role in ("current", "unordered")
        ]
        if not before:
            continue
        shown = ", ".join(out[j].mention.value_text for j in before[:3])
        for j in before:
            earlier = out[j]
            out[j] = replace(
                earlier,
                mention=replace(earlier.mention, role="older"),
                note=_join(earlier.note, _CORRECTED_LATER),
            )
        out[k] = replace(
            it,
            mention=replace(m, role="current"),
            note=_join(it.note, f"corrects {shown} given earlier"),
        )
    return out


def _dated_prose(items: list[_Item], text: str) -> list[_Item]:
    """Values of the prose on lines that open with their date ("SA #1 9/20/24: 1.9 mL ...",
    "SA #2 3/25/25: 2.4 mL ...") carry that date, so the newest is the current one."""
    # the text's date convention, read once and only when a line opens with a date
    convention = functools.cache(lambda: day_first_convention(text))
    out = []
    for it in items:
        m = it.mention
        if m.source == "prose" and m.when is None:
            when = opening_date(text, m.span[0], convention)
            if when is not None:
                it = replace(it, mention=replace(m, when=when))
        out.append(it)
    return out


_NOT_RESTATED = "does not give it"


def _numbered_prose(items: list[_Item], text: str) -> list[_Item]:
    """Values of the prose on lines that open with a numbered analysis ("SA #2 (Jan 29): 1.5
    ml ...", "SA #1 (Oct) was worse: 1.1 ml ..."): of one test, those under a lower number than
    another of its values are older, whatever order the lines come in; a test given only under
    a lower number than the latest analysis is used with a note that the latest did not give it
    (the volume of "#1: 1.9 ml, 8 mil/ml" when "#2" gives only a concentration)."""
    numbers: list[tuple[str, int] | None] = [
        opening_number(text, it.mention.span[0])
        if it.mention.source == "prose"
        and it.mention.when is None
        and it.mention.role in ("current", "unordered")
        else None
        for it in items
    ]
    highest: dict[tuple[str, str], int] = {}
    latest: dict[str, int] = {}
    for it, number in zip(items, numbers, strict=True):
        if number is not None:
            key = (it.mention.analyte, number[0])
            highest[key] = max(highest.get(key, number[1]), number[1])
            latest[number[0]] = max(latest.get(number[0], number[1]), number[1])
    out = []
    for it, number in zip(items, numbers, strict=True):
        if number is not None:
            label, n = number
            top = highest[(it.mention.analyte, label)]
            if n < top:
                note = f"from {numbered_label(label, n)}, older than #{top}"
                it = _Item(it.turn, it.order, replace(it.mention, role="older"),
                           _join(it.note, note))  # fmt: skip
            else:
                if n < latest[label]:
                    note = f"from {numbered_label(label, n)}; #{latest[label]} {_NOT_RESTATED}"
                    it = _Item(it.turn, it.order, it.mention, _join(it.note, note))
                if it.mention.role == "unordered":
                    it = replace(it, mention=replace(it.mention, role="current"))
        out.append(it)
    return out


# A value typed with doubt: "18 or 81", "either 18 or 81", "~30 I think?", "5 something",
# "can't remember". Not a reading to compute with: asked instead.
_ALTERNATIVE_AFTER = re.compile(
    r"(?:-?ish)?\s*(?:[a-zµ%/]{1,8}\s*)?(?:[?,]\s*)?\b(?:or|oder|ou|o|of|(?:might|could|may)\s+"
    r"(?:have\s+been|be))\s+(?:maybe\s+|perhaps\s+|possibly\s+)?(?:it\s+was\s+|it'?s\s+|was\s+)?"
    r"[~<>≈]?\s*[0-9]", re.IGNORECASE)  # fmt: skip
_EITHER_BEFORE = re.compile(r"\b(?:either|entweder|soit)\s+(?:[a-z]+\s+){0,1}$", re.IGNORECASE)
_HEDGE = re.compile(
    r"\b(?:i think|i thought|i guess|i believe|not sure|unsure|can'?t remember|don'?t remember|"
    r"cannot remember|iirc|if i remember(?: right(?:ly)?)?|maybe|or so|something|or something|"
    r"somewhere|"
    r"would be|glaube ich|je crois|creo)\b", re.IGNORECASE)  # fmt: skip
# Values typed from memory ("SA (don't have the sheet, this is from memory):", from that
# sentence to the next blank line, `_remembered_blocks`): remembered, not read off a report.
_FROM_MEMORY = re.compile(
    r"\b(?:from memory|(?:going|working|typing) (?:off|from|by) memory|off memory|by memory|"
    r"off the top of my head|(?:no longer|don'?t) have the (?:sheet|report|"
    r"paper|results?|printout|pdf)|lost the (?:sheet|paper|report)|de m[ée]moire|de memoria|"
    r"aus dem ged[aä]chtnis|uit mijn hoofd|a memoria|ur minnet|har inte (?:papperet|pappret|"
    r"rapporten|svaret)|fra hukommelsen)\b",
    re.IGNORECASE,
)
# The doubt must touch the value: "~30 I think?", "5 something", "I think 5", not "LH is 4 so I
# think my T/LH is 125".
_HEDGE_AFTER = re.compile(
    rf"\s*(?:(?:%|[a-zµ]*/[a-zµ]+|mil\w*|ml|ng|pg|iu|kg|lbs?)\s*)?(?:-?ish\b[,;]?)?\??\s*"
    rf"(?:{_HEDGE.pattern})",
    re.IGNORECASE,
)
# "around 350 ng/dL??": a result with its unit, queried by the writer himself (not a count in
# a sentence, "there are 3??")
_QUERIED = re.compile(r"\s*(?:(?:%|[a-zµ]*/[a-zµ]+|mil\w*|ml|ng|pg|iu|kg|lbs?)\s*)?\?{2,}",
                      re.IGNORECASE)  # fmt: skip
_HEDGE_BEFORE = re.compile(
    rf"(?:{_HEDGE.pattern})\s*(?:it'?s|it was|was|is|like|about|around|roughly|~)?\s*[~≈]?\s*$",
    re.IGNORECASE,
)
# "35% (progressive i think? or maybe total)": unsure which measure the number is.
_KIND_DOUBT = re.compile(
    rf"\s*(?:%\s*)?\(\s*(?:progressive|total|free|bioavailable|non-?progressive|concentration|"
    rf"count)\b[^)\n]{{0,12}}?(?:{_HEDGE.pattern}|\bor\b)",
    re.IGNORECASE,
)
# "LH 2.something", "2.x", "2 point something": the digits after the point are not known; nor
# the last digits of "300-something", "300 odd".
_UNKNOWN_DECIMALS = re.compile(
    r"(?:[.,]|\s*point\s*)(?:something|smth|sth|x+|\?+)(?![a-z])|(?:-|\s)(?:something|odd)(?![a-z])",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,;.!\n)(]|\band\b|\bbut\b")
# Whether a message can hold a doubt at all (most do not: then no value is looked at).
_DOUBT_WORDS = ("either", "entweder", "soit", "think", "thought", "guess", "believe", "sure",
                "remember", "recall", "iirc", "maybe", "perhaps", "something", "somewhere",
                "odd", "or so",
                "glaube",
                "crois",
                "creo", "might have", "could have", "may have", "might be",
                "could be", "would be", "??")  # fmt: skip
_SECOND_UNIT = re.compile(r"[0-9][0-9.,]*\s*(?:nmol|pmol|ng/|pg/|µg|ug/|mmol|mg/|g/)",
                          re.IGNORECASE)  # fmt: skip
_NUMBER_OR_NUMBER = re.compile(r"[0-9]\s*(?:[a-z%/]{1,8}\s*)?(?:or|oder|ou|o|of)\s")


# "BMI is about 35", "T around 300", "E2 ~40": a rounded figure, used and said to be one.
_APPROX_BEFORE = re.compile(
    r"(?:\babout|\baround|\bapprox(?:imately|\.)?|\broughly|\bcirca|\bca\.|~|≈|\bnearly|"
    r"\b(?:was|is|were|it'?s) like|\btyp|\bungef[aä]r|\bomkring|"
    r"\balmost|\betwa|\bungef[aä]hr|\bzirka|\benviron|\bautour de|\b[aà] peu pr[eè]s|"
    r"\baproximadamente|\baprox\.?|\bcerca de|\balrededor de|\bpor volta de|\bmais ou menos|"
    r"\bintorno a|\bsui|\bongeveer|\brond de|\bomstreeks|"
    r"\bok\.|\boko[lł]o|\bmniej wi[eę]cej|\bcca\.?|\basi|\bnoin|\bomtrent|\bcirka)\s*$",
    re.IGNORECASE,
)

_ISH_AFTER = re.compile(r"-?ish\b", re.IGNORECASE)  # "BMI 27ish"
APPROXIMATE = "given as approximate"
FROM_MEMORY = "typed from memory"
# How far a figure given as approximate ("about 25", "11ish") may be from what it rounds: a
# tenth either way.
ROUNDING = 0.10


def _approximate(items: list[_Item], text: str) -> list[_Item]:
    """Prose values given as approximate carry that note (and so are not "ok"); `_rounding_decides`
    asks instead when the rounding could put a group or caution on the other side."""
    out = []
    remembered = _remembered_blocks(text)
    for it in items:
        m = it.mention
        if m.bound is None and any(lo <= m.span[0] < hi for lo, hi in remembered):
            it = _Item(it.turn, it.order, m, _join(it.note, FROM_MEMORY))
        elif m.bound is None:
            # a report's row is never "about" its value; a typed row can still be "4-ish"
            before = text[max(0, m.span[0] - 16) : m.span[0]] if m.source == "prose" else ""
            approx = _APPROX_BEFORE.search(before)
            ish = _ISH_AFTER.match(text, m.span[1])
            if approx is not None:
                word = approx.group(0).strip()
                gap = "" if word in "~≈" else " "
                note = f"{APPROXIMATE} (“{word}{gap}{m.value_text}”)"
                it = _Item(it.turn, it.order, m, _join(it.note, note))
            elif ish is not None:
                note = f"{APPROXIMATE} (“{m.value_text}{ish.group(0)}”)"
                it = _Item(it.turn, it.order, m, _join(it.note, note))
        out.append(it)
    return out


# "Estradiol: 44 (didn't catch the units)": the writer says he does not know the unit, so none
# is assumed from his other values (a unit only one reading makes plausible is still used).
_UNIT_UNKNOWN = re.compile(
    r"(?:didn'?t|did not|don'?t|do not|can'?t|cannot|not sure|unsure|no idea|forgot|missed|never)"
    r"[^.!?\n]{0,24}?\bunits?\b"
    r"|\bunits?\b[^.!?\n]{0,12}?\b(?:unknown|not (?:given|shown|known|sure)|missing|\?)",
    re.IGNORECASE,
)
UNIT_UNKNOWN = "unit not known to the writer"


def _unit_unknown(items: list[_Item], text: str) -> list[_Item]:
    """Prose values without a unit, in a sentence whose writer says he does not know it,
    carry `UNIT_UNKNOWN` (and so no unit is assumed for them)."""
    if "unit" not in text.lower():
        return items
    out = []
    for it in items:
        m = it.mention
        if m.source == "prose" and m.unit_key is None and m.bound is None:
            end = SENTENCE_END.search(text, m.span[1])
            stop = end.start() if end is not None else len(text)
            if _UNIT_UNKNOWN.search(text, m.span[1], stop):
                it = _Item(it.turn, it.order, m, _join(it.note, UNIT_UNKNOWN))
        out.append(it)
    return out


def _doubted(items: list[_Item], text: str, turn: int) -> tuple[list[_Item], list[Issue]]:
    """Typed values the writer doubts (see `_HEDGE`), set aside with a question; with them go
    the other values of the same test in the message (none may stand in for the doubted one)."""
    issues: list[Issue] = []
    dropped: set[str] = set()
    kept: list[_Item] = []
    alternatives: list[tuple[str, int, int]] = []  # the other number of "22 or 44"
    low = text.lower()
    if not (
        any(word in low for word in _DOUBT_WORDS)
        or _NUMBER_OR_NUMBER.search(low)
        or _UNKNOWN_DECIMALS.search(low)
    ):
        return items, []  # the usual message: nothing to look at value by value
    for it in items:
        m = it.mention
        if any(a == m.analyte and lo <= m.span[0] < hi for a, lo, hi in alternatives):
            continue
        value_end = m.span[0] + len(m.value_text)
        unknown = _UNKNOWN_DECIMALS.match(text, value_end) if m.role != "older" else None
        if not unknown and (m.bound is not None or m.role == "older"):
            kept.append(it)
            continue
        start, end = m.span
        after = text[end : end + 40]
        clause = _CLAUSE_END.split(after, maxsplit=1)[0]
        if unknown:  # "LH 2.something": quoted to the end of its unknown decimals
            end = value_end
            clause = unknown.group(0)
        before = _CLAUSE_END.split(text[max(0, start - 25) : start])[-1]
        if start - len(before) > 0 and text[start - len(before) - 1].isalnum():
            before = re.sub(r"^\w+", "", before)  # not a word cut in half ("unt was")
        # a report's row has its test's name before the value, never a hedge
        said_before = before if m.source == "prose" else ""
        why = ""
        other = _ALTERNATIVE_AFTER.match(after)
        if other and m.unit_text and _SECOND_UNIT.match(after, other.end() - 1):
            other = None  # "450 ng/dL or 15.6 nmol/L": one result in two units
        if other or _EITHER_BEFORE.search(said_before):
            why = "is given as one of two numbers"
            if other:
                alternatives.append((m.analyte, end, end + other.end() + 12))
        elif (
            unknown
            or _HEDGE_AFTER.match(after)
            or _HEDGE_BEFORE.search(said_before)
            or (m.unit_text and _QUERIED.match(after))
        ):
            why = "is given with doubt"
        elif _KIND_DOUBT.match(after):
            why = "is given with doubt about which measure it is"
        if not why:
            kept.append(it)
            continue
        label = analyte_label(m.analyte)
        quote = _quoted(text[max(0, start - len(before)) : end + len(clause)].strip())
        issues.append(Issue("doubtful", f"Your {label} (“{quote}”) {why}, so it was not used.",
                            f"What exactly was your {label} result?", m.analyte, m.span,
                            turn))  # fmt: skip
        dropped.add(m.analyte)
    # the other values of a doubted test in this message are not used in its place either
    kept = [it for it in kept if it.mention.analyte not in dropped]
    return kept, issues


_MEMORY_WORDS = ("memor", "moire", "top of my head", "have the", "lost the", "chtnis", "hoofd",
                 "minnet", "har inte", "hukommelsen")  # fmt: skip


def _remembered_blocks(text: str) -> list[tuple[int, int]]:
    """The spans typed from memory (`_FROM_MEMORY`): from the start of the sentence that says so
    to the next blank line."""
    out: list[tuple[int, int]] = []
    low = text.lower()
    if not any(w in low for w in _MEMORY_WORDS):
        return out
    for m in _FROM_MEMORY.finditer(text):
        start = max((b.end() for b in SENTENCE_END.finditer(text, 0, m.start())), default=0)
        end = text.find("\n\n", m.end())
        if end != -1 and not re.search(r"[0-9]", text[m.end() : end]):
            # "... so the T and E2 are from memory." above the list: the block is the list
            end = text.find("\n\n", end + 2)
        out.append((start, len(text) if end == -1 else end))
    return out


# Tests a person easily names one for the other: a count per mL called "total count", free T
# called "testosterone".
_CONFUSED = (
    frozenset({"concentration", "total_count", "sperm_count"}),
    frozenset({"total_t", "free_t", "bioavailable_t"}),
)


def _restated_row(mention: Mention, rows: dict[tuple[str, float], _Item]) -> _Item | None:
    """The report row a prose value restates under another test's name ("Total count is 21
    million??" above a row "Total Sperm Count  21  millions/ml", which is a concentration):
    the same number, read by its row as a test easily confused with the one named. `rows`:
    the row items by (analyte, number)."""
    if mention.bound is not None:
        return None
    family = next((f for f in _CONFUSED if mention.analyte in f), ())
    return next((rows[(a, mention.number)] for a in sorted(family)
                 if a != mention.analyte and (a, mention.number) in rows), None)  # fmt: skip


def _restated_message(said: str, row: Mention) -> str:
    shown = f"{row.value_text} {row.unit_text or ''}".strip()
    label = analyte_label(row.analyte)
    return f"Your “{said}” is the report's {shown}, which its row gives as the {label}."


def _as_typed(it: _Item, typed: str, latin: str) -> _Item:
    """The item with its unit as the user typed it ("нмоль/л"), not as it was read ("nmol/l")."""
    unit = it.mention.unit_text
    at = it.mention.span[0]
    start = latin.lower().find(unit.lower(), at, at + 200) if unit else -1
    if unit is None or start < 0:
        return it
    end = start + len(unit)
    while end < len(latin) and latin[end] == " " and typed[end] != " ":
        end += 1  # the padding that kept positions: the longer Cyrillic spelling's letters
    if typed[start:end] == unit:
        return it
    return replace(it, mention=replace(it.mention, unit_text=typed[start:end]))


def _distinct_row_values(row_items: list[_Item]) -> dict[str, list[_Item]]:
    """Per analyte, one row item for each distinct (number, unit) the rows give (a report
    pasted many times gives each value once)."""
    out: dict[str, dict[tuple[float, str | None], _Item]] = {}
    for it in row_items:
        key = (it.mention.number, it.mention.unit_key)
        out.setdefault(it.mention.analyte, {}).setdefault(key, it)
    return {analyte: list(values.values()) for analyte, values in out.items()}


def _differs_from_rows(mention: Mention, by_row: dict[str, list[_Item]]) -> bool:
    """Whether a prose value of an analyte differs from every value the report's rows give it
    (current or older)."""
    item = _Item(0, 0, mention)
    rows = by_row.get(mention.analyte, [])
    return bool(rows) and not any(_same(item, it) for it in rows)


def _quoted(part: str) -> str:
    """The first line of a part of the text, its spaces collapsed, at most 60 characters."""
    first = part.strip().splitlines()[0] if part.strip() else ""
    return " ".join(first.split())[:60]


def _corrected(items: list[_Item], fixes: list[Correction]) -> list[_Item]:
    """A corrected value says what it replaces (asides.corrections: the first value in the
    place each correction points at). When a comment under a row gives a corrected value other
    than the row's, the comment's value is used, and the note says so."""
    out = list(items)
    for fix in fixes:
        k = next((k for k, it in enumerate(out) if fix.start <= it.mention.span[0] < fix.end),
                 None)  # fmt: skip
        if k is None:
            continue
        it = out[k]
        if fix.value and it.mention.source != "row":
            continue  # only a report's comment corrects its row
        mention = _with_corrected_value(it.mention, fix.value) if fix.value else it.mention
        if mention is it.mention and fix.value:
            continue  # the row already shows the corrected value
        out[k] = _Item(it.turn, it.order, mention, _join(it.note, fix.note))
    return out


_CORRECTED_VALUE = re.compile(rf"(?P<number>[0-9][0-9.,]*)[ \t]?(?P<unit>{scan_pattern()})?",
                              re.IGNORECASE)  # fmt: skip


def _with_corrected_value(m: Mention, written: str) -> Mention:
    """`m` with the value a correction comment gives ("38 pg/mL"), or `m` when it is the same."""
    found = _CORRECTED_VALUE.match(written)
    if found is None:
        return m
    number = to_float(found.group("number"))
    unit = found.group("unit")
    key = canonical_unit(unit.lower()) if unit else m.unit_key
    if number == m.number and key == m.unit_key:
        return m
    return _replace(m, number=number, value_text=found.group("number"), bound=None,
                    unit_text=unit or m.unit_text, unit_key=key)  # fmt: skip


_GONADOTROPINS = frozenset({"lh", "fsh"})
# Between the two values of a pair: "LH 4 / FSH 6 IU/L", "FSH 11,4 – LH 6,2 (…mIU/ml)".
_PAIR_GAP = re.compile(r"[ \t]*(?:[/,;&–—-]|and|und|et|y|ve)[ \t]", re.IGNORECASE)
_BRACKET_UNIT = re.compile(
    rf"[ \t]*\([^()\n]{{0,30}}?(?<![A-Za-z])(?P<unit>{scan_pattern()})[ \t]*\)", re.IGNORECASE
)


def _shared_units(items: list[_Item], text: str) -> list[_Item]:
    """LH and FSH written as a pair with the unit printed once, after the second value ("LH 4
    / FSH 6 IU/L") or in brackets after both ("(ikisi de mIU/ml)"): both take that unit, and
    the note says so."""
    out = list(items)
    for k, (a, b) in enumerate(itertools.pairwise(items)):
        x, y = a.mention, b.mention
        if x.unit_key is not None or x.analyte not in _GONADOTROPINS:
            continue
        if {x.analyte, y.analyte} != _GONADOTROPINS or a.turn != b.turn:
            continue
        gap = text[x.span[1] : y.span[0]]
        if not _PAIR_GAP.match(gap) or len(gap) > 24 or "\n" in gap:
            continue
        unit, key = y.unit_text, y.unit_key
        bracket = _BRACKET_UNIT.match(text, y.span[1]) if key is None else None
        if bracket is not None:
            unit, key = bracket.group("unit"), canonical_unit(bracket.group("unit"))
        if unit is None or key not in SPECS["lh"].factors:
            continue
        for n, it in ((k, a), (k + 1, b)):
            if it.mention.unit_key is None:
                mention = _replace(it.mention, unit_text=unit, unit_key=key)
                out[n] = _Item(it.turn, it.order, mention,
                               _join(it.note, f"unit {unit} written once for both"))  # fmt: skip
    return out


_GRADES = ("grade_a", "grade_b", "grade_c")


_MOTILITY = frozenset({"motility_progressive", "motility_total", "motility_nonprogressive"})


# A heading or row naming when motility was assessed: "Mobilité à 1 heure", "Motility at 4
# hours", "Motilität nach 60 min", "Movilidad a las 2 horas", "(2 h)".
_MOTILITY_WORD = re.compile(
    r"motil|mobilit|mobilid|movilid|beweglich|beweeglijk|подвижн|рухлив", re.IGNORECASE
)
_ASSESSED_AT = re.compile(
    r"(?<![\d.,:/])(?P<n>\d{1,3})[ \t]*(?P<u>h|hrs?|hours?|heures?|horas?|ore|ora|stunden?|std|"
    r"uur|min|mins|minutes?|minuten|minutos|minuti|ч|час\w*|мин\w*)(?![^\W\d_])",
    re.IGNORECASE,
)


def _motility_times(text: str) -> list[tuple[int, int]]:
    """(position, minutes after collection) of each motility line that says when motility was
    assessed, in text order."""
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        if _MOTILITY_WORD.search(line):
            for m in _ASSESSED_AT.finditer(line):
                minutes = m.group("u").lower().startswith(("m", "м"))
                out.append((pos, int(m.group("n")) * (1 if minutes else 60)))
                break
        pos += len(line)
    return out


_ASSESSMENT = frozenset({*_MOTILITY, "motility_immotile", "grade_a", "grade_b", "grade_c",
                         "grade_d"})  # fmt: skip


def _first_assessment(items: list[_Item], text: str) -> list[_Item]:
    """One sample's motility assessed at several times ("à 1 heure", "à 4 heures"): the first
    assessment is the standard one (WHO: within an hour of collection); the later ones' figures
    are set aside, and the figures kept say so."""
    times = _motility_times(text)
    if len({minutes for _, minutes in times}) < 2:
        return items
    first = min(minutes for _, minutes in times)

    def when(it: _Item) -> int | None:
        before = [minutes for pos, minutes in times if pos <= it.order]
        return before[-1] if before else None

    later = sorted({when(it) for it in items if it.mention.analyte in _ASSESSMENT} - {None, first})
    if not later:
        return items
    note = (f"motility assessed at {_duration(first)} used; the reading at "
            f"{', '.join(_duration(m) for m in later if m is not None)} set aside")  # fmt: skip
    out = []
    for it in items:
        if it.mention.analyte in _ASSESSMENT:
            if when(it) not in (None, first):
                continue
            it = replace(it, note=_join(it.note, note))
        out.append(it)
    return out


def _duration(minutes: int) -> str:
    return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"


_MOTILE_ROWS = ("motile_active", "motile_sluggish")


def _motile_rows(items: list[_Item]) -> list[_Item]:
    """Indian sheets' "Actively motile" and "Sluggishly motile" rows (with a separate
    non-progressive row, if any) are all the motile sperm: their sum is the total motility, when
    the non-motile row, if printed, makes it up to 100 %. Labs differ on whether sluggish sperm
    are progressive, so no progressive figure is made from them; neither row is used alone."""
    rows = {it.mention.analyte: it for it in items if it.mention.analyte in _MOTILE_ROWS}
    out = [it for it in items if it.mention.analyte not in _MOTILE_ROWS]
    have = {it.mention.analyte: it for it in out}
    if len(rows) < 2 or "motility_total" in have:
        return out
    parts = [rows[a] for a in _MOTILE_ROWS]
    if "motility_nonprogressive" in have:
        parts.append(have["motility_nonprogressive"])
    if any(p.mention.unit_key not in (None, "%") or p.mention.bound for p in parts):
        return out
    total = sum(p.mention.number for p in parts)
    immotile = have.get("motility_immotile")
    if total > 100 or (immotile is not None and abs(total + immotile.mention.number - 100) > 1):
        return out
    first = parts[0]
    mention = replace(
        first.mention, analyte="motility_total", number=total, unit_key="%", unit_text="%",
        value_text=f"{' + '.join(p.mention.value_text for p in parts)} = {fmt(total)}",
    )  # fmt: skip
    note = "actively + sluggishly motile" + (" + non-progressive" if len(parts) > 2 else "")
    return sorted([*out, _Item(first.turn, first.order, mention, note)], key=lambda it: it.order)


def _combine_grades(items: list[_Item]) -> list[_Item]:
    """WHO grades a/b/c/d become progressive (a + b) and total (a + b + c) motility when the
    report does not print them; grades and immotile shares are not used otherwise.

    Grades given twice (motility assessed again at 2 or 3 hours, a second sample) are separate
    assessments: each block is summed on its own, and every motility figure of the message is
    then marked unordered, so that differing figures are asked about, never mixed or guessed."""
    by_letter: dict[str, list[_Item]] = {}
    for it in items:
        if it.mention.analyte in (*_GRADES, "grade_d"):
            by_letter.setdefault(it.mention.analyte, []).append(it)
    blocks = max((len(v) for v in by_letter.values()), default=0)
    # a figure printed for an earlier analysis does not stand in for this one's grades
    have = {it.mention.analyte for it in items if it.mention.role != "older"}
    out = [it for it in items if it.mention.analyte not in (*_GRADES, "grade_d",
                                                            "motility_immotile")]  # fmt: skip
    for k in range(blocks):
        grades = {g: v[k] for g, v in by_letter.items() if len(v) > k}
        for target, parts in (("motility_progressive", _GRADES[:2]),
                              ("motility_total", _GRADES)):  # fmt: skip
            if (target in have and blocks == 1) or not all(p in grades for p in parts):
                continue
            first = grades[parts[0]]
            total = sum(grades[p].mention.number for p in parts)
            letters = " + ".join(p[-1] for p in parts)
            shown = " + ".join(grades[p].mention.value_text for p in parts)
            mention = replace(
                first.mention, analyte=target, number=total, value_text=f"{shown} = {fmt(total)}",
                unit_key="%", unit_text="%",
            )  # fmt: skip
            note = _join(f"computed from grades {letters}", first.note)
            out.append(_Item(first.turn, first.order, mention, note))
    if blocks > 1:
        out = [
            replace(it, mention=replace(it.mention, role="unordered"))
            if it.mention.analyte in _MOTILITY and it.mention.role == "current" else it
            for it in out
        ]  # fmt: skip
    return sorted(out, key=lambda it: it.order)


# How far a printed total count may be from volume x concentration (both rounded) and still be
# that product.
_PRODUCT_TOLERANCE = 0.03


def _millions(m: Mention) -> float | None:
    """A count or concentration in millions (per ejaculate or per mL), from its unit; None when
    the unit says something else."""
    if m.unit_key in ("M", "m", "M/mL", "G/L"):
        return m.number
    if m.unit_key in ("count", "/mL") or (m.unit_key is None and m.number >= 100_000):
        return m.number / 1e6
    return m.number if m.unit_key is None else None


def _count_by_product(items: list[_Item]) -> list[_Item]:
    """A sperm count whose unit does not say per mL or per ejaculate ("Spermatozoer; antal
    31 × 10⁶") is the total count when it is the product of the volume and the concentration
    printed with it (2.6 mL × 12 million/mL = 31.2), and not the concentration itself."""
    if not any(it.mention.analyte == "sperm_count" for it in items):
        return items
    out = list(items)
    for k, it in enumerate(out):
        m = it.mention
        count = _millions(m) if m.analyte == "sperm_count" and m.bound is None else None
        if count is None:
            continue
        same = [o.mention for o in items if o.turn == it.turn and o.mention.bound is None]
        volumes = {
            o.number for o in same if o.analyte == "semen_volume" and o.unit_key in (None, "mL")
        }
        concs = {_millions(o) for o in same if o.analyte == "concentration"} - {None}
        if len(volumes) != 1 or len(concs) != 1:
            continue
        conc = concs.pop()
        assert conc is not None
        product = volumes.pop() * conc
        if abs(count - product) <= _PRODUCT_TOLERANCE * product and abs(count - conc) > (
            _PRODUCT_TOLERANCE * conc
        ):
            note = f"read as the total count: it is the volume × the concentration ({fmt(product)})"
            unit = "count" if m.unit_key is None and m.number >= 100_000 else m.unit_key
            total = replace(m, analyte="total_count", unit_key=unit)
            out[k] = _Item(it.turn, it.order, total, _join(it.note, note))
    return out


def _total_from_parts(items: list[_Item]) -> list[_Item]:
    """Progressive plus non-progressive motility is the total motility of the same analysis.
    When a text gives both after its last total motility (a later analysis that printed PR and
    NP only), that sum is the current total, and the earlier total is set aside as older. The
    PR summed is the one printed with that NP (just before it, else just after), not a previous
    analysis's PR given later in the text."""
    last: dict[str, _Item] = {}
    for it in items:
        last[it.mention.analyte] = it
    np_, total = last.get("motility_nonprogressive"), last.get("motility_total")
    prs = [it for it in items if it.mention.analyte == "motility_progressive"]
    before = [it for it in prs if np_ is not None and it.order < np_.order]
    pr = before[-1] if before else (prs[0] if prs else None)
    if pr is None or np_ is None or total is None or min(pr.order, np_.order) < total.order:
        return items
    if pr.mention.unit_key not in (None, "%") or np_.mention.unit_key not in (None, "%"):
        return items
    later = max(pr, np_, key=lambda it: it.order)
    value = pr.mention.number + np_.mention.number
    mention = replace(
        later.mention, analyte="motility_total", number=value,
        value_text=f"{pr.mention.value_text} + {np_.mention.value_text} = {fmt(value)}",
        unit_key="%", unit_text="%",
    )  # fmt: skip
    older = [
        replace(it, mention=replace(it.mention, role="older"))
        if it.mention.analyte == "motility_total" else it
        for it in items
    ]  # fmt: skip
    computed = _Item(later.turn, later.order, mention, "progressive + non-progressive")
    return sorted([*older, computed], key=lambda it: it.order)


def _in_force(items: list[_Item]) -> tuple[dict[str, _Item], dict[int, str], list[Issue]]:
    """For each analyte, the value in force, the notes its choice adds, and the questions asked
    when the text does not say which of several values is current.

    A later message replaces an earlier one; within a message a current value beats an older
    one (a previous-result column, an earlier draw), a dated value the one with the latest date,
    and a prose reading the one the change words point at (parse.py). The choice is stated."""
    latest: dict[str, _Item] = {}
    notes: dict[int, str] = {}
    issues: list[Issue] = []
    by_analyte: dict[str, list[_Item]] = {}
    for it in items:
        by_analyte.setdefault(it.mention.analyte, []).append(it)
    for analyte, group in by_analyte.items():
        last_turn = max(it.turn for it in group)
        here = [it for it in group if it.turn == last_turn]
        earlier = [it for it in group if it.turn < last_turn]
        current = [it for it in here if it.mention.role == "current"]
        unordered = [it for it in here if it.mention.role == "unordered"]
        current = current or unordered or here
        newest = max((it for it in current if it.mention.when), default=None,
                     key=lambda it: (it.mention.when or "", it.order))  # fmt: skip
        if (
            newest is not None
            and newest.mention.bound is not None
            and any(
                it.mention.bound is None and (it.mention.when or "") < (newest.mention.when or "")
                for it in current
            )
        ):
            # "2024-09-17 E2 96; 2025-01-22 E2 <40": the latest result is below the lab's
            # limit; the older number is not today's, and no number stands in for the bound.
            label = analyte_label(analyte)
            issues.append(Issue(
                "bound_latest",
                f"Your latest {label} result ({newest.mention.value_text}) is a limit, not a "
                "number, so the older result was not used.",
                f"What was your latest {label} result?", analyte,
                newest.mention.span, last_turn))  # fmt: skip
            continue
        # "karyotype requested (concentration <10 M/ml)": a bound next to a value is a threshold
        # being discussed; it does not replace the value.
        current = [it for it in current if it.mention.bound is None] or current
        dated = [it for it in current if it.mention.when]
        if len(dated) == len(current) > 1:
            chosen = max(current, key=lambda it: (it.mention.when or "", it.order))
        else:
            chosen = current[-1]
        # Rows of a report, or values in one sentence, that differ with nothing saying which
        # is current: asking is right, guessing is not.
        rival = [it for it in current if it.mention.source == "row"] or unordered
        tied = [it for it in dated if it.mention.when == chosen.mention.when]
        if len(dated) == len(current) > 1 and len(tied) > 1 and _disagree(tied):
            rival, dated = tied, []  # two results of the same day: which one is unclear
        if len(rival) > 1 and len(dated) < len(rival) and _disagree(rival):
            shown = ", ".join(f"{it.mention.value_text} {it.mention.unit_text or ''}".strip()
                              for it in rival[:4])  # fmt: skip
            label = analyte_label(analyte)
            if analyte in _MOTILITY:  # one sample assessed twice (at 1 h and at 3 h...)
                why = ", perhaps from different samples or times after collection"
                question = f"Which {label} result should be used?"
            else:
                why = " and does not say which is the most recent"
                question = f"Which {label} result is the most recent one?"
            issues.append(Issue(
                "ambiguous_value",
                f"Your text gives several different results for {label} ({shown}){why}, so "
                "none was used.", question, analyte,
                rival[-1].mention.span, last_turn))  # fmt: skip
            continue
        latest[analyte] = chosen
        said: list[str] = []
        others = [it for it in here if it is not chosen and not _same(it, chosen)]
        bounds = [it for it in others if it.mention.bound is not None and chosen.mention.bound
                  is None]  # fmt: skip
        others = [it for it in others if it not in bounds]
        if bounds:
            said.append(f"{bounds[0].mention.bound} {bounds[0].mention.value_text} nearby is a "
                        "limit, not a result")  # fmt: skip
        older = [it for it in others if it.mention.role == "older"]
        if older and chosen.mention.source == "prose":
            said.append(", ".join(it.mention.value_text for it in older[:3])
                        + f" {_OLDER_ASIDE}")  # fmt: skip
            others = [it for it in others if it not in older]
        if others and chosen.mention.source == "prose":
            said.append("replaces " + ", ".join(it.mention.value_text for it in others[:3])
                        + " given earlier in the message")  # fmt: skip
        elif others:
            said.append(", ".join(it.mention.value_text for it in others[:3])
                        + f" {_OLDER_ASIDE}")  # fmt: skip
        if earlier and not _same(earlier[-1], chosen):
            said.append(f"replaces {earlier[-1].mention.value_text} from an earlier message")
        if chosen.mention.role == "older" and chosen.mention.source == "prose":
            said.append("given as an earlier result; no newer one was typed")
        if said:
            notes[chosen.order] = "; ".join(said)
    return latest, notes, issues


def _converted(it: _Item) -> float | None:
    """The value in the analyte's canonical unit when its unit is known, else None."""
    spec = SPECS.get(it.mention.analyte)
    factor = spec.factors.get(it.mention.unit_key or "") if spec else None
    return it.mention.number * factor if factor is not None else None


def _same(a: _Item, b: _Item) -> bool:
    """The same result, possibly written in two units ("9.4 nmol/L" and "271 ng/dL")."""
    x, y = _converted(a), _converted(b)
    if x is not None and y is not None:
        return abs(x - y) <= 0.01 * max(abs(x), abs(y), 1e-9)
    if a.mention.number != b.mention.number:
        return False
    # the same figure of the same day once with its unit and once without it (a portal's
    # "312 ng/dL" and its past-results grid's "312" under that date)
    units = {a.mention.unit_key or None, b.mention.unit_key or None}
    same_day = a.mention.when is not None and a.mention.when == b.mention.when
    return len(units) == 1 or (None in units and same_day)


def _disagree(items: list[_Item]) -> bool:
    return any(not _same(items[0], other) for other in items[1:])


_DERIVED_FROM = {
    "total_count": ("semen_volume", "concentration"),
    "motility_total": ("motility_progressive", "motility_nonprogressive"),
    "tmc": ("semen_volume", "concentration", "motility_total", "motility_progressive",
            "motility_nonprogressive"),
    "tmc_progressive": ("semen_volume", "concentration", "motility_progressive"),
}  # fmt: skip


class _UnitCheck(NamedTuple):
    """One figure an assumed unit could move across a cut-off."""

    measurement: Measurement  # the value whose unit was assumed
    name: str  # the figure, as the question names it ("T/E2", "estradiol")
    cutoff: float
    figure_of: Callable[[float], float]  # the figure for a value of the measurement
    suffix: str  # the figure's unit as shown ("" for a ratio)
    limit: str  # the cut-off in words
    caution: bool = False  # a caution, not a group: the ratios stand, the caution waits


def _assumptions_that_decide(cur: dict[str, Measurement]) -> list[tuple[str, Issue]]:
    """Questions for a testosterone or estradiol whose unit was assumed from the other values'
    unit system when another plausible unit would put T/E2 or T/LH on the other side of the
    article's cut-off, or estradiol on the other side of the 10 pg/mL over-suppression caution:
    then the assumption, not the user's number, would decide the group."""
    t, e2, lh = cur.get("total_t"), cur.get("e2"), cur.get("lh")
    if t is None or t.value is None:
        return []
    checks: list[_UnitCheck] = []
    article = "the article's cut-off of {}"
    if e2 is not None and e2.value is not None:
        t_value, e2_value = t.value, e2.value
        te2 = article.format(fmt(grp.TE2_CUTOFF))
        checks.append(_UnitCheck(t, "T/E2", grp.TE2_CUTOFF, lambda v: v / e2_value, "", te2))
        checks.append(_UnitCheck(e2, "T/E2", grp.TE2_CUTOFF, lambda v: t_value / v, "", te2))
        low = "the 10 pg/mL over-suppression caution"
        checks.append(_UnitCheck(e2, "estradiol", grp.E2_LOW, lambda v: v, " pg/mL", low, True))
    if lh is not None and lh.value:
        lh_value = lh.value
        tlh = article.format(fmt(grp.TLH_CUTOFF))
        checks.append(_UnitCheck(t, "T/LH", grp.TLH_CUTOFF, lambda v: v / lh_value, "", tlh))
    out: list[tuple[str, Issue]] = []
    for m, name, cutoff, figure_of, suffix, limit, caution in checks:
        if m.unit_source != "assumed" or m.unit_read not in SPECS[m.analyte].factors:
            continue
        if any(analyte == m.analyte and i.kind != "caution_unit" for analyte, i in out):
            continue
        spec = SPECS[m.analyte]
        assert m.value is not None
        number = m.value / spec.factors[m.unit_read]
        plausible, _ = bare_candidates(spec, number)
        readings = [(unit, figure_of(number * spec.factors[unit])) for unit in plausible]
        if len({figure >= cutoff for _, figure in readings}) < 2:
            continue
        units = " or ".join(unit for unit, _ in readings)
        each = "; ".join(
            f"in {unit}, {name} would be {fmt(figure)}{suffix}, "
            + ("at or above " if figure >= cutoff else "below ")
            + limit
            for unit, figure in readings
        )
        out.append((m.analyte, Issue(
            "caution_unit" if caution else "ambiguous_unit",
            f"{spec.label} {m.value_as_typed} has no unit, and the unit decides "
            + (f"the caution: {each}. The caution waits for the unit."
               if caution else f"the group: {each}. So it was not used."),
            f"Was your {lower_label(spec)} {m.value_as_typed} in {units}?",
            m.analyte, m.span, m.turn)))  # fmt: skip
    return out


def _rounding_decides(cur: dict[str, Measurement]) -> list[tuple[str, Issue]]:
    """Questions for values given as approximate ("BMI about 25", "FSH 19ish", "T around 300")
    when a tenth either way (ROUNDING) would put a figure the article or the caution lines judge
    (BMI 25, T/E2 10, T/LH 100, LH or FSH 20, estradiol 10 pg/mL, concentration 15 million/mL,
    total count 39 million) on the other side: then the rounding, not the man's result, would
    decide. A rounded figure far from every cut-off ("BMI around 33") is used, with its note."""

    if not any(m.usable and APPROXIMATE in m.note for m in cur.values()):
        return []  # the usual report: no rounded figure to weigh

    def value(analyte: str) -> float | None:
        m = cur.get(analyte)
        return m.value if m is not None and m.usable and m.value else None

    t, e2, lh = value("total_t"), value("e2"), value("lh")
    from_body = ratios.bmi(cur.get("weight"), cur.get("height"))
    bmi = from_body.value if from_body is not None else None
    # per analyte: (figure it decides, its cut-off, how it moves with the value: 1 or -1 or -2)
    judged: dict[str, list[tuple[str, float, float, int]]] = {
        "bmi": [("BMI", v, ratios.BMI_CUTOFF, 1) for v in [value("bmi")] if v],
        "weight": [("BMI", bmi, ratios.BMI_CUTOFF, 1)] if bmi else [],
        "height": [("BMI", bmi, ratios.BMI_CUTOFF, -2)] if bmi else [],
        "lh": [("LH", lh, grp.GONADOTROPIN_CAUTION, 1)] if lh else [],
        "fsh": [("FSH", v, grp.GONADOTROPIN_CAUTION, 1) for v in [value("fsh")] if v],
        "concentration": [("the sperm concentration", v, grp.OLIGO_CONC, 1)
                          for v in [value("concentration")] if v],
        "total_count": [("the total count", v, grp.OLIGO_TOTAL, 1)
                        for v in [value("total_count")] if v],
        "e2": [("estradiol", e2, grp.E2_LOW, 1)] if e2 else [],
        "total_t": [],
    }  # fmt: skip
    if t and e2:
        judged["total_t"].append(("T/E2", t / e2, grp.TE2_CUTOFF, 1))
        judged["e2"].append(("T/E2", t / e2, grp.TE2_CUTOFF, -1))
    if t and lh:
        judged["total_t"].append(("T/LH", t / lh, grp.TLH_CUTOFF, 1))
        judged["lh"].append(("T/LH", t / lh, grp.TLH_CUTOFF, -1))
    out: list[tuple[str, Issue]] = []
    for analyte, figures in judged.items():
        m = cur.get(analyte)
        if m is None or not m.usable or APPROXIMATE not in m.note:
            continue
        for name, figure, cutoff, power in figures:
            ends = [figure * (1 + sign * ROUNDING) ** power for sign in (-1, 1)]
            if len({end >= cutoff for end in ends}) == 2:
                label = lower_label(SPECS[analyte])
                out.append((analyte, Issue(
                    "doubtful",
                    f"Your {label} {m.value_as_typed} is given as approximate, and a little "
                    f"either way puts {name} on either side of {fmt(cutoff)}, so it was not used.",
                    f"What exactly was your {label} result?", analyte, m.span, m.turn,
                )))  # fmt: skip
                break
    return out


MAX_FREE_FRACTION = 0.10  # free T is about 1-3% of total T; 10% is far outside any lab's range


_RATIO_INPUTS = ("total_t", "e2", "lh")
_VALUE_LABEL = re.compile(
    r"\s*(?:(?:value|result|current|latest|resultat|ergebnis|wert|resultado|valor|valore|risultato|"
    r"uitslag)\s*[:=]?\s*)?$",
    re.IGNORECASE,
)


def _stands_alone(text: str, span: tuple[int, int], value_text: str) -> bool:
    """A single value that opens its line, at most after a label ("Value: 9.4 nmol/L"): a result
    whose name the reader could not find. Not a figure in a sentence, a row of a test the reader
    does not know ("Prolattina 11 ng/mL") or a reference range."""
    start = text.rfind("\n", 0, span[0]) + 1
    end = text.find("\n", span[1])
    after = text[span[1] : end if end >= 0 else len(text)]
    return (
        _VALUE_LABEL.match(text[start : span[0]]) is not None
        and len(re.findall(r"[^\W\d_]{2,}", after)) <= 3  # a flag, a unit: not a wrapped sentence
        and not re.search(r"[0-9]\s*[-–]\s*[0-9]", value_text)
    )


def _could_be(analyte: str, used: Measurement | None, unnamed: list[Orphan]) -> Orphan | None:
    """A value without a test name whose unit and size fit `analyte` and that differs from the
    value used: the report may hold a newer result for it in a row the reader could not name
    (a ratio from the other one would be shown as if certain)."""
    if used is None or used.value is None:
        return None
    spec = SPECS[analyte]
    for o in unnamed:
        factor = spec.factors.get(o.unit_key)
        if factor is None:
            continue
        value = o.number * factor
        if spec.plausible[0] <= value <= spec.plausible[1] and abs(value - used.value) > 1e-6 * max(
            1.0, abs(used.value)
        ):
            return o
    return None


def _free_fraction_issue(free: Measurement | None, total: Measurement | None) -> Issue | None:
    """A question when free testosterone is an impossible share of total testosterone (a unit
    or a decimal point is probably wrong), else None. Free is in pg/mL, total in ng/dL."""
    if free is None or total is None or free.value is None or not total.value:
        return None
    share = free.value / (total.value * 10.0)
    if share <= MAX_FREE_FRACTION:
        return None
    return Issue(
        "implausible",
        f"Free testosterone {free.value_as_typed} {free.unit_as_typed or ''} would be "
        f"{share:.0%} of your total testosterone; free testosterone is normally about 1-3%, so it "
        "was not used.".replace("  ", " "),
        f"Could you check the free testosterone result and its unit ({free.unit_as_typed or '?'})?",
        "free_t",
        free.span,
        free.turn,
    )


def _with_status(d: Derived, usable: dict[str, Measurement]) -> Derived:
    """A derived semen figure is only as sure as the values it was computed from."""
    inputs = [usable[a].status for a in _DERIVED_FROM.get(d.name, ()) if a in usable]
    return replace(d, status=ratios.weakest(*inputs))  # type: ignore[arg-type]


def _analyse(texts: list[str]) -> LabReport:
    issues: list[Issue] = []
    items: list[_Item] = []
    novalues: list[tuple[int, NoValue]] = []
    labels: list[Label] = []
    unnamed: list[Orphan] = []  # values with a hormone unit and no test name, not clarified
    for turn, raw in enumerate(texts):
        text = raw
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
            issues.append(
                Issue(
                    "truncated",
                    f"Only the first {MAX_CHARS:,} characters of a {len(raw):,}-character message "
                    "were read.",
                    turn=turn,
                )
            )
        turn_items, parsed, row_issues = _read_turn(text, turn)
        issues.extend(row_issues)
        novalues.extend((turn, nv) for nv in parsed.novalues)
        labels.extend(Label(h.kind, h.text, h.span, turn) for h in parsed.labels)  # type: ignore[arg-type]
        earlier = {it.mention.analyte: it for it in items}
        reply = (
            _unit_reply(text)
            if not parsed.mentions and not turn_items and not parsed.orphans
            else None
        )
        if reply is not None:
            turn_items.extend(_clarified(earlier, reply, None, turn, 0))
        issues.extend(
            Issue("unreadable", f"“{g.text}” after “{g.name_text}” could not be read ({g.reason}), "
                  "so it was not used.", f"What is the {g.name_text} result, with its unit?",
                  g.analyte if g.analyte in SPECS else None, g.span, turn)
            for g in parsed.garbled
        )  # fmt: skip
        for n_orphan, o in enumerate(parsed.orphans):
            found = _clarified(earlier, o.unit_key, o.number, turn, o.span[0])
            if found:
                turn_items.extend(found)
                continue
            if _stands_alone(text, o.span, o.value_text):
                unnamed.append(o)
            if n_orphan >= MAX_LISTED:
                continue
            issues.append(
                Issue(
                    "no_analyte",
                    f"{o.value_text} {o.unit_text} has no test name next to it, so it was not "
                    "used.",
                    f"Which test was {o.value_text} {o.unit_text}?",
                    None,
                    o.span,
                    turn,
                )
            )
        turn_items.sort(key=lambda it: it.order)
        items.extend(turn_items)
    kept: dict[str, int] = {}
    for it in items:
        kept[it.mention.analyte] = kept.get(it.mention.analyte, 0) + 1
    skip = {a: n - MAX_LISTED for a, n in kept.items() if n > MAX_LISTED}
    trimmed = []
    for it in items:
        a = it.mention.analyte
        if skip.get(a, 0) > 0:
            skip[a] -= 1
            continue
        trimmed.append(it)
    items = [_Item(it.turn, i, it.mention, it.note) for i, it in enumerate(trimmed)]

    latest, choice_notes, choice_issues = _in_force(items)
    issues.extend(choice_issues)
    unresolved = {i.analyte for i in choice_issues}
    items = [
        _Item(it.turn, it.order, it.mention, _join(it.note, choice_notes.get(it.order, "")))
        for it in items
        if it.mention.analyte not in unresolved
    ]
    by_order_item = {it.order: it for it in items}
    latest = {a: by_order_item[it.order] for a, it in latest.items()}
    first = {a: _read(it, None) for a, it in latest.items()}
    hints = _hints(first)
    readings: dict[int, Reading | None] = {}
    for it in items:
        a = it.mention.analyte
        if latest[a] is it:
            r = first[a]
            hint = hints.get(_HINTED.get(a, "")) if UNIT_UNKNOWN not in it.note else None
            if r is not None and r.issue_kind == "ambiguous_unit" and UNIT_UNKNOWN not in it.note:
                r = (
                    _unit_given_elsewhere(it, items)
                    or _unit_of_corrected(it, items)
                    or _unit_stated(it, texts)
                    or r
                )
            if r is not None and r.issue_kind == "ambiguous_unit" and hint is not None:
                r = _read(it, hint)
            elif r is not None and r.issue_kind == "ambiguous_unit":
                r = _own_unit(it, r, items)
            readings[it.order] = r
        else:
            readings[it.order] = _read(it, None)

    measurements: list[Measurement] = []
    by_order: dict[int, Measurement] = {}
    for it in items:
        current = latest[it.mention.analyte] is it
        meas = _measurement(it, readings[it.order], current, it.note)
        measurements.append(meas)
        by_order[it.order] = meas
    cur = {a: by_order[it.order] for a, it in latest.items()}
    implausible = _free_fraction_issue(cur.get("free_t"), cur.get("total_t"))

    def hold(analyte: str, why: str) -> None:
        """Keep the value in the table but do not use it; `why` is said beside it."""
        m = cur[analyte]
        held = replace(m, value=None, status="ambiguous", note=_join(m.note, f"not used: {why}"))
        measurements[measurements.index(m)] = held
        cur[analyte] = held

    def caution(analyte: str, why: str) -> None:
        """Keep using the value, with `why` said beside it; an "ok" status becomes "noted"."""
        m = cur[analyte]
        status = "noted" if m.status == "ok" else m.status
        noted = replace(m, status=status, note=_join(m.note, why))  # type: ignore[arg-type]
        measurements[measurements.index(m)] = noted
        cur[analyte] = noted

    if implausible is not None:
        issues.append(implausible)
        hold("free_t", "more than 10% of total testosterone")
    # A stated ratio beside results the text leaves unclear (a table of several draws, a row
    # with several values) comes from the same unclear place: it is asked about with them.
    unclear = {i.analyte for i in issues if i.kind in ("ambiguous_row", "ambiguous_value")}
    if "sperm_count" in unclear:
        # A "count" row that could not be read may be the newest concentration or total count:
        # a value for either from elsewhere in the text is not taken as current without asking.
        for analyte in ("concentration", "total_count"):
            if cur.get(analyte) is not None and cur[analyte].value is not None:
                hold(analyte, "a sperm count row of the report could not be read (see questions)")
    for stated, parts in (("te2_ratio", {"total_t", "e2"}), ("tlh_ratio", {"total_t", "lh"})):
        m = cur.get(stated)
        if m is not None and m.value is not None and unclear & parts:
            hold(stated, "the results it comes from are unclear (see the questions)")
    for analyte in _RATIO_INPUTS:
        other = _could_be(analyte, cur.get(analyte), unnamed)
        if other is not None:
            hold(analyte, f"{other.value_text} {other.unit_text} (no test name) could be a newer "
                 f"{lower_label(SPECS[analyte])} result")  # fmt: skip
    # Below 1 million sperm per mL, motility and morphology are shares of a handful of cells.
    below = _upper_bound("concentration", cur.get("concentration"), items, latest)
    conc = cur.get("concentration")
    if (below is not None and below <= 1) or (
        conc is not None and conc.usable and conc.value is not None and conc.value < 1
    ):
        for analyte in _SHARES_OF_SPERM:
            m = cur.get(analyte)
            if m is not None and m.usable and m.status == "ok":
                caution(analyte, _FEW_SPERM)
    # "31% motility" with no progressive figure beside it could be total or progressive
    # motility, which have different WHO limits (42 % and 30 %): asked, not assumed (also
    # beside a forward-progression grade, which many US reports print: readers differ on it).
    motility = cur.get("motility_total")
    if (
        motility is not None
        and motility.usable
        # (or noted only for where or when it was given: beside an older figure set aside, from
        # an earlier numbered analysis, or remembered)
        and (
            motility.status == "ok"
            or (
                motility.status == "noted"
                and any(n in motility.note for n in (_OLDER_ASIDE, FROM_MEMORY, _NOT_RESTATED))
            )
        )
        and cur.get("motility_progressive") is None
        and _BARE_MOTILITY.fullmatch(normalise(motility.name_as_typed or "").strip())
    ):
        hold("motility_total", _BARE_MOTILITY_NOTE)
        shown = f"{motility.value_as_typed} {motility.unit_as_typed or ''}".strip()
        issues.append(Issue(
            "ambiguous_analyte",
            f"Motility {shown} does not say whether it is total motility (progressive and "
            "non-progressive) or progressive motility, which WHO gives different lower limits.",
            f"Was {shown} your total motility or your progressive motility?",
            "motility_total", motility.span, motility.turn,
        ))  # fmt: skip
    # A total count the newest draw left out, beside that draw's volume and concentration: the
    # total count is theirs (derived below), not the earlier draw's.
    count = cur.get("total_count")
    drawn = earlier_draw(count.note) if count is not None and count.usable else None
    if drawn is not None and all(
        (m := cur.get(a)) is not None and m.usable and earlier_draw(m.note) is None
        for a in ("semen_volume", "concentration")
    ):
        hold("total_count", f"from an earlier draw ({drawn}) than the newest volume and "
             "concentration, which give the total count")  # fmt: skip
    if any(_WEIGHT_CHANGED.search(t) for t in texts):
        for analyte in _BODY_MEASURES:
            m, it = cur.get(analyte), latest.get(analyte)
            if m is None or not m.usable or it is None or _weighed_now(texts, it):
                continue
            label = lower_label(SPECS[analyte])
            issues.append(Issue(
                "stale_value",
                f"Your {label} {m.value_as_typed} may be from before the weight change you "
                "mention, so it was not used.",
                f"What is your {label} now?", analyte, m.span, m.turn,
            ))  # fmt: skip
            hold(analyte, "may be from before the weight change you mention")
    for analyte in _said_not_done(texts):
        m = cur.get(analyte)
        drawn = earlier_draw(m.note) if m is not None and m.usable else None
        if m is None or drawn is None:
            continue
        label = lower_label(SPECS[analyte])
        issues.append(Issue(
            "earlier_draw",
            f"Your {label} {m.value_as_typed} is from an earlier draw ({drawn}), and the text "
            "says the latest one did not include it, so it was not used.",
            f"Should the {label} of {drawn} be used beside your newest results?",
            analyte, m.span, m.turn,
        ))  # fmt: skip
        hold(analyte, f"from an earlier draw ({drawn}); the latest did not include it")
    for analyte, issue in _stale_body_measures(cur, latest):
        issues.append(issue)
        hold(analyte, "recorded long before the other results")
    for analyte, issue in _rounding_decides(cur):
        issues.append(issue)
        hold(analyte, "given as approximate, and the rounding decides an article cut-off")
    e2_caution_unclear = False
    for analyte, issue in _assumptions_that_decide(cur):
        issues.append(issue)
        if issue.kind == "caution_unit":
            e2_caution_unclear = True  # the ratios stand; only the caution waits for the unit
        else:
            hold(analyte, "the unit decides which side of an article cut-off you are on")
    usable = {a: m for a, m in cur.items() if m.usable}

    for it in items:
        meas = by_order[it.order]
        if not meas.current:
            in_force = cur[meas.analyte]
            if meas.status != "rejected" or in_force.usable:
                continue
        issue = _issue_for(meas, readings[it.order], it.mention)
        if issue is not None and not (
            meas.analyte == "sperm_count" and ("concentration" in usable or "total_count" in usable)
        ):
            issues.append(issue)

    mentioned = set(cur)
    seen_novalue: set[str] = set()
    for turn, nv in novalues:
        family = _FAMILY.get(nv.analyte, (nv.analyte,))
        if any(a in mentioned for a in family) or nv.analyte in seen_novalue:
            continue
        if nv.analyte == "te2_ratio" and {"total_t", "e2"} & mentioned:
            continue
        issue = _novalue_issue(nv, turn)
        if issue is not None:
            seen_novalue.add(nv.analyte)
            issues.append(issue)

    if "free_t" in usable and "total_t" not in usable and "total_t" not in cur:
        issues.append(
            Issue(
                "free_t_not_total",
                f"Free testosterone ({fmt(usable['free_t'].value or 0)} pg/mL) is kept separately "
                "and is never used for T/E2 or T/LH: those ratios need TOTAL testosterone.",
                "Do you have a total testosterone result (ng/dL, nmol/L or ng/mL)?",
                "free_t",
            )
        )

    stated = {a: m for a in ("te2_ratio", "tlh_ratio")
              if (m := cur.get(a)) is not None and earlier_draw(m.note) is None}  # fmt: skip
    te2 = _across_draws(
        ratios.te2_ratio(cur.get("total_t"), cur.get("e2"), stated.get("te2_ratio")),
        cur.get("total_t"), cur.get("e2"),
    )  # fmt: skip
    tlh = _across_draws(
        ratios.tlh_ratio(cur.get("total_t"), cur.get("lh"), stated.get("tlh_ratio")),
        cur.get("total_t"), cur.get("lh"),
    )  # fmt: skip
    bmi = ratios.bmi(cur.get("weight"), cur.get("height"), cur.get("bmi"))
    stated_bmi = cur.get("bmi")
    if (
        bmi is not None
        and stated_bmi is not None
        and stated_bmi.usable
        and stated_bmi.value is not None
        and abs(stated_bmi.value - bmi.value) >= 0.5
        and "as you stated" not in bmi.formula_text
    ):
        caution("bmi", f"weight and height give {ratios.bmi_display(bmi.value)}, the BMI used")

    def val(a: str) -> float | None:
        m = usable.get(a)
        return m.value if m is not None else None

    raw_semen = semen.SemenValues(
        val("semen_volume"),
        val("concentration"),
        val("total_count"),
        val("motility_total"),
        val("motility_progressive"),
        val("motility_nonprogressive"),
        val("morphology"),
    )
    semen_derived, completed = semen.derive(raw_semen)
    derived: list[Derived] = [bmi] if bmi is not None else []
    derived.extend(_with_status(d, usable) for d in semen_derived)
    described = tuple(
        SPECS[nv.analyte].label
        for _, nv in novalues
        if nv.analyte in ("lh", "fsh")
        and (nv.qualifier or "").lower().split()[-1:] in (["high"], ["elevated"], ["raised"])
        and nv.analyte not in mentioned
    )
    group_results = grp.evaluate(
        grp.GroupInputs(
            te2=te2,
            tlh=tlh,
            bmi=bmi,
            concentration=completed.concentration,
            total_count=completed.total_count,
            labels=tuple(labels),
            lh=val("lh"),
            fsh=val("fsh"),
            e2=val("e2"),
            e2_below=_upper_bound("e2", cur.get("e2"), items, latest),
            total_t=val("total_t"),
            e2_unit_unclear=e2_caution_unclear,
            described_high=tuple(dict.fromkeys(described)),
        )
    )
    return LabReport(
        measurements=tuple(measurements),
        ratios=tuple(r for r in (te2, tlh) if r is not None),
        derived=tuple(derived),
        semen=semen.categories(completed),
        groups=group_results,
        issues=tuple(issues),
        labels=tuple(labels),
    )
