"""Compose extractive answers: the article's own sentences, each cited, or a kind abstention.

Nothing here writes words that claim to be the article's: quoted text is always a verbatim span
of a cited passage (recorded in `Answer.quotes`), and the few fixed lines (safety, lab arithmetic,
abstention) are templates that never state a fact the article does not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .corpus import Corpus, load_corpus
from .errors import UsageError
from .lab_answers import LabLines, lab_lines, without_spans
from .passages import TABLE_PREFIX, Passage
from .retrieve import Hit, RetrievalConfig, Retriever
from .safety import CALIBRATED_FOR, LINES, SafetyBank, SafetyCheck, check
from .text import clean, terms

if TYPE_CHECKING:
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
TOPIC_PHRASES = {
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
    "other languages": "questions in languages other than English",
}
# Classes whose line replaces an answer: the article says nothing about what to do in them.
URGENT_CLASSES = frozenset({"emergency", "self_harm", "exposure"})
COVERS_LINE = (
    "It covers anastrozole for male infertility: how it works on the hormone axis, who may "
    "benefit (T/E2 and T/LH ratios, BMI), typical doses and results, limits, and its five "
    "references."
)

CITED_FOR = "The article cites it where it says: "
# Abstention thresholds, set between in-scope and out-of-scope values over all four question
# sets (see README "Abstention and safety").
MIN_FUSED = 0.30
MIN_COVERAGE = 0.08
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


@dataclass(frozen=True)
class Pick:
    """A verbatim span chosen for the answer, with an optional lead-in of our own."""

    passage: Passage
    start: int
    end: int
    lead: str = ""


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
        bank = getattr(index, "banks", {}).get("safety")
        calibrated = getattr(retriever.embedder, "name", "") in CALIBRATED_FOR
        self.safety_bank = (
            SafetyBank(bank.labels, bank.vectors) if bank is not None and calibrated else None
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
        retriever = Retriever(index, query_embedder(index, notice), config=config)
        return cls(index, retriever)

    # -- public ---------------------------------------------------------------------------

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        question = validate_question(question)
        # Only the recent turns matter, each bounded like a question.
        history = [h[:MAX_QUESTION_CHARS] for h in history if isinstance(h, str) and clean(h)]
        history = history[-MAX_HISTORY_TURNS:]
        labs = lab_lines(self.index.passages, question, history)
        query = self.retriever.understand(without_spans(question, labs.spans), history)
        query = replace(query, question=question)
        # A source question may need a reference entry ranked anywhere: rank them all.
        hits = self.retriever.rank(
            query,
            prefer={p.id for _, p in labs.lines if p},
            limit=None if query.asks_reference else 50,
        )
        checked = check(question, self.safety_bank, self.retriever.embedder.encode)
        urgent = bool(set(checked.lines) & URGENT_CLASSES)
        if urgent:
            query = replace(query, out_of_scope=(*query.out_of_scope, "symptoms"))
        if checked.language != "en":
            query = replace(query, out_of_scope=(*query.out_of_scope, "other languages"))
        relevant = not query.out_of_scope and self._relevant(query, hits)
        if relevant and query.asks_reference:
            hits = self._reference_first(query, hits)
        retrieved = tuple(
            Citation(i + 1, h.passage, h.score, self.source) for i, h in enumerate(hits[:5])
        )
        safety = checked.texts()
        if not relevant:
            if labs.lines and not urgent:  # an urgent message gets its line, not arithmetic
                return replace(self._compose(query, [], labs, safety, retrieved), checked=checked)
            return replace(self._abstain(query, safety, retrieved), checked=checked)
        chosen = self._choose_sentences(query, hits)
        if chosen and chosen[0].passage.kind == "reference" and not query.carried:
            # Where the article cites the source comes right after the entry itself.
            own = [p for p in chosen if p.passage.id == chosen[0].passage.id]
            rest = [p for p in chosen if p.passage.id != chosen[0].passage.id]
            chosen = own + self._where_cited(chosen[0].passage) + rest
        return replace(self._compose(query, chosen, labs, safety, retrieved), checked=checked)

    # -- steps ----------------------------------------------------------------------------

    def _relevant(self, query: Query, hits: Sequence[Hit]) -> bool:
        """Enough similarity, and enough of the question's own words found in the article; a
        follow-up may lean on its earlier turn for both."""
        enough = bool(hits) and max(h.relevance for h in hits[:3]) >= MIN_FUSED
        if enough and (query.carried or self.retriever.coverage(query, hits) >= MIN_COVERAGE):
            return True
        if query.carried and not query.out_of_scope:
            earlier = self.retriever.understand(query.carried[0])
            return not earlier.out_of_scope and self._relevant(
                earlier, self.retriever.rank(earlier)
            )
        return False

    def _reference_first(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """For "which paper was that?", put first the references behind the sentences the
        topic's answer quotes (the previous turn's for a follow-up, else this turn's)."""
        if query.carried:
            topic = self.ask(query.carried[0])
            quotes = [q.text for q in topic.quotes]
            passages = [c.passage for c in (*topic.citations, *topic.retrieved)]
            if passages and passages[0].kind == "reference":
                quotes = []
        else:
            if hits[0].passage.kind == "reference":
                return hits
            passages = [h.passage for h in hits[:3]]
            quotes = [p.text for p in passages]
        wanted: list[str] = []
        for quote in quotes:
            for ref in self.corpus.references:
                if any(d in quote or quote in d for d in ref.discussed_in) and ref.id not in wanted:
                    wanted.append(ref.id)
            if wanted:
                break
        if not wanted:
            for passage in passages:
                wanted.extend(r for r in passage.refs if r not in wanted)
                if wanted:
                    break
        front = sorted(
            (h for h in hits if h.passage.id in wanted), key=lambda h: wanted.index(h.passage.id)
        )
        return front + [h for h in hits if h.passage.id not in wanted]

    def _where_cited(self, reference: Passage) -> list[Pick]:
        """The first sentence of the article that this reference backs (from the reviewed
        mapping), so a clinician sees what the article uses it for."""
        ref = self.corpus.reference(reference.id)
        for quote in ref.discussed_in if ref else ():
            for passage in self.index.passages:
                if passage.kind == "reference" or quote not in passage.text:
                    continue
                for _, sentence in self.retriever.sentences_of(passage.id):
                    if quote in sentence.text or sentence.text in quote:
                        return [Pick(passage, sentence.start, sentence.end, CITED_FOR)]
        return []

    def _choose_sentences(self, query: Query, hits: Sequence[Hit]) -> list[Pick]:
        """The answering sentence of the top passage, the sentences it leans on or that carry
        its thought on, and at most one sentence from a runner-up passage that scores as well."""
        similarity = self.retriever.sentence_similarity(query)
        framing = self.retriever.framing
        weights = query.weights
        total = sum(weights.values()) or 1.0

        def score(i: int, text: str) -> float:
            own = set(terms(text))
            overlap = sum(w for t, w in weights.items() if t in own) / total
            value = 0.7 * float(similarity[i]) + 0.3 * overlap
            return value * 0.5 if framing[i] else value

        top = next((h.passage for h in hits if h.passage.kind != "table_intro"), hits[0].passage)
        sentences = self.retriever.sentences_of(top.id)
        if not sentences:
            return []
        if not self.retriever.config.sentences:
            return [Pick(top, s.start, s.end) for _, s in sentences[:2]]
        if top.kind == "bullet":  # a key point is short and whole: quote all of it
            return [Pick(top, s.start, s.end) for _, s in sentences]
        scores = [score(i, s.text) for i, s in sentences]
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
        others = sorted(
            (j for j in range(len(sentences)) if j not in keep), key=lambda j: -scores[j]
        )
        if len(keep) == 1 and others and scores[others[0]] >= COMPANION_FLOOR * scores[best]:
            keep.add(others[0])
        chosen = [Pick(top, sentences[j][1].start, sentences[j][1].end) for j in sorted(keep)]
        if len(hits) > 1 and hits[1].relevance >= RUNNER_UP * hits[0].relevance:
            runner = hits[1].passage
            pool = [(score(i, s.text), s) for i, s in self.retriever.sentences_of(runner.id)]
            if pool:
                value, sentence = max(pool, key=lambda item: item[0])
                kind_ok = runner.kind == top.kind or runner.kind in QUOTABLE_RUNNERS
                if value >= RUNNER_UP * scores[best] and kind_ok:
                    chosen.append(Pick(runner, sentence.start, sentence.end))
        return chosen

    def _compose(
        self,
        query: Query,
        chosen: Sequence[Pick],
        labs: LabLines,
        safety: Sequence[str],
        retrieved: tuple[Citation, ...],
    ) -> Answer:
        numbers: dict[str, int] = {}
        citations: list[Citation] = []
        scores = {c.passage.id: c.score for c in retrieved}

        def cite(passage: Passage, score: float) -> int:
            if passage.id not in numbers:
                numbers[passage.id] = len(numbers) + 1
                citations.append(Citation(numbers[passage.id], passage, score, self.source))
            return numbers[passage.id]

        parts: list[str] = list(safety)
        for line, passage in labs.lines:
            parts.append(
                f"{line} [{cite(passage, scores.get(passage.id, 0.0))}]" if passage else line
            )
        quotes: list[Quote] = []
        for pick in chosen:
            passage, start, end = pick.passage, pick.start, pick.end
            n = cite(passage, scores.get(passage.id, 0.0))
            text = self.corpus.source[start:end]
            quotes.append(Quote(n, passage.id, start, end, text, pick.lead))
            parts.append(f"{pick.lead}{self._frame(passage, text)} [{n}]")
        return Answer(
            question=query.question,
            text=" ".join(parts),
            abstained=False,
            citations=tuple(citations),
            retrieved=retrieved,
            quotes=tuple(quotes),
            safety=tuple(safety),
            followup=bool(query.carried),
            labs=labs.report,
        )

    def _frame(self, passage: Passage, text: str) -> str:
        """A table row or reference entry is quoted whole inside a short lead-in."""
        if passage.kind == "table_row" and passage.context.startswith(TABLE_PREFIX):
            title = passage.context.removeprefix(TABLE_PREFIX).split("”", 1)[0]
            return f"In the table “{title}”: {text}" + ("" if text.endswith(".") else ".")
        if passage.kind == "reference":
            return f"The source is: {text}"
        return text

    def _abstain(
        self, query: Query, safety: Sequence[str], retrieved: tuple[Citation, ...]
    ) -> Answer:
        if query.out_of_scope:
            topics = " or ".join(TOPIC_PHRASES.get(t, t) for t in query.out_of_scope)
            line = ABSTAIN_TOPIC_LINE.format(topic=topics)
        else:
            line = ABSTAIN_LINE
        text = " ".join([*safety, line, COVERS_LINE])
        return Answer(
            question=query.question,
            text=text,
            abstained=True,
            citations=(),
            retrieved=retrieved,
            safety=tuple(safety),
            followup=bool(query.carried),
        )
