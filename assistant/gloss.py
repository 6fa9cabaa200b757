"""A word-by-word English gloss of a message in Spanish, German, French, Italian, Portuguese or
Dutch (corpus/gloss.json), so the English safety rules and the English-only encoder read it too.

The gloss is rough on purpose ("me despido. gracias por todo" -> "I say goodbye. thanks for
everything"): it is only ever an extra signal for the safety lines, never shown or answered.
Longest phrases (up to four words) are matched first, on folded text (no accents, lower case);
a word the glossary does not know is kept as it is (names, numbers, drug names, abbreviations).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .corpus import read_corpus_file
from .language import fold, function_words
from .paths import corpus_dir

GLOSS_FILE = "gloss.json"
LANGUAGE_SHARE = 0.6  # a message the count took for English, whose words one glossary knows
LANGUAGE_LEAD = 0.2  # how much more of a message another language's glossary must know

MAX_PHRASE = 4
# A glossary that knows this share of a message's words may claim a word English shares with it
# ("me" in "mil gracias, me quedó muy claro"); below it such a word still counts as English.
KNOWS_NEARLY_ALL = 0.8
# A question asked in statement order, as French, Spanish, Portuguese and Italian chat does ("Je
# peux les prendre ... ?" -> "I can take them ... ?"), glossed in English question order.
_QUESTION_ORDER = re.compile(
    r"(^|[.!?,;]\s+|¿\s*)(I|i) (can|could|should|may|must) (?=[^.!?]*\?)", re.MULTILINE
)
# German and Dutch ask with the verb first ("Neem ik er nog een?" -> "take I there another?"):
# glossed in English question order, "do I take there another?".
_VERB_FIRST = re.compile(
    r"(^|[.!?]\s+)(?!(?:can|could|should|may|must|shall|will|would|do|does|did|am|is|are|have|"
    r"has|had|was|were|need)\b)([a-z]+) (I|i) (?=[^.!?]*\?)",
    re.MULTILINE,
)
VERB_FIRST_LANGUAGES = frozenset({"de", "nl"})
# Diminutives the glossary does not list, glossed as their stem ("eentje" -> "een",
# "pilletje" -> "pil"), the longest ending first.
_DIMINUTIVES = {"nl": ("etje", "pje", "tje", "je"), "de": ("chen", "lein")}
_TOKEN = re.compile(r"[^\W_]+(?:'(?=[^\W_]))?|[^\w\s]")


@dataclass(frozen=True)
class Glossary:
    """Folded source phrase -> English, per language."""

    phrases: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, raw: object) -> Glossary:
        if not isinstance(raw, dict):
            raise ValueError("the glossary must map a language to its phrases")
        phrases: dict[str, dict[str, str]] = {}
        for lang, table in raw.items():
            if not isinstance(lang, str) or not isinstance(table, dict):
                raise ValueError("the glossary must map a language to its phrases")
            phrases[lang] = {
                " ".join(_key_tokens(k)): str(v)
                for k, v in table.items()
                if isinstance(k, str) and isinstance(v, str)
            }
        return cls(phrases)

    def english(self, text: str, language: str) -> str:
        """The message glossed into rough English ("" when the language has no glossary)."""
        table = self.phrases.get(language)
        if not table:
            return ""
        words = [_undiminished(w, language, table) for w in _words(text)]
        if language in VERB_FIRST_LANGUAGES:
            words = _particles_joined(words, table)
        out: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
                english = table.get(" ".join(words[i : i + n]))
                if english is not None:
                    if english:
                        out.append(english)
                    i += n
                    break
            else:
                out.append(_with_clitics(words[i], language, table) or words[i])
                i += 1
        english = _QUESTION_ORDER.sub(r"\1\3 \2 ", re.sub(r"\s+([.,;!?])", r"\1", " ".join(out)))
        if language in VERB_FIRST_LANGUAGES:
            english = _VERB_FIRST.sub(r"\1do \3 \2 ", english)
        return english

    def coverage(self, text: str) -> dict[str, float]:
        """Per language: the share of the message's words its glossary knows."""
        words = [w for w in _words(text) if w[:1].isalpha()]
        if not words:
            return {}
        return {
            lang: sum(w in table or w.rstrip("'") in table for w in words) / len(words)
            for lang, table in self.phrases.items()
        }

    def language(self, text: str, detected: str) -> str:
        """The language of `text`, given what the function-word count said (`detected`): a
        dialect or a short message the count misreads ("I mog nimma", "Grüezi mitenand") is
        taken for the language whose glossary knows far more of its words."""
        n = len(_tokens(text))
        if n < 4:
            return detected
        shares = self.coverage(text)
        best = max(shares, key=lambda lang: shares[lang]) if shares else detected
        if detected == "en":
            # a word both languages share ("me" in "mil gracias, me quedó claro") is no sign
            # when another glossary knows nearly every word
            ours = self.phrases.get(best, {}) if shares.get(best, 0.0) >= KNOWS_NEARLY_ALL else {}
            english = (
                sum(w in function_words("en") and w not in ours for w in _tokens(fold(text))) / n
            )
            # plainly English, unless one glossary knows every word ("se me olvido la pastilla
            # ayer, me tomo 2 hoy?": the Spanish "me" counts as English)
            if english > 0.1 and not (shares.get(best, 0.0) >= 1.0 and english < 0.3):
                return detected
        if not shares:
            return detected
        if best == detected:
            return detected
        if detected == "en":
            return best if shares[best] >= LANGUAGE_SHARE else detected
        return best if shares[best] >= shares.get(detected, 0.0) + LANGUAGE_LEAD else detected


def _tokens(folded: str) -> list[str]:
    """Words (an elided "j'" or "l'" stays with its apostrophe) and punctuation marks."""
    return _TOKEN.findall(folded)


def _key_tokens(key: str) -> list[str]:
    """A glossary key's tokens as a message's are read: an elided word alone ("l'", "qu'") keeps
    its apostrophe, as it does before the word it is elided onto in a message."""
    tokens = _tokens(fold(key.replace("\u2019", "'")))
    if len(tokens) >= 2 and tokens[-1] == "'" and tokens[-2][-1:].isalpha():
        tokens = [*tokens[:-2], tokens[-2] + "'"]
    return tokens


# Object pronouns written onto an Italian or Spanish verb ("dargli" = dar(e) + gli, "give him";
# "dárselo" = dar + se + lo): glossed as the verb, then the pronouns.
_CLITICS = {
    "it": {"gli": "him", "le": "her", "lo": "it", "la": "it", "li": "them", "ne": "of it",
           "mi": "me", "ti": "you", "ci": "us", "vi": "you", "si": "himself"},
    "es": {"le": "him", "les": "them", "lo": "it", "la": "it", "los": "them", "las": "them",
           "me": "me", "te": "you", "se": "himself", "nos": "us"},
}  # fmt: skip
# each language's pronoun endings, longest first ("les" before "le")
_CLITIC_ENDINGS = {lang: sorted(table, key=len, reverse=True) for lang, table in _CLITICS.items()}


def _with_clitics(word: str, language: str, table: dict[str, str]) -> str | None:
    """The gloss of a verb with object pronouns attached, or None when it is not one."""
    clitics = _CLITICS.get(language)
    if not clitics:
        return None
    pronouns: list[str] = []
    stem = word
    while len(pronouns) < 2:
        found = next((c for c in _CLITIC_ENDINGS[language]
                      if stem.endswith(c) and len(stem) - len(c) >= 3), None)  # fmt: skip
        if found is None:
            return None
        stem = stem[: -len(found)]
        pronouns.insert(0, clitics[found])
        # Italian drops the infinitive's final -e before a pronoun ("dar-gli" for "dare")
        for verb in (stem, stem + "e") if language == "it" else (stem,):
            if table.get(verb):
                return " ".join([table[verb], *pronouns])
    return None


# Where a German or Dutch clause ends: punctuation or a conjunction.
# ("maar", "dan", "doch" are left out: as often a particle, "just", "then", as a conjunction)
_CLAUSE_ENDERS = frozenset(".,;:!?") | {
    "want", "omdat", "en", "of", "daarna", "weil", "und", "aber", "denn", "oder", "wenn",
    "ohne", "um", "dass", "bevor", "nachdem", "zonder", "om", "dat", "voordat", "nadat",
}  # fmt: skip
MAX_PARTICLE_GAP = 8


_WITH = frozenset({"mit", "met"})


def _particles_joined(words: list[str], table: dict[str, str]) -> list[str]:
    """German and Dutch split a verb from its particle, which closes the clause ("ik sla de pil
    deze week over" = overslaan, skip; "ich setze es ab"): where the glossary knows the verb and
    particle as a phrase ("sla over"), the particle is moved back beside its verb."""
    out = list(words)
    i = 0
    while i < len(out):
        for j in range(i + 2, min(i + 2 + MAX_PARTICLE_GAP, len(out))):
            if out[j] in _CLAUSE_ENDERS:
                break
            # the clause closes, or the verb's object follows ("hör morgen auf mit den tabletten")
            closes = j + 1 == len(out) or out[j + 1] in _CLAUSE_ENDERS or out[j + 1] in _WITH
            if closes and f"{out[i]} {out[j]}" in table:
                out = [*out[: i + 1], out[j], *out[i + 1 : j], *out[j + 1 :]]
                break
        i += 1
    return out


def _undiminished(word: str, language: str, table: dict[str, str]) -> str:
    """`word`, or the stem of a diminutive the glossary knows only as its stem."""
    if word in table:
        return word
    for ending in _DIMINUTIVES.get(language, ()):
        stem = word[: -len(ending)]
        if not word.endswith(ending) or len(stem) < 2:
            continue
        # a doubled consonant before the ending: "pil-l-etje"
        for candidate in (stem, stem[:-1]) if stem[-1:] == stem[-2:-1] else (stem,):
            if table.get(candidate):
                return candidate
    return word


def _words(text: str) -> list[str]:
    """The tokens of a message as the glossary's keys are written: folded, straight quotes."""
    return _tokens(fold(text.replace("\u2019", "'")))


def load_glossary(folder: Path | None = None) -> Glossary | None:
    """corpus/gloss.json, or None for a corpus folder that has none (the gloss is optional)."""
    return _load_glossary((folder or corpus_dir()).resolve())


@cache
def _load_glossary(folder: Path) -> Glossary | None:
    path = folder / GLOSS_FILE
    if not path.is_file():
        return None
    return read_corpus_file(path, Glossary.from_json)
