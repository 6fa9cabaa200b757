"""Whether the article covers what a question asks about: decided by its subject, part by part.

A question is split into parts (`query.question_parts`: "does it raise T, and will it hurt my
liver?" has two). Each part is judged on two signals:
  * topic words (corpus/scope.json: other medicines, TRT, procedures, cost, side effects, ...);
  * its embedding's nearest neighbours in two banks: questions the article does NOT answer
    (corpus/out_of_scope.json, by topic) and questions it does (corpus/questions.json).
  * its words' odds (scope_words.py: a naive Bayes reading of the same two banks).
A topic word of a few topics (scope.json "about_him": women's health) is incidental beside words
about the man's own fertility. A topic word makes a part out of scope only when the out-of-scope
bank is at least nearly as close as the in-scope one (the topic is the subject, not an
incidental mention: "my wife and I are trying to conceive" is not about women's health);
without a topic word, the out-of-scope bank must win clearly, or the part's words must be ones
only the out-of-scope bank uses ("sperm DNA fragmentation", "birth defects"). The margins and
the odds threshold were chosen by leave-one-out over the two banks themselves
(scripts/calibrate_scope.py), never on an evaluation set.

The result names the uncovered topics and the parts that remain, so the answer can say "The
article does not cover X. On Y it says: ..." and cite only for Y.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from .query import Scope
    from .scope_words import WordOdds

TOP = 3
# With a topic word in the part: out of scope unless the in-scope bank is clearly closer.
TOPIC_MARGIN = -0.05
# With no topic word: out of scope only when the out-of-scope bank is clearly closer and close
# in itself (leave-one-out over both banks: 0.5 % of the in-scope bank's own questions flagged,
# 39 % of the out-of-scope bank caught; the topic words and the weak-retrieval test catch more;
# scripts/calibrate_scope.py). The margin keeps the in-scope share flagged near 0.5 % as the
# banks grow (0.05 with the first 467 out-of-scope questions; 0.08 with 890; 0.07 once the
# in-scope bank grew from 640 to 1,174 questions).
BANK_MARGIN = 0.07
BANK_FLOOR = 0.50
# A question that as a whole is this far from all the questions the article answers (mean
# similarity of the TOP nearest in-scope questions below it) is about something else ("how do I
# clear a check-engine code?"), whichever bank is nearer. Leave-one-out, none of the in-scope
# bank lies below 0.35 (scripts/calibrate_scope.py); real questions sit further from the bank
# than its own members do, so the floor stays well under that: 3 % of the out-of-scope bank.
FAR_FLOOR = 0.30
# Word odds (natural log) above which a part is out of scope on its words alone: leave-one-out
# over the banks, 0.5 % of the in-scope bank flagged and 51 % of the out-of-scope bank caught
# (4.0 before the in-scope bank grew).
WORD_ODDS = 3.5
# Models the margins were measured with (other encoders: topic words only).
CALIBRATED_FOR = frozenset({"sentence-transformers/all-MiniLM-L6-v2"})


@dataclass(frozen=True)
class Banks:
    """The two embedded banks: in-scope questions (label: passage id) and out-of-scope
    questions (label: topic key), with the topic labels' wording."""

    inside: np.ndarray
    outside: np.ndarray
    outside_topics: tuple[str, ...]
    topic_labels: dict[str, str]
    words: WordOdds | None = None

    def closeness(
        self, vectors: np.ndarray, texts: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Per row: mean similarity of the TOP nearest in-scope and out-of-scope questions,
        and the topic of the nearest out-of-scope one whose subject the row's text can have
        (a question that names no woman is not about women's health, however close a
        question about women's bones is to one about his)."""
        import numpy as np

        inside = -np.sort(-(vectors @ self.inside.T), axis=1)[:, :TOP].mean(axis=1)
        sims = vectors @ self.outside.T
        outside = -np.sort(-sims, axis=1)[:, :TOP].mean(axis=1)
        nearest = []
        for row, text in zip(sims, texts, strict=True):
            ranked = (self.outside_topics[int(i)] for i in np.argsort(-row))
            fitting = (t for t in ranked if not text or _could_be_about(t, text))
            nearest.append(next(fitting, self.outside_topics[int(row.argmax())]))
        return inside, outside, nearest


@dataclass(frozen=True)
class Part:
    text: str
    topics: tuple[str, ...]  # uncovered topics this part is about (empty: covered)
    # an aside, not the question: a topic named beside his own fertility asked elsewhere ("it's a
    # breast cancer pill, right?? how does it help my swimmers?"), neither answered nor declined
    aside: bool = False


@dataclass(frozen=True)
class ScopeDecision:
    parts: tuple[Part, ...]

    @property
    def uncovered(self) -> tuple[str, ...]:
        """The topics the article does not cover, in the order the question raises them."""
        return tuple(dict.fromkeys(t for p in self.parts for t in p.topics))

    @property
    def covered_text(self) -> str:
        """The parts the article may answer, joined ("" when none)."""
        return " ".join(p.text for p in self.parts if not p.topics and not p.aside)

    @property
    def narrowed(self) -> bool:
        """Some part is an aside, and another part is what to answer."""
        return any(p.aside for p in self.parts) and bool(self.covered_text)

    @property
    def out_of_scope(self) -> bool:
        return any(p.topics for p in self.parts) and all(p.topics or p.aside for p in self.parts)

    @property
    def partial(self) -> bool:
        return any(p.topics for p in self.parts) and not self.out_of_scope


def judge(
    parts: Sequence[str],
    scope: Scope,
    banks: Banks | None = None,
    encode: Callable[[Sequence[str]], np.ndarray] | None = None,
    contexts: Sequence[str] = (),
    whole: str = "",
) -> ScopeDecision:
    """Which parts of a question the article does not cover, and why. `contexts`: per part, the
    sentence it points back to ("…was 35%. Will anastrozole bring that down?"); the banks and
    the word odds read it with the part, the topic words only the part itself (a topic word in
    a story is not what is asked). `whole`: the question as typed, for the test that it is far
    from everything the article answers (a part alone, "why?", always is)."""
    asked = [set(scope.hits(_asked_thing(part))) for part in parts]
    # a topic word is incidental beside his own results, unless it is what is asked about
    hits = [
        tuple(
            t
            for t in scope.hits(_HEARSAY_SOURCE.sub(" ", _EXAMPLE.sub(r"\1 ", part)))
            if t in asked_about or not scope.incidental(t, part)
        )
        for part, asked_about in zip(parts, asked, strict=True)
    ]
    # ... and beside his own fertility asked in another part, the part is an aside
    aside = [
        bool(h) and all(t not in a and scope.incidental(t, whole) for t in h)
        for h, a in zip(hits, asked, strict=True)
    ]
    if banks is None or encode is None or not parts:
        return ScopeDecision(
            tuple(Part(p, () if x else h, x) for p, h, x in zip(parts, hits, aside, strict=True))
        )
    before = [*contexts, *[""] * len(parts)][: len(parts)]
    read = [f"{c} {p}" if c else p for p, c in zip(parts, before, strict=True)]
    inside, outside, nearest = banks.closeness(encode(read), read)
    out = []
    for i, part in enumerate(parts):
        margin = float(outside[i] - inside[i])
        if aside[i]:
            out.append(Part(part, (), aside=True))
            continue
        if hits[i]:
            asked_for = set(hits[i]) & asked[i]
            topics = hits[i] if margin >= TOPIC_MARGIN or asked_for else ()
        elif scope.incidental(nearest[i], read[i]):
            topics = ()  # nearest a women's-health question, but asking about his own sperm
        elif (margin >= BANK_MARGIN and outside[i] >= BANK_FLOOR) or (
            banks.words is not None
            and banks.words.log_odds(_THE_MEDS.sub("anastrozole", read[i])) >= WORD_ODDS
        ):
            topics = (banks.topic_labels.get(nearest[i], nearest[i]),)
        else:
            topics = ()
        if (
            not topics
            and _ANOTHER_PERSON.search(whole or read[i])
            and _FOR_HIM.search(part)
            and not _HIMSELF.search(part)
        ):
            topics = (ANOTHER_PERSON,)  # "my dad has prostate cancer, would it help his energy?"
        if (
            not topics
            and out
            and out[-1].topics
            and (
                _POINTS_BACK.search(part)
                # "is it" leans on what the part before asked about, not on what it compared
                or (_LEANS_ON_PART.match(part) and set(out[-1].topics) & asked[i - 1])
                # "... varicocele repair, and is it better than an AI first?": comparing what
                # the article does not cover with anything is not answered by it either
                or (_LEANS_ON_PART.match(part) and _COMPARES.search(part))
                # "...what clomiphene dose do uros use? 25mg daily or every other day?": options
                # offered for the part before are that part's question
                or _OPTIONS_ONLY.match(part)
            )
        ):
            # "how does it work for women and what dose do they use?", "is clomid better than
            # anastrozole? which one do uros try first?"
            topics = out[-1].topics
        out.append(Part(part, topics))
    if whole:
        near, _, topic = banks.closeness(encode([whole]), [whole])
        if float(near[0]) < FAR_FLOOR:
            label = banks.topic_labels.get(topic[0], topic[0])
            out = [p if p.topics or p.aside else Part(p.text, (label,)) for p in out]
    return ScopeDecision(tuple(out))


# Another medicine named as an example of what anastrozole is or is not ("is anastrozole a shot
# like hcg or a pill?"): what is asked about is anastrozole.
_EXAMPLE = re.compile(
    r"(\b(?:it|anastrozole|arimidex|ana|adex)(?: is)? (?:a|an|another) [\w-]+(?: [\w-]+)? (?:like|"
    r"such as|similar to))\s+[\w-]+",
    re.IGNORECASE,
)
# Where people said something ("guys on the bodybuilding forums say ..."): its topic word names
# the place, not what is asked.
_HEARSAY_SOURCE = re.compile(
    r"\b(?:on|in|from|at) (?:the |some |a |those |these |my )?(?:[\w-]+ ){0,2}(?:forums?|"
    r"subreddits?|reddit|groups?|threads?|boards?|sites?|videos?|channels?|podcasts?|gym)\b",
    re.IGNORECASE,
)
# "these meds", "the pills": in a question about anastrozole, the treatment itself, not
# another medicine (the bank's word odds read "meds" as the mark of one)
_THE_MEDS = re.compile(
    r"\b(?:these|the|my|this|those|his|your) (?:meds|medications?|medicines?|pills|tablets|"
    r"drugs?)\b",
    re.IGNORECASE,
)
# What a wh-question asks for: the words right after "which", "what kind of", "are there any"
# ("which peptide protocols boost ...?": peptide protocols are the subject, whatever else the
# question shares with the article).
_WH_HEAD = re.compile(
    r"^\W*(?:which|what(?: kind of| sort of| type of)?|are there any|is there an?|any)\s+"
    r"((?:[\w-]+\s+){0,2}[\w-]+)",
    re.IGNORECASE,
)


# Who is to take it, in a yes/no question ("could she take it too?", "should my dad use it?"),
# and whose dose is asked ("typical hCG dosing?", "what dose of clomid?"): what is asked about.
_SUBJECT_TAKES = re.compile(
    r"\b(?:can|could|should|would|will|does|do|is|are|may|might|must)\s+((?:my |his |her |their "
    r"|a |the )?[\w-]+\s+(?:take|use|try|start|be on|go on|get|need|have)\b)",
    re.IGNORECASE,
)
_DOSE_OF = re.compile(
    r"\b(?:doses?|dosing|dosage)\s+(?:of|for)\s+([\w-]+)|\b([\w-]+)\s+(?:doses?|dosing|dosage)\b",
    re.IGNORECASE,
)


def _asked_thing(part: str) -> str:
    head = _WH_HEAD.match(part)
    found = [head.group(1)] if head else []
    found += [m.group(1) for m in _SUBJECT_TAKES.finditer(part)]
    found += [m.group(1) or m.group(2) for m in _DOSE_OF.finditer(part)]
    return " ; ".join(found)


_WOMEN_TOPIC = "womens_health"
_A_WOMAN = re.compile(
    r"\b(?:she|her|hers|wife|wives|woman|women'?s?|female|girlfriend|gf|fiancee|lady|ladies|"
    r"mother|mom|mum|daughter|sister|pregnan\w*|menopaus\w*|ovulat\w*|pcos|breast\w*|"
    r"letrozole|partner)\b",
    re.IGNORECASE,
)


def _could_be_about(topic: str, text: str) -> bool:
    return topic != _WOMEN_TOPIC or _A_WOMAN.search(text) is not None


# What it would do for someone else, a relative or a friend (not a partner, who is often the
# patient): "my dad is 67 ... would anastrozole help his energy?", "my brother ... should he take
# it?"; unless the writer asks for himself too ("would it help me as well?").
ANOTHER_PERSON = "another person"
_FOR_HIM_WORDS = (
    r"\b(?:(?:help|work for|fix|raise|boost|improve|treat|benefit|do for|affect|mess with|hurt|"
    r"harm) (?:his|him)\b|(?:should|could|can|would|will) he (?:take|use|try|start|go on|be on)\b)"
)
_ANOTHER_PERSON = re.compile(
    r"\b(?:my|our) (?:\d+[- ]?(?:year[- ]old|yo|y/o) )?(?:dad|father|brother|uncle|grand(?:pa|"
    r"father|dad)|son|friend|mate|buddy|cousin|colleague|coworker|neighbou?r|boss|"
    rf"(?:father|brother)-in-law)\b.{{0,160}}{_FOR_HIM_WORDS}",
    re.IGNORECASE,
)
_FOR_HIM = re.compile(_FOR_HIM_WORDS, re.IGNORECASE)
_HIMSELF = re.compile(
    r"\b(?:me|mine|myself|i|i'?m|my (?:own )?(?:sperm|count|swimmers|t|testosterone|levels?|e2|"
    r"estradiol|fertility|numbers|results))\b",
    re.IGNORECASE,
)
# "... what dose of clomid do guys take and is it daily?": a part that opens on "is it", "does
# he" asks about what the part before it asked about (when that part asked about a topic, not
# only named one: "is it a jab like hcg, or is it a pill?").
_LEANS_ON_PART = re.compile(
    r"^\W*(?:is|are|does|do|did|will|would|can|could|should|was|were)\s+(?:it|they|that|those|"
    r"these|he|she)\b",
    re.IGNORECASE,
)
_OPTIONS_ONLY = re.compile(
    r"^\W*(?!(?:why|what|how|when|where|which|who|is|are|can|could|do|does|did|should|will|would|"
    r"am|has|have|was|were|if|and|but)\b)[\w.,/%+-]+(?:\s+[\w.,/%+-]+){0,6}\s+or\s+[\w.,/%+-]+"
    r"(?:\s+[\w.,/%+-]+){0,4}\s*\?*\s*$",
    re.IGNORECASE,
)
_COMPARES = re.compile(
    r"\b(?:better|worse|safer|riskier|more effective|less effective|faster|slower|cheaper|"
    r"stronger|weaker)\b.{0,40}\b(?:than|or|vs\.?|versus|compared)\b",
    re.IGNORECASE,
)
# A part whose subject is a pronoun for people ("what dose do they use?"), or that picks between
# or matches what the part before it named ("which one ...?", "what dose would be equivalent?"),
# is about what that part was about: when that part asked about a subject the article does not
# cover, so does this one.
_POINTS_BACK = re.compile(
    r"\b(?:they|them|their|she|her|hers|which one|that one|either one|the other one|which (?:ai|"
    r"aromatase inhibitor|drug|med|medicine|medication|option|pill|treatment) (?:is|would|do|does|"
    r"should|works?|to)\b|"
    r"equivalent|combo|combination|combined|together|stack|stacking)\b",
    re.IGNORECASE,
)
