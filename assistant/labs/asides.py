"""Set aside before reading: parts of a message that are not the man's own current results.

`struck_out` finds values struck through (combining strokes of a corrected report copied as
text, "1̶,̶2̶4̶  3,81"; Markdown "~~512~~"; HTML): the struck value is not read. `corrections`
says where the corrected values stand: after a struck one, or on the row a comment such as
"PREVIOUSLY REPORTED AS 380 pg/mL" or "RESULT CORRECTED TO 38 pg/mL" is written under.

`others` finds the parts about someone other than the man asking (a message may quote other
people or give several people's results; their numbers must not be read as his), these kinds,
each a span of the text with a description:
  * `replies_of_others`: a reply by another user quoted in a thread ("Reply from X ..."); a
    reply by the poster is kept;
  * `person_sections`: a short heading that says whose results follow ("HIS (Quest):", "Wife:",
    "My brother's results:"), up to the next blank line or heading. A "his" heading counts only
    when the text also heads the poster's own results ("MINE", "My results"): two men posting.
    In a woman's post ("Husband:" / "Me:", or "Me (F, 31):") "Me" is her and "his" is the man
    the answer is about;
  * `woman_sections`: in a couple's report, a section headed as the woman's ("BILAN FÉMININ —
    Mme ...", "Partnerin:", "Mrs J. Smith"), up to the next blank line, rule or heading of the
    man;
  * `other_speakers`: in an exported chat ("[02/06/2025, 07:41:12] Tom: ..." or "02/06/2025,
    07:41 - Tom: ..."), the messages of every speaker but the one who gives the most numbers;
  * `female_clauses`: the part of a sentence about a woman's tests, from "her", "wife",
    "girlfriend", AMH or a cycle day ("day-2 FSH", "CD3") to the end of the sentence or to the
    next word about the man himself ("my", "I", "his"). AMH and a cycle day also take the
    sentence's start ("FSH 6.2, E2 40 and AMH 1.1 on day 3") unless he speaks of himself
    there.
The pipeline blanks these spans before reading and says that it did. It does the same for
`prepared_sections`: a block headed as a sample prepared for insemination (swim-up, density
gradient, "capacitación"), whose figures are not the semen analysis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import names_prepared_sample


@dataclass(frozen=True)
class Aside:
    """A span of the text set aside, and what it is ("a reply by someone else", the struck
    value)."""

    start: int
    end: int
    what: str


_POSTED_BY = re.compile(r"\b(?:posted|written|asked)\s+by\s+(?:u/)?(?P<who>[\w.-]+)", re.I)
_REPLY_FROM = re.compile(
    r"""[ \t>*_-]*+                        # quote marks or a rule before it
        (?:reply|response|answer|comment|quote) \s+ (?:from|by) \s+ (?:u/)?
        # "Comment from your GP surgery" is about the user's own results
        (?!(?:your|my|the|our|a|an|gp|dr|doctor|lab\w*|clinic|surgery|practice|nurse|consultant
           |urolog\w*|endocrinolog\w*|specialist|physician)\b)
        (?P<who>[\w.-]+)                    # "Reply from Justkeepswimming_"
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SELF_WORDS = r"mine|me|myself|my(?=\s+(?:results?|labs?|bloods?|numbers?|values?|sa)\b)"
_FEMALE_WORDS = r"her|hers|wife|wifey|girlfriend|gf|fianc[ée]e|my\s+(?:wife|girlfriend|gf)"
_MALE_WORDS = r"his|him|(?:my\s+)?(?:brother|bro|dad|father|friend|cousin)"
# The man himself, headed by his partner ("Husband:", "DH's SA"): then "Me:" is the woman.
_PARTNER_WORDS = r"(?:my\s+)?(?:husband|hubby|dh|boyfriend|bf|fianc[ée](?!e))"
_HEADING = re.compile(
    rf"""[ \t\-*#>•=~_]*
        (?: (?P<self>{_SELF_WORDS}) | (?P<female>{_FEMALE_WORDS}) | (?P<male>{_MALE_WORDS})
          | (?P<partner>{_PARTNER_WORDS}) )
        (?:['’]s)?
        (?:[ \t]+(?:own[ \t]+)?(?:results?|labs?|bloods?|numbers?|values?|sa|semen[ \t]analysis
           |hormones?|panel))?
        [ \t]*(?:\([^()\n]{{0,60}}\))?[ \t]*:?[ \t\-=*#_~]*$  # "(Quest)", "---- wife ----"
    """,
    re.IGNORECASE | re.VERBOSE,
)
_MAX_HEADING = 80  # characters
_SHE = re.compile(r"\b(?:f|female|[0-9]{2}f|f[0-9]{2})\b", re.IGNORECASE)  # "Me (F, 32):"
_LEADS = frozenset("rcaq")  # the first letters of the words that start a reply line ...
_HEADING_LEADS = frozenset("mhwgfbdc")  # ... and a heading: a cheap test before the pattern
_Line = tuple[int, int, str, str]  # start, end without the line break, text, first letter


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        out.append((pos, pos + len(body), body, body.lstrip(" \t-*#>•_=~")[:1].lower()))
        pos += len(raw)
    return out


def replies_of_others(text: str, lines: list[_Line]) -> list[Aside]:
    """Other people's replies in a thread ("Reply from Justkeepswimming_ ..."), each up to the
    next reply. ("My GP said:" or "Anna wrote:" may quote the user's own results, so they are
    not cut.)"""
    marks = [(line, m) for line in lines
             if line[3] in _LEADS and (m := _REPLY_FROM.match(line[2]))]  # fmt: skip
    if not marks:
        return []
    poster = _POSTED_BY.search(text)
    me = poster.group("who").lower() if poster else None
    ends = [line[0] for line, _ in marks[1:]] + [len(text)]
    return [
        Aside(line[0], end, "a reply by someone else")
        for (line, mark), end in zip(marks, ends, strict=True)
        if mark.group("who").lower() != me
    ]


def person_sections(text: str, lines: list[_Line]) -> list[Aside]:
    """Sections headed as someone else's results ("HIS (Quest):", "Wife:"), each up to the next
    blank line or heading."""
    heads = [(k, m) for k, (_, _, line, lead) in enumerate(lines)
             if lead in _HEADING_LEADS and len(line) <= _MAX_HEADING
             and (m := _HEADING.match(line))]  # fmt: skip
    she = [bool(m.group("self") and _SHE.search(m.group(0))) for _, m in heads]
    poster_is_his_partner = any(m.group("partner") for _, m in heads) or any(she)
    poster_heading = not poster_is_his_partner and any(m.group("self") for _, m in heads)
    out = []
    for n, (k, head) in enumerate(heads):
        male = (head.group("male") or "").lower()
        if head.group("partner") or (male in ("his", "him") and not poster_heading):
            continue  # the man the answer is about
        if head.group("self") and not poster_is_his_partner:
            continue  # the man himself
        last = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        section = _section(text, lines, k, last, "a section headed as someone else's")
        if section is not None:
            out.append(section)
    return out


# A report's section for the female partner of a couple's work-up: a heading that names the
# section as the woman's ("BILAN FÉMININ — Mme L. Camille", "Partnerin:") or opens with a
# woman's title and a name ("Mme LEFEBVRE Camille, née le ...", "Mrs J. Smith").
_WOMAN_SECTION = re.compile(
    r"""^[\W_]*(?:[^\W\d_]+[ \t]+){0,2}
        (?:f[ée]minin\w*|femenin\w*|feminin\w*|femminil\w*|weiblich\w*|vrouwelijk\w*|female
          |de[ \t]la[ \t](?:partenaire|conjointe|femme)|partnerin|ehefrau|conjointe|esposa
          |moglie|echtgenote|(?:wife|woman)['’]?s)\b
      |^[\W_]*(?:(?:patiente?|nom|name|naam|paciente|paziente)[ \t]*:[ \t]*)?
        (?:mme|madame|mrs|frau|sra|se[ñn]ora|sig\.?ra|signora|mevr(?:ouw)?|pani)\.?[ \t]+
        [^\W\d_]""",
    re.IGNORECASE | re.VERBOSE,
)
_MAX_SECTION_HEADING = 120  # characters
_BARE_SEX_LABEL = re.compile(
    r"^[\W_]*(?:female|women|woman|femme|frau|mujer)[\W_]*$", re.IGNORECASE
)


def woman_sections(text: str, lines: list[_Line]) -> list[Aside]:
    """Sections of a couple's report headed as the woman's, each up to the next blank line, rule
    or heading of the man (`_SECTION_BREAK`): her estradiol, FSH and LH are not his."""
    out = []
    for k, (_, _, line, _) in enumerate(lines):
        if len(line) > _MAX_SECTION_HEADING or _WOMAN_SECTION.match(line) is None:
            continue
        if _BARE_SEX_LABEL.match(line):
            continue  # "Female :" over reference ranges ("Pre-menopause : 12.09 - 59.46")
        if re.search(r"[0-9](?:[.,][0-9]+)?[ \t]*(?:%|[a-zµμ]+/[a-z]+)", line, re.IGNORECASE):
            continue  # a result row ("Frau Dr. ... 12 pg/mL"), not a heading
        last = next(
            (j for j in range(k + 1, len(lines)) if _SECTION_BREAK.match(lines[j][2])), len(lines)
        )
        section = _section(text, lines, k, last, "a section of the woman's results")
        if section is not None:
            out.append(section)
    return out


# Where the woman's section ends besides a blank line: a rule ("-----") or the man's heading
# ("M. DURAND Julien, né le ...", "Mr J. Smith", "Herr ...", "MALE PARTNER").
_SECTION_BREAK = re.compile(
    r"""^\s*(?:[-=_*~#]{4,}\s*$
      |(?:(?:patient|nom|name|naam|paciente|paziente)[ \t]*:[ \t]*)?
        (?:m\.|mr\.?|monsieur|herr|hr\.|sr\.|senor|señor|sig\.|signor|dhr\.?|de[ ]heer|pan)
        [ \t]+[^\W\d_]
      |[^\W\d_]*[ \t]*(?:masculin\w*|male|mannlich\w*|männlich\w*|maschil\w*|mannelijk\w*)\b)""",
    re.IGNORECASE | re.VERBOSE,
)


def _section(text: str, lines: list[_Line], k: int, last: int, what: str) -> Aside | None:
    """Heading line `k` and the lines under it up to a blank line (or line `last`), when they
    hold a number."""
    end = k + 1
    while end < last and lines[end][2].strip():
        end += 1
    start, stop = lines[k][0], lines[end - 1][1]
    return Aside(start, stop, what) if re.search(r"[0-9]", text[lines[k][1] : stop]) else None


def prepared_sections(text: str) -> list[Aside]:
    """Sections headed as a sample prepared for insemination ("SWIM-UP PREPARATION", "TEST DE
    CAPACITACIÓN (REM)", "Post-wash:"), each up to the next blank line: their volume, count and
    motility are the prepared sample's, not the semen analysis."""
    lines = _lines(text)
    out = _prepared_in_prose(text)
    for k, (_, _, line, _) in enumerate(lines):
        head = _BRACKETS.sub("", line).strip(" \t-*#>•_=")
        if (
            not head
            or len(line) > _MAX_HEADING
            or re.search(r"[0-9]", head)
            or not _heading_like(head)
            or not (names_prepared_sample(head) or names_prepared_sample(line))
        ):
            continue
        section = _section(
            text, lines, k, len(lines), "a section on a sample prepared for insemination"
        )
        if section is not None:
            out.append(section)
    return out


_BRACKETS = re.compile(r"\([^()\n]*\)|\[[^\[\]\n]*\]")
# A prepared sample named in a sentence ("the post-wash sample was 0.5 mL at 18.5 million/mL"):
# from its name to the end of the sentence. (A pre-wash figure is the semen analysis's own.)
_PREPARED_IN_PROSE = re.compile(
    r"\b(?:post[- ]?wash(?:ed)?|washed (?:sample|specimen|sperm)|after (?:the )?(?:washing|"
    r"wash|processing|preparation)|prepared (?:sample|specimen)|swim[- ]?up|density gradient|"
    r"(?:iui|insemination) (?:sample|specimen))\b",
    re.IGNORECASE,
)
_LABEL_END = re.compile(r"(?:\s*\([^()\n]*\))?\s*[:=–—-]")
SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")  # also read by pipeline.py


def _prepared_in_prose(text: str) -> list[Aside]:
    out: list[Aside] = []
    low = text.lower()
    if not any(w in low for w in ("wash", "after", "prepared", "swim", "gradient", "iui", "insem")):
        return out
    for m in _PREPARED_IN_PROSE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        # a line's label ("After wash (IUI prep test): 12 M/mL in 0.5 mL") sets its line aside
        label = _LABEL_END.match(text, m.end()) is not None
        if (out and m.start() < out[-1].end) or (
            len(text[line_start : m.start()].split()) < 3 and not label
        ):
            continue  # a row's name ("Post-wash volume 0.5 mL"): the names table reads it
        end = SENTENCE_END.search(text, m.end())
        stop = end.start() if end else len(text)
        if re.search(r"[0-9]", text[m.end() : stop]):
            out.append(Aside(m.start(), stop, "a sentence on a sample prepared for insemination"))
    return out


def _heading_like(head: str) -> bool:
    """A short line of capitals (before any dash: "CAPACITACIÓN ESPERMÁTICA – gradientes de
    densidad"), or one ending in a colon."""
    first = re.split(r"\s[-–—]\s", head)[0]
    letters = [c for c in first if c.isalpha()]
    return (
        len(first.split()) <= 8
        and len(letters) >= 3
        and (all(c.isupper() for c in letters) or head.endswith(":"))
    )


# Where a part about a woman's tests may start; `_FEMALE_MARK` then decides. Finding these
# literally in ASCII-lowered text (str.find) is many times faster than a case-blind pattern.
_FEMALE_STARTS = ("her", "wife", "girlfriend", "gf", "fianc", "amh", "cd", "cycle", "day")
_FEMALE_MARK = re.compile(
    r"""(?: her|hers|wife|wifey|girlfriend|gf|fianc[ée]e | amh
        | (?:cd|cycle[ \t-]day)[ \t-]?[1-5]                       # "CD3", "cycle day 2"
        | day[ \t-]?[1-5](?=[ \t-]?(?:fsh|lh|e2|amh|estradiol|bloods?|hormones?)(?![a-z]))
       )(?![a-z])""",
    re.VERBOSE,
)
# Words about the man himself: they end a clause about his partner ("her AMH 2.1, my FSH 5").
_SELF_MARK = re.compile(r"(?<![a-z])(?:i|i'm|i’m|im|i've|me|my|mine|his|he|him|husband)(?![a-z])")
_SENTENCE = re.compile(r"[.!?](?=\s)|[;\n]")
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def female_clauses(text: str) -> list[Aside]:
    """Parts of sentences about a woman's tests ("her day-2 FSH was 9.6 IU/L and AMH 8.2",
    "Wife (per REI records): AMH 2.1 ng/mL, FSH 7.9"), up to the sentence's end or the next
    word about the man himself."""
    low = text.translate(_ASCII_LOWER)
    out: list[Aside] = []
    for pos in sorted(_word_starts(low, _FEMALE_STARTS)):
        if out and pos < out[-1].end:
            continue
        mark = _FEMALE_MARK.match(low, pos)
        if mark is None:
            continue
        stop = _SENTENCE.search(low, mark.end())
        end = stop.start() if stop else len(text)
        himself = _SELF_MARK.search(low, mark.end(), end)
        end = himself.start() if himself else end
        start = pos
        if mark.group(0)[:1] in "acd":  # AMH or a cycle day: her panel began with the sentence
            begun = max(_sentence_start(low, pos), out[-1].end if out else 0)
            if _SELF_MARK.search(low, begun, pos) is None:
                start = begun
        if re.search(r"[0-9]", text[start:end]):
            out.append(Aside(start, end, "a part about someone else"))
    return out


def _sentence_start(low: str, pos: int) -> int:
    """Where the sentence holding `pos` starts (looking back at most 300 characters)."""
    start = max(0, pos - 300)
    for m in _SENTENCE.finditer(low, start, pos):
        start = m.end()
    return start


def _word_starts(low: str, words: tuple[str, ...]) -> set[int]:
    """The positions where one of `words` starts a word of `low`."""
    found = set()
    for word in words:
        pos = low.find(word)
        while pos != -1:
            if not (pos and low[pos - 1].isalpha()):
                found.add(pos)
            pos = low.find(word, pos + 1)
    return found


# The head of a message in an exported chat: its date and time, then the sender (also read by
# rows.py, which reads a message's text without its head).
CHAT_HEAD = re.compile(
    r"""[ \t]*\[?[0-9]{1,4}[./-][0-9]{1,2}[./-][0-9]{1,4},?[ \t]+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?
        (?:[ \t]?[ap]\.?m\.?)?\]?[ \t]*(?:-[ \t]*)?(?P<who>[^:\n\[\]]{1,40}?):[ \t]""",
    re.IGNORECASE | re.VERBOSE,
)


CHAT_LEADS = frozenset("[0123456789")
# a sender's own tests as a woman's ("my AMH came back 1.9", "my day 3 FSH"); not a clinic's
# report of them ("FSH 7.8 (day 3)")
_HER_OWN_TESTS = re.compile(
    r"\bmy (?:amh|period|cycle|ovar\w*|eggs?|follicles?|uterus|lining|progesterone|gyn\w*|"
    r"ob-?gyn|(?:day|cd)[ -]?[1-5])\b|\bi'?m pregnant\b",
    re.IGNORECASE,
)


def other_speakers(text: str, lines: list[_Line]) -> list[Aside]:
    """In an exported chat with two or more senders, the messages (each to the next message
    head) of all but the sender who gives the most numbers: the man asking pasted his own
    results; a partner's or a friend's replies are not his."""
    heads = [(line, m) for line in lines
             if line[3] in CHAT_LEADS and (m := CHAT_HEAD.match(line[2]))]  # fmt: skip
    if len({m.group("who").strip().lower() for _, m in heads}) < 2:
        return []
    ends = [line[0] for line, _ in heads[1:]] + [len(text)]
    numbers: dict[str, int] = {}
    hers: set[str] = set()
    spans = []
    for (line, m), end in zip(heads, ends, strict=True):
        who = m.group("who").strip().lower()
        body = text[line[0] + m.end() : end]
        numbers[who] = numbers.get(who, 0) + len(re.findall(r"[0-9]+(?:[.,][0-9]+)?", body))
        if _HER_OWN_TESTS.search(body):
            hers.add(who)
        spans.append((who, line[0], end, m.group("who").strip()))
    # a sender who speaks of her own tests (her AMH, a day-3 FSH) is the partner, however many
    # of his numbers she quotes back to him
    candidates = {w: n for w, n in numbers.items() if w not in hers} or numbers
    main = max(candidates, key=lambda w: candidates[w])
    if list(candidates.values()).count(candidates[main]) > 1:
        return []  # no sender stands out: nothing is set aside
    return [Aside(start, end, f"a message by {name}") for who, start, end, name in spans
            if who != main]  # fmt: skip


def others(text: str) -> list[Aside]:
    """Every part of `text` about someone else, in text order, without overlaps."""
    lines = _lines(text)
    found = sorted(replies_of_others(text, lines) + person_sections(text, lines)
                   + woman_sections(text, lines) + other_speakers(text, lines)
                   + female_clauses(text),
                   key=lambda a: (a.start, -a.end))  # fmt: skip
    out: list[Aside] = []
    for aside in found:
        if out and aside.start < out[-1].end:
            continue
        out.append(aside)
    return out


# Struck-through text as it survives copying: characters each followed by a combining stroke
# (U+0335 short, U+0336 long stroke overlay), Markdown "~~512~~", chat apps' "~512~", HTML.
# Telephone and fax numbers of a lab or clinic ("T (613) 555-0199 ext. 214", "Tel. 040 36 21
# 58", "+44 20 7946 0958"): a "T" before one is no testosterone result. A number counts when a
# telephone word labels it, when it opens with an area code in brackets after nothing but a
# short label, or when it opens with a country code; it has seven digits or more.
_PHONE_BODY = r"(?:\+[0-9]{1,3}[ .-]?)?(?:\([0-9]{1,5}\)[ .-]?)?[0-9]{1,5}(?:[ .-][0-9]{2,5}){1,4}"
_PHONE_EXTENSION = r"(?:[ \t]*(?:ext|x|poste|durchwahl)\.?[ \t]*[0-9]{1,5})?"
_PHONE = re.compile(
    rf"""
    \b(?:tel|t[eé]l[eé]phone|telefon[oe]?|tel[eé]fono|phone|ph|fax|mob|mobile|cell|tlf)\b
        \.?[ \t]*:?[ \t]*(?P<labelled>{_PHONE_BODY}{_PHONE_EXTENSION})
    | (?:^|(?<=[|\n]))[ \t]*(?:[^\W\d_]{{1,3}}\.?[ \t]*:?[ \t]*)?
        (?P<bracketed>\([0-9]{{2,5}}\)[ .-]?[0-9]{{3,4}}[ .-][0-9]{{4}}{_PHONE_EXTENSION})
    | (?<![\w+])(?P<international>\+[0-9]{{1,3}}[ .-]?(?:\([0-9]{{1,5}}\)[ .-]?)?[0-9]{{1,4}}
        (?:[ .-][0-9]{{2,5}}){{2,4}}{_PHONE_EXTENSION})
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_PHONE_DIGITS = 7
_PHONE_WORDS = ("tel", "tél", "phone", "fax", "mob", "cell", "tlf")
_PHONE_CODE = re.compile(r"\([0-9]{2,5}\)|\+[0-9]")


def phone_numbers(text: str) -> list[Aside]:
    """Telephone and fax numbers (`_PHONE`), each a span whose digits are never a result."""
    low = text.lower()
    signs = [low.find(word) for word in _PHONE_WORDS]
    if (code := _PHONE_CODE.search(text)) is not None:
        signs.append(code.start())
    first = min((i for i in signs if i >= 0), default=-1)
    if first < 0:
        return []
    out = []
    # no telephone number starts before the line of the first sign of one
    for m in _PHONE.finditer(text, text.rfind("\n", 0, first) + 1):
        key = m.lastgroup or ""
        if sum(c.isdigit() for c in m.group(key)) >= _PHONE_DIGITS:
            out.append(Aside(m.start(key), m.end(key), "a telephone number"))
    return out


_STRUCK = re.compile(
    r"""(?P<strokes>(?:[^\s\u0335\u0336][\u0335\u0336])+)
      | ~~(?P<markdown>[^~\n]{1,24})~~
      | (?<![\w~])~(?P<chat>[0-9][0-9.,]{0,8})~(?![\w~])    # not "T ~300, E2 ~40"
      | <(?P<tag>s|del|strike)>(?P<html>[^<\n]{1,24})</(?P=tag)>""",
    re.IGNORECASE | re.VERBOSE,
)


def struck_out(text: str) -> list[Aside]:
    """Struck-through values ("1̶,̶2̶4̶", "~~512~~"); `what` is the struck text without its
    marks ("1,24"). Struck text without a digit is left alone."""
    if not any(mark in text for mark in ("\u0336", "\u0335", "~", "<s>", "<del>", "<strike>")):
        return []
    out = []
    for m in _STRUCK.finditer(text):
        inner = m.group("markdown") or m.group("chat") or m.group("html") or m.group(0)
        struck = re.sub("[\u0335\u0336]", "", inner)
        if re.search(r"[0-9]", struck):
            out.append(Aside(m.start(), m.end(), struck.strip()))
    return out


@dataclass(frozen=True)
class Correction:
    """A corrected value: where it stands (`start`-`end`), the note it gets and, when a comment
    states it ("RESULT CORRECTED TO 38 pg/mL"), the corrected value as written."""

    start: int
    end: int
    note: str
    value: str | None = None


# A comment under a row giving the value it replaces: "CORRECTED RESULT: PREVIOUSLY REPORTED AS
# 380 pg/mL", "de eerder gerapporteerde uitslag (2,1 E/l)" ...
_EARLIER = re.compile(
    r"""(?:previously|earlier|originally|initially)[ \t]+(?:reported|issued|given|released)
        (?:[ \t]+(?:as|value|result))?
      | eerder[ \t]+gerapporteerde?[ \t]+uitslag | zuvor[ \t]+(?:berichtete[rn]?|mitgeteilte[rn]?)
        [ \t]+(?:wert|befund)""",
    re.IGNORECASE | re.VERBOSE,
)
# ... or the corrected value itself: "RESULT CORRECTED TO 38 pg/mL", "Nieuw resultaat: 3,81".
_CORRECTED_TO = re.compile(
    r"""(?:corrected|amended|changed|revised)[ \t]+(?:to|as)
      | should[ \t]+read | (?:new|corrected)[ \t]+(?:result|value)
      | nieuw[ \t]+resultaat | korrigierte[rn]?[ \t]+(?:wert|befund) | neuer[ \t]+wert""",
    re.IGNORECASE | re.VERBOSE,
)
_EARLIER_WORDS = ("previously", "earlier", "originally", "initially", "eerder", "zuvor",
                  "corrected", "amended", "changed", "revised", "should", "new", "nieuw",
                  "korrigiert", "neuer")  # fmt: skip
_EARLIER_VALUE = re.compile(r"[ \t:(]*(?P<value>[<>]?[0-9][0-9.,]*(?:[ \t]?[^\s,;)]{1,8})?)")


def corrections(text: str, struck: list[Aside]) -> list[Correction]:
    """Where corrected values stand: after a struck-through value on its line ("1̶,̶2̶4̶  3,81"),
    or on the row a correction comment belongs to (the nearest line above it that is indented
    less, or the line above an unindented comment), with the value the comment gives."""
    out = []
    for s in struck:
        end = text.find("\n", s.end)
        out.append(Correction(s.end, len(text) if end == -1 else end,
                              f"corrects the struck-through value {s.what}"))  # fmt: skip
    low = text.translate(_ASCII_LOWER)
    if not any(word in low for word in _EARLIER_WORDS):
        return out
    for pattern, corrected in ((_EARLIER, False), (_CORRECTED_TO, True)):
        for m in pattern.finditer(text):
            value = _EARLIER_VALUE.match(text, m.end())
            row = _row_above(text, m.start())
            if value is None or row is None or (corrected and not _comment(text, m.start())):
                continue
            shown = value.group("value").strip()
            if corrected:
                out.append(Correction(*row, f"corrected to {shown} by the comment under it",
                                      shown))  # fmt: skip
            else:
                out.append(Correction(*row, f"corrects the value reported before ({shown})"))
    return out


_COMMENT_LEAD = re.compile(
    r"[ \t]+|[!*#>•]|(?:comments?|notes?|remarks?|amended|corrected|correction|opmerking"
    r"|kommentar|bemerkung|korrektur|commentaire)\b",
    re.IGNORECASE,
)


def _comment(text: str, pos: int) -> bool:
    """Whether the line holding `pos` is a comment under a row: indented, or led by a mark or
    a word saying so ("! Correctie", "Amended:"), not a sentence of its own."""
    return _COMMENT_LEAD.match(text, text.rfind("\n", 0, pos) + 1) is not None


def _row_above(text: str, pos: int) -> tuple[int, int] | None:
    """(start, end) of the row a comment at `pos` is written under."""
    start = text.rfind("\n", 0, pos) + 1
    indent = len(text[start:pos]) - len(text[start:pos].lstrip())
    while start > 0:
        end = start - 1
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if line.strip() and (indent == 0 or len(line) - len(line.lstrip()) < indent):
            return start, end
    return None
