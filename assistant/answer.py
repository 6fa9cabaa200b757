"""Answer a question: the article's own sentences, each cited, or a kind abstention.

One walk, one way: understand the question (query.py) -> safety lines (safety.py) -> which parts
the article covers (scope.py) -> retrieve `Evidence` (retrieve.py) -> choose what to quote
(compose.py) -> assemble the `Answer` here. Nothing here writes words that claim to be the
article's: quoted text is always a verbatim span of a cited passage (recorded in
`Answer.quotes`); lines of our own (safety, lab arithmetic, abstention, "our reading") carry an
article citation only where the cited passage states what they use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from . import scope as scope_rules
from .compose import (
    AVERAGES,
    Pick,
    choose_sentences,
    named_rows,
    references_behind,
    render_row,
    same_table,
    table_intro,
    table_rows,
    whole_table_wanted,
)
from .corpus import Corpus, forum_questions, load_corpus, out_of_scope_labels
from .errors import UsageError
from .figures import asked_figure, figure_stated, focus_terms
from .gloss import load_glossary
from .lab_answers import LabLines, lab_lines, without_spans
from .passages import Passage, TableLayout
from .quoted_changes import rows_like
from .retrieve import Evidence, RetrievalConfig, Retriever
from .safety import (
    CALIBRATED_FOR,
    LINES,
    URGENT,
    SafetyBank,
    SafetyCheck,
    check,
    word_odds,
)
from .scope_words import WordOdds
from .text import clean, terms

if TYPE_CHECKING:
    from .embed import Embedder
    from .index import IndexData
    from .query import Query

MAX_QUESTION_CHARS = 20_000
MAX_HISTORY_TURNS = 20
NOTICE = (
    "Not medical advice: this summarises one article; "
    "decide about your own care with your clinician."
)
DOSE_LINE = LINES["dose"]
ABSTAIN_LINE = "I couldn't find this in the article, so I won't guess."
ABSTAIN_TOPIC_LINE = "The article does not cover {topic}, so I can't answer this from it."
PARTIAL_LINE = "The article does not cover {topic}. On the rest of your question it says:"
FIGURE_PASSAGES = 5  # where to look for the figure a question asks for
TOPIC_PHRASES = {
    "figure": "the figure you ask for",
    "other medicines": "medicines other than anastrozole",
    "testosterone therapy": "testosterone therapy",
    "procedures": "surgery or other procedures",
    "cost and access": "cost or where to get the medicine",
    "side effects": "side effects",
    "women's health": "use in women",
    "unrelated": "this topic",
    "symptoms": "symptoms or emergencies",
    "lifestyle": "lifestyle factors",
    "children and teenagers": "use in children or teenagers",
    scope_rules.ANOTHER_PERSON: "another person's health or treatment",
    "other languages": "questions in languages other than English",
}
# Classes whose line replaces an answer: the article says nothing about what to do in them.
URGENT_CLASSES = frozenset(URGENT)
COVERS_LINE = (
    "It covers anastrozole for male infertility: how it works on the hormone axis, who may "
    "benefit (T/E2 and T/LH ratios, BMI), typical doses and results, limits, and its five "
    "references."
)

# A source question that asks for the entry itself (its journal, year, authors), not for "which
# clinic" or "the men who did it": the reference entry the look-up resolves is its answer.
_BIBLIOGRAPHIC = re.compile(
    r"\b(?:refs?|references?|citations?|cite|sources?|journals?|authors?|published|year|yr|"
    r"et al|abstract|doi|pmid|vol|volume|pages|outlet|venue|publisher|publication|date)\b",
    re.IGNORECASE,
)
# A question about the men in the studies ("what did T end up at for guys in the studies?"),
# not about the writer: his own numbers do not pick the criteria passages that answer it.
_OTHERS = re.compile(
    r"\b(?:in|from|during) (?:the|those|these|that|this) (?:stud(?:y|ies)|trials?|research|"
    r"papers?)\b|\bon average\b|\bthe average (?:man|guy|patient|result)\b|"
    # other men as who the question is about: "what do guys end up with after a few months?"
    r"\b(?:do|did|does|would|will|can) (?:most |other |the |some )?(?:guys|men|others|people|"
    r"patients|dudes|blokes)\b",
    re.IGNORECASE,
)
_HIMSELF = re.compile(r"\b(?:i|me|my|mine|i'?m|im|am i|i'?ve|ive)\b", re.IGNORECASE)


def asks_about_others(parts: Sequence[str]) -> bool:
    """Whether the question's parts ask about the men of the studies, none of them about the
    writer."""
    return any(_OTHERS.search(p) for p in parts) and not any(_HIMSELF.search(p) for p in parts)


OUR_READING = "Our reading (not the article's wording) is that this reference supports: "
# Abstention thresholds (see README "Abstention and safety").
MIN_FUSED = 0.30
MIN_COVERAGE = 0.08


@dataclass(frozen=True)
class Citation:
    n: int
    passage: Passage
    score: float
    source: str

    def to_json(self) -> dict[str, object]:
        p = self.passage
        return {
            "n": self.n,
            "id": p.id,
            "text": p.text,
            "section": p.section_path,
            "source": self.source,
            "start": p.start,
            "end": p.end,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Quote:
    """A verbatim span of a cited passage used in the answer."""

    n: int
    passage_id: str
    start: int
    end: int
    text: str
    lead: str = ""


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...]
    retrieved: tuple[Citation, ...]
    quotes: tuple[Quote, ...] = ()
    safety: tuple[str, ...] = ()  # the safety lines' text, shown first
    followup: bool = False
    labs: object | None = field(default=None, compare=False)
    checked: SafetyCheck = field(default_factory=SafetyCheck)
    uncovered: tuple[str, ...] = ()  # topics of the question the article does not cover
    lab_lines: tuple[str, ...] = ()  # the lines computed from the user's numbers, as shown

    def to_json(self, qid: str | None = None) -> dict[str, object]:
        out: dict[str, object] = {}
        if qid is not None:
            out["id"] = qid
        out.update(
            {
                "question": self.question,
                "answer": self.text,
                "abstained": self.abstained,
                "citations": [c.to_json() for c in self.citations],
                "retrieved": [c.to_json() for c in self.retrieved],
                "disclaimer": NOTICE,
                "safety": list(self.checked.lines),
                "notices": ["english_only"] if self.checked.language != "en" else [],
                "language": self.checked.language,
                "not_covered": list(self.uncovered),
            }
        )
        return out


def validate_question(question: str) -> str:
    """Reject empty or oversized questions with one plain line."""
    if not isinstance(question, str) or not clean(question):
        raise UsageError("the question is empty; type a question about the article")
    if len(question) > MAX_QUESTION_CHARS:
        raise UsageError(
            f"the question is {len(question):,} characters; the limit is {MAX_QUESTION_CHARS:,}. "
            "Ask a shorter question (paste only the relevant lab values)."
        )
    return question


class Assistant:
    """The one core object both interfaces use: `ask(question, history) -> Answer`."""

    def __init__(
        self,
        index: IndexData,
        retriever: Retriever,
        corpus: Corpus | None = None,
    ) -> None:
        self.index = index
        self.retriever = retriever
        self.corpus = corpus or load_corpus()
        self.source = self.corpus.source_name
        self.glossary = load_glossary()
        banks = getattr(index, "banks", {})
        name = getattr(retriever.embedder, "name", "")
        safety = banks.get("safety")
        inside, outside = banks.get("questions"), banks.get("scope")
        # the safety vote's ordinary side: the plain in-scope questions, not the forum register
        forum = forum_questions() if inside is not None else frozenset()
        texts = inside.texts if inside is not None else ()
        plain = [t not in forum for t in texts]
        plain_texts = [t for t in texts if t not in forum]
        self.safety_bank = (
            SafetyBank(
                safety.labels,
                safety.vectors,
                inside.vectors[plain] if inside else None,
                word_odds(safety.labels, safety.texts, plain_texts),
            )
            if safety is not None and name in CALIBRATED_FOR
            else None
        )
        self.scope_banks = (
            scope_rules.Banks(
                inside.vectors,
                outside.vectors,
                outside.labels,
                out_of_scope_labels(),
                WordOdds.from_banks(inside.texts, outside.texts, self.corpus.source),
            )
            if inside is not None and outside is not None and name in scope_rules.CALIBRATED_FOR
            else None
        )

    @classmethod
    def load(
        cls,
        *,
        config: RetrievalConfig | None = None,
        notice: Callable[[str], None] = lambda _: None,
    ) -> Assistant:
        from .index import load_index, query_embedder

        index = load_index()
        return cls.over(index, query_embedder(index, notice), config=config)

    @classmethod
    def over(
        cls, index: IndexData, embedder: Embedder, *, config: RetrievalConfig | None = None
    ) -> Assistant:
        """The assistant over a loaded index and its query encoder (possibly still loading)."""
        return cls(index, Retriever(index, embedder, config=config))

    # -- the walk -------------------------------------------------------------------------

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        question = validate_question(question)
        # Only the recent turns matter, each bounded like a question.
        history = [h[:MAX_QUESTION_CHARS] for h in history if isinstance(h, str) and clean(h)]
        history = history[-MAX_HISTORY_TURNS:]
        # Reading the words first (pure Python) overlaps with the query encoder still loading in
        # the background; the safety check is the first step that needs the encoder.
        labs = lab_lines(self.index.passages, question, history)
        query = self.retriever.understand(without_spans(question, labs.spans), history)
        query = replace(query, question=question)
        checked = check(question, self.safety_bank, self.retriever.encode, self.glossary)
        decision = scope_rules.judge(
            query.parts if not query.carried else (query.text,),
            self.retriever.scope,
            self.scope_banks,
            self.retriever.encode,
            query.part_contexts if not query.carried else (),
            whole="" if query.carried else query.text,
        )
        topics = [*decision.uncovered]
        # A rule's cue is specific enough to stop at the care line; a line the exemplar vote
        # alone fired is shown first, and the article's answer still follows it.
        if set(checked.by_rule) & URGENT_CLASSES:
            topics.append("symptoms")
        if checked.language != "en":
            topics.append("other languages")
        if (decision.partial and len(topics) == len(decision.uncovered)) or decision.narrowed:
            # Retrieve for the parts the article covers; say which part it does not.
            query = replace(
                self.retriever.understand(decision.covered_text, history), question=question
            )
        evidence = self.retriever.retrieve(
            query,
            # the criteria the user's numbers fall under answer "am I a candidate?", not "how
            # does weight raise estrogen?": a why or how question is ranked on its own words
            prefer=(
                set()
                if query.kind in ("why", "how") or asks_about_others(query.parts)
                else {p.id for _, p in labs.lines if p}
            )
            | rows_like(question, self.index.passages, moves=query.asks_comparison),
            # A source question may need a reference entry ranked anywhere: rank them all.
            limit=None if query.asks_reference else 50,
        )
        retrieved = tuple(
            Citation(i + 1, h.passage, h.score, self.source)
            for i, h in enumerate(evidence.hits[:5])
        )
        if not topics and not self._figure_found(question, evidence):
            topics.append("figure")
        partial = decision.partial and len(topics) == len(decision.uncovered)
        stop = bool(topics) and not partial
        if stop or not self._relevant(evidence):
            urgent = bool(set(checked.lines) & URGENT_CLASSES)
            if labs.lines and not urgent and checked.language == "en":
                return self._compose(evidence, [], labs, checked, retrieved, topics)
            return self._abstain(query, checked, retrieved, topics)
        chosen = self._picks(evidence)
        if (
            query.asks_reference
            and chosen
            and chosen[0].passage.kind == "reference"
            and _BIBLIOGRAPHIC.search(query.text)
        ):
            retrieved = self._led_by(chosen[0].passage, evidence)
        return self._compose(evidence, chosen, labs, checked, retrieved, topics)

    def _led_by(self, reference: Passage, evidence: Evidence) -> tuple[Citation, ...]:
        """The ranking of a source question, led by the reference entry the look-up resolved
        (the passage it answers with), then the passages as retrieval ranked them."""
        score = next((h.score for h in evidence.hits if h.passage.id == reference.id), 0.0)
        rest = [h for h in evidence.hits if h.passage.id != reference.id]
        ranked = [(reference, score)] + [(h.passage, h.score) for h in rest[:4]]
        return tuple(Citation(i + 1, p, s, self.source) for i, (p, s) in enumerate(ranked))

    # -- steps ----------------------------------------------------------------------------

    def _figure_found(self, question: str, evidence: Evidence) -> bool:
        """False when the question asks for a figure (how many men, what percentage, how many
        months, how often) and no sentence of the top passages gives one about what it asks."""
        kind = asked_figure(question)
        if kind is None or evidence.query.carried:
            return True
        texts = []
        for hit in evidence.hits[:FIGURE_PASSAGES]:
            passage = hit.passage
            if passage.kind == "table_row":
                texts.append(render_row(passage, self.corpus.tables))
            else:
                found = [s.text for _, s in evidence.sentences_of(passage.id)]
                texts.extend(found or [passage.text])
        # An expansion that states a share ("% of men experienced ...") names the figure asked
        # for, not what it is of: it stands for the subject only when the question names none
        # of the article's own ("what percent of guys get better?"), not beside one ("what
        # percentage of couples got pregnant?", "... of azoospermic men got sperm back?").
        named = focus_terms(question) & self.retriever.vocabulary
        related = [
            t for e in evidence.query.expansions if "%" not in e or not named for t in terms(e)
        ]
        return figure_stated(kind, focus_terms(question, related), texts)

    def _relevant(self, evidence: Evidence) -> bool:
        """Enough similarity, and enough of the question's own words found in the article; a
        follow-up may lean on its earlier turn for both."""
        hits, query = evidence.hits, evidence.query
        enough = bool(hits) and max(h.relevance for h in hits[:3]) >= MIN_FUSED
        if enough and (query.carried or evidence.coverage >= MIN_COVERAGE):
            return True
        topic = evidence.topic
        if topic is not None and not query.out_of_scope:
            return not topic.query.out_of_scope and self._relevant(topic)
        return False

    def _picks(self, evidence: Evidence) -> list[Pick]:
        """What to quote: a reference look-up, a whole table, or the answering sentences."""
        query = evidence.query
        if query.asks_reference:
            picks = self._reference_picks(evidence)
            if picks:
                return picks
        chosen = choose_sentences(evidence, self.retriever.config.sentences)
        if (
            chosen
            and chosen[0].passage.kind == "table_row"
            and whole_table_wanted(evidence, self.corpus.tables)
        ):
            rows = table_rows(self.index.passages, chosen[0].passage)
            return [Pick(p, p.start, p.end) for p in rows]
        if chosen and chosen[0].passage.kind == "table_row":
            rows = named_rows(evidence, self.index.passages, chosen[0].passage,
                              self.corpus.tables)  # fmt: skip
            if len(rows) > 1 and chosen[0].passage in rows:
                return [Pick(p, p.start, p.end) for p in rows]
        return chosen

    def _reference_picks(self, evidence: Evidence) -> list[Pick]:
        """For "which paper was that?": the references behind the sentences the topic's answer
        quotes (the earlier turn's for a follow-up, else this turn's top passages), each with
        the sentence our reviewed mapping says it supports."""
        topic = evidence.topic or evidence
        if topic.hits and topic.hits[0].passage.kind == "reference":
            reference = topic.hits[0].passage
        else:
            quoted = [self.corpus.source[p.start : p.end] for p in choose_sentences(topic)]
            quoted += [h.passage.text for h in topic.hits[:3]]
            found = references_behind(quoted, self.corpus)
            if not found:
                return []
            reference = next(p for p in self.index.passages if p.id == found[0].id)
        picks = [Pick(reference, reference.start, reference.end)]
        supported = self._supported_sentence(reference)
        if supported is not None:
            picks.append(supported)
        return picks

    def _supported_sentence(self, reference: Passage) -> Pick | None:
        """The first sentence of the article our mapping links to this reference."""
        ref = self.corpus.reference(reference.id)
        for quote in ref.discussed_in if ref else ():
            for passage in self.index.passages:
                if passage.kind == "reference" or quote not in passage.text:
                    continue
                for sentence in self.index.sentences:
                    if sentence.passage_id == passage.id and (
                        quote in sentence.text or sentence.text in quote
                    ):
                        return Pick(passage, sentence.start, sentence.end, OUR_READING)
        return None

    def _compose(
        self,
        evidence: Evidence,
        chosen: Sequence[Pick],
        labs: LabLines,
        checked: SafetyCheck,
        retrieved: tuple[Citation, ...],
        topics: Sequence[str],
    ) -> Answer:
        numbers: dict[str, int] = {}
        citations: list[Citation] = []
        scores = {c.passage.id: c.score for c in retrieved}

        def cite(passage: Passage) -> int:
            if passage.id not in numbers:
                numbers[passage.id] = len(numbers) + 1
                citations.append(
                    Citation(numbers[passage.id], passage, scores.get(passage.id, 0.0), self.source)
                )
            return numbers[passage.id]

        safety = checked.texts()
        parts: list[str] = list(safety)
        lab_parts = [f"{line} [{cite(p)}]" if p else line for line, p in labs.lines]
        dose = "dose" in checked.lines
        if not dose:  # the arithmetic first; after a dose question it would read as advice
            parts.extend(lab_parts)
        if topics and chosen:
            parts.append(PARTIAL_LINE.format(topic=_topic_text(topics)))
        quotes: list[Quote] = []
        for i, pick in enumerate(chosen):
            passage, start, end = pick.passage, pick.start, pick.end
            n = cite(passage)
            text = self.corpus.source[start:end]
            quotes.append(Quote(n, passage.id, start, end, text, pick.lead))
            framed = _frame(
                passage,
                text,
                self.corpus.tables,
                opens=not (i and same_table(chosen[i - 1].passage, passage)),
                closes=not (i + 1 < len(chosen) and same_table(passage, chosen[i + 1].passage)),
            )
            marks = f"[{n}]"
            intro = self._intro_of(passage) if framed.endswith(AVERAGES + ".") else None
            if intro is not None:  # "typical changes ... from multiple studies" says what we add
                marks += f" [{cite(intro)}]"
            if framed.endswith(";"):  # a row with more of its table after it
                parts.append(f"{pick.lead}{framed[:-1]} {marks};")
            else:
                parts.append(f"{pick.lead}{framed} {marks}")
        if dose:
            parts.extend(lab_parts)
        return Answer(
            question=evidence.query.question,
            text=" ".join(parts),
            abstained=False,
            citations=tuple(citations),
            retrieved=retrieved,
            quotes=tuple(quotes),
            safety=tuple(safety),
            followup=bool(evidence.query.carried),
            labs=labs.report,
            checked=checked,
            uncovered=tuple(topics),
            lab_lines=tuple(line for line, _ in labs.lines),
        )

    def _intro_of(self, passage: Passage) -> Passage | None:
        return table_intro(self.index.passages, passage) if passage.kind == "table_row" else None

    def _abstain(
        self,
        query: Query,
        checked: SafetyCheck,
        retrieved: tuple[Citation, ...],
        topics: Sequence[str],
    ) -> Answer:
        safety = checked.texts()
        topics = [*topics] or [*query.out_of_scope]
        line = ABSTAIN_TOPIC_LINE.format(topic=_topic_text(topics)) if topics else ABSTAIN_LINE
        return Answer(
            question=query.question,
            text=" ".join([*safety, line, COVERS_LINE]),
            abstained=True,
            citations=(),
            retrieved=retrieved,
            safety=tuple(safety),
            followup=bool(query.carried),
            checked=checked,
            uncovered=tuple(topics),
        )


def _topic_text(topics: Sequence[str]) -> str:
    return " or ".join(dict.fromkeys(TOPIC_PHRASES.get(t, t) for t in topics))


def _frame(
    passage: Passage,
    text: str,
    tables: Sequence[TableLayout] = (),
    *,
    opens: bool = True,
    closes: bool = True,
) -> str:
    """A table row is spelled out with its column headers (its table named once for rows quoted
    together); a reference entry is introduced."""
    if passage.kind == "table_row":
        return render_row(passage, tables, opens=opens, closes=closes)
    if passage.kind == "reference":
        return f"The source is: {text}"
    return text
