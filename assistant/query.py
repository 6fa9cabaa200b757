"""Understand a question before retrieval: lay terms, misspellings, follow-ups, scope and safety.

Everything here is rules over reviewed data in `corpus/` (lexicon.json, scope.json); no model.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from .corpus import load_corpus, read_corpus_file
from .paths import corpus_dir
from .text import clean, stem, terms, words

MAX_RETRIEVAL_CHARS = 1500
EXPANSION_WEIGHT = 0.5
CARRY_WEIGHT = 0.5
HISTORY_TURNS = 2

_FOLLOWUP_START = re.compile(
    r"^\s*(and|so|but|also|then|ok(ay)?|what about|how about|what if|would that|is that|"
    r"does that|was that|did that|could that|will that|why is that|how so)\b",
    re.IGNORECASE,
)
_ANAPHORA = re.compile(
    r"\b(that|this|those|these|it|its|it'll|they|them|their|there|the same|that one|"
    r"the study|the paper|that study|this study|that paper|that group|this group)\b",
    re.IGNORECASE,
)
# A turn asking for another thing of the kind the last one was about, named in its own words:
# what it names is the subject, not the earlier turn's.
_NEW_ITEM = re.compile(r"\b(?:also an?|another|any other|a different|an other)\b", re.IGNORECASE)
NEW_ITEM_TERMS = 4
_POINTS_AT_EARLIER = re.compile(r"\b(?:same|that|those|this|these)\b", re.IGNORECASE)
_REFERENCE_ASK = re.compile(
    r"\b((which|what) (?:one )?(?:of (?:the|these|those|your|its) )?(?:(?:listed|cited|five|5|"
    r"numbered) )?(papers?|study|studies|"
    r"references?|sources?|journals?|articles?|trials?|"
    r"institution|cent(er|re)|clinic|hospital|university|research group|team)|"
    r"backs? (that|this|it) up|backed up by|(research|evidence|studies|data) (behind|backing|"
    r"supporting|that supports?)|published research|"
    r"who (wrote|did|ran|published|authored|conducted)|where (was|is) (it|that|this)"
    r"( study| paper)? published|citation|cite|ref|full paper|journal|sources? (for|on)|"
    r"refs? (for|of|on)|"
    r"published (in|where)|where published|what year|yr|et al|authors? of|who (are|were) the "
    r"authors|(paper|study|studies|reference|source)'?s? authors?|"
    r"what(?:'s| is| was) the (?:source|ref|reference|citation|paper|study|journal)|"
    # the entry's own details: "date and outlet for that one?", "year/journal?"
    r"(?:date|year|outlet|venue|publisher|publication|volume|vol|pages|issue)\s*(?:and|&|/|\+|,)"
    r"\s*(?:date|year|outlet|venue|publisher|publication|journal|volume|vol|pages|issue|source)|"
    r"when was (?:it|that|this)(?: study| paper| piece| article| one)? published|"
    r"publication date|pub date|date published|"
    # clinician shorthand that adds the source to a figure: "value and source?", "- authors"
    r"(?<=[\w?])\s*(?:[—–/&+:-]|\band|\bwith|\bplus)\s*(?:its |the |their )?(?:source|sources|"
    r"refs?|references?|authors?|citations?|journal)(?=\s*(?:[/?.!,;]|$)))\b",
    re.IGNORECASE,
)
# A follow-up that is only "source?", "refs?", "citation pls".
_BARE_SOURCE = re.compile(
    r"\W*(?:sources?|refs?|references?|citations?)(?:\W+(?:pls|please|plz))?\W*$", re.IGNORECASE
)
_TABLE_ASK = re.compile(r"\b(table|tables|chart|row|column|tabulated)\b", re.IGNORECASE)
_DEFINITION_CUE = re.compile(
    r"\b(define|definition|defined|meaning|what is meant|stand for|officially|medical term|"
    r"considered|counts? as|different from|difference between|glossary|medical name|"
    r"proper name|name for|what is it called|called)\b",
    re.IGNORECASE,
)
# "the cut-off used to define an abnormal ratio" asks for a figure the text states, not for what
# a glossary entry says the term means.
_FIGURE_THAT_DEFINES = re.compile(
    r"\b(?:cut-?offs?|thresholds?|limits?|values?|numbers?|levels?)\b(?:\s+\w+){0,4}?\s+"
    r"(?:used\s+to\s+|to\s+)?(?:define|defines|defined|defining)\b",
    re.IGNORECASE,
)
# "what is X?" asks for a definition, unless X leans on an earlier turn ("what is a normal one?").
_WHAT_IS = re.compile(
    r"^\s*what(?:'s| is| are| (?:actually|exactly|really|precisely) (?:is|are))\s+"
    r"(?:a |an |the )?[\w/ -]{2,40}(?:\?|,|$)",
    re.IGNORECASE,
)
_WORD_OR_PHRASE = r"(?<![\w/]){}(?![\w/])"


def _phrase_pattern(phrases: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    """Any of `phrases` as whole words (longest first, so a phrase beats its own prefix)."""
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(_WORD_OR_PHRASE.format(f"(?:{alternatives})"), flags)


def stem_line(text: str) -> str:
    """' w1 w2 … ' of stemmed words (stopwords kept), for whole-phrase matching."""
    return " " + " ".join(stem(w) for w in words(text)) + " "


@dataclass(frozen=True)
class LexiconEntry:
    """Words people use (`terms`) and the article's words for them (`expand`). Case-sensitive
    entries (T, E2, AI…) match the exact letters; the others match by stems, so "rechecking"
    finds "recheck" and "misshapen sperm" finds "misshapen"."""

    terms: tuple[str, ...]
    expand: str
    case: bool
    # Words of the subject the terms must be about ("zero" or "too low" said of estradiol, not
    # of a sperm count); empty: any text.
    only_with: tuple[str, ...] = ()

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return _phrase_pattern(self.terms)

    def stemmed(self, known: Mapping[str, str]) -> tuple[str, ...]:
        """Its terms as stem lines (`known`: lines stemmed ahead, by the index build)."""
        lines = (known.get(t) or stem_line(t) for t in self.terms)
        return tuple(s for s in lines if s.strip())

    @cached_property
    def subject(self) -> re.Pattern[str] | None:
        return _phrase_pattern(self.only_with, re.IGNORECASE) if self.only_with else None


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[LexiconEntry, ...]
    # Set expressions whose words are not their topic ("worth a shot" is no injection).
    idioms: tuple[str, ...] = ()
    # phrase -> its stem line, computed by the index build (stemming every phrase here costs
    # about 20 ms per process); a phrase missing from it is stemmed when needed.
    stems: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def phrases(self) -> list[str]:
        """Every phrase matched by stems: the entries' (case-insensitive ones) and the idioms."""
        return [t for e in self.entries if not e.case for t in e.terms] + list(self.idioms)

    def with_stems(self, stems: Mapping[str, str]) -> Lexicon:
        return replace(self, stems=stems)

    @cached_property
    def _idioms(self) -> tuple[str, ...]:
        lines = (self.stems.get(i) or stem_line(i) for i in self.idioms)
        return tuple(s for s in lines if s.strip())

    @cached_property
    def _stemmed(self) -> tuple[tuple[str, ...], ...]:
        return tuple(() if e.case else e.stemmed(self.stems) for e in self.entries)

    def expansions(self, text: str) -> list[str]:
        """The article-vocabulary expansions for every lexicon term found in `text`."""
        return [expand for expand, _ in self.matches(text)]

    def matches(self, text: str) -> list[tuple[str, frozenset[str]]]:
        """(expansion, stems of the words that matched) for every entry found in `text`."""
        stems = stem_line(text)
        for idiom in self._idioms:
            stems = stems.replace(idiom, " " * len(idiom))
        found = []
        for entry, stemmed in zip(self.entries, self._stemmed, strict=True):
            if entry.subject is not None and not entry.subject.search(text):
                continue
            if entry.case:
                hits = {m.group(0) for m in entry.pattern.finditer(text)}
                if hits:
                    found.append((entry.expand, frozenset(stem(w) for h in hits for w in words(h))))
                continue
            hit = [p for p in stemmed if p in stems]
            if hit:
                found.append((entry.expand, frozenset(w for p in hit for w in p.split())))
        return found


@dataclass(frozen=True)
class Scope:
    topics: tuple[tuple[str, re.Pattern[str]], ...]
    sources: re.Pattern[str] | None = None
    # scope.json "about_him": topics that are incidental beside words about his own fertility
    his_topics: frozenset[str] = frozenset()
    about_him: re.Pattern[str] | None = None

    def incidental(self, topic: str, text: str) -> bool:
        """Whether `topic` is beside the point of `text`, which asks about the man's own
        fertility ("a breast cancer drug... how does it help my sperm?")."""
        return topic in self.his_topics and bool(self.about_him and self.about_him.search(text))

    def names_a_source(self, text: str) -> bool:
        """Whether `text` names an author of one of the article's references."""
        return bool(self.sources and self.sources.search(text))

    def hits(self, text: str) -> list[str]:
        """Names of the out-of-scope topics `text` mentions (children wished for are the goal
        the article serves, not a child's health: "we want kids", "trying for a baby")."""
        text = _CHILDREN_WISHED.sub(" ", text)
        return [name for name, pattern in self.topics if pattern.search(text)]


_CHILDREN_WISHED = re.compile(
    r"\b(?:want(?:s|ed|ing)?|wish(?:es|ed|ing)? for|hop(?:e|es|ed|ing) (?:for|to have)|"
    r"(?:to|can|could|will|would|never|finally) have|having|try(?:ing)? (?:for|to have)|"
    r"tried (?:for|to have)|ttc|plan(?:s|ned|ning)? (?:for|to have|on having)|dream(?:s|ed|ing)? "
    r"(?:of|about) having|father(?:ing)?|conceiv(?:e|ed|ing)|make|give (?:her|my wife|us))"
    r"\s+(?:a |an |another |more |our |any |some |two |2 |3 )?(?:own |biological |bio )?"
    r"(?:kids?|children|child|babies|baby|family)\b",
    re.IGNORECASE,
)


def load_lexicon(folder: Path | None = None) -> Lexicon:
    return _load_lexicon((folder or corpus_dir()).resolve())


@cache
def _load_lexicon(folder: Path) -> Lexicon:
    return read_corpus_file(
        folder / "lexicon.json",
        lambda data: Lexicon(
            tuple(
                LexiconEntry(
                    tuple(map(str, e["terms"])),
                    str(e["expand"]),
                    bool(e.get("case")),
                    tuple(map(str, e.get("only_with", ()))),
                )
                for e in data["entries"]
            ),
            tuple(map(str, data.get("idioms", ()))),
        ),
    )


def load_scope(folder: Path | None = None) -> Scope:
    return _load_scope((folder or corpus_dir()).resolve())


@cache
def _load_scope(folder: Path) -> Scope:
    topics, his_topics, about_him = read_corpus_file(folder / "scope.json", _scope_tables)
    refs = load_corpus(folder).references
    surnames = {a.split(",")[0] for r in refs for a in r.authors if "," in a}
    sources = (
        re.compile(r"\b(" + "|".join(map(re.escape, sorted(surnames))) + r")\b")
        if surnames
        else None
    )
    return Scope(topics, sources, his_topics, about_him)


def _scope_tables(
    data: dict[str, Any],
) -> tuple[tuple[tuple[str, re.Pattern[str]], ...], frozenset[str], re.Pattern[str] | None]:
    topics = tuple(
        (str(name), _phrase_pattern(map(str, phrases), re.IGNORECASE))
        for name, phrases in data["topics"].items()
    )
    him = data.get("about_him") or {}
    phrases = [str(p) for p in him.get("phrases", ())]
    men, patient, terms = (
        [str(w) for w in him.get(k, ())] for k in ("men", "patient", "his_terms")
    )
    patterns = [_phrase_pattern(phrases).pattern] if phrases else []
    for who in (men, patient):
        if who and terms:
            # a man (or the writer as the one treated) and a term of his fertility anywhere
            # in the question, in either order
            patterns.append(rf"^(?=.*?{_phrase_pattern(who).pattern})"
                            rf"(?=.*?{_phrase_pattern(terms).pattern})")  # fmt: skip
    about_him = (
        re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | re.DOTALL)
        if patterns else None
    )  # fmt: skip
    return topics, frozenset(map(str, him.get("topics", ()))), about_him


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent transpositions, giving up past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _clipped(token: str, vocabulary: set[str]) -> str | None:
    """The one corpus word that an unknown clipped form starts ("azoo", "oligo", "crypto"): a
    long word cut by five letters or more after a combining "-o" of its Greek roots, the way
    forum shorthand cuts them; an English word cut out of a longer one ("blood" of
    "bloodstream", "sign" of "significant") is left alone."""
    if len(token) < 4 or not token.isalpha() or not token.endswith("o"):
        return None
    found = {
        w for w in vocabulary if len(w) >= len(token) + 5 and w.startswith(token) and w.isalpha()
    }
    return found.pop() if len(found) == 1 else None


def correct_spelling(
    tokens: Iterable[str], vocabulary: set[str], spelled: Collection[str] = ()
) -> dict[str, str]:
    """Map unknown alphabetic words to the corpus word they clip, or (5+ letters) to the
    closest corpus word, when one is close. A word in `spelled` (a dictionary word: "forum",
    "chance") is no typo of a corpus word ("form", "change") and is left as it is."""
    fixes: dict[str, str] = {}
    for token in tokens:
        if token in vocabulary or token in fixes or token in spelled:
            continue
        clipped = _clipped(token, vocabulary)
        if clipped is not None:
            fixes[token] = clipped
            continue
        if len(token) < 5 or not token.isalpha():
            continue
        limit = 1 if len(token) < 8 else 2
        best, best_distance = None, limit + 1
        for word in vocabulary:
            if word[0] != token[0] and word[:2] != token[:2][::-1]:
                continue
            distance = _edit_distance(token, word, limit)
            if distance < best_distance or (distance == best_distance and best and word < best):
                best, best_distance = word, distance
        if best is not None:
            fixes[token] = best
    return fixes


@dataclass(frozen=True)
class Query:
    """A question made ready for retrieval."""

    question: str
    text: str
    weights: dict[str, float]
    own_terms: tuple[str, ...]
    explained: frozenset[str]
    expansions: tuple[str, ...]
    carried: tuple[str, ...]
    is_followup: bool
    asks_reference: bool
    asks_table: bool
    asks_definition: bool
    out_of_scope: tuple[str, ...]
    kind: str = "other"  # what the question asks for: see question_kind
    named: frozenset[str] = frozenset()  # the user's own terms and their abbreviations' meaning
    parts: tuple[str, ...] = ()  # its question parts: see question_parts
    part_contexts: tuple[str, ...] = ()  # the sentence each part points back to, or ""
    asks_comparison: bool = False


# What a question asks for, from its wording; the answer leads with a sentence of that kind.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("how_long", r"\b(?:how long|how soon|how many (?:months|weeks|days)|how quickly|"
         r"time ?frame|timeline|when (?:will|would|can|could|should|do|does|might) .{0,40}"
         r"(?:see|notice|show|improve|work|change|results?|kick in)|"
         # when to test again: "when should i redo my SA", "interval to repeat SA"
         r"when (?:should|do|can|will|would|could|must) (?:i|we|he|you|they) (?:\w+ ){0,2}?"
         r"(?:re-?do|repeat|re-?test|re-?check|test again|check again|get (?:re-?)?tested)|"
         r"(?:interval|time) (?:to|before|until) (?:repeat|re-?test|re-?check|re-?do))\b"),
        # where a study was done: "which place did that study come out of?"
        ("where", r"\bwhich (?:place|clinic|hospital|university|institution|cent(?:er|re)|country|"
         r"city|lab|team)\b|\bwhat (?:clinic|hospital|university|institution|cent(?:er|re)|"
         r"country)\b|\bwhere (?:was|were|did|does|is) (?:that|the|this|it)\b.{0,30}\b(?:study|"
         r"research|trial|done|from|published|come)"),
        ("who", r"\b(?:who (?:is|are|would|should|might|benefits?|responds?|gets?)|which (?:men|"
         r"patients|guys|group|groups)|am i (?:a |an )?(?:good |ideal |right )?candidate|"
         r"candidates?\b|right for me|for whom)"),
        ("number", r"\b(?:how much|how many|what (?:is|was|were|are) the (?:typical |average |"
         r"baseline |usual |normal )?(?:level|value|number|ratio|cut-?off|threshold|percentage|"
         r"dose|amount)|cut-?off|threshold|what percent(?:age)?|what level|by how much|what "
         r"(?:numbers?|values?)|"
         # odds: "realistic chance this fixes my numbers?", "how likely is it to work?"
         r"(?:realistic|real|actual|honest) (?:chances?|odds)|what(?:'s| are| is) (?:the|my) "
         r"(?:odds|chances?)|how likely|success rate|response rate)\b"),
        ("definition", r"^\s*(?:what(?:'s| is| are) (?:an? |the )?[\w/ -]{2,40}\??\s*$|define\b|"
         r"meaning of\b|what does .{1,40} (?:mean|stand for))"),
        ("why", r"^\s*why\b|\bwhy (?:does|do|is|would|might)\b|\b(?:have|has|got) to do with\b|"
         r"\bhow come\b|\b(?:the )?(?:link|connection|relationship) between\b"),
        ("how", r"^\s*how (?:does|do|is|can|could|would)\b"),
        ("yes_no", r"^\s*(?:is|are|can|could|does|do|did|will|would|should|am|has|have|was|"
         r"were|may|might)\b"),
    )
)  # fmt: skip
_SENTENCE_SPLIT = re.compile(r"(?<=[?.!])\s+")
_ABBREVIATION_END = re.compile(
    r"\b(?:e\.g|i\.e|vs|etc|approx|dr|no|ca|cf|incl|esp)\.$", re.IGNORECASE
)
_PART_SPLIT = re.compile(
    r",?\s+(?:and|also|plus|but|or|&)\s+(?=(?:will|would|is|are|can|could|does|do|did|should|"
    r"what|how|when|where|why|which|who|if|it|its|any)\b)",
    re.IGNORECASE,
)
_TAG_THEN_ASK = re.compile(
    r"^(\W*(?:is|isn'?t|was|are|does|did|do) (?:that|this|it|he|she|they) (?:right|true|correct|"
    r"so|accurate|legit))[?,]*\s+(?=(?:how|what|why|which|when|where|who)\b)",
    re.IGNORECASE,
)
_LEANS_BACK = re.compile(
    r"^\W*(?:(?:will|would|can|could|do|does|did|is|are|should)\s+)?(?:those|these|they|them|"
    r"it|that|this)\b",
    re.IGNORECASE,
)
_OPENS_QUESTION = re.compile(
    r"(?:why|what|how|when|where|which|who|whats|is|are|can|could|do|does|did|should|will|would|"
    r"am)\b"
    r"(?!\s+(?:i|you|we)\s+(?:know|said|mean|think)\b)",
    re.IGNORECASE,
)
# "that", "those", "it" as what a short question asks about: named in the sentence before.
_POINTS_BACK = re.compile(r"\b(?:that|those|these|it|them)\b", re.IGNORECASE)
LEAN_WORDS = 10
_COMPARISON = re.compile(
    r"\b(?:vs\.?|versus|compared? (?:to|with)|before and after|baseline (?:and|vs|to)|"
    r"difference between|pre[- ]?(?:and|vs)[- ]?post|change (?:from|in))\b"
    # how much a figure moves on treatment: the before/after rows answer it
    r"|\bhow (?:much|far|high|low) (?:\w+ ){1,5}(?:go(?:es)? (?:up|down)|rise|increase|improve|"
    r"drop|fall|climb|jump|come down|change)|\bwhat (?:kind|sort) of (?:\w+ )?(?:jump|increase|"
    r"improvement|change|rise|drop|numbers|results)|\b(?:numbers|results|levels) (?:could|can|"
    r"would|should|might|do) (?:i|we|he|you|men|guys) (?:expect|see|get)|"
    r"\b(?:went|gone|dropped|rose|jumped|fell) from \d[\d.,]* to \d|"
    # where a figure lands on treatment: "what did T end up at after a few months?"
    r"\bend(?:s|ed)? up (?:at|around|near|being|after)\b|"
    # "what does the ratio go to after a few months?"
    r"\b(?:go|goes|get|gets|climb|climbs|rise|rises|jump|jumps) (?:up )?to\b.{0,30}\bafter\b",
    re.IGNORECASE,
)


def _asks(sentence: str) -> bool:
    """A sentence that asks: it ends with "?", or it opens like a question and the writer left
    the mark off ("…a breast cancer pill?? why would it help my swimmers lol")."""
    sentence = sentence.strip()
    return sentence.endswith("?") or (
        _OPENS_QUESTION.match(sentence) is not None and len(sentence.split()) >= 4
    )


def asking_sentences(text: str) -> list[str]:
    """The sentences of `text` that ask (`_asks`), as typed: no story joined to them."""
    return [s for s in _SENTENCE_SPLIT.split(text.strip()) if s.strip() and _asks(s)]


def question_parts(text: str) -> tuple[str, ...]:
    """The question's parts: its sentences that ask (`_asks`; else its last sentence),
    split where a second question is joined on ("…raise T, and will it hurt my liver?").
    Statements around them (context: "my wife is pregnant.") are not parts."""
    sentences: list[str] = []
    for piece in _SENTENCE_SPLIT.split(text.strip()):
        if sentences and _ABBREVIATION_END.search(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"  # "(e.g. 1500 IU)" ends no sentence
        elif piece.strip():
            sentences.append(piece)
    # "is that right, how does it ...?": a check of what was said before, then a question of
    # its own
    sentences = [s for sentence in sentences for s in _TAG_THEN_ASK.split(sentence) if s]
    asking = [s for s in sentences if _asks(s)] or sentences[-1:]
    # "I'm on testosterone shots. Will those boost my count?": the question's subject is in the
    # statement before it, so the two are judged together.
    asking = [
        f"{sentences[i - 1]} {s}" if i > 0 and _LEANS_BACK.match(s) else s
        for i, s in ((sentences.index(s), s) for s in asking)
    ]
    parts: list[str] = []
    for sentence in asking:
        for piece in _PART_SPLIT.split(sentence):
            piece = piece.strip(" ,;")
            if len(piece.split()) >= 3 or not parts:
                parts.append(piece)
            else:
                parts[-1] = f"{parts[-1]} {piece}"
    return tuple(p for p in parts if p) or (text,)


def part_contexts(text: str, parts: Sequence[str]) -> tuple[str, ...]:
    """For each part, the sentence before it when the part is short and points back at what it
    asks about ("…DNA fragmentation was 35%. Will anastrozole bring that down?", "…ED or
    joint pain? How common is that?"); "" otherwise. The scope decision reads the two together."""
    sentences = [s for s in _SENTENCE_SPLIT.split(text.strip()) if s.strip()]
    out = []
    for part in parts:
        i = next((k for k, s in enumerate(sentences) if part in s), 0)
        leans = len(part.split()) <= LEAN_WORDS and _POINTS_BACK.search(part) is not None
        out.append(sentences[i - 1] if i > 0 and leans and sentences[i - 1] not in part else "")
    return tuple(out)


def question_kind(text: str) -> str:
    """how_long, where, who, number, definition, why, how, yes_no or other, for the question's first
    asking part."""
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return "other"


def is_followup(question: str, history: Sequence[str]) -> bool:
    """An elliptical turn that leans on an earlier one ("and FSH?", "which paper was that?")."""
    if not history:
        return False
    if (
        _NEW_ITEM.search(question)
        and len(terms(question)) >= NEW_ITEM_TERMS
        and not _POINTS_AT_EARLIER.search(question)
    ):
        return False  # "was there also a J Urol abstract on heavier men? who wrote it?"
    if _FOLLOWUP_START.search(question) or _ANAPHORA.search(question):
        return True
    return len(terms(question)) <= 2


def recent_history(history: Sequence[str]) -> tuple[str, ...]:
    """The last distinct earlier turns, most recent first."""
    seen: list[str] = []
    for turn in reversed(history):
        turn = clean(turn)[:MAX_RETRIEVAL_CHARS]
        if turn and turn not in seen:
            seen.append(turn)
        if len(seen) == HISTORY_TURNS:
            break
    return tuple(seen)


def _abbreviated(lexicon: Lexicon, text: str) -> frozenset[str]:
    """The article's words for the case-sensitive abbreviations in `text` ("T", "E2")."""
    return frozenset(
        t for e in lexicon.entries if e.case and e.pattern.search(text) for t in terms(e.expand)
    )


def understand(
    question: str,
    history: Sequence[str],
    lexicon: Lexicon,
    scope: Scope,
    vocabulary: set[str],
    dictionary: Container[str] = (),
) -> Query:
    """The question made ready for retrieval; `dictionary` holds correctly spelled words (lower
    case), which the spelling correction leaves alone."""
    text = clean(question)[:MAX_RETRIEVAL_CHARS]
    parts = question_parts(text)
    followup = is_followup(text, history)
    carried = recent_history(history) if followup else ()
    own = terms(text)
    matches = lexicon.matches(text)
    explained = frozenset(w for _, stems in matches for w in stems)
    spelled = {t for w in words(text) if w in dictionary for t in terms(w)}
    fixes = correct_spelling((t for t in own if t not in explained), vocabulary, spelled)
    weights: dict[str, float] = {}
    for term in own:
        fixed = fixes.get(term, term)
        weights[fixed] = weights.get(fixed, 0.0) + 1.0
    expansions = [expand for expand, _ in matches]
    for expansion in expansions:
        for term in terms(expansion):
            weights[term] = max(weights.get(term, 0.0), EXPANSION_WEIGHT)
    for turn in carried[:1]:
        for term in terms(turn) + [t for e in lexicon.expansions(turn) for t in terms(e)]:
            weights[term] = max(weights.get(term, 0.0), CARRY_WEIGHT * EXPANSION_WEIGHT)
    return Query(
        question=question,
        text=text,
        weights=weights,
        own_terms=tuple(dict.fromkeys(fixes.get(t, t) for t in own)),
        explained=explained,
        expansions=tuple(expansions),
        carried=carried,
        is_followup=followup,
        asks_reference=bool(
            _REFERENCE_ASK.search(text) or _BARE_SOURCE.match(text) or scope.names_a_source(text)
        ),
        asks_table=bool(_TABLE_ASK.search(text)),
        asks_definition=(
            bool(_DEFINITION_CUE.search(text)) and not _FIGURE_THAT_DEFINES.search(text)
        )
        or (not followup and bool(_WHAT_IS.search(text))),
        out_of_scope=tuple(scope.hits(text)),
        kind=question_kind(parts[0]),
        named=frozenset(fixes.get(t, t) for t in own)
        | {
            t for e in lexicon.entries if e.case and e.pattern.search(text) for t in terms(e.expand)
        },
        parts=parts,
        part_contexts=part_contexts(text, parts),
        # asked for, not told: "second SA was 4M vs 7M before. can it go down?" asks no comparison
        asks_comparison=any(_COMPARISON.search(part) for part in parts),
    )
