"""Unit spellings: the one table that the text readers scan for and the converter names.

Every spelling is a regular expression over lower-cased text (ASCII letters lowered; "µ" and
"μ" read as "u"). `scan_pattern()` joins them into the alternation the prose and row readers
match after a number; `canonical_unit()` maps a matched unit to its key ("ng/dL", "M/mL",
"%", ...) by matching the same spellings, so the two can never disagree. Keys that are never lab
units ("mg", "years", ...) map to "other": their numbers are not lab values.
"""

from __future__ import annotations

import functools
import re

S = r"[ \t\u00a0]{0,3}"  # optional blanks inside a unit ("x 10 ^ 6")
SP = r"[ \t\u00a0]{1,3}"
END = r"(?![a-z0-9_]|[^\W\d_])"  # no letter of any alphabet after a unit ("m" of "móviles")

# "10^", "10**", "10*", "10E" (LabCorp's "x10E6/mL"), "10" before a superscript: the power of
# ten before its exponent, in lowered text.
TEN_TO = rf"10{S}(?:\^|\*\*?|e)?{S}"
# Multipliers that mean "million": "x10^6", "×10⁶", "x10E6", "10^6", "e6", "mio", "mill." ...
POWER_6 = rf"(?:[x×*]{S}{TEN_TO}(?:6|⁶)(?![0-9])|10{S}(?:\^|e){S}6(?![0-9])|10⁶|e6)"
# The word "million" in several languages ("millió", "miljoner", "milyon", Greek "εκατ.", "εκ.").
MILLION_WORDS = (
    r"millions?|millones|milh(?:õ|o)es|milioni|miliony?|millió|milj(?:oner)?|miljoonaa?|milyon"
    r"|mill?|mln|mio|εκατ|εκ(?=\.)"
)
MILLION = rf"(?:(?:{MILLION_WORDS})\.?|m|{POWER_6})"
# "× 10⁹/L", "x10^9/l": cells per litre, as haematology writes them (10⁹ per litre = a million
# per mL). Key "G/L": a sperm concentration only under its name, since blood counts (white
# cells, platelets) use the same unit.
POWER_9 = rf"(?:[x×*]{S}{TEN_TO}(?:9|⁹)(?![0-9])|10⁹)"
# "sperm" in a count's unit, as reports abbreviate it ("spz/ml", Spanish "espz/mL").
SPERM = r"(?:sperms?|spermatozoa|spermatozoi|spermatozo[iï]des|espermatozoides|spermien|e?spz)"

# Numerators of "A per B" units: (key, spelling). "" is a plain count of cells.
NUMERATORS: tuple[tuple[str, str], ...] = (
    ("ng", r"ng|nanograms?"),
    ("pg", r"pg|picograms?"),
    ("nmol", r"nmol|nanomol(?:es?)?"),
    ("pmol", r"pmol|picomol(?:es?)?"),
    ("ug", r"ug|µg|μg|mcg|micrograms?"),  # "µg/L": testosterone in ng/mL
    # "IE" (Internationale Einheiten, Nordic "IE/L"), "NE" (Hungarian "nemzetközi egység"), "E";
    # "mlU", "mUl" and "lU" are OCR's reading of "mIU", "mUI" and "IU".
    ("mIU", r"miu|mlu|mui|mul|mu|mie|mne|milli-?units?|milli-?international-?units?"),
    ("IU", r"iu|lu|ui|u|ie|ne|e|international-?units?"),
    ("M", MILLION),
    ("", rf"{SPERM}|cells?|"),
    ("G", POWER_9),
)
DENOMINATORS: tuple[tuple[str, str], ...] = (
    ("dL", r"dl|deci-?lit(?:er|re)s?"),
    ("mL", r"ml|mls|cc|milli-?lit(?:er|re)s?"),
    ("L", r"l|lit(?:er|re)s?"),
    ("ejaculate", r"ejaculates?|ejakulat|éjaculat|eyaculado|eyaculación|ejaculado|ejac\.?|ejac"),
)
PER = rf"(?:{S}/{S}|{SP}p(?:er|ro|ar|or){SP})"

# Units written without "per": (key, spelling), tried in order.
SIMPLE: tuple[tuple[str, str], ...] = (
    ("kg/m2", rf"kg{S}/{S}m{S}(?:\^{S})?[2²]|kgm\^?[2²]"),
    ("nmol/L", r"nmol|nanomol(?:es?)?"),
    ("pmol/L", r"pmol|picomol(?:es?)?"),
    ("IU", r"m?iu"),
    ("%", r"%|percent|per-?cent|pct"),
    ("M", rf"(?:{MILLION_WORDS})\.?|{POWER_6}"),
    ("kg", r"kgs?|kilos?|kilo-?grams?|kilo-?grammes?"),
    ("lb", r"lbs?|pounds?"),
    ("st", r"stones?|st"),
    ("cm", r"cms?|centi-?met(?:er|re)s?"),
    ("mL", r"mls?|milli-?lit(?:er|re)s?|cc"),
    ("m", r"mtrs?|met(?:er|re)s?|m"),
    ("in", r"inch(?:es)?|\"|″|''|”|′′|’’"),
)
# Never lab units: a number carrying one of these is a dose, a duration, an age, a count of
# things, a time of day, an ordinal...
NEVER = (
    r"mg|mcg|ug|µg|μg|years?|yrs?|yo|y/o|months?|mos?|mths?|weeks?|wks?|days?|hours?|hrs?|"
    r"minutes?|mins?|times|am|pm|a\.m\.|p\.m\.|kids?|children|nd|rd|th|x|tablets?|pills?|"
    r"jahren?|j\.|ans|anni|a[nñ]os|jaar|"
    r"doses?|shots?|injections?|units?|u|cycles?|heures?|stunden?|horas?|cells|fields?"
)


def _alternatives(pairs: tuple[tuple[str, str], ...]) -> str:
    return "|".join(f"(?:{spelling})" for _, spelling in pairs if spelling)


def scan_pattern() -> str:
    """The alternation of every unit spelling, longest forms first, for use after a number.

    The order matters where one spelling is a prefix of another ("m" < "ml" < "million/ml")."""
    count_per_volume = (
        rf"{MILLION}(?:{SP}{SPERM}|{SP}cells)?{PER}"
        rf"(?:{_alternatives(DENOMINATORS[1:2])}|{_alternatives(DENOMINATORS[3:])})"
    )
    # A unit may run into the next number in copied text ("5.2 mIU/mL1.7 - 8.6").
    hormone = (
        rf"(?:{_alternatives(NUMERATORS[:7])}){PER}(?:{_alternatives(DENOMINATORS[:3])})"
        r"(?![a-z_])"
    )
    cells_per_ml = rf"(?:{SPERM}{S}|cells{S})?{PER}(?:ml|cc){END}"
    per_ejaculate = rf"(?:{SPERM}{S})?{PER}(?:{_alternatives(DENOMINATORS[3:])}){END}"
    simple = [
        rf"(?:{SIMPLE[0][1]})(?![a-z0-9])",  # kg/m²
        rf"{count_per_volume}{END}",
        rf"{POWER_9}{PER}(?:l|lit(?:er|re)s?){END}",
        hormone,
        cells_per_ml,
        per_ejaculate,
        rf"(?:nmol|pmol|nanomol(?:es)?|picomol(?:es)?|m?iu){END}",
        rf"%|(?:percent|per{S}cent|pct){END}",
        rf"(?:{MILLION_WORDS}){END}\.?|{POWER_6}(?![0-9])",
        rf"(?:{SIMPLE[6][1]}|{SIMPLE[7][1]}|{SIMPLE[8][1]}){END}",
        rf"(?:cms?|centi-?met(?:er|re)s?|mls?|milli-?lit(?:er|re)s?|cc){END}",
        rf"(?:mtrs?|met(?:er|re)s?|m){END}",
        r"inch(?:es)?(?![a-z])|\"|″|”|''|′′|’’",
        rf"(?:{NEVER}){END}",
    ]
    return "|".join(simple)


_SPACES = re.compile(r"[ \t\u00a0]+")
_WORD_PER = re.compile(r"(?:^|[ \t\u00a0]+)(?:per|pro|par|por)[ \t\u00a0]+")
_NUM = [(re.compile(p), k) for k, p in NUMERATORS]
_DEN = [(re.compile(p), k) for k, p in DENOMINATORS]
_SIMPLE = [(re.compile(p), k) for k, p in SIMPLE]


@functools.lru_cache(maxsize=1024)
def canonical_unit(typed: str) -> str:
    """The unit key of what was typed ("ng/dl" -> "ng/dL", "million per ml" -> "M/mL",
    "x10^6/ejaculate" -> "M"); "other" for units that are never lab units."""
    t = typed.lower().replace("µ", "u").replace("μ", "u").strip()
    t = _WORD_PER.sub("/", t)
    t = _SPACES.sub("", t)
    if "/" in t and not t.startswith("kg/m"):
        num, _, den = t.partition("/")
        n = next((k for r, k in _NUM if r.fullmatch(num)), None)
        d = next((k for r, k in _DEN if r.fullmatch(den)), None)
        if n is None or d is None:
            return "other"
        if d == "ejaculate":
            return "M" if n == "M" else ("count" if n == "" else "other")
        if n == "M":
            return "M/mL" if d == "mL" else "other"
        if n == "G":
            return "G/L" if d == "L" else "other"
        if n == "":
            return "/mL" if d == "mL" else "other"
        if n == "mIU" and d == "L":
            return "mIU/L"
        if n == "ug":
            return "ng/mL" if d == "L" else "other"  # 1 µg/L = 1 ng/mL
        return f"{n}/{d}"
    return next((k for r, k in _SIMPLE if r.fullmatch(t)), "other")


# Cyrillic spellings of the units above (Russian and Ukrainian reports: "нмоль/л", "мЕд/мл",
# "млн/мл"), each with its Latin spelling of no greater length. `latinise_units` writes the
# Latin spelling over the Cyrillic one and pads it with spaces, so positions in the text do not
# move and every reader downstream sees units it knows.
_CYRILLIC_UNITS: tuple[tuple[str, str], ...] = (
    (r"нмол[ьъ]?/л", "nmol/l"),
    (r"пмол[ьъ]?/л", "pmol/l"),
    (r"нг/мл", "ng/ml"),
    (r"нг/дл", "ng/dl"),
    (r"пг/мл", "pg/ml"),
    (r"мкг/л", "ug/l"),
    (r"мк(?:ме|мо|ед|од)/мл", "uiu/ml"),  # prolactin, TSH: never ours, kept unreadable
    (r"м(?:ме|мо|ед|од)/мл", "miu/ml"),
    (r"м(?:ме|мо|ед|од)/л", "miu/l"),
    (r"(?:ме|мо|ед|од)/л", "iu/l"),
    (r"млн\.?/мл", "mln/ml"),
    (r"млн", "mln"),
    (r"мл", "ml"),
    (r"кг/м[2²]", "kg/m2"),
    (r"кг", "kg"),
    (r"см", "cm"),
    (r"м", "m"),
)
_CYRILLIC_UNIT = re.compile(
    r"(?<![^\W\d_])(?:" + "|".join(f"({p})" for p, _ in _CYRILLIC_UNITS) + r")(?![^\W\d_])",
    re.IGNORECASE,
)
# "х10^6/мл": a Cyrillic "х" as the times sign
_CYRILLIC_POWER = re.compile(r"(?<![^\W\d_])[хХ](?=\s?10)")


_ANY_CYRILLIC = re.compile("[\u0400-\u04ff]")


def latinise_units(text: str) -> str:
    """`text` with Cyrillic unit spellings written in Latin letters, at the same positions."""
    if _ANY_CYRILLIC.search(text) is None:
        return text

    def latin(m: re.Match[str]) -> str:
        spelling = _CYRILLIC_UNITS[m.lastindex - 1][1]  # type: ignore[operator]
        return spelling.ljust(len(m.group(0)))

    return _CYRILLIC_POWER.sub("x", _CYRILLIC_UNIT.sub(latin, text))
