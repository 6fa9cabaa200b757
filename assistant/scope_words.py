"""Word odds that a question is about something the article does not cover.

A naive Bayes reading of the two question banks: each word (cut to its first six letters, so
"fragmentation" and "fragmented" count once) is scored by how much more often it occurs in
the out-of-scope bank (corpus/out_of_scope.json) than among the questions the article answers
(corpus/questions.json) and the article's own sentences. A question's odds are the sum over its
words. Words of neither bank add nothing, so an unknown typo or a chatty word weighs little,
while "DNA fragmentation", "birth defects" or "half-life", which only the out-of-scope bank
uses, weigh a lot. The threshold is chosen by leave-one-out over the banks themselves
(scripts/calibrate_scope.py), never on an evaluation set.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_WORD = re.compile(r"[a-z][a-z0-9]+")
STEM = 6
# Words so common in both kinds of question that they say nothing about the subject.
_STOP = frozenset({
    "the", "and", "for", "are", "was", "were", "been", "its", "this", "that", "with", "you",
    "your", "does", "did", "can", "could", "would", "should", "will", "what", "how", "when",
    "why", "which", "who", "about", "from", "not", "but", "just", "have", "has", "had", "get",
    "got", "any", "there", "their", "they", "them", "his", "her", "our", "into", "than", "then",
    "also", "some", "more", "most", "very",
})  # fmt: skip


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _article_sentences(text: str) -> list[str]:
    """The article's sentences of four words or more: in-scope texts beside the bank's."""
    return [s for s in _SENTENCE.split(text) if len(s.split()) > 3]


def features(text: str) -> frozenset[str]:
    """The question's words as the odds count them: lower case, three letters or more, cut
    to their first STEM letters, each once."""
    return frozenset(w[:STEM] for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in _STOP)


def counts(texts: Iterable[str]) -> tuple[Counter[str], int]:
    """How many of `texts` contain each feature, and how many texts there are."""
    found = [features(t) for t in texts]
    return Counter(f for fs in found for f in fs), len(found)


@dataclass(frozen=True)
class WordOdds:
    """Per word: how many in-scope and out-of-scope texts contain it, and the banks' sizes."""

    inside: Counter[str]
    outside: Counter[str]
    n_inside: int
    n_outside: int

    @classmethod
    def from_banks(cls, inside: Iterable[str], outside: Iterable[str], article: str) -> WordOdds:
        """The odds the scope decision uses (and scripts/calibrate_scope.py calibrates): the
        in-scope bank with the article's sentences, against the out-of-scope bank."""
        return cls.from_texts([*inside, *_article_sentences(article)], outside)

    @classmethod
    def from_texts(cls, inside: Iterable[str], outside: Iterable[str]) -> WordOdds:
        (ins, n_ins), (outs, n_outs) = counts(inside), counts(outside)
        return cls(ins, outs, n_ins, n_outs)

    def log_odds(self, text: str, leave_out: str | None = None, side: str = "") -> float:
        """How much more the out-of-scope bank than the in-scope texts uses the words of
        `text` (natural log, add-a-half smoothing). `leave_out`: a bank text whose own words
        are not counted (`side` "inside" or "outside"), for leave-one-out calibration."""
        own = features(leave_out) if leave_out is not None else frozenset()
        total = 0.0
        for f in features(text):
            a = self.inside[f] - (side == "inside" and f in own)
            b = self.outside[f] - (side == "outside" and f in own)
            if a == b == 0:
                continue  # a word of neither bank (a typo, a name) says nothing
            n_in = self.n_inside - (side == "inside")
            n_out = self.n_outside - (side == "outside")
            total += math.log((b + 0.5) / (n_out + 1)) - math.log((a + 0.5) / (n_in + 1))
        return total
