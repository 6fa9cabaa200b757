"""BM25 over passages: the lexical half of hybrid retrieval (pure Python; the corpus is small)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence


class BM25:
    """Okapi BM25 with weighted query terms (expansions count less than the user's own words).

    No posting lists: a query scans each document's term counts once per query term, which is
    cheaper than building postings at every start-up for the few terms a question has."""

    def __init__(
        self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75
    ) -> None:
        self.k1, self.b = k1, b
        self.freqs = [Counter(doc) for doc in documents]
        self.lengths = [len(doc) for doc in documents]
        self.avg = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        df: Counter[str] = Counter()
        for freq in self.freqs:
            df.update(freq.keys())
        n = len(documents)
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.norms = [k1 * (1 - b + b * length / (self.avg or 1.0)) for length in self.lengths]

    def vocabulary(self) -> set[str]:
        return set(self.idf)

    def scores(self, query: Mapping[str, float]) -> list[float]:
        out = [0.0] * len(self.freqs)
        norms = self.norms
        for term, weight in query.items():
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i, freq in enumerate(self.freqs):
                tf = freq.get(term)
                if tf:
                    out[i] += weight * idf * tf * (self.k1 + 1) / (tf + norms[i])
        return out
