"""Hybrid retrieval: one `Evidence` per question, from five signals fused per passage.

Signals (each in [-1, 1] or [0, 1]):
  * dense: the question's embedding against the passage's (with its heading and context);
  * sentence: against the passage's best sentence (framing sentences excluded);
  * lexical: BM25 over the question's words and the lexicon's expansions (normalised);
  * bank: against the passage's best question in corpus/questions.json (doc2query: questions
    written for each passage), which catches lay questions that share no word with the article;
  * bank words: BM25 over each passage's bank questions (doc2query's document expansion), which
    orders passages by the lay words people ask them with; it does not count towards the
    relevance that decides whether the article covers a question at all.
Structure adjusts the fused score: a reference entry or glossary entry yields unless a source or
a definition is asked for, table introductions always yield, table rows come first when a table
is asked about, and passages stating the criterion the user's own numbers fall under come first.
A follow-up's bank signal is the better of its words with the earlier turn's and its own
words alone (the bank holds follow-up forms too).

`Retriever.retrieve` computes every signal once and returns `Evidence`; the answer reads only
that (no callbacks into the retriever, no hidden caches).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Container, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from .embed import Embedder, whole_words
from .index import IndexData
from .lexical import BM25
from .passages import Passage, Sentence
from .query import (
    Lexicon,
    Query,
    Scope,
    asking_sentences,
    load_lexicon,
    load_scope,
    understand,
)
from .text import terms

if TYPE_CHECKING:
    import numpy as np

    from .index.load import BankVectors


LONG_MESSAGE = 25  # words
_FRAMING = re.compile(r"\b[Tt]he (central |key |real |big )?question (of|is)\b")


@dataclass(frozen=True)
class RetrievalConfig:
    """Switches and weights; the ablation in scripts/ablation.py turns them off one by one."""

    lexical: bool = True
    lexicon: bool = True
    sentences: bool = True
    followup: bool = True
    bank: bool = True
    fusion: str = "weighted"  # or "rrf"
    dense_weight: float = 0.45
    sentence_weight: float = 0.35
    lexical_weight: float = 0.30
    bank_weight: float = 0.35
    bank_words_weight: float = 0.5
    carry_weight: float = 0.5
    asking_vector: float = 1.0
    expanded_vector: float = 0.3
    structure_boost: float = 0.15
    rrf_k: int = 20


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float
    dense: float
    sentence: float
    lexical: float
    relevance: float  # the weighted fusion score whatever the ranking fusion: abstention reads it
    bank: float = -1.0  # similarity of the passage's closest bank question (-1: none)
    bank_question: str = ""


@dataclass(frozen=True)
class Evidence:
    """What retrieval found for one question: everything the answer needs, computed once."""

    query: Query
    hits: tuple[Hit, ...]
    sentence_scores: np.ndarray  # every indexed sentence's similarity to the question
    framing: np.ndarray  # per sentence: frames a question rather than answering it
    coverage: float  # share of the question's own words found in the top passages
    sentences: Mapping[str, tuple[tuple[int, Sentence], ...]] = field(repr=False)
    topic: Evidence | None = None  # the earlier turn a follow-up leans on
    # per part of a question of several parts: every sentence's similarity to that part alone
    part_scores: tuple[np.ndarray, ...] = field(default=(), repr=False)

    def sentences_of(self, passage_id: str) -> tuple[tuple[int, Sentence], ...]:
        """(index, sentence) pairs of one passage, in document order."""
        return self.sentences.get(passage_id, ())


class Retriever:
    """Ranks every passage for a question; the corpus is small enough to score exhaustively."""

    def __init__(
        self,
        index: IndexData,
        embedder: Embedder,
        *,
        lexicon: Lexicon | None = None,
        scope: Scope | None = None,
        config: RetrievalConfig | None = None,
    ) -> None:
        import numpy as np

        self.index = index
        self.embedder = embedder
        self.config = config or RetrievalConfig()
        self.lexicon = lexicon or load_lexicon()
        if stems := getattr(index, "phrase_stems", None):
            self.lexicon = self.lexicon.with_stems(stems)
        self.scope = scope or load_scope()
        self.passages = index.passages
        self.sentences = index.sentences
        self.position = {p.id: i for i, p in enumerate(self.passages)}
        by_passage: dict[str, list[tuple[int, Sentence]]] = {}
        for i, sentence in enumerate(self.sentences):
            by_passage.setdefault(sentence.passage_id, []).append((i, sentence))
        self.by_passage = {k: tuple(v) for k, v in by_passage.items()}
        self.sentence_owner = np.array(
            [self.position[s.passage_id] for s in self.sentences], dtype=np.int64
        )
        documents = index.passage_terms or [p.lexical_terms() for p in self.passages]
        self.bm25 = BM25(documents)
        bank = getattr(index, "banks", {}).get("questions")
        self.bank_bm25 = BM25(self._bank_documents(bank)) if bank is not None else None
        # Sentences that frame a question rather than answer it ("The question of whether…")
        # resemble every question put to them, so they are not counted as evidence.
        self.framing = np.array([bool(_FRAMING.search(s.text)) for s in self.sentences], dtype=bool)
        self.vocabulary = self.bm25.vocabulary()
        self._encode = lru_cache(maxsize=64)(self._encode_one)
        self.kinds = np.array([p.kind for p in self.passages])
        self.ids = np.array([p.id for p in self.passages])
        self.bank_vectors = bank.vectors if bank is not None else None
        self.bank_texts = bank.texts if bank is not None else ()
        self.bank_owner = (
            np.array([self.position.get(label, -1) for label in bank.labels], dtype=np.int64)
            if bank is not None
            else None
        )

    def _bank_documents(self, bank: BankVectors) -> list[list[str]]:
        """Per passage, the words of the bank questions it answers (doc2query's document
        expansion: a lay question matches the words people ask with, not only the article's)."""
        out: list[list[str]] = [[] for _ in self.passages]
        stored = getattr(self.index, "question_terms", None)
        words = stored if stored is not None else [terms(text) for text in bank.texts]
        for label, these in zip(bank.labels, words, strict=True):
            if label in self.position:
                out[self.position[label]].extend(these)
        return out

    def _encode_one(self, text: str) -> np.ndarray:
        return self.embedder.encode([text])[0]

    @cached_property
    def dictionary(self) -> Container[str]:
        """Correctly spelled words: the whole words of the encoder's vocabulary, when it has one."""
        return whole_words(self.embedder)

    def understand(self, question: str, history: Sequence[str] = ()) -> Query:
        empty = Lexicon(())
        lexicon = self.lexicon if self.config.lexicon else empty
        known = self.dictionary
        query = understand(question, history, lexicon, self.scope, self.vocabulary, known)
        if not self.config.followup and query.carried:
            return understand(question, (), lexicon, self.scope, self.vocabulary, known)
        return query

    def query_vectors(self, query: Query) -> list[tuple[np.ndarray, float]]:
        """The question's vector, plus the carried topic's at a lower weight for follow-ups.
        A long message (a story, then the question) also counts its asking sentences on their
        own, so the question is not drowned by the story."""
        vectors = [(self._encode(query.text or " "), 1.0)]
        asking = " ".join(query.parts)
        if (
            self.config.asking_vector
            and len(query.text.split()) > LONG_MESSAGE
            and (asking and asking != query.text)
        ):
            vectors.append((self._encode(asking), self.config.asking_vector))
        if query.expansions and self.config.expanded_vector:
            # The question restated in the article's words helps the dense model with lay terms.
            restated = f"{query.text} ({'; '.join(dict.fromkeys(query.expansions))})"
            vectors.append((self._encode(restated), self.config.expanded_vector))
        if query.carried:
            # The more a follow-up says itself, the less it leans on the earlier turn.
            known = sum(1 for t in query.own_terms if t in self.vocabulary)
            weight = self.config.carry_weight * (1.0 if known <= 2 else 0.6)
            vectors.append((self._encode(query.carried[0]), weight))
        return vectors

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for other texts of the question (safety pieces, scope parts). A single
        text goes through the question's cache: the scope's whole-question test and the ranking
        encode the same question once."""
        if len(texts) == 1:
            return self._encode(texts[0])[None, :]
        return self.embedder.encode(list(texts))

    def retrieve(
        self,
        query: Query,
        prefer: Collection[str] = (),
        limit: int | None = 50,
        *,
        with_topic: bool = True,
    ) -> Evidence:
        """Rank the passages for `query` and gather what the answer needs. `prefer`: ids that
        state the article's criteria the user's own numbers fall under. A follow-up's evidence
        carries its earlier turn's (`topic`), retrieved the same way."""
        import numpy as np

        vectors = self.query_vectors(query)
        norm = sum(w for _, w in vectors)
        similarity = (
            sum(w * (self.index.sentence_vectors @ v) for v, w in vectors) / norm
            if len(self.sentences)
            else np.zeros(0, dtype=np.float32)
        )
        hits = self._rank(query, vectors, similarity, prefer, limit)
        topic = None
        if with_topic and query.carried:
            earlier = self.understand(query.carried[0])
            topic = self.retrieve(earlier, with_topic=False)
        parts = query.parts if len(query.parts) > 1 and not query.carried else ()
        return Evidence(
            query=query,
            hits=tuple(hits),
            sentence_scores=similarity,
            framing=self.framing,
            coverage=self.coverage(query, hits),
            sentences=self.by_passage,
            topic=topic,
            part_scores=tuple(self.index.sentence_vectors @ self._encode(p) for p in parts)
            if len(self.sentences)
            else (),
        )

    def _bank_scores(
        self, vectors: list[tuple[np.ndarray, float]], *, own_too: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per passage: the similarity of its closest bank question (-1 if none), and which.
        `own_too` (a follow-up): the better of the weighted vectors and the first one alone."""
        import numpy as np

        best = np.full(len(self.passages), -1.0, dtype=np.float32)
        which = np.full(len(self.passages), -1, dtype=np.int64)
        if self.bank_vectors is None or self.bank_owner is None or not len(self.bank_vectors):
            return best, which
        norm = sum(w for _, w in vectors)
        sims = sum(w * (self.bank_vectors @ v) for v, w in vectors) / norm
        if own_too:
            # bank questions are also written as follow-ups ("and who doesn't respond?"): the
            # follow-up's own words may match one better than the words it leans on
            sims = np.maximum(sims, self.bank_vectors @ vectors[0][0])
        valid = self.bank_owner >= 0
        owners, scores = self.bank_owner[valid], sims[valid]
        np.maximum.at(best, owners, scores)
        rows = np.flatnonzero(valid)
        order = np.argsort(scores, kind="stable")  # later (higher) writes win
        which[owners[order]] = rows[order]
        return best, which

    def _rank(
        self,
        query: Query,
        vectors: list[tuple[np.ndarray, float]],
        similarity: np.ndarray,
        prefer: Collection[str],
        limit: int | None,
    ) -> list[Hit]:
        import numpy as np

        cfg = self.config
        norm = sum(w for _, w in vectors)
        dense = sum(w * (self.index.passage_vectors @ v) for v, w in vectors) / norm
        sentence = np.full(len(self.passages), -1.0, dtype=np.float32)
        if cfg.sentences and len(self.sentences):
            evidence = np.where(self.framing, -1.0, similarity)
            np.maximum.at(sentence, self.sentence_owner, evidence)
        sentence = np.where(sentence < -0.5, dense, sentence)
        lexical = np.asarray(self.bm25.scores(query.weights), dtype=np.float32)
        if lexical.max(initial=0.0) > 0:
            lexical = lexical / lexical.max()
        if not cfg.lexical:
            lexical = np.zeros_like(lexical)
        bank, which = (
            self._bank_scores(vectors, own_too=bool(query.carried)) if cfg.bank else (None, None)
        )
        asked = np.zeros_like(lexical)  # the question's words among the bank questions'
        if cfg.bank and cfg.lexical and self.bank_bm25 is not None:
            asked = np.asarray(self.bank_bm25.scores(query.weights), dtype=np.float32)
            if asked.max(initial=0.0) > 0:
                asked = asked / asked.max()
        signals = [
            (cfg.dense_weight, dense),
            (cfg.sentence_weight if cfg.sentences else 0.0, sentence),
            (cfg.lexical_weight if cfg.lexical else 0.0, lexical),
        ]
        if bank is not None:
            signals.append((cfg.bank_weight, np.where(bank < -0.5, dense, bank)))
        relevance = sum(w * s for w, s in signals) / sum(w for w, _ in signals)
        fused, boost = relevance.copy(), cfg.structure_boost
        if cfg.bank_words_weight and asked.any():
            # The bank's words order the passages but do not make a question relevant: they
            # are lay words, and the abstention reads `relevance`, the article's own evidence.
            total = sum(w for w, _ in signals)
            fused = (fused * total + cfg.bank_words_weight * asked) / (
                total + cfg.bank_words_weight
            )
        if cfg.fusion == "rrf":
            fused = self._rrf([s for w, s in signals if w] + [asked] * bool(cfg.bank_words_weight))
            boost = cfg.structure_boost / (cfg.rrf_k + 1)
        for wanted, kind in (
            (query.asks_reference, "reference"),
            (query.asks_table or query.asks_comparison, "table_row"),
            (query.asks_definition, "glossary"),
        ):
            if wanted:
                kinds = self.kinds == kind
                relevance = relevance + cfg.structure_boost * kinds * (lexical > 0)
                fused = fused + boost * kinds * (lexical > 0)
        # A bibliography entry is a title, not evidence, and a glossary entry a bare definition:
        # both are short and match many words, so they yield unless asked for. A table
        # introduction only announces the rows, so it always yields.
        for asked, kind, weight in (
            (query.asks_reference, "reference", 1.0),
            (query.asks_definition, "glossary", 0.5),
            (False, "table_intro", 2.0),
        ):
            if not asked:
                entries = self.kinds == kind
                relevance = relevance - weight * cfg.structure_boost * entries
                fused = fused - weight * boost * entries
        if prefer:
            chosen = np.isin(self.ids, list(prefer))
            relevance = relevance + cfg.structure_boost * chosen
            fused = fused + boost * chosen
        order = np.argsort(-fused, kind="stable")[:limit]
        out = []
        for i in order:
            question = ""
            if which is not None and which[i] >= 0:
                question = self.bank_texts[int(which[i])]
            out.append(
                Hit(
                    self.passages[i],
                    float(fused[i]),
                    float(dense[i]),
                    float(sentence[i]),
                    float(lexical[i]),
                    float(relevance[i]),
                    float(bank[i]) if bank is not None else -1.0,
                    question,
                )
            )
        return out

    def _rrf(self, rankings: list[np.ndarray]) -> np.ndarray:
        import numpy as np

        fused = np.zeros(len(self.passages), dtype=np.float32)
        for scores in rankings:
            ranks = np.empty(len(scores), dtype=np.int64)
            ranks[np.argsort(-scores, kind="stable")] = np.arange(len(scores))
            fused += 1.0 / (self.config.rrf_k + ranks + 1)
        return fused

    def coverage(self, query: Query, hits: Sequence[Hit], depth: int = 3) -> float:
        """Share of the question's own words (idf-weighted) found in the top passages; a lay
        word the lexicon maps to the article's vocabulary counts as found."""
        if not query.own_terms:
            return 0.0
        unknown = max(self.bm25.idf.values(), default=1.0)
        found: set[str] = set(query.explained)
        for hit in hits[:depth]:
            found.update(self.bm25.freqs[self.position[hit.passage.id]])

        def share(words: Sequence[str]) -> float:
            total = sum(self.bm25.idf.get(t, unknown) for t in words)
            covered = sum(self.bm25.idf.get(t, unknown) for t in words if t in found)
            return covered / total if total else 0.0

        whole = share(query.own_terms)
        if len(query.text.split()) <= LONG_MESSAGE:
            return whole
        # a story before the question ("gym buddy says ... banned from my powerlifting fed")
        # dilutes its words: the asking sentences alone count too
        asked = [t for s in asking_sentences(query.text) for t in terms(s)]
        return max(whole, share(asked))

    def rank(self, query: Query, prefer: Collection[str] = (), limit: int | None = 50) -> list[Hit]:
        """The ranked hits alone (scripts and tests that compare rankings)."""
        return list(self.retrieve(query, prefer, limit, with_topic=False).hits)
