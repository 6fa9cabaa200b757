"""Read a pasted lab report row by row: name, value, unit, flag and reference range in any order.

Stages, each a function below:
  1. `split_lines`       the text as lines with their offsets;
  2. `join_records`      portal layouts where a test's name stands alone on a line and its value,
                         unit, range and flag (or "Result:" / "Reference:" lines) follow on lines
                         of their own become one row;
  3. `read_line`         one line in the state the lines above left (`_Context`): a header row
                         (`header_of`: "Test  Result  Flag  Units  Reference" in several
                         languages, dates or units as column heads, "Result (nmol/L)" giving its
                         column a unit, "Partner A (F)  Partner B (M)" making his column the
                         result) gives each column a meaning until the next header; a line of
                         dates or units under it completes it; section headings ("Previous
                         analysis", "SA #2") and continuation lines are recognised; anything else
                         goes to `_read_rows`, which first strips a line's own label ("Previous
                         results:", a leading year "2024:", a numbered analysis "SA #1 09/15/24
                         |") and splits lines holding several tests (`_fields`: "Peso 92 kg ·
                         Talla 175 cm", "LH 4,2 U/l; FSH 3,6 U/l"; `_panels`: two OCR'd columns
                         run together). A row that does not line up with the header above
                         (`_fits`) is read on its own. The same line in the same state is read
                         once (a cache): a report pasted twice costs little more than once;
  4. `read_row`          a row's name cell is identified (names.py); its other cells are
                         tokenised (`tokens`) into dates, ranges, bounds, numbers, units, flags,
                         "not detectable" and "withdrawn" marks and words; reference intervals,
                         flags, lab codes, dates, footnote markers and a trailing comment cell
                         (`_without_comment`) are skipped; the value of the current column is
                         taken (its unit from the cell after it, the column head, or the
                         report's footnote legend: `footnote_units`), older columns and "previous
                         result" values are kept as older values, a row's own date cell dates
                         it; of several values, those in a unit the test is not reported in are
                         another measure (`_fitting_units`: "12.4 %  1.39 M/ml" for a motility
                         grade); a withdrawn result, a garbled value or a unit this reader does
                         not know ("22 zillió/ml") is asked about (`_Unusable`);
  5. `read_report`       the whole text: rows become `Mention`s (as the prose reader's), lines
                         that are not rows are left for the prose reader; rows under an earlier
                         numbered analysis ("SA#1") are older (`_older_numbered`); a paste cut off
                         right after a bare number is asked about (`_cut_off_end`); a row that
                         cannot be read for sure becomes an `Issue` that asks.

Nothing here converts units or judges values (units.py and pipeline.py do); a row whose name is
unknown is never read, and a value is never taken from a reference interval.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .asides import CHAT_HEAD, CHAT_LEADS
from .names import identify, normalise, pair_names
from .parse import GARBLED, SUPERSCRIPT_DIGITS, Mention
from .types import Issue, shifted
from .unit_table import TEN_TO, canonical_unit, scan_pattern
from .units import ACCEPTS, SPECS, UNIT_ANALYTE, analyte_label

# -- tokens of a row ---------------------------------------------------------------------------

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|janv|fev|fevr|mars|avr|mai|juin|juil|aout|sept|okt|dez|mrz|ene|abr|ago|dic)[a-z]*\.?"  # noqa: E501
_NUM = (
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]{1,3}(?:\.[0-9]{3}){2,}(?:,[0-9]+)?"
    r"|[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)"
)
_TIMES_TEN = rf"(?:[ ]?[x×*][ ]?{TEN_TO}[0-9⁰¹²³⁴⁵⁶⁷⁸⁹]{{1,2}})?"
_DATE = rf"""(?<![0-9.,])(?:
      [0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}
    | [0-9]{{1,2}}(?P<date_sep>[./-])[0-9]{{1,2}}(?P=date_sep)(?:[0-9]{{4}}|[0-9]{{2}})
    | [0-9]{{1,2}}[ -]{_MONTH}[ -][0-9]{{2,4}}
    | {_MONTH}[ ][0-9]{{1,2}},?[ ][0-9]{{4}}
    | {_MONTH}[ ](?:19|20)[0-9]{{2}}
  )(?![0-9]|[.,][0-9])"""  # one separator twice: "16.5-55.9" is a range, not a date
TOKEN = re.compile(
    rf"""
    (?P<date> {_DATE} )
  | (?P<time> (?<![0-9.,])[0-9]{{1,2}}(?::[0-9]{{2}}(?::[0-9]{{2}})?|h[0-9]{{2}})
      (?:[ ]?[ap]\.?m\.?)?(?![0-9])
    # an hour after collection: "à la 1ère heure", "nach 2 Stunden" (not "16.2 h", a flag; "1 Hr
    # 2 Hrs" heads columns of a table)
    | (?<![0-9.,])[0-9]{{1,2}}(?:(?:ère|ere|er|re|st|nd|rd|th|e)[ ]?(?:heures?|hours?|hrs?|stunden?|
      std|ora|ore|uur|horas?)|[ ]?(?:heures?|stunden?|std|ora|ore|uur|horas?))(?![a-z])
    # minutes after collection, or a span of them: "(30 min – 1 h)", "60 min"
    | (?<![0-9.,])[0-9]{{1,3}}[ ]?(?:min|mn)\.?(?:[ ]?(?:-|–|—|to|à|a|bis)[ ]?[0-9]{{1,2}}[ ]?
      (?:h|min|mn)(?![a-z]))?(?![a-z]) )
  | (?P<range> (?<![0-9.,])(?P<r1>{_NUM})[ \t]{{0,3}}
      (?:-|–|—|‐|~|〜|～|to|bis|a|à|al|tot|do)[ \t]{{0,3}}(?P<r2>{_NUM})(?![0-9]) )
  | (?P<bound> (?:<=|>=|=<|=>|[<>≤≥⩽⩾]|<[ ]?or[ ]?=|>[ ]?or[ ]?=
        |(?<![a-z])(?:até|ate|hasta|up[ ]to|bis|tot|fino[ ]a
          |(?:superior|inferior|maior|menor|mayor|acima|abaixo)(?:[ ]ou[ ]igual)?[ ](?:a|que|de)
          |(?:sup[ée]rieur|inf[ée]rieur)e?[ ](?:ou[ ][ée]gal[ ])?[àa]
          |(?:greater|less|more|higher|lower)[ ]than|above|below|über|unter)[ ])[ \t]{{0,3}}
      (?P<b>[0-9]{{1,3}}(?:[ \u00a0\u202f][0-9]{{3}})+(?=[ \u00a0]?/)|{_NUM}){_TIMES_TEN}(?![0-9]) )
  | (?P<unit> (?<![a-z])(?:{scan_pattern()}) )
  | (?P<spaced> (?<![0-9.,])[0-9]{{1,3}}(?:[ \u00a0\u202f][0-9]{{3}})+
      (?=[ \u00a0]?/[ \u00a0]?(?:ml|ejac|éjac))
    | (?<![0-9.,])[0-9]{{1,3}}(?:[\u00a0\u202f][0-9]{{3}})+(?![0-9.,]) )  # no-break spaces
  | (?P<garbled> (?<![0-9.,a-z])(?:{GARBLED}
      |[0-9]+(?:[.,][0-9]+)?(?:[osb]|\?(?=[ \t]*$|[ \t]{{2}}|\t))  # "4S", "9?" (unsure)
      # a scanned cell with letters for digits ("l2.o", "o.l86l", "2o4"): asked, not guessed
      |[sb][.,][0-9]+(?![a-z0-9.,])  # "S.8": an S or B read for a 5 or 8
      |(?=[0-9oli.,]*[0-9])(?:[0-9]*[oli][0-9oli]*(?:[.,][0-9oli]+)?|[0-9oli]+[.,][0-9]*[oli][0-9oli]*)
        [hl]?(?![a-z0-9.,]))
      (?![a-z0-9]) )
  | (?P<edition> (?<![a-z])who[ \t,]*(?:19|20)[0-9]{{2}}(?![0-9]) )  # "WHO 2021": an edition
  | (?P<number> (?<![0-9.,a-z])(?P<n>{_NUM})
      (?:[ ]?[x×*][ ]?{TEN_TO}(?P<exp>[0-9⁰¹²³⁴⁵⁶⁷⁸⁹]{{1,2}})(?![ \t]{{0,3}}/[ \t]{{0,3}}l(?![a-z]))
        | e(?P<exp2>[+-]?[0-9]{{1,3}})(?![a-z]) )?
      (?![0-9]) )
  | (?P<flag> (?<![a-z])(?:hh|ll|h|l|a|high|low|abnormal|critical|hoch|niedrig|erhoht|
        erniedrigt|bas|haut|alto|bajo)(?![a-z]) | [*↑↓⇑⇓▲▼] | \((?:h|l|hh|ll|a)\) )
  | (?P<undetected> (?<![a-z])(?:n\.[ ]?[nd]\.?|not[ ]detect(?:ed|able)|undetectable|
        below[ ]detection(?:[ ]limit)?|nicht[ ]nachweisbar|non[ ]d[ée]tectable|ind[ée]tectable|
        no[ ]detectable|niet[ ]aantoonbaar|ej[ ]p[åa]visbar|ikke[ ]p[åa]visel?ig)(?![a-z]) )
  | (?P<withdrawn> (?<![a-z])(?:withdrawn|retracted|cancel+ed|annul+ed|annul[ée]|anulad[oa]|
        storniert|zur[üu]ckgezogen|vervallen|ingetrokken|makulerad|annuller(?:et|t))(?![a-z]) )
  | (?P<empty> -{{2,}}|—|–(?![0-9])|(?<![a-z])n/?a(?![a-z])|not[ ](?:done|applicable|assessable|
        provided|measured|performed)|see[ ]comment|nicht[ ]bestimmt|non[ ]fait|pending )
  | (?P<zero> (?<![a-z])(?:nil|none[ ]seen|zero|no[ ]sperm(?:atozoa)?(?:[ ]seen)?|
        azoospermi[ac]|keine[ ]spermien|absence[ ]de[ ]spermatozo[iï]des)(?![a-z]) )
  | (?P<word> [^\W\d_]+ )
    """,
    re.VERBOSE,
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CELL_GAP = re.compile(r"\t| {2,}|\u00a0{2,}|[ \t]*\|[ \t]*|[ \t]*\.{3,}[ \t]*|[ \t]+:[ \t]+")
_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_OLDER_WORDS = _words(
    "previous prior earlier last vorwert vorwerte vorbefund anteriorites "
    "anteriorite anterieur anterior anteriores historique old older before was "
    "vorige vorig eerdere precedente precedenti precedent precedents prec tidigare forrige "
    "previo previa previos previas vorherige vorheriger vorheriges fruhere fruherer "
    "edellinen aiempi poprzedni poprzednie predchozi elozo onceki "
    "пред предыдущии предыдущие предыдущее попереднии попередні"
)
_CURRENT_WORDS = _words("result current latest resultat ergebnis befund resultado value результат")
_REF_WORDS = _words(
    "reference ref range normal interval limit limits lrl normbereich referenz "
    "referenzbereich valeurs valeur references valores intervalo rango norm referencia "
    "referencias riferimento referentie referentiewaarden zakres referentiewaarde "
    "referensintervall referanseomrade viitearvot referans tartomany meze normwerte norme normes "
    "normas normen normwaarden "
    "αναφορασ референсные референтные референтні референсні норма нормы значения значення"
)
# Header cells by meaning, in priority order ("Current Result and Flag" is a result column).
# Words are as `normalise` gives them (accents removed): "Sonuç" is "sonuc", "Μονάδες" "μοναδεσ".
_HEADER_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("previous", _OLDER_WORDS),
    ("result", _CURRENT_WORDS | _words(
        "your resultats wert native neat raw befund tulos uitslag vysledek eredmeny sonuc "
        "wynik risultato esito αποτελεσμα resultaat waarde valor valore verdi arvo svar "
        "结果 結果 検査結果 测定值 測定値 결과 검사결과"
    )),
    ("ref", _REF_WORDS | _words("standard rif rif. norma 参考区间 参考范围 参考值 參考值 参考範囲 "
                                "基準値 基準範囲 참고치 참고범위 참고구간")),
    ("unit", _words(
        "unit units einheit einheiten unites unite unidades unidad enhet enhed eenheid yksikko "
        "jednotka mertekegyseg birim jednostka unita μοναδεσ μοναδα ед изм единицы од вим "
        "单位 單位 単位 단위"
    )),
    ("flag", _words("flag flags markierung poikkeava avvikelse afwijking hodnoceni")),
    ("lab", _words("lab site performing hastane laboratuvar")),
    ("other", _words("prepared post washed dgc processed")),
    ("name", _words(
        "test tests name analyte parameter component untersuchung analyse prueba examen "
        "biomarker marker determinacion analyt analysis komponente analys tutkimus bepaling "
        "vysetreni vizsgalat megnevezese tahlil tetkik badanie esame исследование показатель тест "
        "дослідження показник аналіз анализ 项目 項目 检验项目 検査項目 항목 검사항목"
    )),
)  # fmt: skip
# A column per person (a couple's work-up: "Partner A (F, 33)   Partner B (M, 35)", "Him   Her"):
# his column is the result, hers is set aside ("partner"). A bare "M" or "F" counts only beside
# a word for a person.
_PERSON_WORDS = _words("partner patient person spouse")
_HIS_WORDS = _words("male man husband him his mann homme hombre uomo")
_HER_WORDS = _words("female woman wife her hers frau femme mujer donna vrouw kvinna")
# Numbers a header may hold: dates, years ("WHO 2010"), "10^6", "(5th centile)", "1 h", the
# person of a column ("Partner 2", "(M, 35)").
_HEADER_NOISE = re.compile(
    r"(?<![0-9])[0-9]{1,4}[./-][0-9]{1,2}[./-][0-9]{2,4}|(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])"
    r"|(?<![0-9.,])(?:0?[1-9]|1[0-2])[./-](?:19|20)[0-9]{2}(?![0-9])"  # "Vorbefund 11/2024"
    r"|10(?:\^[0-9]+|[⁶⁷⁸⁹]|6(?=[ ]?/))|x10"  # "10^6/mL", "106/mL": not "104", a value
    r"|(?<![0-9])[0-9]{1,3}(?:st|nd|rd|th)\b|[0-9]{1,2}:[0-9]{2}"
    r"|(?<![0-9])[0-9]{1,3}(?:\.|e)? ?(?:ed|edition|auflage|centile|percentile|perzentile?|"
    r"percentil|percentiel|persentiili)"
    r"|(?<![a-z])(?:partner|patient|person)[ ]?[0-9a-d](?![0-9])"  # "Partner 2", "Patient B"
    r"|\((?:m|f|male|female)[ ]?[,/;][ ]?[0-9]{1,2}[ ]?y?\)"  # "Partner B (M, 35)"
    r"|(?<![0-9a-z.,])(?:e2|e3|t3|t4|b12|d3)(?![0-9a-z.,])"  # analyte names: "E2 (pg/mL)"
)
_UNIT_ABBREVIATIONS = frozenset({"u m", "um", "u mis", "einh", "ud", "uds", "jedn", "j m"})
_BEFORE_WASH = re.compile(r" (?:pre ?wash(?:ed)?|before (?:the )?wash(?:ing)?|unwashed) ")
_RESULT_PHRASE = re.compile(r"\b(?:in range|out of range|within range|outside range)\b")
_SEMEN = re.compile(
    r"semen|semin(?:al|ale|ales)\b|sperm|σπερμ|sæd|säd|siemenneste|ejakul|ejaculat|spermogramme|"
    r"seminograma|motil|nasien|plemnik|espermatoz|espermogram|zaadcel|spermien"
    r"|сперм|эякул|еякул|精液|精子|정액|정자"
    r"|\b(?:sa[ ]?\#[ ]?[0-9]|tmc|morph|conc)\b",  # "SA #2 | vol 2.1 mL | conc 12 M/mL"
    re.I,
)
# Words that make a line a sentence, not a report row ("my T was 9.4 last year and 15 now").
_PROSE = _words(
    "my i im ive is was were are am went got came had have has now then last year "
    "years ago since said says he she we our his her they their me mine think "
    "thought because when if about around and the with for from should recommended "
    "consider please suggest would could which"
)
_MAX_FREE_WORDS = 3


@dataclass(frozen=True)
class Token:
    kind: str
    start: int  # offsets in the whole text
    end: int
    text: str
    value: float | None = None
    value2: float | None = None


@dataclass(frozen=True)
class Line:
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Column:
    start: int  # offset of the header cell within its line (aligned text) ...
    index: int  # ... and its position among the cells (tab- or comma-separated text)
    kind: str  # name, result, previous, unit, ref, flag, lab, date, drawn, other
    when: str | None = None  # yyyy-mm-dd for a date column
    unit: str | None = None  # from a row of units under the header
    analyte: str | None = None  # a table with tests as columns and draws as rows
    second: str | None = None  # ... whose head names two ("LH/FSH (IU/L)": cells "5.6/5.9")


@dataclass(frozen=True)
class Layout:
    columns: tuple[Column, ...]
    separator: str  # "tab" or "space" (comma-separated text is read as tab-separated)
    comma: bool = False  # the rows under it are comma-separated

    @property
    def transposed(self) -> bool:
        return any(c.kind == "analyte" for c in self.columns)

    def column_at(self, cell_start: int, index: int) -> Column | None:
        if self.separator != "space":
            return next((c for c in self.columns if c.index == index), None)
        best = None
        for c in self.columns:
            if c.start <= cell_start + 2:
                best = c
        return best


@dataclass
class ReportReading:
    """What the row reader found: mentions, issues, and the spans of the lines it consumed."""

    mentions: list[Mention] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    consumed: list[tuple[int, int]] = field(default_factory=list)
    rows: int = 0
    row_lines: set[int] = field(default_factory=set)  # start offsets of lines read as rows
    headers: int = 0

    @property
    def is_report(self) -> bool:
        """Rows on at least two lines, or a header with a row under it: a pasted report."""
        return len(self.row_lines) >= 2 or (
            self.headers > 0 and (self.rows > 0 or bool(self.issues))
        )


def to_number(text: str, decimal_comma: bool) -> float:
    """A report number: "3,42" (decimal comma), "1,046" (thousands, unless the report writes
    decimals with commas), "21 000 000", ".5"."""
    t = text.replace("\u00a0", " ").replace("\u202f", " ").replace(" ", "")
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?", t) and (
        decimal_comma or t.count(".") > 1
    ):
        t = t.replace(".", "")  # "800.000/mL", "16.000.000": dots group thousands
    if "," in t and "." in t:
        t = t.replace(",", "")
    elif "," in t:
        head, _, tail = t.rpartition(",")
        thousands = len(tail) == 3 and t.count(",") >= 1 and not decimal_comma and head != "0"
        t = t.replace(",", "") if thousands else head.replace(",", "") + "." + tail
    return float(t)


def tokens(low: str, offset: int, decimal_comma: bool) -> list[Token]:
    """The tokens of `low` (a lowered line or cell) with offsets shifted by `offset`."""
    base = _tokens_at_zero(low, decimal_comma)
    if not offset:
        return list(base)
    return [Token(t.kind, t.start + offset, t.end + offset, t.text, t.value, t.value2)
            for t in base]  # fmt: skip


@functools.lru_cache(maxsize=2048)
def _tokens_at_zero(low: str, decimal_comma: bool) -> tuple[Token, ...]:
    out = []
    for m in TOKEN.finditer(low):
        kind = m.lastgroup or "word"
        if kind == "edition":
            kind = "word"  # the year of "WHO 2021" names the manual, it is no result
        start, end = m.start(), m.end()
        text = m.group(0)
        value = value2 = None
        try:
            if kind == "range":
                value = to_number(m.group("r1"), decimal_comma)
                value2 = to_number(m.group("r2"), decimal_comma)
            elif kind == "bound":
                value = to_number(m.group("b"), decimal_comma)
            elif kind == "spaced":
                kind, value = "number", to_number(text, decimal_comma)
            elif kind == "number":
                value = to_number(m.group("n"), decimal_comma)
                exp = m.group("exp") or m.group("exp2")
                if exp is not None:
                    power = int(exp.translate(SUPERSCRIPT_DIGITS))
                    value = value * 10.0**power if power < 400 else float("inf")
            elif kind == "zero":
                value = 0.0
        except (ValueError, OverflowError):
            kind = "word"
        if kind == "number" and damaged(low, start, end):
            kind = "garbled"  # "▒8", "3_ %", "1?.8": a digit lost in a scan, asked not guessed
        out.append(Token(kind, start, end, text, value, value2))
    return tuple(out)


# What a scan leaves where it lost a digit: a shade or box glyph, an underscore, a question
# mark inside a number (and, in `damaged`, a letter read for a digit).
_LOST_DIGIT = "▒░▓□■▯�_"


def damaged(low: str, start: int, end: int) -> bool:
    """Whether the number at `low[start:end]` stands beside a mark of a lost digit."""
    before = low[start - 1] if start else ""
    after = low[end : end + 3]
    return (
        (before != "" and before in _LOST_DIGIT)
        or (after[:1] != "" and after[:1] in _LOST_DIGIT)
        # "1?.8", "6? %": a question mark where a digit was, before more of the number or its %
        or (after[:1] == "?" and re.match(r"\?(?:[0-9.,]|[ ]?%)", after) is not None)
        or (before == "?" and start >= 2 and low[start - 2].isdigit())
        # a letter read for a digit: "2,B8" (2,88 or 2,38?), "3S,6", "1O,2", "5,B"
        or re.match(r"[.,][a-z][0-9]|[a-z][.,][0-9]|[.,][oilbszg](?![^\W_])", after) is not None
    )


# -- stage 1 and 2: lines and records ----------------------------------------------------------


def split_lines(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = _unpiped(raw.rstrip("\r\n"))
        out.append(Line(pos, body))
        pos += len(raw)
    return out


_PIPED_ROW = re.compile(r"^(\s*)\|(.*)\|(\s*)$")
_RULE_ROW = re.compile(r"^[\s|:+=-]*-{3,}[\s|:+=-]*$")


def _unpiped(body: str) -> str:
    """A Markdown table row read like a tab-separated one, same length (offsets still point into
    the text): "| Total T | 298 ng/dL |" -> "  Total T \t 298 ng/dL  ", "|---|---|" -> blank.
    Its cells are found by their place in the row, not by their position in the line: Markdown
    does not align its columns."""
    if _RULE_ROW.match(body) and "|" in body:
        return " " * len(body)
    m = _PIPED_ROW.match(body)
    return f"{m.group(1)} {m.group(2).replace('|', chr(9))} {m.group(3)}" if m else body


def _lower(text: str) -> str:
    return text.translate(_LOWER)


def _cells(line: Line, separator: str) -> list[tuple[int, str]]:
    """(offset within the line, text) of each non-empty cell."""
    if separator in ("tab", "comma"):
        parts, pos = [], 0
        for piece in line.text.split("\t" if separator == "tab" else ","):
            parts.append((pos, piece))
            pos += len(piece) + 1
        return [(p + len(c) - len(c.lstrip()), c.strip()) for p, c in parts]
    out, pos = [], 0
    for gap in _CELL_GAP.finditer(line.text):
        piece = line.text[pos : gap.start()]
        if piece.strip():
            out.append((pos + len(piece) - len(piece.lstrip()), piece.strip()))
        pos = gap.end()
    piece = line.text[pos:]
    if piece.strip():
        out.append((pos + len(piece) - len(piece.lstrip()), piece.strip()))
    return out


def _name_only(line: Line, semen: bool) -> str | None:
    """The analyte of a line that is just a test name (a portal layout's first line)."""
    return _name_only_text(line.text, semen)


@functools.lru_cache(maxsize=2048)
def _name_only_text(text: str, semen: bool) -> str | None:
    text = _strip_markers(text.strip().rstrip(":"))
    if not text or len(text) > 60 or re.search(r"[0-9]", re.sub(r"\([^)]*\)", "", text)):
        return None
    analyte = identify(text, semen)
    if analyte is None or not _named_by(text, analyte, semen):
        return None  # the test's name must lead the line
    return analyte


_CLOSING_ABBREVIATION = re.compile(r"(?:\s[-–—]\s*|\()\s*([A-Z][A-Z0-9/]{1,7})\)?\s*$")


def _named_by(name: str, analyte: str, semen: bool) -> bool:
    """Whether `name` is the test's name: its first words name the analyte ("healthy males (BMI
    <30)" is not BMI), or it closes with the analyte's abbreviation ("GLOBULINA LIGADORA DE
    HORMÔNIOS SEXUAIS - SHBG")."""
    if identify(" ".join(name.split()[:3]), semen) == analyte:
        return True
    last = _CLOSING_ABBREVIATION.search(name)
    return last is not None and identify(last.group(1), semen) == analyte


def join_records(lines: list[Line], semen: bool) -> list[tuple[Line, list[Line]]]:
    """Each line with the value lines that belong to it (portal layouts); other lines alone."""
    out: list[tuple[Line, list[Line]]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _name_only(line, semen) is not None:
            j = i + 1
            # A name wrapped onto a second line ("TESTOSTERONE," / "BIOAVAILABLE") is one name.
            while j < len(lines) and (wrapped := _wrapped_name(line, lines[j], semen)) is not None:
                line, j = wrapped, j + 1
            tail: list[Line] = []
            taken: list[int] = []  # where each tail line stands in `lines`
            if j < len(lines) and (split := _name_ends_on_next(line, lines[j])) is not None:
                (line, first), j = split, j + 1  # "ESTRADIOL, ULTRASENSITIVE," / "LC/MS  4O H"
                tail.append(first)
                taken.append(j - 1)
            while j < len(lines) and len(tail) < 8:
                nxt = lines[j]
                if not nxt.text.strip() and tail:
                    break
                if not nxt.text.strip() or _METADATA.match(nxt.text):
                    j += 1  # a blank line, or "Material: Soro   Método: ...": no cell
                    continue
                if _name_only(nxt, semen) is not None or _starts_with_name(nxt, semen):
                    break
                if _COMMENT.match(nxt.text):
                    break
                if _older_label(nxt, semen) is not None:
                    break  # "Previous results: LH 3.1": a row of its own
                if tail and _older_value_line(nxt):
                    tail.append(nxt)  # "Resultados anteriores: 298 ng/dL (12/08/2024)" under a
                    taken.append(j)  # record's result: the record's older value
                    j += 1
                    continue
                if (
                    tail
                    and len(nxt.text.split()) >= 5
                    and len(nxt.text.strip()) > 30
                    and not _REFERENCE_LINE.match(nxt.text)
                    and not (_labelled_value_line(nxt) and _row_like(nxt.text, semen))
                ):
                    break  # a sentence (a footnote, the performing site), not a cell
                if header_of([nxt]) is not None and not any(ch.isdigit() for ch in nxt.text):
                    j += 1  # "Your Value", "Standard Range", "Flag" on lines of their own
                    continue
                tail.append(nxt)
                taken.append(j)
                j += 1
            # A closing line with no figure ("Filed by: Dr A Khan", "Below low reference
            # limit") may be set aside if the record reads as a row without it.
            while (
                tail
                and not _row_like(" ".join(t.text for t in tail), semen)
                and not any(ch.isdigit() for ch in tail[-1].text)
            ):
                tail.pop()
                j = taken.pop()
            if (tail and any(_opens_with_value(t) or _garbled_start(t) for t in tail)
                    and _row_like(" ".join(t.text for t in tail), semen)):  # fmt: skip
                out.append((line, tail))
                i = j
                continue
        out.append((line, []))
        i += 1
    return out


_NAME_THEN_GAP = re.compile(r"[ \t]*([^\W\d_][^0-9\t]{0,30}?)(?:\t|[ ]{2,})(?=\S)")


def _name_ends_on_next(name: Line, nxt: Line) -> tuple[Line, Line] | None:
    """A name that ends with a comma and finishes on the next line, whose value follows it
    there ("ESTRADIOL, ULTRASENSITIVE," / "LC/MS        4O H   <OR= 29 pg/mL"): the name, and
    the rest of that line as its value line."""
    if not name.text.rstrip().endswith(",") or nxt.start != name.end + 1:
        return None
    head = _NAME_THEN_GAP.match(nxt.text)
    if head is None or len(head.group(1).split()) > 3:
        return None
    rest = Line(nxt.start + head.end(), nxt.text[head.end() :])
    if not _opens_with_value(rest) and not _garbled_start(rest):
        return None
    return Line(name.start, f"{name.text}\n{nxt.text[: head.end(1)]}"), rest


def _garbled_start(line: Line) -> bool:
    toks = tokens(_lower(line.text), 0, False)
    return bool(toks) and toks[0].kind == "garbled"


def _labelled_value_line(line: Line) -> bool:
    """A stacked portal line: a column heading, then the value ("Previous Result and Date
    298  08/14/2024")."""
    toks = tokens(_lower(line.text), 0, False)
    lead = list(itertools.takewhile(lambda t: t.kind == "word", toks))
    return (
        bool(lead)
        and len(lead) < len(toks)
        and all(normalise(t.text).strip() in _HEADER_WORDS | _JOINS for t in lead)
    )


def _wrapped_name(name: Line, nxt: Line, semen: bool) -> Line | None:
    """`name` and the line after it as one name, when that line only continues it: a few
    words, no figure, no name of its own, and the two read together as a test."""
    words = nxt.text.strip()
    if (nxt.start != name.end + 1 or not words or len(words) > 40 or re.search(r"[0-9]", words)
            or _name_only(nxt, semen) is not None or header_of([nxt]) is not None
            or _METADATA.match(nxt.text)):  # fmt: skip
        return None
    joined = Line(name.start, f"{name.text}\n{nxt.text}")
    if words.startswith("(") and words.endswith(")") and "(" not in words[1:]:
        # the method in brackets under the name ("(Précipitation au sulfate d'ammonium)"): its
        # words name no test, whatever they contain
        return joined
    return joined if _name_only_text(" ".join(joined.text.split()), semen) is not None else None


# A value line's reference interval on a line of its own ("Valores de Referência: Homens: 11,3 a
# 43,2 pg/mL", "Normal range: 8.64 to 29 nmol/L"): a cell, however many words it has.
_REFERENCE_LINE = re.compile(
    r"\s*(?:ref(?:erence)?\b|normal (?:range|values?)|valores? de refer|valeurs? de r[ée]f|"
    r"referenz|intervalo de refer|rango de refer|valori di riferimento|vr\s*:|bio\.? ?ref|"
    r"参考|參考|正常值|基準値|基準範囲|참고)",
    re.IGNORECASE,
)
# A line about how the sample was taken or tested, under a test's name ("Material: Soro
# Método: Eletroquimioluminescência", "Specimen: Serum", "Method: ECLIA").
_METADATA = re.compile(
    r"\s*(?:material|m[eé]todo|method|m[eé]thode|methode|specimen|sample|amostra|muestra|"
    r"probe|probenart|technique|t[eé]cnica|assay|analyseur|analyzer|equipment)\s*:",
    re.IGNORECASE,
)
_COMMENT = re.compile(
    r"\s*(?:comments?|notes?|remarks?|kommentar|bemerkung|commentaire|comentario|interpretation|"
    r"clinical significance)\b",
    re.IGNORECASE,
)


_LEADING_CODE = re.compile(r"\s*\([^\s()]{1,20}\)")  # "(A09.05.132)": a test's code, wrapped


_NUMBERED_NAME = re.compile(
    r"\s*[0-9]{1,2}(?:-|\s)?(?:beta|alpha|oh|β|α)\b|\s*[0-9]{1,2}-[a-z]{2,}", re.IGNORECASE
)


def _opens_with_value(line: Line) -> bool:
    """A portal value line: it starts with a number, a bound, "nil", "--", or "Result:", after
    at most one bracketed code (a test name wrapped onto two lines ends with its code)."""
    if _NUMBERED_NAME.match(line.text):
        return False  # "17-beta Estradiolo   24 pg/mL": a name that starts with a number
    code = _LEADING_CODE.match(line.text)
    toks = tokens(_lower(line.text[code.end() :] if code else line.text), 0, False)
    if not toks:
        return False
    if toks[0].kind in ("number", "bound", "zero", "empty"):
        return True
    return toks[0].kind == "word" and normalise(toks[0].text).strip() in _CURRENT_WORDS


def _starts_with_name(line: Line, semen: bool) -> bool:
    cells = _cells(line, "space")
    if len(cells) < 2:
        return False
    return identify(cells[0][1], semen) not in (None,)


# -- stage 3: headers --------------------------------------------------------------------------


def _date_key(text: str, day_first: bool | None) -> str | None:
    """yyyy-mm-dd of a date token; None when the day and month cannot be told apart."""
    t = text.strip().lower()
    m = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", t)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = re.fullmatch(r"([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{2,4})", t)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year = year + 2000 if year < 100 else year
        if a > 12 or (day_first and b <= 12):
            day, month = a, b
        elif b > 12 or day_first is False:
            day, month = b, a
        else:
            return f"{year:04d}-??-??" if a != b else f"{year:04d}-{a:02d}-{a:02d}"
        return f"{year:04d}-{month:02d}-{day:02d}"
    months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    m = re.search(r"([0-9]{4})", t)
    name = re.search(r"[a-z]{3}", t)
    day = re.search(r"(?<![0-9])([0-9]{1,2})(?![0-9])", t)
    if m and name and name.group(0) in months and day:
        return f"{m.group(1)}-{months.index(name.group(0)) + 1:02d}-{int(day.group(1)):02d}"
    if m and name and name.group(0) in months:  # "Oct 2024": any day of it is later
        return f"{m.group(1)}-{months.index(name.group(0)) + 1:02d}-00"
    return None


def day_first_convention(text: str) -> bool | None:
    """Whether slash dates in `text` are day-first (a first part over 12), month-first, or
    unknown. Dates written with dots ("05.03.2025") are day-first where nothing says otherwise:
    no month-first convention writes them so."""
    firsts = seconds = dotted = 0
    # the same separator twice: "46.0-224.0" is a reference range, not a date
    for m in re.finditer(r"(?<![0-9.,])([0-9]{1,2})([./-])([0-9]{1,2})\2[0-9]{2,4}(?![0-9])", text):
        a, b = int(m.group(1)), int(m.group(3))
        firsts += a > 12
        seconds += b > 12
        dotted += m.group(2) == "."
    for m in _SHORT_DATE.finditer(text):  # "since 15/01": a day and month, no year
        firsts += int(m.group(1)) > 12
        seconds += int(m.group(2)) > 12
    if firsts and not seconds:
        return True
    if seconds and not firsts:
        return False
    if firsts or seconds:
        return None
    # Nothing in the dates decides: a report written in a language of day-first countries is.
    if dotted:
        return True
    # a report's own words stand at its top: the first few thousand characters are enough
    return True if len(set(normalise(text[:4000]).split()) & _DAY_FIRST_WORDS) >= 2 else None


_SHORT_DATE = re.compile(
    r"\b(?:since|on|from|until|till|dated|starting|started)\s+([0-9]{1,2})/([0-9]{1,2})(?![0-9./])",
    re.IGNORECASE,
)
# Report words of languages whose countries all write the day first (Spanish, French, German,
# Italian, Portuguese, Dutch); no month-first country prints its reports in them.
_DAY_FIRST_WORDS = _words(
    "fecha paciente prueba resultado resultados unidades referencia extraccion datum befund "
    "ergebnis einheit referenzbereich resultat resultats unites prelevement valeurs "
    "risultato risultati unita riferimento prelievo exame unidade coleta uitslag "
    "uitslagen eenheid referentiewaarde afname"
)


def _separator(line: Line) -> str:
    if "\t" in line.text:
        return "tab"
    if line.text.count(",") >= 3 and "  " not in line.text.strip():
        return "comma"
    return "space"


_LEADER = re.compile(r"\.{4,}|…{2,}|(?:\. ){3,}")


# "Date" in the languages the reports come in (a column head, a "Date:" label).
_DATE_WORD = r"date|datum|fecha|data|tarih|tarihi"
# A column head saying each row carries its draw's date: "Date", "Sample date", "Fecha",
# "Provtagningsdatum", "Entnahmedatum", "Data prelievo", "Collected".
_DRAW_DATE_HEAD = re.compile(
    rf"^(?:\w+\s)?(?:{_DATE_WORD}|\w+datum|collected|drawn)(?:\s\w+)?$", re.IGNORECASE
)


def header_of(lines: list[Line], day_first: bool | None = None) -> Layout | None:
    """The columns a header line (or a header line plus date/time/unit lines) defines."""
    line = lines[0]
    comma = _separator(line) == "comma"
    low = _lower(line.text)
    plain = _REMARK.sub(" ", low)  # "Feb 2025 (3 mo on AI)": a date and a remark on it
    ages = [_age_in_days(cell) for _, cell in _cells(line, _separator(line))]
    if re.search(r"[0-9]", _HEADER_NOISE.sub("", _AGO.sub(" ", low))) and not _only_dates(plain):
        return None
    if _LEADER.search(line.text):
        return None  # "Viscosidade ........ Normal   Normal": a row whose cells are words
    separator = _separator(line)
    if separator == "comma":
        line = Line(line.start, line.text.replace(",", "\t"))
        separator = "tab"
    columns = []
    kinds = 0
    cells = _cells(line, separator)
    analytes = [identify(cell, True) for _, cell in cells]
    pairs = [_pair_head(cell, a) for (_, cell), a in zip(cells, analytes, strict=True)]
    analytes = [pair[0] if pair else a for a, pair in zip(analytes, pairs, strict=True)]
    if comma and not any(_header_word(cell) for _, cell in cells):
        # "TESTOSTERONE, FREE, BIOAVAILABLE AND TOTAL, MS": a panel's name, not a CSV head
        # (an export's first line names a date, a test or a result column too)
        return None
    if sum(a not in (None, "other", "sperm_count") for a in analytes) >= 2:
        columns = [
            Column(start, index, "analyte" if a not in (None, "other") else "other", analyte=a,
                   unit=_bracketed_unit(cell) if a not in (None, "other") else None,
                   second=pair[1] if pair else None)
            for index, ((start, cell), a, pair) in enumerate(zip(cells, analytes, pairs,
                                                                 strict=True))
        ]  # fmt: skip
        return Layout(tuple(columns), separator, comma)
    titled = bool(cells) and canonical_unit(cells[0][1]) == "other"  # not a row of units
    for index, (start, cell) in enumerate(cells):
        text = _lower(cell)
        words = set(normalise(cell).split())
        kind = next((k for k, vocab in _HEADER_KINDS if words & vocab), "other")
        if normalise(cell).strip() in _UNIT_ABBREVIATIONS:
            kind = "unit"  # "U.M." (unità di misura), "Einh."
        if _RESULT_PHRASE.search(normalise(cell)) or _BEFORE_WASH.search(normalise(cell)):
            kind = "result"  # "in range", or the native sample beside a washed one
        his, hers = _sex_of(words)
        if his != hers and kind in ("other", "result"):  # not "Reference range (male)"
            kind = "result" if his else "partner"
        dated = _REMARK.sub(" ", text)
        date = TOKEN.search(dated) if _only_dates(dated) else None
        when = _date_key(date.group(0), day_first) if date is not None else None
        if kind == "other" and date is not None:
            kind = "date"
        if kind == "other" and ages[index] is not None:
            # a portal's "3 wk ago", "2 days ago": the most recent such column is the result,
            # the others older (a portal names older draws by their dates)
            newest = min(a for a in ages if a is not None)
            kind = "result" if ages[index] == newest else "previous"
        unit = cell if kind == "other" and titled and canonical_unit(cell) != "other" else None
        if unit is not None:
            kind = "result"  # "MOTILITY (WHO 1999 grades)   %   M/ml": a column per unit
        elif kind in _VALUE_COLUMNS:
            unit = _bracketed_unit(cell)  # "Result (nmol/L)": the unit of the rows below
        if kind == "other" and _DRAW_DATE_HEAD.search(text):
            kind = "drawn"  # "Date", "Provtagningsdatum": each row's own date is in this cell
        if ":" in _TIME_ONLY.sub(" ", cell):
            kind = "other"  # "Collected: 10/03/2023" is a field, not a column head
        kinds += kind != "other"
        columns.append(Column(start, index, kind, when=when, unit=unit))
    if any(a is not None for a in ages):  # beside "3 wk ago", a dated column is older
        columns = [replace(c, kind="previous") if c.kind == "date" else c for c in columns]
    # "HORMONOLOGIE          Antériorités": a section's title and, far right, its previous
    # results (the result stands under the title, with the reference range)
    titled_previous = [c.kind for c in columns] == ["other", "previous"] and separator == "space"
    if kinds < 2 and not titled_previous:
        return None
    return Layout(tuple(columns), separator, comma)


_AGO = re.compile(r"\b[0-9]{1,3}[ ]?(?:d|days?|wks?|weeks?|mos?|months?)[ ]ago\b")
_DAYS = {"d": 1, "w": 7, "m": 30}


def _age_in_days(cell: str) -> int | None:
    """The age of a column head such as "3 wk ago" or "2 days ago", in days; else None."""
    found = re.fullmatch(r"\s*([0-9]{1,3})\s*([dwm])[a-z]*\s+ago\s*", cell.lower())
    return int(found[1]) * _DAYS[found[2]] if found else None


# a bracketed remark with no unit or date in it: "(before)", "(3 mo on AI)"
_REMARK = re.compile(r"\((?![^)]*(?:/|%|\bx ?10))[^()0-9]*(?:[0-9]+[^()0-9/.,-][^()]*)?\)")


_DECORATED_HEADING = re.compile(r"^[-=*#_~]{2,}\s*(?P<title>[^\W\d_].*?)\s*[-=*#_~]{2,}$")


def _unit_heading(stripped: str) -> str | None:
    """The unit a decorated section heading gives its rows ("--- Gonadotropine (mUI/mL) ---"),
    "" for a decorated heading with none ("--- Altri ---", which ends the last one's), None for
    any other line."""
    m = _DECORATED_HEADING.match(stripped)
    if m is None or re.search(r"[0-9]", _BRACKETED.sub(" ", m.group("title"))):
        return None
    return _bracketed_unit(m.group("title")) or ""


def _qualitative_row(line: Line, layout: Layout, semen: bool) -> bool:
    """Whether a line that reads like a header is a test's row of word results under the
    table ("Viscosity   Normal   Normal", "Appearance   Normal   Normal"): its first cell names
    a test, and no other cell does."""
    cells = _cells(line, layout.separator)
    if len(cells) < 2 or identify(cells[0][1], semen) is None:
        return False
    return all(identify(cell, semen) is None for _, cell in cells[1:])


def _pair_head(cell: str, analyte: str | None) -> tuple[str, str] | None:
    """The two tests of a column head that names a pair of them ("LH/FSH (IU/L)"), unless the
    head is a ratio's ("T/E2")."""
    pair = pair_names(cell)
    if pair is None or analyte not in (None, *pair):
        return None
    return pair


def _header_word(cell: str) -> bool:
    """A cell that names a column (date, test, result, unit, range...) or is a date."""
    words = set(normalise(cell).split())
    if any(words & vocab for _, vocab in _HEADER_KINDS) or _RESULT_PHRASE.search(normalise(cell)):
        return True
    return _only_dates(_lower(cell)) or bool(words & {"date", "time", "datum", "fecha", "datetime"})


_DATE_ONLY = re.compile(_DATE, re.VERBOSE)
_TIME_ONLY = re.compile(r"(?<![0-9.,])[0-9]{1,2}(?::[0-9]{2}(?::[0-9]{2})?|h[0-9]{2})(?![0-9])")


def _only_dates(low: str) -> bool:
    """Whether every number of `low` belongs to a date (or a time) and there is a date."""
    without = _DATE_ONLY.sub(" ", low)
    return without != low and not re.search(r"[0-9]", _TIME_ONLY.sub(" ", without))


def _sex_of(words: set[str]) -> tuple[bool, bool]:
    """(his, hers): whether a header cell's words name the man's or the woman's column."""
    person = bool(words & _PERSON_WORDS)
    his = bool(words & _HIS_WORDS) or (person and "m" in words)
    hers = bool(words & _HER_WORDS) or (person and "f" in words)
    return his, hers


def _bracketed_unit(cell: str) -> str | None:
    """The unit a header cell names in brackets ("Result (nmol/L)", "Befund [Mio/ml]")."""
    for inside in _BRACKETED.findall(cell):
        key, text = _unit_in(inside[1:-1])
        if key is not None and key != "other":
            return text
    return None


def _date_row(low: str) -> bool:
    """A line of dates under a header ("  03/11/2024   09/02/2025"), not a dated comment
    ("! Correctie 24/02/2025: eerder resultaat foutief")."""
    return _only_dates(low) and len(re.findall(r"[^\W\d_]{2,}", _DATE_ONLY.sub(" ", low))) <= 2


def _merge_dates(layout: Layout, line: Line, day_first: bool | None) -> Layout:
    """A line of dates under a header ("Collected / Collected" then the dates) names them."""
    columns = list(layout.columns)
    for start, cell in _cells(line, layout.separator):
        low = _lower(cell)
        if not _only_dates(low):
            continue
        key = _date_key(TOKEN.search(low).group(0), day_first)  # type: ignore[union-attr]
        near = min(range(len(columns)), key=lambda i: abs(columns[i].start - start))
        if abs(columns[near].start - start) <= 4:
            old = columns[near]
            # "ESITO PREC. / (19/02/2024)": a previous-results column stays one, now dated.
            kind = "previous" if old.kind == "previous" else "date"
            columns[near] = Column(old.start, old.index, kind, when=key, unit=old.unit,
                                   analyte=old.analyte)  # fmt: skip
        else:
            columns.append(Column(start, len(columns), "date", when=key))
    columns.sort(key=lambda c: c.start)
    return Layout(tuple(columns), layout.separator, layout.comma)


def _under_dates(dates: Layout, header: Layout) -> Layout:
    """A header line under a line of dates only ("19/08/24  22/04/24" then "09:12  08:47
    Units  Ref. range"): the dates keep naming their columns, the new line adds the rest."""
    if not dates.columns or any(c.kind != "date" for c in dates.columns):
        return header
    if dates.separator != header.separator:
        return header
    columns = [c for c in header.columns
               if all(abs(c.start - d.start) > 4 for d in dates.columns)]  # fmt: skip
    columns += dates.columns
    columns.sort(key=lambda c: c.start)
    return Layout(tuple(columns), header.separator, header.comma)


def _merge_units(layout: Layout, line: Line) -> Layout | None:
    """A row of units under a header gives each column its unit."""
    cells = _cells(line, layout.separator)
    if not cells or not all(canonical_unit(c) != "other" for _, c in cells):
        return None
    columns = list(layout.columns)
    for start, cell in cells:
        near = min(range(len(columns)), key=lambda i: abs(columns[i].start - start))
        old = columns[near]
        columns[near] = Column(old.start, old.index, old.kind, old.when, cell, old.analyte)
    return Layout(tuple(columns), layout.separator, layout.comma)


# -- stage 4: one row --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Value:
    token: Token
    unit: str | None
    unit_text: str | None
    role: str
    when: str | None
    bound: str | None = None


_FLAG_CELL = r"(?:HH|LL|[HLA*↑↓▲▼]|High|Low)"
_LEADING_FLAG = re.compile(rf"{_FLAG_CELL}[ \t]+(?=\S)")
_FLAG_ONLY = re.compile(_FLAG_CELL)
_NAME_SEPARATOR = re.compile(r"([^0-9:—–]{2,60}?)[ \t]*(?::|[ \t][—–][ \t])")


# A test code before the name (the Nordic NPU codes, "NPU19980"): capitals then digits, a gap.
_INDEX_CELL = re.compile(r"[0-9]{1,3}[.)]?(?:\t| {2,})(?=[^\W\d_])")
_TEST_CODE = re.compile(r"[A-Z]{2,5}[0-9]{3,6}(?:\t| {2,})(?=[^\W\d_])")


def _split_name(line: Line, layout: Layout | None) -> tuple[str, int] | None:
    """(name cell text, end offset within the line) of a row: the cell under the layout's name
    column, else the text before a colon, a dash or a gap, else before the first number."""
    text = line.text
    if layout is not None and layout.separator in ("tab", "comma"):
        cells = _cells(line, layout.separator)
        name_col = next((c for c in layout.columns if c.kind == "name"), None)
        index = name_col.index if name_col is not None else 0
        for i, (start, cell) in enumerate(cells):
            if i == index or (name_col is None and cell):
                return cell, start + len(cell)
        return None
    stripped = text.lstrip(" \t-•*·")
    flag_first = layout is not None and layout.columns[0].kind == "flag"
    flag = _LEADING_FLAG.match(stripped) if flag_first else None
    if flag is not None:  # "H    S-FSH    1.5 - 12.4    16.2": the flag column comes first
        stripped = stripped[flag.end() :]
    lead = len(text) - len(stripped)
    limit = _name_column_end(layout)
    start = _name_column_start(layout)
    if (
        limit is not None
        and start is not None
        and lead < start < min(limit, len(text) + 1)
        and text[start - 1] == " "
    ):
        lead = start  # "21.03.2025   X Hastanesi   Testosteron  2,41": date and site come first
    # the name cell ends where the next column starts
    if (
        limit is not None
        and lead < limit < len(text)
        and text[lead:limit].strip()
        and (not text[limit - 1 : limit].strip())
    ):
        return text[lead:limit].strip(), limit
    index = _INDEX_CELL.match(stripped)
    if index is not None:  # "3     促黄体生成素 LH    3.2": the row's number, then its name
        lead += index.end()
        stripped = stripped[index.end() :]
    code = _TEST_CODE.match(stripped)
    if code is not None:  # "NPU19980  P—Testosteron; stofk.": the test's code, then its name
        lead += code.end()
        stripped = stripped[code.end() :]
    gap = _CELL_GAP.search(stripped)
    named = _NAME_SEPARATOR.match(stripped)
    if named and (gap is None or named.end() <= gap.start() + 1):
        return named.group(1).strip(), lead + named.end()
    if gap is not None and _GRADE_LETTER.fullmatch(stripped[: gap.start()]):
        gap = _CELL_GAP.search(stripped, gap.end())  # "A  snel progressief    8 %"
    if gap is not None:
        end = gap.start()
        inside = _value_in_name(stripped[:end], stripped[gap.end() :])
        if inside is not None:  # "🔴 Testosterone ⚠️ 7.8↓ nmol/L (L)  [8.64–29]"
            return stripped[:inside].strip(), lead + inside
        unit_cell = re.match(r"\(([^()0-9]{1,6}|[^()]{0,4}10\^?[⁶6][^()]{0,12}|%)\)",
                             stripped[gap.end() :])  # fmt: skip
        if unit_cell is not None:  # "Non motile        (d)     60 %"
            return stripped[:end].strip() + " " + unit_cell.group(0), lead + gap.end() + len(
                unit_cell.group(0)
            )
        return stripped[:end].strip(), lead + end
    # single spaces: the name runs to the first number outside parentheses
    depth = 0
    for i, ch in enumerate(stripped):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if depth <= 0 and (ch.isdigit() or ch in "<>≤≥") and i > 0:
            before = stripped[:i]
            if re.search(r"[a-z]$", before, re.I):  # "T4", "e2", "10^6" inside a name
                continue
            if re.search(r"\bwho[ \t,]*(?:19|20)?[0-9]{0,2}$", before, re.I):
                continue  # "Spermiogramm nach WHO 2021": the manual's year, not a value
            return before.strip(), lead + i
    return None


def _value_in_name(cell: str, rest: str) -> int | None:
    """Where the value starts when a row's first cell holds it too, with single spaces: a
    number after the name followed by its unit or an arrow ("💪 weight 104.3kg", "S -TestoVL
    (…) 312" with "pmol/l" in the next cell). A number with neither ("LH 01", a site code, or
    "Estradiol 1", a footnote) is part of the name."""
    low = _lower(cell)
    toks = tokens(low, 0, False)
    for i, tok in enumerate(toks):
        if tok.kind not in ("number", "bound", "undetected"):
            continue
        if i == 0 or _in_brackets(low, tok.start):
            return None
        if tok.kind == "number" and _LAB_CODE.fullmatch(tok.text):
            continue  # "Serum 01 22.6": the site code, then the value
        if _LAB_CODE.fullmatch(toks[i - 1].text):
            return tok.start
        after = toks[i + 1 : i + 3]
        if not after:
            head = TOKEN.match(_lower(rest))
            return tok.start if head is not None and head.lastgroup == "unit" else None
        marked = any(t.kind == "unit" or (t.kind == "flag" and not t.text.isalpha())
                     for t in after)  # fmt: skip
        return tok.start if marked else None
    return None


_LAB_CODE = re.compile(r"0[0-9]")
_GRADE_LETTER = re.compile(r"\(?[a-dA-D]\)?")
_VALUE_AFTER_GAP = re.compile(
    r"(?:\t|[ ]{2,}+|\.{3,}+|[ \t]?(?<![0-9]):)[ \t]*+[<>≤≥]?[0-9][0-9.,]*"
)


def _fits(line: Line, layout: Layout | None) -> bool:
    """Whether a row lines up with a space-aligned layout: no value stands in its name column
    (an endocrine block under a semen table, dot-leader rows under a wide heading, a second
    report pasted below in single-spaced "Testosteron 9,6 nmol/l (8,6-29,0)" lines)."""
    limit = _name_column_end(layout)
    if limit is None:
        return True
    if _value_in_name(line.text[:limit], line.text[limit:]) is not None:
        return False  # "Hormone folliculo-stimulante (FSH) 6,9 UI/L      1,5 à 12,4"
    value = _VALUE_AFTER_GAP.search(line.text)
    return value is None or value.end() >= limit  # a right-aligned number may start early


def _name_column_start(layout: Layout | None) -> int | None:
    """Where a space-aligned layout's name column starts, when columns of dates or sites come
    before it; else None."""
    if layout is None or layout.separator != "space" or layout.transposed:
        return None
    name = next((c for c in layout.columns if c.kind == "name"), None)
    if name is None or name.start == 0:
        return None
    before = [c for c in layout.columns if c.start < name.start]
    return name.start if all(c.kind in ("drawn", "lab", "date") for c in before) else None


def _name_column_end(layout: Layout | None) -> int | None:
    """Where the column after a space-aligned layout's name column starts."""
    if layout is None or layout.separator != "space" or layout.transposed:
        return None
    name = next((c for c in layout.columns if c.kind == "name"), None)
    if name is None and layout.columns[0].kind == "other":
        name = layout.columns[0]  # "RESULTS SUMMARY   Result   Ref.": the first column names
    if name is None:
        return None
    after = [c for c in layout.columns if c.start > name.start]
    # A second name column ("Test   الفحص   Result"): names end where values begin.
    values = [c.start for c in after if c.kind in _VALUE_COLUMNS]
    if values and all(c.kind == "other" for c in after if c.start < min(values)):
        return min(values)
    return min(c.start for c in after) if after else None


def _scaled_unit(
    token: Token, analyte: str, unit: str | None, unit_text: str | None
) -> tuple[str | None, str | None]:
    """A number written with its power of ten ("6.4 x 10^7", "1e308") counts single cells: its
    unit is per mL or per ejaculate, never "million" a second time."""
    if not re.search(r"[x×*][ ]?10|e[+-]?[0-9]", token.text):
        return unit, unit_text
    if unit in ("M/mL", "/mL") or (unit is None and analyte == "concentration"):
        return "/mL", unit_text
    if unit in ("M", "count") or (unit is None and analyte == "total_count"):
        return "count", unit_text
    return unit, unit_text


def _latest(whens: list[str | None]) -> int | None:
    """Which of `whens` (yyyy-mm-dd keys, "yyyy-??-??" when day and month cannot be told apart)
    is surely the latest: the latest of dates all known in full, or the one in a later year than
    every other ("3/12/2025" beside "12/2/2024" and "9/5/2024"). None when the dates do not
    settle it."""
    if not whens or any(not w for w in whens):
        return None
    if all("?" not in (w or "") for w in whens):
        return max(range(len(whens)), key=lambda i: whens[i] or "")
    years = sorted(((w or "")[:4], i) for i, w in enumerate(whens))
    return years[-1][1] if len(years) > 1 and years[-1][0] > years[-2][0] else None


def _newest_draw(layout: Layout | None) -> str | None:
    """The latest date among a layout's date columns, when `_latest` can tell it (the year
    alone, when only the year tells the latest column)."""
    whens = [c.when for c in layout.columns if c.kind == "date"] if layout else []
    i = _latest(whens)
    if i is None:
        return None
    when = whens[i] or ""
    return when if "?" not in when else when[:4]


def _before(when: str, newest: str) -> bool:
    """Whether a draw's date `when` is before the report's newest draw (a year alone when
    only the year of the newest could be told)."""
    return when[: len(newest)] < newest if len(newest) == 4 or "?" in when else when < newest


def _strip_markers(name: str) -> str:
    """A name without trailing footnote markers and lab codes ("Estradiol, Sensitive 1",
    "Testosterone 01", "LH ¹")."""
    return re.sub(r"(?:[ \t]+(?:0[0-9]|[0-9]|[¹²³⁴⁵⁶⁷⁸⁹]+|\*+|\([0-9]\)))+$|[¹²³⁴⁵⁶⁷⁸⁹*]+$", "",
                  name).strip()  # fmt: skip


def _unit_after(
    toks: list[Token], i: int, low: str = "", base: int = 0
) -> tuple[str | None, str | None]:
    """The unit written right after the number at toks[i] (a flag may sit in between);
    "unknown" for a word glued to a unit ("22 millió/ml" if "millió" were not known): the
    unit is not one we can read, and the row's other units must not stand in for it."""
    word, unit = toks[i + 1 : i + 2], toks[i + 2 : i + 3]
    # "zillió/ml" (`low`, the lowered text `toks` were read from at offset `base`, shows the
    # slash): not "same dose", a word and then another after a space
    gap = unit[0].start - word[0].end if word and unit else -1
    glued = gap == 0 or (gap == 1 and low[word[0].end - base : word[0].end - base + 1] == "/")
    if glued and word[0].kind == "word" and unit[0].kind == "unit":
        return "unknown", f"{word[0].text}/{unit[0].text.lstrip('/')}"
    for tok in toks[i + 1 : i + 4]:
        if tok.kind == "unit":
            key = canonical_unit(tok.text)
            return (key, tok.text) if key != "other" else ("other", tok.text)
        if tok.kind not in ("flag",):
            return None, None
    return None, None


def _unit_in(text: str) -> tuple[str | None, str | None]:
    """A unit written anywhere in `text` (a name cell "(x10^6/mL)", a range "250-1100 ng/dL")."""
    low = _lower(text)
    for tok in tokens(low, 0, False):
        if tok.kind == "unit":
            key = canonical_unit(tok.text)
            if key not in ("other",):
                return key, text[tok.start : tok.end]
    return None, None


def read_row(
    line: Line,
    extra: list[Line],
    layout: Layout | None,
    *,
    semen: bool,
    decimal_comma: bool,
    day_first: bool | None,
    section_role: str,
    section_when: str | None,
    footnotes: tuple[tuple[str, str], ...] = (),
    older_from: int | None = None,
    section_unit: str | None = None,
    legend: tuple[tuple[str, str], ...] = (),
) -> tuple[list[Mention], list[Issue]] | None:
    """The mentions of one row (None when the line is not a row of a known test). The row is
    older when `section_role` says so; `section_when` dates it when its cells do not; a value
    starting at `older_from` or beyond (a position in the line) is an older result; a value
    with no unit of its own takes `section_unit` (its section heading's) when its test can be
    in it."""
    split = (line.text.strip(), len(line.text)) if extra else _split_name(line, layout)
    if split is None:
        return None
    name_text, name_end = split
    name = _strip_markers(name_text)
    if {w for w in normalise(name).split() if len(w) > 1} & _PROSE or len(name.split()) > 8:
        return None  # "my T was" is a sentence; the Danish "i" of "sædceller i prøven" is not "I"
    body = [(line.start + name_end, _without_comment(line.text[name_end:]))]
    body += [(x.start, x.text) for x in extra]
    pair = pair_names(name)
    analyte = identify(name, semen) if pair is None else "pair"
    if analyte is None or (pair is None and not _named_by(name, analyte, semen)):
        return None  # the test's name must lead its cell ("healthy males (BMI <30)" is not BMI)
    if not _row_like(" ".join(t for _, t in body), semen, analyte):
        return None
    if analyte == "other":
        return [], []
    if analyte == "height" and _FEET.search(" ".join(t for _, t in body)):
        return None  # "Ht 6' 1\" (1.854 m)": feet and inches, which the prose reader reads
    try:
        values = _values(body, line, layout, name_end, decimal_comma, day_first, footnotes)
    except _Unusable as why:
        return [], [why.issue(name.strip(), analyte, line)]
    if older_from is not None:
        # each value's column in its own line: the name's line, or a line of values under it
        starts = sorted(x.start for x in [line, *extra])
        values = [
            replace(v, role="older")
            if v.token.start - max(b for b in starts if b <= v.token.start) >= older_from - 1
            else v
            for v in values
        ]  # fmt: skip
    drawn = _drawn_date(line, layout, name_end, day_first)
    if drawn is not None:
        values = [v if v.when else replace(v, when=drawn) for v in values]
    if section_unit is not None and canonical_unit(section_unit) in ACCEPTS.get(analyte, ()):
        key = canonical_unit(section_unit)
        values = [v if v.unit else replace(v, unit=key, unit_text=section_unit) for v in values]
    legend_unit = dict(legend).get(analyte)
    if legend_unit is not None and canonical_unit(legend_unit) in ACCEPTS.get(analyte, ()):
        key = canonical_unit(legend_unit)
        values = [v if v.unit else replace(v, unit=key, unit_text=legend_unit) for v in values]
    name_unit = _unit_in(name)
    ref_unit = _unit_in(" ".join(t for _, t in body))
    mentions: list[Mention] = []
    current = [v for v in values if v.role == "current"]
    older = [v for v in values if v.role == "older"]
    if pair is not None:
        return _pair_mentions(pair, current, line, name, name_unit, ref_unit), []
    if not current and older:
        newest = max(older, key=lambda v: v.when or "")
        if all(v.when for v in older):
            current, older = [newest], [v for v in older if v is not newest]
            current = [replace(newest, role="current")]
            note_latest = True
        else:
            note_latest = False
    else:
        note_latest = False
    if not current:
        return [], []
    current = _fitting_units(analyte, current)
    if len(current) > 1 and _one_result_in_units(analyte, current):
        current = current[:1]  # "3.45 ng/mL   11.96 nmol/L": one result, printed in two units
    if analyte == "sperm_count" and _per_ml_and_total(current):
        return None  # "count 9.8 million per ml, total 23.5 million": two results, prose reads it
    # the row's cells as one token list: its reference range and its flag
    cells = tokens(_lower(" ".join(t for _, t in body)), 0, decimal_comma)
    if len(current) > 1:
        current = _not_range_ends(current, cells)
    if len(current) > 1:
        distinct = {round(v.token.value or 0.0, 6) for v in current if v.unit == current[0].unit}
        if len(distinct) > 1 or len({v.unit for v in current}) > 1:
            label = name.strip()
            shown = ", ".join(v.token.text for v in current[:4])
            return [], [
                Issue(
                    "ambiguous_row",
                    f"The row “{label}” holds several results ({shown}) and the report does not "
                    "say which is the current one, so none was used.",
                    f"Which {label} result is the most recent one, with its unit?",
                    None if analyte == "pair" else _issue_analyte(analyte),
                    (line.start, line.end),
                )
            ]
    chosen = current[0]
    if (
        chosen.token.value is not None
        and not chosen.bound
        and _contradicts_flag(chosen.token.value, cells)
    ):
        return [], [_Contradicted(chosen.token.text).issue(name.strip(), analyte, line)]
    unit, unit_text = chosen.unit, chosen.unit_text
    if unit is None:
        for candidate in (name_unit, ref_unit):
            if candidate[0] is not None:
                unit, unit_text = candidate
                break
    if unit == "other":
        return [], []
    if unit == "unknown":
        return [], [_UnknownUnit(unit_text or "").issue(name.strip(), analyte, line)]
    unit, unit_text = _scaled_unit(chosen.token, analyte, unit, unit_text)
    notes = []
    if section_role == "older":
        role = "older"
        notes.append("from an earlier analysis in the report")
    else:
        role = "current"
    if layout is not None and any(c.kind == "partner" for c in layout.columns):
        notes.append("his column of the table; the partner's column was not read")
    if older:
        shown = "; ".join(
            f"{v.token.text}"
            + (f" ({_shown_date(v.when)})" if v.when and "?" not in v.when else "")
            for v in older[:3]
        )
        notes.append(f"older result{'s' if len(older) > 1 else ''} {shown} set aside")
    newest_draw = _newest_draw(layout)
    if note_latest or (chosen.when and newest_draw and _before(chosen.when, newest_draw)):
        notes.append(_not_in_latest_draw(chosen.when))
    mentions.append(
        Mention(
            analyte=analyte,
            number=float(chosen.token.value or 0.0),
            number2=None,
            value_text=chosen.token.text,
            unit_text=unit_text,
            unit_key=unit,
            span=(chosen.token.start, chosen.token.end),
            name_text=name,
            bound=chosen.bound,
            note="; ".join(notes),
            role=role,
            when=chosen.when or section_when,
            source="row",
        )
    )
    return mentions, []


def _one_result_in_units(analyte: str, values: list[_Value]) -> bool:
    """Whether the values are one result printed in different units (a dual-unit report's
    conventional and SI columns): each has its own unit and all convert to the same value."""
    factors = SPECS[analyte].factors if analyte in SPECS else {}
    units = {v.unit for v in values}
    if len(units) < 2 or not units <= set(factors):
        return False
    converted = [(v.token.value or 0.0) * factors[v.unit] for v in values]  # type: ignore[index]
    low, high = min(converted), max(converted)
    return low > 0 and (high - low) <= 0.015 * high


def _fitting_units(analyte: str, values: list[_Value]) -> list[_Value]:
    """Of several values in one row, those in a unit the test is reported in ("12.4 %  1.39
    M/ml" for a motility grade: the share, not the concentration of those cells)."""
    accepts = ACCEPTS.get(analyte)
    if len(values) < 2 or accepts is None:
        return values
    fitting = [v for v in values if v.unit is None or v.unit in accepts]
    return fitting or values


_QUOTED_LAST_CELL = re.compile(r'(?<=[,;\t])[ ]*"[^"]*"[ ]*$')


def _without_comment(cells: str) -> str:
    """A row's cells without a last cell of words after its values, a comment ("HIGH - above
    upper limit of the assay, sample not diluted"), blanked so that offsets stay. A last cell
    in double quotes (a CSV export's note) is a comment whatever it holds."""
    quoted = _QUOTED_LAST_CELL.search(cells)
    if quoted is not None and re.search(r"[0-9]", cells[: quoted.start()]):
        return cells[: quoted.start()] + " " * (len(cells) - quoted.start())
    gaps = list(_CELL_GAP.finditer(cells))
    if not gaps:
        return cells
    last = cells[gaps[-1].end() :]
    if len(re.findall(r"[^\W\d_]{2,}", last)) < 4 or re.search(r"[0-9]", last):
        return cells
    if not re.search(r"[0-9]", cells[: gaps[-1].start()]):
        return cells
    return cells[: gaps[-1].end()] + " " * len(last)


def _row_like(body: str, semen: bool, analyte: str | None = None) -> bool:
    """Whether a row's cells hold a report's words (units, flags, ranges, codes), not prose or
    a second test ("Free T 61 pg/mL (calculated), SHBG 31 nmol/L" is a sentence). Words that
    name the row's own test again describe its value ("Morphology ... 5 % normal forms")."""
    free: set[str] = set()
    toks = tokens(_lower(body), 0, False)
    words = [normalise(t.text).strip() for t in toks if t.kind == "word" and len(t.text) > 1]
    named = identify(" ".join(words), semen) if len(words) >= 2 else None  # not "C.L.I.A"
    if named not in (None, "other", analyte):
        return False  # "4% normal forms": a second test named after the number
    labels = _header_label_joins(toks)
    for n, tok in enumerate(toks):
        if tok.kind != "word" or n in labels:
            continue
        word = normalise(tok.text).strip()
        if len(word) > 1 and word in _PROSE:  # not the "I" of "C.L.I.A" (a method column)
            return False
        if len(word) > 1 and identify(word, False) not in (None, "other"):
            return False
        known = word in _REF_WORDS or word in _OLDER_WORDS or word in _CURRENT_WORDS
        if not known and len(word) > 3:
            free.add(word)  # a label repeated per draw ("Provtagningsdatum") counts once
    return len(free) <= _MAX_FREE_WORDS


_JOINS = _words("and und et y e en")
_HEADER_WORDS = frozenset().union(*(vocab for _, vocab in _HEADER_KINDS), _words("date dates"))


def _header_label_joins(toks: list[Token]) -> set[int]:
    """Where a joining word stands between two column-heading words: the label of a stacked
    portal line ("Current Result and Flag  241  Low", "Previous Result and Date  298")."""
    words = [(n, normalise(t.text).strip()) for n, t in enumerate(toks) if t.kind == "word"]
    return {
        n
        for (_, before), (n, word), (_, after) in zip(words, words[1:], words[2:], strict=False)
        if word in _JOINS and before in _HEADER_WORDS and after in _HEADER_WORDS
    }


_FEET = re.compile(r"[0-9][ \t]?(?:'|’|′|ft\b)")


def _per_ml_and_total(values: list[_Value]) -> bool:
    """A count row holding one value per mL and one for the whole ejaculate: a concentration
    and a total count, not rival results."""
    units = [v.unit or "" for v in values]
    return len(values) == 2 and sum(u.lower().endswith("/ml") for u in units) == 1 and all(units)


def _issue_analyte(analyte: str) -> str | None:
    return None if analyte == "pair" else analyte


_UNIT_LIST = re.compile(
    rf"[ \t]*\([ \t]*(?P<u1>{scan_pattern()})[ \t]*[,;][ \t]*(?P<u2>{scan_pattern()})[ \t]*\)"
)


def _pair_mentions(
    pair: tuple[str, str],
    current: list[_Value],
    line: Line,
    name: str,
    name_unit: tuple[str | None, str | None],
    ref_unit: tuple[str | None, str | None],
) -> list[Mention]:
    """ "FSH/LH 6.2/4.1": two values for two tests, in the order the name gives them."""
    if len(current) < 2:
        if pair == ("total_t", "e2") and len(current) == 1:
            v = current[0]
            return [Mention("te2_ratio", float(v.token.value or 0.0), None, v.token.text, None,
                            "ratio", (v.token.start, v.token.end), name, source="row")]  # fmt: skip
        return []
    out = []
    listed = _UNIT_LIST.match(_lower(line.text), current[1].token.end - line.start)
    if listed is not None:  # "T/E2 300/40 (ng/dL, pg/mL)": one unit for each, in order
        texts = [line.text[listed.start(g) : listed.end(g)] for g in ("u1", "u2")]
        units = [(canonical_unit(t), t) for t in texts]
    else:
        units = [(v.unit, v.unit_text) if v.unit else (None, None) for v in current[:2]]
    for analyte, v, (key, text) in zip(pair, current[:2], units, strict=True):
        if key is None and analyte in ("lh", "fsh") and pair[0] in ("lh", "fsh"):
            key, text = ref_unit if ref_unit[0] else name_unit
        out.append(Mention(analyte, float(v.token.value or 0.0), None, v.token.text, text, key,
                           (v.token.start, v.token.end), name,
                           note=f"read from the pair “{name}”", source="row"))  # fmt: skip
    return out


def _drawn_date(
    line: Line, layout: Layout | None, name_end: int, day_first: bool | None
) -> str | None:
    """The row's own date when it stands before the test's name, under a "Date" column
    ("2025-01-22;P-LH;5,0;IE/L" under "Provtagningsdatum;Analys;Resultat;Enhet")."""
    if layout is None or not any(c.kind == "drawn" for c in layout.columns):
        return None
    head = _lower(line.text[:name_end])
    for tok in tokens(head, line.start, False):
        column = _column_of(tok, line, layout)
        if tok.kind == "date" and column is not None and column.kind == "drawn":
            return _date_key(tok.text, day_first)
    return None


def _values(
    body: list[tuple[int, str]],
    line: Line,
    layout: Layout | None,
    name_end: int,
    decimal_comma: bool,
    day_first: bool | None,
    footnotes: tuple[tuple[str, str], ...] = (),
) -> list[_Value]:
    """The candidate result values of a row's cells, each marked current or older."""
    out: list[_Value] = []
    role = "current"
    record_when: str | None = None
    garbled = withdrawn = False
    lone_dates: list[str | None] = []  # value lines under a name: a line that is only a date
    pending: list[str] = []  # the draws whose result is still to come ("volgt", "pending")
    drawn_line: str | None = None  # "Provtagningsdatum 2025-02-18 07:52" over a result line
    for n_body, (base, text) in enumerate(body):
        low = _lower(text)
        toks = tokens(low, base, decimal_comma)
        if n_body and len(toks) == 1 and toks[0].kind == "date" and out:
            lone_dates.append(_date_key(toks[0].text, day_first))  # "96.3 kg" / "22 Nov 2024"
            continue
        dates = [t for t in toks if t.kind == "date"]
        if n_body and len(dates) == 1 and all(t.kind in ("word", "date", "time") for t in toks):
            drawn_line = _date_key(dates[0].text, day_first)  # a card of several draws
            continue
        in_ref = False
        for i, tok in enumerate(toks):
            column = _column_of(tok, line, layout)
            if tok.kind == "withdrawn" and not out:
                withdrawn = True  # "** RESULT WITHDRAWN **", "vervallen"
                continue
            drawn = column is not None and column.kind == "drawn"
            if tok.kind == "date" and not out and (drawn or _labelled_date(low, tok.start - base)):
                record_when = _date_key(tok.text, day_first)  # "Date: 12 March 2025"
                continue
            if column is not None and column.kind == "date" and column.when and _pending(tok):
                pending.append(column.when)
                continue
            if tok.kind == "word":
                word = normalise(tok.text).strip()
                if word in _OLDER_WORDS:
                    role = "older"
                elif word in _REF_WORDS:
                    in_ref = True
                elif word in _CURRENT_WORDS:
                    role, in_ref = "current", False
                continue
            if tok.kind in ("number", "zero", "bound", "garbled", "undetected"):
                if in_ref or (column is not None and column.kind not in _VALUE_COLUMNS
                              and _has_value_columns(layout)):  # fmt: skip
                    continue
                if column is not None and column.kind in ("ref", "unit", "lab"):
                    continue
                if tok.kind == "number" and tok.text[:1] in ".,":
                    raise _Garbled  # "LH   .4", "3 .8": a digit or a space lost in a scan
                if tok.kind == "garbled":
                    garbled = True
                    continue
                in_draw = (column is not None and column.kind == "date" and column.when
                           and not _in_brackets(low, tok.start - base))  # fmt: skip
                ranged = out or garbled or _after_number(toks, i)
                if tok.kind == "bound" and ranged and not in_draw:
                    continue  # "31 H  < OR = 29": the range, not the result
                if tok.kind == "number" and _is_code(tok, toks, i):
                    continue
                if tok.kind == "number" and _in_brackets(low, tok.start - base) and out:
                    continue  # "9.4 nmol/L (271 ng/dL)": the same value again
                unit, unit_text = _unit_after(toks, i, low, base)
                if unit is None and column is not None and column.unit:
                    unit, unit_text = canonical_unit(column.unit), column.unit  # "%   M/ml"
                if unit is None and footnotes:
                    unit, unit_text = _footnote_unit(low, tok.end - base, footnotes)
                when = None
                this_role = role
                if column is not None and column.kind == "previous":
                    this_role = "older"
                if column is not None and column.kind == "date":
                    when = column.when
                    this_role = "dated"
                labelled = _date_label(toks, i, low, base)
                if labelled is not None and when is None and this_role == "current":
                    # "4,12 ng/mL ... 12/09/24 : 3,80": a history after the result; values that
                    # all carry their dates ("03/01/24: 9.4  06/01/24: 12.1") are ordered by them
                    when = _date_key(labelled.text, day_first)
                    after_result = any(v.role == "current" and v.when is None for v in out)
                    this_role = "older" if after_result else "dated"
                j = next((j for j in range(i + 1, min(i + 4, len(toks)))
                          if toks[j].kind == "date"), None)  # fmt: skip
                date_after = toks[j] if j is not None else None
                if j is not None and j + 1 < len(toks) and _date_label(toks, j + 1, low, base):
                    date_after = None  # "4,6 UI/L ... 12/09/24 : 4,2": the next value's date
                if date_after is not None and when is None:
                    when = _date_key(date_after.text, day_first)  # the row's own date cell
                    if this_role == "current" and out:
                        this_role = "older"  # "231  11/11/2024" after the current value
                bound = None
                if tok.kind == "bound":
                    bound = _bound_sign(tok)
                elif tok.kind == "undetected":
                    bound = tok.text  # "n.n.": below what the assay detects
                if when is None and drawn_line is not None and this_role == "current":
                    when, this_role = drawn_line, "dated"
                out.append(_Value(tok, unit, unit_text, this_role, when or record_when, bound))
            elif tok.kind == "range":
                in_ref = False
    if garbled and not out:
        raise _Garbled
    if withdrawn and not out:
        raise _Withdrawn
    if len(lone_dates) == 1 and lone_dates[0] and all(v.when is None for v in out):
        out = [replace(v, when=lone_dates[0]) for v in out]
    if pending and all(v.when is not None and v.when < max(pending) for v in out):
        raise _Pending(max(pending))  # no older result stands in for one still to come
    return _resolve_dated(out)


# A result still to come, in a draw's column: "pending", "volgt", "folgt", "ausstehend", ...
_PENDING = re.compile(
    r"pending|awaited|volgt|folgt|ausstehend|pendiente|pendente|in ?attesa|afventer|"
    r"f[oø]ljer|odottaa|oczekuje"
)


def _pending(tok: Token) -> bool:
    """A cell saying its result is still to come (`_PENDING`), in a row or a table of draws."""
    return tok.kind in ("word", "empty") and bool(_PENDING.fullmatch(normalise(tok.text).strip()))


class _Unusable(Exception):
    """A row whose value cannot be used: it is asked about, never read."""

    kind = "unreadable"
    why = "The value of “{label}” could not be read"
    ask = "What is the {label} result, with its unit?"
    so = "so it was not used"

    def issue(self, label: str, analyte: str, line: Line) -> Issue:
        detail = self.args[0] if self.args else ""
        message = f"{self.why.format(label=label, detail=detail)}, {self.so}."
        question = self.ask.format(label=label)
        return Issue(self.kind, message, question, _issue_analyte(analyte), (line.start, line.end))


class _Garbled(_Unusable):
    """OCR noise where the value should be ("4S %", "1O")."""

    why = "The value of “{label}” could not be read (it looks garbled)"


class _Contradicted(_Unusable):
    """A value on the wrong side of its own reference interval for its flag ("4 ... 7.6 - 42.6
    H"): a digit was lost or misread (a scan, a copy), so the value is asked about."""

    why = ("The value of “{label}” ({detail}) disagrees with its own flag and reference interval "
           "(a digit may be lost or misread)")  # fmt: skip


_HIGH_FLAGS = frozenset({"h", "hh", "high", "hoch", "erhoht", "haut", "alto", "↑", "⇑", "▲", "(h)",
                         "(hh)"})  # fmt: skip
_LOW_FLAGS = frozenset({"l", "ll", "low", "niedrig", "erniedrigt", "bas", "bajo", "↓", "⇓", "▼",
                        "(l)", "(ll)"})  # fmt: skip


def _not_range_ends(values: list[_Value], cells: list[Token]) -> list[_Value]:
    """The candidates left when those equal to an end of the row's printed reference range are
    set aside: a portal's range bar labels its ends ("Normal range: 250 - 1100 ng/dL" then
    "250    1100" then "Value 231 ng/dL"). All of them when nothing would be left."""
    ends = {
        end for t in cells if t.kind == "range" for end in (t.value, t.value2) if end is not None
    }
    kept = [v for v in values if v.token.value not in ends]
    return kept or values


def _contradicts_flag(value: float, cells: list[Token]) -> bool:
    """Whether a row's flag says high while its value is below the row's reference interval,
    or low while above it."""
    flags = {t.text.strip() for t in cells if t.kind == "flag"}
    ranges = [t for t in cells if t.kind == "range" and t.value is not None and t.value2]
    if not flags or len(ranges) != 1:
        return False
    low, high = sorted((ranges[0].value or 0.0, ranges[0].value2 or 0.0))
    return bool((flags & _HIGH_FLAGS and value < low) or (flags & _LOW_FLAGS and value > high))


class _Withdrawn(_Unusable):
    """The lab withdrew the result and gives no new value (a value in the comment under it is
    the withdrawn one)."""

    kind = "withdrawn"
    why = "The lab withdrew the “{label}” result and gives no new value"
    ask = "Do you have a repeat {label} result, with its unit?"


class _Pending(_Unusable):
    kind = "pending"
    why = "The “{label}” result of the latest draw ({detail}) is still pending"
    ask = "What was the {label} result of that draw, once it is back?"
    so = "so no older result was used in its place"


class _UnknownUnit(_Unusable):
    """A unit this reader does not know ("22 zillió/ml"): its number is not read in another."""

    kind = "unknown_unit"
    why = "The unit “{detail}” of “{label}” is not one this reader knows"
    ask = "What is the {label} result in a common unit?"


_FOOTNOTE_MARK = re.compile(r"[ ]?([¹²³⁴⁵⁶⁷⁸⁹⁰]+)[⁾)]?")
_FOOTNOTE_LEGEND = re.compile(
    rf"""(?P<mark>[¹²³⁴⁵⁶⁷⁸⁹⁰]+)[⁾)]?[ \t]*(?:=[ \t]*)?   # "¹⁾ ", "² = "
         (?P<unit>{scan_pattern()})""",
    re.VERBOSE,
)


def footnote_units(text: str) -> tuple[tuple[str, str], ...]:
    """The units a report gives in a footnote legend ("Einheiten: ¹⁾ ng/ml  ²⁾ pg/ml"), as
    (marker, unit) pairs; a value followed by the marker ("4,21¹⁾") is in that unit."""
    if not any(mark in text for mark in "¹²³⁴⁵⁶⁷⁸⁹"):
        return ()
    legend = {}
    for m in _FOOTNOTE_LEGEND.finditer(_lower(text)):
        if canonical_unit(m.group("unit")) != "other":
            legend.setdefault(m.group("mark"), m.group("unit"))
    return tuple(legend.items())


# "Units for this section: Testosterone & Bioavailable T = nmol/L ; Free T = pg/mL ;" (and its
# continuation lines): a legend giving each test's unit, for rows that print none.
_LEGEND_HEAD = re.compile(
    r"\b(?:units?|einheit(?:en)?|unit[eé]s?|unidad(?:es)?|unit[aà]|eenhe(?:id|den))\b[^:\n]{0,40}:",
)
_LEGEND_PAIR = re.compile(
    rf"(?P<names>[^=;:\n]{{1,60}}?)[ \t]*[=:][ \t]*(?P<unit>{scan_pattern()})[ \t]*(?=[;,]|$)",
    re.MULTILINE,
)
_LEGEND_NAMES = re.compile(r"\s*(?:&|,|\+|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*")


def unit_legend(text: str, semen: bool) -> tuple[tuple[str, str], ...]:
    """(analyte, unit as typed) pairs of a units legend (`_LEGEND_HEAD`), from its head to the
    last of the lines right under it that go on naming units."""
    low = _lower(text)
    head = _LEGEND_HEAD.search(low)
    if head is None:
        return ()
    legend: dict[str, str] = {}
    pos = head.end()
    while pos < len(low):
        end = low.find("\n", pos)
        end = len(low) if end == -1 else end
        pairs = list(_LEGEND_PAIR.finditer(low, pos, end))
        if not pairs:
            break
        for pair in pairs:
            if canonical_unit(pair.group("unit")) == "other":
                continue
            for name in _LEGEND_NAMES.split(text[pair.start("names") : pair.end("names")]):
                analyte = identify(name, semen) if name.strip() else None
                if analyte is not None and analyte != "other":
                    legend.setdefault(analyte, text[pair.start("unit") : pair.end("unit")])
        pos = end + 1
    return tuple(legend.items())


def _footnote_unit(
    low: str, pos: int, footnotes: tuple[tuple[str, str], ...]
) -> tuple[str | None, str | None]:
    """The unit of the footnote marker right after a value at `pos`, else (None, None)."""
    mark = _FOOTNOTE_MARK.match(low, pos)
    unit = dict(footnotes).get(mark.group(1)) if mark is not None else None
    return (canonical_unit(unit), unit) if unit is not None else (None, None)


def _date_label(toks: list[Token], i: int, low: str, base: int) -> Token | None:
    """The date that labels the value `toks[i]` ("12/09/24 : 3,80"), if the value follows one
    with only a colon, a dash or an equals sign between them."""
    if i == 0 or toks[i - 1].kind != "date":
        return None
    between = low[toks[i - 1].end - base : toks[i].start - base]
    return toks[i - 1] if re.fullmatch(r"\s*[:=–-]\s*", between) else None


def _labelled_date(low: str, pos: int) -> bool:
    return (
        re.search(r"(?:date|datum|fecha|data|drawn|collected)\s*[:.]?\s*$", low[:pos]) is not None
    )


_VALUE_COLUMNS = frozenset({"result", "date", "previous"})


def _has_value_columns(layout: Layout | None) -> bool:
    return layout is not None and any(c.kind in _VALUE_COLUMNS for c in layout.columns)


def _resolve_dated(values: list[_Value]) -> list[_Value]:
    """Values under date columns: the most recent is current, the others older."""
    dated = [v for v in values if v.role == "dated"]
    if not dated:
        return values
    rest = [v for v in values if v.role != "dated"]
    i = _latest([v.when for v in dated])
    newest = dated[i] if i is not None else None
    if newest is None:
        return rest + [replace(v, role="current") for v in dated]
    out = [replace(newest, role="current")]
    out += [replace(v, role="older") for v in dated if v is not newest]
    return rest + out


def _after_number(toks: list[Token], i: int) -> bool:
    return any(t.kind == "number" for t in toks[:i])


def _is_code(tok: Token, toks: list[Token], i: int) -> bool:
    """A lab or site code between the name and the value: "01", "02" followed by a number."""
    if not _LAB_CODE.fullmatch(tok.text):
        return False
    return any(t.kind in ("number", "zero") for t in toks[i + 1 : i + 3])


def _in_brackets(low: str, pos: int) -> bool:
    opened = low.rfind("(", 0, pos)
    return opened != -1 and low.find(")", opened) > pos - 1 and low.rfind(")", 0, pos) < opened


def _column_of(tok: Token, line: Line, layout: Layout | None) -> Column | None:
    if layout is None or not (line.start <= tok.start < line.end):
        return None
    rel = tok.start - line.start
    if layout.separator == "space":
        return layout.column_at(rel, 0)
    sep = "\t" if layout.separator == "tab" else ","
    index = line.text.count(sep, 0, rel)
    return layout.column_at(rel, index)


# -- stage 5: the whole report -----------------------------------------------------------------

_OLDER_SECTION = re.compile(
    r"^\W*(?:previous|prior|earlier|last|old|vorbefund|vorheriger?|ancien|anterior)\b"
    r"|\b(?:previous|prior|earlier)\s+(?:analysis|sample|result|test|specimen)",
    re.IGNORECASE,
)
# "Test  Current Result and Flag  Previous Result and Date  Units": column names, not a heading.
_CURRENT_COLUMN = re.compile(r"\b(?:current|this)\s+result|\bresult\s+and\s+flag", re.IGNORECASE)
_CURRENT_SECTION = re.compile(r"^\W*(?:current|latest|new|aktuell|actuel)\b", re.IGNORECASE)


def is_semen_text(text: str) -> bool:
    return _SEMEN.search(text) is not None


def decimal_comma_convention(text: str) -> bool:
    """True when the text writes decimals with commas ("3,42 ng/ml", "1,9 ml")."""
    commas = points = 0
    for m in _DECIMAL.finditer(text):
        if m.group("comma"):
            commas += 1
        else:
            points += 1
    return commas > 0 and commas >= points


_DECIMAL = re.compile(
    r"(?<![0-9,.])(?:(?P<comma>[0-9]{1,3},[0-9]{1,2})(?![0-9,])|[0-9]{1,4}\.[0-9]{1,3}(?![0-9.]))"
)


# "Page 1 of 2", "Seite 2/3": printed page numbers, blanked before a line is read.
_PAGE_MARKER = re.compile(
    r"(?<![^\W\d_])(?:page|seite|pagina|página|pag\.|blatt)[ ]?[0-9]{1,3}"
    r"(?:[ ]?(?:of|von|de|di|/)[ ]?[0-9]{1,3})?(?![0-9])",
    re.IGNORECASE,
)


def semicolon_cells(text: str) -> str:
    """A semicolon-separated export (European spreadsheets and portals, where the comma is the
    decimal mark): its lines' semicolons become tabs, so its cells are read like a TAB copy.
    Only an export's lines count: a header of words with three or more semicolons, and the lines
    with as many; a chat line "T 9.4; E2 118; LH 2.1; FSH 3" keeps its own. Offsets do not move."""
    lines = text.split("\n")
    counts = [line.count(";") for line in lines]
    heads = {n for line, n in zip(lines, counts, strict=True) if n >= 3 and not _DIGIT.search(line)}
    shared = {n for n in heads if counts.count(n) >= 2}
    if not shared:
        return text
    table = (line.replace(";", "\t") if line.count(";") in shared else line for line in lines)
    return "\n".join(table)


_DIGIT = re.compile(r"[0-9]")


def read_report(text: str) -> ReportReading:
    """Read every row of a lab report in `text` (see the module docstring).

    Each line is read by `read_line` from its text and the state the lines above it left (the
    layout of the last header, an older-results section, whether the line above was a row);
    the same line in the same state is read once (a report pasted twice costs little more)."""
    text = semicolon_cells(text)
    semen = is_semen_text(text)
    context = _Context(semen, decimal_comma_convention(text), day_first_convention(text),
                       footnotes=footnote_units(text), legend=unit_legend(text, semen))  # fmt: skip
    reading = ReportReading()
    table: dict[str, list[_Value]] = {}
    section: tuple[str, int] | None = None
    numbered_rows: list[tuple[tuple[str, int], int]] = []
    for line, extra in join_records(split_lines(text), semen):
        layout = context.layout
        if layout is not None and layout.transposed and _starts_with_date(line):
            _read_draw(line, layout, context.decimal_comma, context.day_first, table)
            reading.consumed.append((line.start, line.end))
            continue
        found = read_line(line.text, tuple((x.start - line.start, x.text) for x in extra), context)
        context = found.context
        if found.header:
            _flush_table(table, reading)
            reading.headers += 1
        if found.numbered is not None:
            section = found.numbered
        if section is not None:
            numbered_rows.extend((section, len(reading.mentions) + i)
                                 for i in range(len(found.mentions)))  # fmt: skip
        if found.rows:
            reading.rows += found.rows
            reading.row_lines.add(line.start)
        reading.mentions.extend(shifted(m, line.start) for m in found.mentions)
        reading.issues.extend(shifted(i, line.start) for i in found.issues)
        reading.consumed.extend((line.start + a, line.start + b) for a, b in found.consumed)
    _flush_table(table, reading)
    _older_numbered(numbered_rows, reading)
    _cut_off_end(text, reading)
    return reading


@dataclass(frozen=True)
class _Context:
    """What reading a line depends on besides its text: the report's conventions, and the
    state the lines above it left."""

    semen: bool
    decimal_comma: bool
    day_first: bool | None
    layout: Layout | None = None
    section_role: str = "current"  # "older" under a "Previous results" heading
    previous_row: bool = False  # the line above was a row (for continuation lines)
    footnotes: tuple[tuple[str, str], ...] = ()  # the report's unit legend (`footnote_units`)
    section_when: str | None = None  # "Data pobrania: 10.09.2024" dates the rows below it
    layout_used: bool = False  # rows were read under the last header
    section_unit: str | None = None  # "--- Gonadotropine (mUI/mL) ---": the rows' unit below
    legend: tuple[tuple[str, str], ...] = ()  # each test's unit, from a legend (`unit_legend`)


@dataclass(frozen=True)
class _LineReading:
    """What one line gave; offsets are relative to the line's start."""

    context: _Context  # the state for the next line
    mentions: tuple[Mention, ...] = ()
    issues: tuple[Issue, ...] = ()
    consumed: tuple[tuple[int, int], ...] = ()
    rows: int = 0
    header: bool = False
    numbered: tuple[str, int] | None = None  # a heading that numbers an analysis ("SA#2")


_MAX_ROW = 400  # characters: a longer line is not a report row


@functools.lru_cache(maxsize=1024)
def read_line(text: str, extra: tuple[tuple[int, str], ...], ctx: _Context) -> _LineReading:
    """One line of a report (with the value lines a portal layout puts under it): a header, a
    line of dates or units under a header, a section heading, a continuation line, or rows."""
    if not text.strip():
        return _LineReading(replace(ctx, previous_row=False))
    if len(text) > _MAX_ROW:
        return _LineReading(ctx)  # a paragraph, or a whole report run together: prose
    text = _PAGE_MARKER.sub(lambda m: " " * len(m.group(0)), text)
    line = Line(0, text)
    extras = [Line(start, body) for start, body in extra]
    whole = ((0, len(text)),)
    layout = ctx.layout
    if layout is not None and layout.comma:
        line = Line(0, text.replace(",", "\t"))
    stripped = text.strip()
    # many words without table gaps are a sentence, unless they are fields ("Testosteron 12.1
    # nmol/l (9.72 – 38.17) · LH 5.3 U/l · FSH 9.6 U/l · Östradiol 96 pmol/l")
    sentence = _sentence(stripped) and not _fields(line, ctx.semen)
    header = None if sentence or _chat_message(text) else header_of([line], ctx.day_first)
    if (
        header is not None
        and layout is not None
        and ctx.previous_row
        and _qualitative_row(line, layout, ctx.semen)
    ):
        header = None  # "Viscosity   Normal   Normal": a row of words, not a new header
    if header is not None:
        if layout is not None and not ctx.layout_used and not ctx.previous_row:
            header = _under_dates(layout, header)
        return _LineReading(replace(ctx, layout=header, layout_used=False), consumed=whole,
                            header=True)  # fmt: skip
    if not extras and (
        (when := _collected_on(text, ctx.day_first)) is not None
        # a date alone right under a result is that result's date, not the next block's
        or (not ctx.previous_row and (when := _dated_heading(text, ctx.day_first)) is not None)
    ):
        return _LineReading(replace(ctx, section_when=when), consumed=whole)
    if layout is not None and _date_row(_lower(text)):
        return _LineReading(replace(ctx, layout=_merge_dates(layout, line, ctx.day_first)),
                            consumed=whole)  # fmt: skip
    if layout is not None and (units := _merge_units(layout, line)) is not None:
        return _LineReading(replace(ctx, layout=units), consumed=whole)
    if not extras and (heading := _unit_heading(stripped)) is not None:
        return _LineReading(replace(ctx, section_unit=heading or None), consumed=whole)
    if not extras:
        if sentence:
            return _LineReading(ctx)
        if (
            _OLDER_SECTION.search(stripped)
            and not re.search(r"[0-9]", stripped[:40])
            and not _CURRENT_COLUMN.search(stripped)
        ):
            return _LineReading(replace(ctx, section_role="older"))
        if _CURRENT_SECTION.search(stripped) and not re.search(r"[0-9]", stripped):
            return _LineReading(replace(ctx, section_role="current"))
        if ctx.previous_row and _continuation(line, ctx.semen):
            return _LineReading(ctx, consumed=whole)  # "  Sérum ...  14,28 nmol/L"
        if _REFERENCE_LINE.match(stripped.lstrip("([*")) and re.search(r"[0-9]", stripped):
            # "(Valores de referencia: A+B ≥ 32 %; A+B+C ≥ 40 %)": limits, not results
            return _LineReading(ctx, consumed=whole)
        if (numbered := _numbered_section(stripped)) is not None:
            return _LineReading(ctx, numbered=numbered)  # "SA#2 (last week)"
        if layout is not None and ctx.layout_used and _semen_heading(stripped):
            # "ESAME DEL LIQUIDO SEMINALE (WHO 2021)" after rows: a new block, not more rows of
            # the hormone table above; its rows keep their own alignment (or their own header).
            return _LineReading(replace(ctx, layout=None), consumed=whole)
    return _read_rows(line, extras, ctx)


def _semen_heading(stripped: str) -> bool:
    """A line that opens a semen analysis: it names one and gives no result (no unit)."""
    if _SEMEN.search(stripped) is None or identify(stripped, True) not in (None, "other"):
        return False
    return not any(t.kind == "unit" for t in tokens(_lower(stripped), 0, False))


# "Collected: 10/03/2024", "Data pobrania: 10.09.2024 07:55", "Probenentnahme 02.04.2024": the
# day the samples of the rows below were drawn (a report's issue date is not one).
_COLLECTED_WORD = re.compile(
    r"collect\w*|drawn|draw date|specimen date|sample date|date of (?:collection|sampling)|"
    r"pobrani\w*|prelievo|entnahme|abnahme|abgenommen|prelevement|preleve\w*|fecha de toma|"
    r"toma de muestra|coleta|afname|odber\w*|numune|provtagning\w*|pr[øo]vetak\w*|"
    r"pr[øo]vetagning\w*|n[aä]ytteenotto\w*"
)
_COLLECTED = re.compile(rf"(?:{_COLLECTED_WORD.pattern})\W{{0,3}}(?:\w+\W{{1,3}}){{0,2}}$")
# "Date: 14 March 2025" on a line of its own heads a group of results (NHS App).
_DATE_LABEL = re.compile(rf"\s*(?:{_DATE_WORD})\s*:\s*$")


# Dates that are not when blood or semen was taken: birth, printing, reporting, or a future visit.
_NOT_A_DRAW = re.compile(
    r"birth|dob|born|print|report|receiv|issue|enter|sent|age\b|appoint|next|follow|due|book|"
    r"review|visit|expir|valid"
)


def _dated_heading(text: str, day_first: bool | None) -> str | None:
    """The date of a block heading that is a date and little else ("4 March 2025", "Blood test -
    12 February 2025"): the draw the rows under it come from."""
    low = _lower(text).strip()
    dates = [t for t in tokens(low, 0, False) if t.kind == "date"]
    if len(dates) != 1:
        return None
    rest = (low[: dates[0].start] + " " + low[dates[0].end :]).strip(" -:,.\t")
    if any(c.isdigit() for c in rest) or len(rest.split()) > 4 or _NOT_A_DRAW.search(rest):
        return None
    return _date_key(dates[0].text, day_first)


def _collected_on(text: str, day_first: bool | None) -> str | None:
    """The collection date a line gives, when it gives one date and no result."""
    low = _lower(text)
    head, colon, _ = low.partition(":")
    if _COLLECTED_WORD.search(low) is None and not (colon and _DATE_LABEL.match(head + colon)):
        return None
    dates = [t for t in tokens(low, 0, False) if t.kind == "date"]
    if len(dates) != 1:
        return None  # "Collected  03/14/2024  11/02/2023": the dates of columns
    lead = low[: dates[0].start]
    if _COLLECTED.search(lead) is None and _DATE_LABEL.match(lead) is None:
        return None
    return _date_key(dates[0].text, day_first)


def _read_rows(line: Line, extras: list[Line], ctx: _Context) -> _LineReading:
    """The rows of a line: one, or several fields ("Peso 92 kg · Talla 175 cm") or panels."""
    role, when, numbered = ctx.section_role, ctx.section_when, None
    if not extras and (lead := _numbered_line(line, ctx.day_first)) is not None:
        numbered, when, line = lead  # "SA #1 09/15/24 | vol 3.0 mL | conc 8 M/mL"
    if not extras and (after := _older_label(line, ctx.semen)) is not None:
        line, role = after, "older"  # "Previous results: Testosterone 12/2024: 231"
    drawn_column = ctx.layout is not None and any(c.kind == "drawn" for c in ctx.layout.columns)
    if not extras and not drawn_column and (dated := _dated_line(line, ctx.day_first)) is not None:
        when, line = dated  # "2025:  TT 468 ng/dL | FT 9.8 ng/dL | E2 31"
    fields = [] if extras else (_fields(line, ctx.semen) or _panels(line, ctx.semen))
    layout = None if fields or not _fits(line, ctx.layout) else ctx.layout
    # A header with a previous-results column but no result column ("HORMONOLOGIE   Valeurs de
    # référence   Antériorités"): its rows' values stand in the name column's span (or on lines
    # under the name), so the layout does not place them, but what stands under the previous
    # column is still older.
    older_from = _previous_column(ctx.layout) if (layout is None or extras) and not fields else None
    mentions: list[Mention] = []
    issues: list[Issue] = []
    consumed: list[tuple[int, int]] = []
    rows = 0
    for piece in fields or [line]:
        found = read_row(piece, extras, layout, semen=ctx.semen, decimal_comma=ctx.decimal_comma,
                         day_first=ctx.day_first, section_role=role, section_when=when,
                         footnotes=ctx.footnotes, older_from=older_from,
                         section_unit=ctx.section_unit, legend=ctx.legend)  # fmt: skip
        if found is not None and layout is not None and not found[0] and not found[1]:
            found = _by_own_gaps(piece, extras, ctx, role, when) or found
        if found is None:
            continue
        rows += 1
        mentions.extend(found[0])
        issues.extend(found[1])
        consumed.append((piece.start, piece.end))
        consumed.extend((x.start, x.end) for x in extras)
    used = ctx.layout_used or (rows > 0 and layout is not None)
    return _LineReading(replace(ctx, previous_row=ctx.previous_row or rows > 0, layout_used=used),
                        tuple(mentions), tuple(issues), tuple(consumed), rows,
                        numbered=numbered)  # fmt: skip


def _previous_column(layout: Layout | None) -> int | None:
    """Where a space-aligned header's previous-results column starts, when the header names no
    result column; else None."""
    if layout is None or layout.separator != "space" or layout.transposed:
        return None
    if any(c.kind == "result" for c in layout.columns):
        return None
    return next((c.start for c in layout.columns if c.kind == "previous"), None)


def _by_own_gaps(
    piece: Line, extras: list[Line], ctx: _Context, role: str, when: str | None
) -> tuple[list[Mention], list[Issue]] | None:
    """A row the header's columns leave with no value and nothing to ask ("Volume   1.8 mL"
    from a block with its own alignment, under the hormone table's header), read by its own
    gaps; only when its value directly follows its name (a result written in words, "not
    applicable   30 %", leaves the number after it to the reference column)."""
    found = read_row(piece, extras, None, semen=ctx.semen, decimal_comma=ctx.decimal_comma,
                     day_first=ctx.day_first, section_role=role, section_when=when,
                     footnotes=ctx.footnotes, legend=ctx.legend)  # fmt: skip
    if found is None or not found[0]:
        return None
    first = found[0][0]
    low = piece.text.lower()
    name_end = low.find(first.name_text.lower()) + len(first.name_text) if first.name_text else -1
    if name_end < 0 or low[name_end : first.span[0]].strip(" \t:.=") != "":
        return None
    return found


# "SA#1 (March)", "Sample 2:", "Test #3 - after clomid": a numbered analysis as a heading.
_NUMBERED = re.compile(
    r"""^\W*(?P<label>[^\W\d_]{1,12}(?:[ ][^\W\d_]{1,12})?)     # "SA", "Semen analysis"
          [ ]?(?:\#|n[o°º]\.?)[ ]?(?P<n>[0-9]{1,2})(?![0-9.,])  # "#2", "no. 2"
      | ^\W*(?P<label2>sample|analysis|test|draw|specimen|probe|echantillon|muestra|sa
          |semen[ ]analysis|spermiogram)
          [ ](?P<n2>[0-9]{1,2})\b                              # "Sample 2"
      | ^[ \t]*(?:[-*•·][ \t]*)?\#[ ]?(?P<n3>[0-9]{1,2})(?![0-9.,])  # "- #2 about two weeks ago"
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _label_and_number(m: re.Match[str]) -> tuple[str, int]:
    """("sa", 2) of "SA #2", ("sample", 2) of "Sample 2", ("#", 2) of a bare "#2"."""
    label = m.group("label") or m.group("label2")
    number = m.group("n") or m.group("n2") or m.group("n3")
    return (normalise(label).strip() if label else "#"), int(number)


def _numbered_section(stripped: str) -> tuple[str, int] | None:
    """(label, number) of a short heading line that numbers an analysis ("SA #2 (last week)")."""
    m = _NUMBERED.match(stripped)
    if m is None or len(stripped.split()) > 10 or re.search(r"[0-9]", stripped[m.end() :][:1]):
        return None
    return _label_and_number(m)


_NUMBERED_LEAD = re.compile(
    rf"""[ \t]*(?:(?P<when>{_DATE})[ \t]*)?     # "SA #1 09/15/24"
         (?:\([^()]{{1,24}}\)[ \t]*)?             # "SA 2 (April)"
         (?:[|·:]|[ \t]-[ \t]|[ \t]{{2,}}|\t)[ \t]*  # then the fields: "| vol 3.0 mL | ..."
         (?=[^\W\d_])""",
    re.VERBOSE,
)


def _numbered_line(
    line: Line, day_first: bool | None
) -> tuple[tuple[str, int], str | None, Line] | None:
    """((label, number), date, the rest) of a row line led by a numbered analysis ("SA #1
    09/15/24 | vol 3.0 mL | conc 8 M/mL"): its rows belong to that analysis."""
    m = _NUMBERED.match(line.text)
    lead = _NUMBERED_LEAD.match(_lower(line.text), m.end()) if m is not None else None
    if m is None or lead is None:
        return None
    when = _date_key(lead.group("when"), day_first) if lead.group("when") else None
    rest = Line(line.start + lead.end(), line.text[lead.end() :])
    return _label_and_number(m), when, rest


def numbered_label(label: str, n: int) -> str:
    """ "SA #2", or "#2" for a bare number."""
    return f"#{n}" if label == "#" else f"{label.upper()} #{n}"


def _older_numbered(rows: list[tuple[tuple[str, int], int]], reading: ReportReading) -> None:
    """Rows under "SA#1" are older than rows under a later "SA#2" of the same label."""
    latest: dict[str, int] = {}
    for (label, n), _ in rows:
        latest[label] = max(n, latest.get(label, n))
    for (label, n), index in rows:
        if n < latest[label]:
            m = reading.mentions[index]
            note = "; ".join(p for p in (m.note, f"from {numbered_label(label, n)}; "
                                         f"#{latest[label]} is later") if p)  # fmt: skip
            reading.mentions[index] = replace(m, role="older", note=note)


# A line led by its own date or year: "2024:  TT 312 ng/dL | ...", "12/03/2025 - LH 4.1", or a
# date cell before a table gap ("12 Mar 2025    Serum testosterone level    9.8 nmol/L", the NHS
# App's test results).
_LINE_DATE = re.compile(
    rf"""[ \t]*(?P<when> (?:19|20)[0-9]{{2}}(?![0-9./-]) | {_DATE} )
    (?:[ \t]*(?:[:|→>-]|–|—)[ \t]*|[ ]{{3,}})(?=[^\W\d_])""",
    re.VERBOSE,
)


def _dated_line(line: Line, day_first: bool | None) -> tuple[str, Line] | None:
    """(yyyy[-mm-dd], the rest of the line) of a line that starts with its date, else None."""
    m = _LINE_DATE.match(_lower(line.text))
    if m is None:
        return None
    raw = m.group("when")
    when = raw if re.fullmatch(r"(?:19|20)[0-9]{2}", raw) else _date_key(raw, day_first)
    if when is None or "?" in when:
        return None
    return when, Line(line.start + m.end(), line.text[m.end() :])


def _referenced(text: str, m: Mention) -> bool:
    """Whether a number follows the value on its line (a reference interval or limit)."""
    line_end = text.find("\n", m.span[1])
    return re.search(r"[0-9]", text[m.span[1] : line_end if line_end != -1 else None]) is not None


def _cut_off_end(text: str, reading: ReportReading) -> None:
    """A paste that stops right after a bare number in its last row ("Progressive (PR) ....
    2"): the number may be the first digit of a longer one, so it is asked about, not read."""
    end = len(text.rstrip())
    last = next((m for m in reversed(reading.mentions) if m.span[1] == end), None)
    if last is None or last.unit_text:
        return
    others = [m for m in reading.mentions if m is not last]
    if len(others) < 2 or not all(m.unit_text and _referenced(text, m) for m in others):
        return  # only a report whose other rows all have a unit and a reference is suspect
    reading.mentions.remove(last)
    label = (last.name_text or "").strip() or "the last row"
    reading.issues.append(Issue(
        "cut_off", f"The text ends right after “{last.value_text}” in “{label}”, so the value "
        "may be cut off; it was not used.", f"What is the full {label} result, with its unit?",
        _issue_analyte(last.analyte), last.span))  # fmt: skip


_FIELD_GAP = re.compile(r"[ \t]{3,}|\t|[ \t]*[·|][ \t]*|;[ \t]*")


def _fields(line: Line, semen: bool) -> list[Line]:
    """The "name value" fields of a line that holds several ("Größe: 1,83 m   Gewicht: 97 kg
    BMI: 29,0 kg/m²", "Peso 92 kg · Talla 175 cm · IMC 30,0"), else []. A field whose unit
    alone says what it is ("💪 weight 104.3kg   📏 178cm") is returned too; the row reader
    leaves it, unnamed, to the prose reader."""
    pieces, pos = [], 0
    for gap in [*_FIELD_GAP.finditer(line.text), None]:
        end = gap.start() if gap is not None else len(line.text)
        piece = line.text[pos:end]
        if piece.strip():
            offset = pos + len(piece) - len(piece.lstrip())
            pieces.append(Line(line.start + offset, piece.strip()))
        if gap is not None:
            pos = gap.end()
    named, unnamed = [], []
    for piece in pieces:
        # the value is the first number outside brackets ("Hormony (odběr 25.02.2025): S_LH 6,8")
        # that is not part of a name ("E2 19.6 pg/mL")
        m = re.search(r"(?<![^\W\d_])[0-9]|[<>≤≥]", _blank_brackets(piece.text))
        if m is None or m.start() == 0:
            continue
        label = piece.text[: m.start()]
        if not re.search(r"[^\W\d_]", label) and UNIT_ANALYTE.get(_unit_in(piece.text)[0] or ""):
            unnamed.append(piece)
            continue
        cut = label.rfind(":", 0, len(label.rstrip(" :=")))  # "Datos clínicos: Peso 92 kg"
        name = label[cut + 1 :].strip(" :=")
        if not name or identify(name, semen) is None:
            continue  # "pH: 7.8" is a field we do not read
        if _unit_in(_BRACKETED.sub("", name))[0] is not None:
            continue  # "testosterone nmol/L x 28.84 = ng/dL": a formula, not a field
        offset = cut + 1 + len(label[cut + 1 :]) - len(label[cut + 1 :].lstrip())
        named.append(Line(piece.start + offset, piece.text[offset:]))
    return named + unnamed if len(named) >= 2 or (named and unnamed) else []


_LABEL_HEAD = r"[ \t]*([^:0-9]{3,40}):[ \t]*"
_LABEL = re.compile(_LABEL_HEAD + r"(?=[^\W\d_])")  # a label before a name
_VALUE_LABEL = re.compile(_LABEL_HEAD + r"(?=[0-9<>≤≥])")  # a label before a value


def _says_older(label: re.Match[str] | None) -> bool:
    """Whether a label's words mark what follows as an older result ("Previous result:")."""
    return label is not None and bool(_words(normalise(label.group(1))) & _OLDER_WORDS)


def _older_value_line(line: Line) -> bool:
    """A line that gives an unnamed older value ("Resultados anteriores: 298 ng/dL")."""
    return _says_older(_VALUE_LABEL.match(line.text))


def _older_label(line: Line, semen: bool) -> Line | None:
    """The row after a label that marks it as an older result ("Resultados anteriores:
    TESTOSTERONA TOTAL 11/11/2024: 231 ng/dL", "Previous result: LH 3.1 IU/L"), else None."""
    # a date in brackets is part of the label: "Seminograma previo (11/10/2024): ..."
    label = _LABEL.match(_blank_brackets(line.text))
    if label is None or not _says_older(label):
        return None
    if identify(label.group(1), semen) is not None:
        return None  # "Previous testosterone: 12" names its test: an ordinary row
    return Line(line.start + label.end(), line.text[label.end() :])


_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _blank_brackets(text: str) -> str:
    """`text` with what stands in brackets blanked, every position kept."""
    return _BRACKETED.sub(lambda b: " " * len(b.group(0)), text)


_LIST_PUNCTUATION = re.compile(r"[,;:][ \t]|[,;:]$")


def _panels(line: Line, semen: bool) -> list[Line]:
    """The tests of a line that holds two side by side with single spaces (OCR of a two-column
    page: "Testosterone 16.8 nmol/L (8.64-29.0) Haemoglobin 152 g/L (130-180)"), else []. A
    second test starts where, after a value, words that name a known test lead to a number."""
    if _LIST_PUNCTUATION.search(_BRACKETED.sub("", line.text)):
        return []  # "volume 2.1 mL, concentration 8 M/mL": a list in prose, not two panels
    cuts, seen_value, run = [], False, None
    for tok in tokens(_lower(line.text), 0, False):
        if tok.kind == "word":
            run = tok.start if run is None else run
            continue
        if tok.kind in ("number", "zero", "garbled"):
            name = line.text[run : tok.start].strip(" \t:=") if run is not None else ""
            if seen_value and len(name) > 1 and identify(name, semen) is not None:
                cuts.append(run)
            # a number that opens the line is not a value ("17-beta Estradiol")
            seen_value = seen_value or bool(line.text[: tok.start].strip())
        run = None
    if not cuts:
        return []
    bounds = [0, *cuts, len(line.text)]
    return [Line(line.start + a, line.text[a:b].rstrip()) for a, b in itertools.pairwise(bounds)]


def _continuation(line: Line, semen: bool) -> bool:
    """An indented line under a row, without a test name, holding a value with a unit: the same
    result in a second unit, or a method line ("  Sérum - Roche   14,28 nmol/L")."""
    if not line.text[:1].isspace():
        return False
    cells = _cells(line, "space")
    if cells and _FLAG_ONLY.fullmatch(cells[0][1]):
        cells = cells[1:]  # " H    S-FSH   ...": a flag column first, then the test's name
    if cells and _only_dates(_lower(cells[0][1])):
        cells = cells[1:]  # "  12 Feb 2025   Height 177.5 cm": the row's date cell first
    if not cells or identify(cells[0][1], semen) is not None or pair_names(cells[0][1]):
        return False  # a test's name, or two ("  FSH/LH 6.2/4.1 IU/L"), leads a row of its own
    toks = tokens(_lower(line.text), 0, False)
    return any(t.kind == "unit" for t in toks) and any(t.kind == "number" for t in toks)


def _sentence(text: str) -> bool:
    """A line of running text (many words, no table gaps): the prose reader's, not ours.
    A row of numbers, dates and ranges has few words ("Sex Horm Binding Glob, Serum 01 22.7
    25.0 03/14/2024 nmol/L 16.5 - 55.9")."""
    if text.lstrip().startswith(("※", "注", "*)")) or "。" in text:
        return True  # a footnote, or sentences ended by the CJK full stop
    parts = text.split()
    words = [w for w in parts if any(c.isalpha() for c in w)]
    return len(parts) > 12 and len(words) > 6 and _CELL_GAP.search(text) is None


def _starts_with_date(line: Line) -> bool:
    first = TOKEN.search(_lower(line.text))
    return first is not None and first.lastgroup == "date" and not _chat_message(line.text)


def _chat_message(text: str) -> bool:
    """A message of an exported chat ("[6/14/25, 9:13:05 AM] Dan: ..."): its date is when it was
    sent, and it is no header or draw of a table."""
    return text.lstrip()[:1] in CHAT_LEADS and CHAT_HEAD.match(text) is not None


def _read_draw(
    line: Line,
    layout: Layout,
    decimal_comma: bool,
    day_first: bool | None,
    table: dict[str, list[_Value]],
) -> None:
    """One draw (a row) of a table with tests as columns: each test's cell, dated. A unit
    written elsewhere in the row ("units are nmol/L for this row!" in a notes cell) makes the
    header's units doubtful for that row: its values are then read without a unit, for the
    converter to infer and say so."""
    low = _lower(line.text)
    toks = tokens(low, line.start, decimal_comma)
    when = _date_key(toks[0].text, day_first) if toks else None
    # In tab- or comma-separated text a cell's column is its position, empty cells counted.
    index_at = (
        {line.start + start: n for n, (start, _) in enumerate(_cells(line, layout.separator))}
        if layout.separator != "space" else {}
    )  # fmt: skip
    cell_starts = sorted(index_at)

    def column_of(tok: Token) -> Column | None:
        if layout.separator == "space":
            return layout.column_at(tok.start - line.start, 0)
        k = bisect.bisect_right(cell_starts, tok.start)  # the cell the token stands in
        return layout.column_at(0, index_at[cell_starts[k - 1]]) if k else None

    stray_unit = any(
        tok.kind == "unit" and canonical_unit(tok.text) not in (None, "other")
        and (col := column_of(tok)) is not None and col.kind != "analyte"
        for tok in toks
    )  # fmt: skip
    in_column: dict[int, list[Token]] = {}  # the numbers of each column's cell, in order
    for tok in toks:
        column = column_of(tok)
        if column is not None and tok.kind in ("number", "zero", "bound"):
            in_column.setdefault(column.index * 100_000 + column.start, []).append(tok)
    for i, tok in enumerate(toks):
        pending = _pending(tok)
        if tok.kind not in ("number", "zero", "bound") and not pending:
            continue
        column = column_of(tok)
        if column is None or column.analyte is None or column.kind != "analyte":
            continue
        if column.second is not None:
            cell = in_column.get(column.index * 100_000 + column.start, [])
            if len(cell) != 2 or pending:
                continue  # one number under "LH/FSH": which of the two it is, is not known
            if tok is cell[1]:
                column = replace(column, analyte=column.second)
        if pending:  # a result still to come: no older one stands in for it
            table.setdefault(column.analyte, []).append(_Value(tok, None, None, "dated", when))
            continue
        unit, unit_text = _unit_after(toks, i, low, line.start)
        if unit is None and column.unit and not stray_unit:
            unit, unit_text = canonical_unit(column.unit), column.unit
        bound = _bound_sign(tok) if tok.kind == "bound" else None  # "<5": not a value
        table.setdefault(column.analyte, []).append(
            _Value(tok, unit, unit_text, "dated", when, bound)
        )


def _flush_table(table: dict[str, list[_Value]], reading: ReportReading) -> None:
    """Each test of a table of draws: its most recent value, the older ones set aside (and
    said to be older than the latest draw when that draw did not test it)."""
    whens = [v.when for values in table.values() for v in values]
    latest = max(whens) if whens and all(w is not None and "?" not in w for w in whens) else None
    for analyte, all_values in table.items():
        values = [v for v in all_values if not _pending(v.token)]
        waiting = [v.when for v in all_values if _pending(v.token) and v.when]
        newest = max((v.when for v in values if v.when), default=None)
        if waiting and (newest is None or max(waiting) > newest):
            reading.issues.append(Issue(
                "pending",
                f"The {analyte_label(analyte)} result of the latest draw ({max(waiting)}) is still "
                "pending, so no older result was used in its place.",
                f"What was the {analyte_label(analyte)} result of that draw, once it is back?",
                _issue_analyte(analyte)))  # fmt: skip
            continue
        if not values:
            continue
        resolved = _resolve_dated(values)
        current = [v for v in resolved if v.role == "current"]
        older = [v for v in resolved if v.role == "older"]
        if len(current) != 1:
            reading.issues.append(Issue(
                "ambiguous_row",
                f"The table gives several {analyte} results and their dates cannot be ordered, "
                "so none was used.", "Which result is the most recent one?", _issue_analyte(
                    analyte)))  # fmt: skip
            continue
        v = current[0]
        note = ""
        if older:
            note = "older results " + "; ".join(
                f"{o.token.text} ({_shown_date(o.when)})" for o in older[:3]
            )
            note += " set aside"
        if latest is not None and v.when is not None and v.when < latest:
            note = (f"{note}; " if note else "") + _not_in_latest_draw(v.when)
        reading.mentions.append(
            Mention(
                analyte,
                float(v.token.value or 0.0),
                None,
                v.token.text,
                v.unit_text,
                v.unit,
                (v.token.start, v.token.end),
                None,
                bound=v.bound,
                note=note,
                when=v.when,
                source="row",
            )
        )
        reading.rows += 1
        reading.row_lines.add(v.token.start)
    table.clear()


def _bound_sign(tok: Token) -> str:
    """The comparator of a bound token ("<" of "<5", "inferior a" of "inferior a 20")."""
    return re.match(r"[^0-9.,]+", tok.text).group(0).strip()  # type: ignore[union-attr]


def _not_in_latest_draw(when: str | None) -> str:
    return (
        f"most recent result for this test ({_shown_date(when)}); the later draw(s) did not "
        "include it"
    )


def _shown_date(when: str | None) -> str:
    """A date key as shown: "2024-10-00" (a month with no day: "Oct 2024") as "2024-10"."""
    return when[:-3] if when and when.endswith("-00") else str(when)


_EARLIER_DRAW = re.compile(r"most recent result for this test \(([^)]*)\); the later draw")


# "SA #2 3/25/25: 2.4 mL, 11.5 M/mL", "Labs 12/03/2024 - T 512": a line of prose that opens
# with the date of its results
_OPENING_DATE = re.compile(
    r"[ \t]*(?:[^\W\d_][\w.]{0,15}[ \t]*(?:#[ \t]*)?[0-9]{0,2}[ \t]+)?"
    r"(?P<date>[0-9]{1,4}[/.-][0-9]{1,2}[/.-][0-9]{2,4})[ \t]*(?::|-|–|—)"
)


def opening_date(text: str, pos: int, day_first: Callable[[], bool | None]) -> str | None:
    """yyyy-mm-dd of the date the line holding `pos` opens with, when it opens with one whose
    day and month are known (by the convention `day_first()` gives); else None."""
    start = text.rfind("\n", 0, pos) + 1
    found = _OPENING_DATE.match(text, start)
    if found is None or found.end() > pos:
        return None
    when = _date_key(found["date"], day_first())
    return None if when is None or "?" in when else when


def opening_number(text: str, pos: int) -> tuple[str, int] | None:
    """(label, number) when the line holding `pos` opens with a numbered analysis ("SA #1
    (Oct) was worse: 1.1 ml ...", "Sample 2: ...") before `pos`; else None."""
    start = text.rfind("\n", 0, pos) + 1
    found = _NUMBERED.match(text[start:pos])
    if found is None:
        return None
    return _label_and_number(found)


def earlier_draw(note: str) -> str | None:
    """The date of the draw a value comes from when its note (`_not_in_latest_draw`) says a
    later draw of the table left its test out; else None."""
    found = _EARLIER_DRAW.search(note)
    return found[1] if found else None
