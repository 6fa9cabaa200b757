"""Hybrid retrieval: dense passage and sentence similarity fused with BM25 over expanded terms."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .embed import Embedder
from .index import IndexData
from .lexical import BM25
from .passages import Passage, Sentence
from .query import Lexicon, Query, Scope, load_lexicon, load_scope, understand

if TYPE_CHECKING:
    import numpy as np


_FRAMING = re.compile(r"\b[Tt]he (central |key |real |big )?question (of|is)\b")


@dataclass(frozen=True)
class RetrievalConfig:
    """Switches and weights; the ablation in scripts/ablation.py turns them off one by one."""

    lexical: bool = True
    lexicon: bool = True
    sentences: bool = True
    followup: bool = True
    fusion: str = "weighted"  # or "rrf"
    dense_weight: float = 0.45
    sentence_weight: float = 0.35
    lexical_weight: float = 0.30
    carry_weight: float = 0.5
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
        self.scope = scope or load_scope()
        self.passages = index.passages
        self.sentences = index.sentences
        self.position = {p.id: i for i, p in enumerate(self.passages)}
        self._by_passage: dict[str, list[tuple[int, Sentence]]] = {}
        for i, sentence in enumerate(self.sentences):
            self._by_passage.setdefault(sentence.passage_id, []).append((i, sentence))
        self.sentence_owner = np.array(
            [self.position[s.passage_id] for s in self.sentences], dtype=np.int64
        )
        documents = index.passage_terms or [p.lexical_terms() for p in self.passages]
        self.bm25 = BM25(documents)
        # Sentences that frame a question rather than answer it ("The question of whether…")
        # resemble every question put to them, so they are not counted as evidence.
        self.framing = np.array([bool(_FRAMING.search(s.text)) for s in self.sentences], dtype=bool)
        self.vocabulary = self.bm25.vocabulary()
        self._encode = lru_cache(maxsize=64)(self._encode_one)
        self._last_similarity: tuple[tuple[object, ...], np.ndarray] | None = None
        self.kinds = np.array([p.kind for p in self.passages])
        self.ids = np.array([p.id for p in self.passages])

    def _encode_one(self, text: str) -> np.ndarray:
        return self.embedder.encode([text])[0]

    def understand(self, question: str, history: Sequence[str] = ()) -> Query:
        empty = Lexicon(())
        lexicon = self.lexicon if self.config.lexicon else empty
        query = understand(question, history, lexicon, self.scope, self.vocabulary)
        if not self.config.followup and query.carried:
            return understand(question, (), lexicon, self.scope, self.vocabulary)
        return query

    def query_vectors(self, query: Query) -> list[tuple[np.ndarray, float]]:
        """The question's vector, plus the carried topic's at a lower weight for follow-ups."""
        vectors = [(self._encode(query.text or " "), 1.0)]
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

    def sentence_similarity(self, query: Query) -> np.ndarray:
        """Every sentence's similarity to the question (ranking and answer composition share
        it, so the last query's result is kept)."""
        key = (query.text, query.carried, query.expansions)
        if self._last_similarity is None or self._last_similarity[0] != key:
            vectors = self.query_vectors(query)
            total = sum(w * (self.index.sentence_vectors @ v) for v, w in vectors)
            self._last_similarity = (key, total / sum(w for _, w in vectors))
        return self._last_similarity[1]

    def rank(self, query: Query, prefer: Collection[str] = (), limit: int | None = 50) -> list[Hit]:
        """The best `limit` passages (all if None), best first. `prefer`: ids that state the
        article's criteria the user's own numbers fall under (they are about their situation)."""
        import numpy as np

        cfg = self.config
        vectors = self.query_vectors(query)
        norm = sum(w for _, w in vectors)
        dense = sum(w * (self.index.passage_vectors @ v) for v, w in vectors) / norm
        sentence = np.full(len(self.passages), -1.0, dtype=np.float32)
        if cfg.sentences and len(self.sentences):
            evidence = np.where(self.framing, -1.0, self.sentence_similarity(query))
            np.maximum.at(sentence, self.sentence_owner, evidence)
        sentence = np.where(sentence < -0.5, dense, sentence)
        lexical = np.asarray(self.bm25.scores(query.weights), dtype=np.float32)
        if lexical.max(initial=0.0) > 0:
            lexical = lexical / lexical.max()
        if not cfg.lexical:
            lexical = np.zeros_like(lexical)
        weights = (
            cfg.dense_weight,
            cfg.sentence_weight if cfg.sentences else 0.0,
            cfg.lexical_weight if cfg.lexical else 0.0,
        )
        relevance = (weights[0] * dense + weights[1] * sentence + weights[2] * lexical) / sum(
            weights
        )
        fused, boost = relevance.copy(), cfg.structure_boost
        if cfg.fusion == "rrf":
            fused = self._rrf(
                [dense, sentence if cfg.sentences else None, lexical if cfg.lexical else None]
            )
            boost = cfg.structure_boost / (cfg.rrf_k + 1)
        for wanted, kind in (
            (query.asks_reference, "reference"),
            (query.asks_table, "table_row"),
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
        return [
            Hit(
                self.passages[i],
                float(fused[i]),
                float(dense[i]),
                float(sentence[i]),
                float(lexical[i]),
                float(relevance[i]),
            )
            for i in order
        ]

    def _rrf(self, rankings: list[np.ndarray | None]) -> np.ndarray:
        import numpy as np

        fused = np.zeros(len(self.passages), dtype=np.float32)
        for scores in rankings:
            if scores is None:
                continue
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
        total = sum(self.bm25.idf.get(t, unknown) for t in query.own_terms)
        covered = sum(self.bm25.idf.get(t, unknown) for t in query.own_terms if t in found)
        return covered / total if total else 0.0

    def sentences_of(self, passage_id: str) -> list[tuple[int, Sentence]]:
        """(index, sentence) pairs of one passage, in document order."""
        return self._by_passage.get(passage_id, [])
