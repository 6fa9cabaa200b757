"""Split the article into citable passages that follow its structure, with exact source offsets.

A passage is a paragraph, a table row (with its table title and column meaning), a bullet, a
glossary entry (term + meaning), a reference, or a table introduction ("The following table…",
kept citable but never quoted as an answer). Decorative image captions and page chrome are
recognised and dropped, and reported so a person can review what was left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from .text import terms

PARSER_VERSION = "5"

TOP_SECTIONS = ("Fundamentals", "Intermediate", "Academic", "References", "Reflection", "Glossary")
PAGE_CHROME = frozenset({"Skip to main content"})

# Captions describe a stock image and sell "hormone optimization"; the article's own prose does
# neither. A line is a caption when it scores two or more of these signals.
_DEPICTION = re.compile(
    r"\b(symboli[sz]\w*|represent\w*|embod\w*|depict\w*|signif(?:y|ies|ying)|evok\w*|"
    r"illustrat\w*|visuali[sz]\w*|metaphor\w*|demonstrat\w*)\b",
    re.IGNORECASE,
)
_MARKETING = re.compile(
    r"\b(hormone optimization|bioidentical|peptide|cellular health|metabolic health|homeostasis|"
    r"vitality|regenerat\w*|wellness|B?HRT|longevity|personali[sz]ed medicine)\b",
    re.IGNORECASE,
)
_IMAGERY = re.compile(
    r"\b(sphere|spheres|petals?|leaf|plant|pod|mesh|nut|nuts|vessel|discs?|textured?|trunk|bark|"
    r"pear|fan|beams|skylights|lattice|crystalline|bloom|composition|venation|tennis)\b",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*[•\-\*]\s+")
_MEANING = "Meaning ∞"
_NUMBER = r"-?\d+(?:\.\d+)?"
_NUMBER_TOKEN = re.compile(_NUMBER)
TABLE_PREFIX = "Table “"  # a table row's context starts with this, then the title
_TOKEN_SPAN = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’)]?(?=\s+[“\"(A-Z0-9])")
# A one-sentence paragraph that only announces what follows ("The following table outlines…").
_POINTER = re.compile(r"^The following (table|list|figure|chart)s?\b[^.!?]*[.!?]?$")
_ABBREVIATIONS = ("et al.", "e.g.", "i.e.", "vol.", "no.", "pp.", "Dr.", "vs.", "approx.")


@dataclass(frozen=True)
class Passage:
    """One citable unit: `text == source[start:end]` always holds."""

    id: str
    kind: str
    section: tuple[str, ...]
    start: int
    end: int
    text: str
    context: str = ""
    refs: tuple[str, ...] = ()

    @property
    def section_path(self) -> str:
        return " > ".join(self.section)

    def embed_text(self) -> str:
        """What the encoder sees: the heading it sits under, its context, then its own words."""
        heading = self.section[-1] if len(self.section) > 1 else ""
        parts = [heading, self.context, self.text]
        return ". ".join(p for p in parts if p)

    def lexical_terms(self) -> list[str]:
        """What BM25 indexes: the stemmed content words of `embed_text()`."""
        return terms(self.embed_text())

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "section": list(self.section),
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "context": self.context,
            "refs": list(self.refs),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Passage:
        return cls(
            id=str(data["id"]),
            kind=str(data["kind"]),
            section=tuple(str(s) for s in data["section"]),  # type: ignore[union-attr]
            start=int(data["start"]),  # type: ignore[arg-type]
            end=int(data["end"]),  # type: ignore[arg-type]
            text=str(data["text"]),
            context=str(data.get("context", "")),
            refs=tuple(str(r) for r in data.get("refs", ())),  # type: ignore[union-attr]
        )


@dataclass(frozen=True)
class Sentence:
    """A sentence inside a passage, with its own source offsets."""

    passage_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Dropped:
    """A piece of the source kept out of the index, and why."""

    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class TableLayout:
    """Reviewed column names of one table and, where cells are not numbers, each row's cells."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class ParsedArticle:
    passages: tuple[Passage, ...]
    sentences: tuple[Sentence, ...]
    dropped: tuple[Dropped, ...]
    headings: tuple[Dropped, ...] = field(default=())


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str


def caption_score(line: str) -> int:
    """How strongly a line reads as a decorative image caption (>= 2 means caption)."""
    if line.startswith(_MEANING) or _BULLET.match(line):
        return 0
    depiction = len(_DEPICTION.findall(line))
    imagery = 1 if _IMAGERY.search(line) else 0
    if not depiction and not imagery:
        return 0
    return depiction + imagery + len(_MARKETING.findall(line))


def is_caption(line: str) -> bool:
    return caption_score(line) >= 2


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _blocks(source: str) -> list[list[_Line]]:
    """Runs of consecutive non-blank lines, each line with its offsets (trailing spaces trimmed)."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    offset = 0
    for raw in source.split("\n"):
        stripped = raw.rstrip()
        if stripped.strip():
            current.append(_Line(offset, offset + len(stripped), stripped))
        elif current:
            blocks.append(current)
            current = []
        offset += len(raw) + 1
    if current:
        blocks.append(current)
    return blocks


def _is_heading(line: str) -> bool:
    text = line.strip()
    return 0 < len(text) <= 90 and not text.endswith((".", ":", ";", ",")) and "∞" not in text


def split_sentences(text: str, offset: int = 0) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, sentence) with absolute offsets; abbreviations do not end a sentence."""
    begin = 0
    for match in _SENTENCE_END.finditer(text):
        cut = match.end()
        if text[:cut].endswith(_ABBREVIATIONS):
            continue
        piece = text[begin:cut]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            yield offset + begin + lead, offset + cut, piece.strip()
        begin = cut
    piece = text[begin:]
    lead = len(piece) - len(piece.lstrip())
    if piece.strip():
        yield offset + begin + lead, offset + begin + len(piece.rstrip()), piece.strip()


class _Builder:
    """Walks the blocks once, tracking section and heading, and collects passages."""

    def __init__(self, source: str, tables: Sequence[TableLayout]) -> None:
        self.source = source
        self.tables = {t.title: t for t in tables}
        self.top = "Preamble"
        self.heading = ""
        self.counters: dict[str, int] = {}
        self.table_count: dict[str, int] = {}
        self.passages: list[Passage] = []
        self.dropped: list[Dropped] = []
        self.headings: list[Dropped] = []
        self.pending_term: _Line | None = None
        self.used: set[str] = set()

    def section(self) -> tuple[str, ...]:
        return (self.top, self.heading) if self.heading else (self.top,)

    def next_id(self, letter: str) -> str:
        key = f"{slug(self.top)}-{letter}"
        self.counters[key] = self.counters.get(key, 0) + 1
        return f"{key}{self.counters[key]}"

    def add(self, kind: str, start: int, end: int, pid: str, context: str = "") -> None:
        if pid in self.used:  # e.g. two references by one first author in one year
            suffix = 2
            while f"{pid}-{suffix}" in self.used:
                suffix += 1
            pid = f"{pid}-{suffix}"
        self.used.add(pid)
        self.passages.append(
            Passage(pid, kind, self.section(), start, end, self.source[start:end], context)
        )

    def drop(self, line: _Line, reason: str) -> None:
        self.dropped.append(Dropped(line.start, line.end, line.text, reason))

    def run(self) -> ParsedArticle:
        for block in _blocks(self.source):
            self.block(block)
        sentences = tuple(s for p in self.passages for s in passage_sentences(p))
        return ParsedArticle(
            tuple(self.passages), sentences, tuple(self.dropped), tuple(self.headings)
        )

    def block(self, block: list[_Line]) -> None:
        kept: list[_Line] = []
        for line in block:
            if line.text.strip() in PAGE_CHROME:
                self.drop(line, "page chrome")
            elif is_caption(line.text):
                self.drop(line, "image caption")
            else:
                kept.append(line)
        if not kept:
            return
        first = kept[0]
        if len(kept) == 1 and first.text.strip() in TOP_SECTIONS:
            self.top, self.heading, self.pending_term = first.text.strip(), "", None
            self.headings.append(Dropped(first.start, first.end, first.text, "section"))
            return
        if first.text.strip() in self.tables or (len(kept) >= 3 and self._looks_like_table(kept)):
            self.table(kept)
            return
        for line in kept:
            self.line(line, single=len(kept) == 1)

    def _looks_like_table(self, lines: list[_Line]) -> bool:
        rows = lines[2:]
        return _is_heading(lines[0].text) and all(numeric_row(r.text) for r in rows)

    def line(self, line: _Line, single: bool) -> None:
        text = line.text
        bullet = _BULLET.match(text)
        if bullet:
            start = line.start + bullet.end()
            if self.top == "References":
                pid = reference_id(self.source[start : line.end])
                self.add("reference", start, line.end, pid)
            else:
                self.add("bullet", start, line.end, self.next_id("b"), "Key point")
            return
        if text.startswith(_MEANING) and self.pending_term is not None:
            term = self.pending_term
            self.add("glossary", term.start, line.end, f"glossary-{slug(term.text)}", term.text)
            self.pending_term = None
            return
        if single and self.top == "Glossary" and _is_heading(text):
            self.pending_term = line
            return
        if single and _is_heading(text):
            self.heading = text.strip()
            self.headings.append(Dropped(line.start, line.end, text, "heading"))
            return
        kind = "table_intro" if _POINTER.match(text) else "paragraph"
        self.add(kind, line.start, line.end, self.next_id("p"))

    def table(self, lines: list[_Line]) -> None:
        title = lines[0].text.strip()
        layout = self.tables.get(title)
        key = slug(self.top)
        self.table_count[key] = self.table_count.get(key, 0) + 1
        number = self.table_count[key]
        self.headings.append(Dropped(lines[0].start, lines[1].end, title, "table header"))
        for index, row in enumerate(lines[2:], start=1):
            context = row_context(title, row.text, layout)
            pid = f"{key}-t{number}-r{index}"
            self.add("table_row", row.start, row.end, pid, context)


def row_context(title: str, row: str, layout: TableLayout | None) -> str:
    """The row's meaning spelled out with its column names, e.g. 'Testosterone (ng/dL):
    Typical Baseline 270.6; Typical Post-Treatment 412.0'."""
    columns = layout.columns if layout else ()
    cells: tuple[str, ...] = ()
    if layout:
        for candidate in layout.rows:
            if " ".join(candidate) == row.strip():
                cells = candidate
                break
    if not cells:
        numeric = numeric_row(row)
        if numeric:
            cells = (numeric[0], *numeric[1])
    if cells and columns:
        label, values = cells[0], cells[1:]
        pairs = "; ".join(f"{col} {val}" for col, val in zip(columns[1:], values, strict=False))
        return f"{TABLE_PREFIX}{title}”: {columns[0]} {label}: {pairs}"
    return f"{TABLE_PREFIX}{title}”: {row.strip()}"


def numeric_row(row: str) -> tuple[str, tuple[str, ...]] | None:
    """('Testosterone (ng/dL)', ('270.6', '412.0')) for a row of a label then numbers, else None.
    Token-wise (linear): a regex with a lazy label backtracks quadratically on long lines."""
    tokens = [(m.start(), m.group()) for m in _TOKEN_SPAN.finditer(row)]
    first = len(tokens)
    while first > 0 and _NUMBER_TOKEN.fullmatch(tokens[first - 1][1]):
        first -= 1
    if first == 0 or first == len(tokens):
        return None
    return row[: tokens[first][0]].strip(), tuple(t for _, t in tokens[first:])


def reference_id(entry: str) -> str:
    """`ref-<first author surname>-<year>` from a reference entry."""
    author = slug(entry.split(",", 1)[0]) or "unknown"
    years = re.findall(r"\b(19\d\d|20\d\d)\b", entry)
    return f"ref-{author}-{years[0] if years else 'nd'}"


def passage_sentences(passage: Passage) -> Iterator[Sentence]:
    """Sentences a passage can be quoted by. Table rows and references quote whole; a glossary
    entry quotes its meaning without the term and marker."""
    if passage.kind in ("table_row", "reference"):
        yield Sentence(passage.id, passage.start, passage.end, passage.text)
        return
    text, offset = passage.text, passage.start
    if passage.kind == "glossary":
        cut = text.find(_MEANING)
        if cut >= 0:
            skip = cut + len(_MEANING)
            skip += len(text[skip:]) - len(text[skip:].lstrip())
            text, offset = text[skip:], offset + skip
    for start, end, sentence in split_sentences(text, offset):
        yield Sentence(passage.id, start, end, sentence)


def parse_article(source: str, tables: Sequence[TableLayout] = ()) -> ParsedArticle:
    """Parse the article text into passages, sentences and the list of what was dropped."""
    return _Builder(source, tables).run()
