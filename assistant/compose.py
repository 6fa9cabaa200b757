"""Choose what an answer quotes: pure functions over `Evidence` (no retrieval here).

* `choose_sentences`: the answering sentence of the top passage (favouring the kind of
  sentence the question asks for: a time for "how long", a number for "how much", a group
  for "who"), the sentences it leans on, and at most one sentence from a runner-up passage
  that scores as well; a multi-part question gets a sentence from a distinct passage per part;
* `render_row`: a table row spelled out with its column headers, from the article's cells;
* `references_behind`: which of the article's references a set of quoted sentences rests on
  (our reviewed mapping in corpus/references.json, said to be ours when shown).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .corpus import Corpus, Reference
from .figures import asked_figure, gives_figure
from .passages import TABLE_PREFIX, Passage, TableLayout
from .query import Query
from .retrieve import Evidence, Hit
from .text import terms

SENTENCE_KEEP = 0.85
RUNNER_UP = 0.85
# Kinds a runner-up may come from besides the top passage's own (a stray row reads oddly).
QUOTABLE_RUNNERS = frozenset({"paragraph", "bullet", "glossary"})
# One sentence alone is terse: a second from the same passage joins it if at least this good.
COMPANION_FLOOR = 0.5
MAX_SENTENCES = 3
# A sentence opening like this leans on the one before it, so the two are quoted together.
_ANAPHORIC = re.compile(
    r"^(This|These|That|Those|It|Its|Their|They|Such|In such cases|In contrast|"
    r"Furthermore|However|Because of this|As a result|First|Second|Third|Finally)\b"
)
# What a sentence must contain to answer a question of each kind (a small bonus, not a filter).
_KIND_CUES = {
    "how_long": re.compile(r"\b(?:months?|weeks?|days?|cycle|time|long|patience)\b", re.I),
    "number": re.compile(r"[0-9]"),
    "who": re.compile(r"\b(?:men|man|candidate|patients?|those|groups?|individuals?)\b", re.I),
    "where": re.compile(r"\b(?:Clinic|University|Hospital|Institute|Cent(?:er|re)|College)\b"),
    "definition": re.compile(r"\b(?:is an?|are|refers? to|means?|defined|known as)\b", re.I),
    "why": re.compile(r"\b(?:because|since|suggests?|indicates?|reason|so that|thereby)\b", re.I),
    "how": re.compile(r"\b(?:by|through|block\w*|reduc\w*|signal\w*|convert\w*|lower\w*)\b", re.I),
}
KIND_BONUS = 0.08
# ... except for a question of place, which only a sentence naming the place can answer
PLACE_BONUS = 0.2


@dataclass(frozen=True)
class Pick:
    """A verbatim span chosen for the answer, with an optional lead-in of our own."""

    passage: Passage
    start: int
    end: int
    lead: str = ""


def sentence_score(evidence: Evidence, index: int, text: str) -> float:
    """How well one indexed sentence answers the question: similarity, word overlap, and a
    bonus when it is the kind of sentence the question asks for."""
    query = evidence.query
    weights = query.weights
    total = sum(weights.values()) or 1.0
    own = set(terms(text))
    overlap = sum(w for t, w in weights.items() if t in own) / total
    value = 0.7 * float(evidence.sentence_scores[index]) + 0.3 * overlap
    cue = _KIND_CUES.get(query.kind)
    if cue is not None and cue.search(text):
        value += PLACE_BONUS if query.kind == "where" else KIND_BONUS
    return value * 0.5 if evidence.framing[index] else value


def top_passage(hits: Sequence[Hit]) -> Passage:
    return next((h.passage for h in hits if h.passage.kind != "table_intro"), hits[0].passage)


LEAD_CANDIDATES = 3
LEAD_MARGIN = 0.02
DEFINITION_YIELD = 0.6


def lead_passage(evidence: Evidence) -> Passage:
    """The passage the answer leads with: the first-ranked one, except that a bare table row
    yields to a prose passage ranked nearly as well whose best sentence answers better ("am I a
    candidate if my estradiol is normal?" leads with the article's direct statement; the row
    that backs it follows)."""
    hits = [h for h in evidence.hits if h.passage.kind != "table_intro"]
    if not hits:
        return evidence.hits[0].passage
    first = hits[0]
    query = evidence.query
    if first.passage.kind == "glossary" and query.kind in ("why", "how"):
        # a definition says what a thing is, not why it matters or how it works: a paragraph
        # ranked close behind it leads ("why does the weight part matter so much?")
        for hit in hits[1:LEAD_CANDIDATES]:
            if (
                hit.passage.kind == "paragraph"
                and hit.relevance >= DEFINITION_YIELD * first.relevance
            ):
                return hit.passage
    if first.passage.kind != "table_row":
        return first.passage
    kind = asked_figure(query.text)
    if kind is not None and not gives_figure(kind, first.passage.text):
        # "% improved vs % worse?": a row without a percentage yields to a passage ranked
        # nearly as well that states one
        for hit in _prose_runners(hits):
            if any(gives_figure(kind, s.text) for _, s in evidence.sentences_of(hit.passage.id)):
                return hit.passage
    if query.asks_table or query.asks_comparison:
        return first.passage
    row_best = _best_sentence_score(evidence, first.passage)
    for hit in _prose_runners(hits):
        if _best_sentence_score(evidence, hit.passage) >= row_best + LEAD_MARGIN:
            return hit.passage
    return first.passage


def _prose_runners(hits: Sequence[Hit]) -> Iterator[Hit]:
    """The paragraphs and bullets ranked after the first hit, best first, while they are nearly
    as relevant as it: the passages a bare table row may yield the lead to."""
    for hit in hits[1:LEAD_CANDIDATES]:
        if hit.passage.kind not in ("paragraph", "bullet"):
            continue
        if hit.relevance < RUNNER_UP * hits[0].relevance:
            return
        yield hit


def _best_sentence_score(evidence: Evidence, passage: Passage) -> float:
    return max(
        (sentence_score(evidence, i, s.text) for i, s in evidence.sentences_of(passage.id)),
        default=-1.0,
    )


def choose_sentences(evidence: Evidence, use_sentences: bool = True) -> list[Pick]:
    """The sentences an answer quotes (see the module docstring)."""
    hits = evidence.hits
    if not hits:
        return []
    top = lead_passage(evidence) if use_sentences else top_passage(hits)
    sentences = evidence.sentences_of(top.id)
    if not sentences:
        return []
    if not use_sentences:
        return [Pick(top, s.start, s.end) for _, s in sentences[:2]]
    if top.kind in ("bullet", "table_row"):  # short and whole: quote all of it
        return [Pick(top, s.start, s.end) for _, s in sentences]
    scores = [sentence_score(evidence, i, s.text) for i, s in sentences]
    best = max(range(len(sentences)), key=scores.__getitem__)
    keep = {best}
    if best > 0 and _ANAPHORIC.match(sentences[best][1].text):
        keep.add(best - 1)
    for j in range(best + 1, len(sentences)):
        if len(keep) >= MAX_SENTENCES or not _ANAPHORIC.match(sentences[j][1].text):
            break
        keep.add(j)
    for j in sorted(range(len(sentences)), key=lambda j: -scores[j]):
        if len(keep) >= MAX_SENTENCES:
            break
        if scores[j] >= SENTENCE_KEEP * scores[best]:
            keep.add(j)
    others = sorted((j for j in range(len(sentences)) if j not in keep), key=lambda j: -scores[j])
    if len(keep) == 1 and others and scores[others[0]] >= COMPANION_FLOOR * scores[best]:
        keep.add(others[0])
    # Two sentences one apart carry the one between them, which their argument runs through
    # ("... direct actions within the testes. Estradiol plays a role in ... By lowering local
    # estradiol ..."); the run then reads in the article's order.
    run = sorted(keep)
    gaps = [j + 1 for j, k in itertools.pairwise(run) if k - j == 2]
    if gaps and len(keep) + len(gaps) <= MAX_SENTENCES:
        keep.update(gaps)
        lead, rest = sorted(keep), []
    else:
        # The answering sentence leads; the ones it leans on keep their place before it.
        lead = sorted(j for j in keep if j <= best and (j == best or _ANAPHORIC.match(
            sentences[best][1].text)))  # fmt: skip
        rest = sorted(j for j in keep if j not in lead)
    chosen = [Pick(top, sentences[j][1].start, sentences[j][1].end) for j in (*lead, *rest)]
    runner = _runner_up(evidence, top, scores[best])
    if runner is not None:
        chosen.append(runner)
    quoted = {i for pick in chosen for i, s in evidence.sentences_of(pick.passage.id)
              if s.start == pick.start}  # fmt: skip
    return chosen + _parts_left(evidence, {pick.passage.id for pick in chosen}, quoted)


# A part of the question the chosen sentences answer poorly gets the best sentence for it alone
# from another of the first-ranked passages, when that one answers it clearly better.
PART_PASSAGES = 5
PART_FLOOR = 0.40
PART_GAIN = 0.10


def _parts_left(evidence: Evidence, passages: set[str], quoted: set[int]) -> list[Pick]:
    """For a question of several parts ("does it act in the testes, or only through the brain?"):
    per part, a sentence from a distinct passage (see `PART_FLOOR`, `PART_GAIN`)."""
    if len(evidence.part_scores) < 2 or not quoted:
        return []
    pool = [
        (i, sentence, hit.passage)
        for hit in evidence.hits[:PART_PASSAGES]
        if hit.passage.kind in QUOTABLE_RUNNERS
        for i, sentence in evidence.sentences_of(hit.passage.id)
    ]
    quoted, passages = set(quoted), set(passages)
    out: list[Pick] = []
    for scores in evidence.part_scores:
        have = max(float(scores[i]) for i in quoted)
        candidates = [c for c in pool if c[2].id not in passages]
        if not candidates:
            break
        i, sentence, passage = max(candidates, key=lambda c: float(scores[c[0]]))
        if float(scores[i]) >= PART_FLOOR and float(scores[i]) - have >= PART_GAIN:
            out.append(Pick(passage, sentence.start, sentence.end))
            quoted.add(i)
            passages.add(passage.id)
    return out


def _runner_up(evidence: Evidence, top: Passage, best: float) -> Pick | None:
    """A sentence from the next passage when it scores nearly as well; the first-ranked
    passage when the answer led with another one (a table row after the statement it backs)."""
    hits = [h for h in evidence.hits if h.passage.id != top.id and h.passage.kind != "table_intro"]
    if not hits:
        return None
    ranked_first = top_passage(evidence.hits)
    if ranked_first.id != top.id:
        return _whole_or_best(evidence, ranked_first)
    first = next(h for h in evidence.hits if h.passage.id == top.id)
    runner = hits[0]
    if runner.relevance < RUNNER_UP * first.relevance:
        return None
    pool = [(sentence_score(evidence, i, s.text), s) for i, s in evidence.sentences_of(
        runner.passage.id)]  # fmt: skip
    if not pool:
        return None
    value, sentence = max(pool, key=lambda item: item[0])
    kind_ok = runner.passage.kind == top.kind or runner.passage.kind in QUOTABLE_RUNNERS
    if value >= RUNNER_UP * best and kind_ok:
        return Pick(runner.passage, sentence.start, sentence.end)
    return None


def _whole_or_best(evidence: Evidence, passage: Passage) -> Pick | None:
    """A short passage (a row, a bullet) whole, else its best sentence."""
    if passage.kind in ("table_row", "bullet"):
        return Pick(passage, passage.start, passage.end)
    pool = [(sentence_score(evidence, i, s.text), s) for i, s in evidence.sentences_of(
        passage.id)]  # fmt: skip
    if not pool:
        return None
    _, sentence = max(pool, key=lambda item: item[0])
    return Pick(passage, sentence.start, sentence.end)


def row_label(passage: Passage, tables: Sequence[TableLayout] = ()) -> tuple[str, str, str]:
    """(table title, row label, the other cells spelled out) of a table row."""
    title, _, spelled = passage.context.removeprefix(TABLE_PREFIX).partition("”: ")
    layout = next((t for t in tables if t.title == title), None)
    first = layout.columns[0] if layout and layout.columns else spelled.split(" ", 1)[0]
    label, _, cells = spelled.removeprefix(first).strip().partition(": ")
    return title, label, cells


AVERAGES = " (averages reported in the article's studies, not a prediction for you)"


def render_row(
    passage: Passage, tables: Sequence[TableLayout] = (), *, opens: bool = True, closes: bool = True
) -> str:
    """A table row with its column headers: "In the table “Biochemical …”: Testosterone
    (ng/dL) — Typical Baseline 270.6; Typical Post-Treatment 412.0 (averages reported …, not
    a prediction for you)". Every cell and header is the article's; the parenthesis is ours.
    Rows quoted one after another name their table once (`opens`) and carry the parenthesis
    once, at the last (`closes`); the others end with a semicolon."""
    if not passage.context.startswith(TABLE_PREFIX):
        return passage.text
    title, label, cells = row_label(passage, tables)
    text = f"In the table “{title}”: {label} — {cells}" if opens else f"{label} — {cells}"
    if not closes:
        return text.rstrip(".;") + ";"
    if re.search(r"[0-9]", cells) and "Typical" in cells:
        text += AVERAGES
    return text.rstrip(".") + "."


_UNIT_TERMS = frozenset({"ng/dl", "ng", "dl", "pg/ml", "pg", "ml", "million/ml", "million"})


def whole_table_wanted(evidence: Evidence, tables: Sequence[TableLayout] = ()) -> bool:
    """A comparison or table question that names no one row (by the row's label, in the user's
    own words or abbreviations: "total T" names "Testosterone (ng/dL)", "T/E2" names "T/E2
    Ratio"; a lay "my numbers" names none): show every row of the table."""
    query = evidence.query
    if not (query.asks_comparison or query.asks_table):
        return False
    first = next((h.passage for h in evidence.hits if h.passage.kind == "table_row"), None)
    if first is None:
        return False
    rows = table_rows([h.passage for h in evidence.hits], first)
    named = sorted(
        (share for row in rows if (share := _named_share(query, row, tables)) is not None),
        reverse=True,
    )
    if not named or named[0] < 0.5:
        return True
    return len(named) > 1 and named[0] < 1.5 * named[1]


def named_rows(
    evidence: Evidence,
    passages: Sequence[Passage],
    row: Passage,
    tables: Sequence[TableLayout] = (),
) -> list[Passage]:
    """The rows of `row`'s table whose label the question names (at least half of the label's
    words, in its own words or abbreviations: "my T was 280 and E2 35, where did the men in the
    studies end up?" names the testosterone and estradiol rows), in table order."""
    return [
        other
        for other in table_rows(passages, row)
        if (share := _named_share(evidence.query, other, tables)) is not None and share >= 0.5
    ]


def _named_share(query: Query, row: Passage, tables: Sequence[TableLayout]) -> float | None:
    """The share of a row label's words (its units aside) the question names; None for a label
    of units alone."""
    label_terms = [t for t in terms(row_label(row, tables)[1]) if t not in _UNIT_TERMS]
    if not label_terms:
        return None
    return sum(t in query.named for t in label_terms) / len(label_terms)


def table_rows(passages: Sequence[Passage], row: Passage) -> list[Passage]:
    """Every row of the table `row` belongs to, in order."""
    return [p for p in passages if same_table(p, row)]


def same_table(a: Passage, b: Passage) -> bool:
    """Whether two passages are rows of one table (row ids share the table's prefix)."""
    return a.kind == b.kind == "table_row" and a.id.rsplit("-r", 1)[0] == b.id.rsplit("-r", 1)[0]


def table_intro(passages: Sequence[Passage], row: Passage) -> Passage | None:
    """The sentence that introduces the table `row` belongs to ("The following table outlines
    the typical changes observed ..."), when the passage just before the table is one."""
    rows = table_rows(passages, row)
    if not rows:
        return None
    at = next(i for i, p in enumerate(passages) if p.id == rows[0].id)
    before = passages[at - 1] if at else None
    return before if before is not None and before.kind == "table_intro" else None


def references_behind(quotes: Sequence[str], corpus: Corpus) -> list[Reference]:
    """The references our reviewed mapping links to the first of `quotes` that has any."""
    for quote in quotes:
        found = [r for r in corpus.references if any(d in quote or quote in d
                                                     for d in r.discussed_in)]  # fmt: skip
        if found:
            return found
    return []
