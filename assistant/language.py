"""Which language a question is written in: English, or Spanish, German, French, Italian,
Portuguese or Dutch (the other languages whose safety cues the assistant knows: rules in the
first three, a word gloss in all six), by counting common function words."""

from __future__ import annotations

import re
import unicodedata

LANGUAGES = ("en", "es", "de", "fr", "it", "pt", "nl")
OTHERS = LANGUAGES[1:]
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)?")
_FUNCTION_WORDS = {
    "en": "the and is are was my i you it of to in for what how does do can with this that have "
    "not be will should my me we our your",
    "es": "el la los las es son mi mis y de que en por para con una un se lo como qué cuánto "
    "puedo debo tengo estoy hay pero muy también",
    "de": "der die das und ist sind mein meine ich nicht mit ein eine zu von wie was kann soll "
    "habe bin auch aber sehr für auf dem den in",
    "fr": "le la les et est sont mon ma mes je ne pas avec un une de des que pour comment est-ce "
    "puis dois suis mais très aussi du au",
    "it": "il lo gli le è sono mio mia miei mie di che con una uno si cosa quanto posso devo ho "
    "c'è cos'è ma molto anche del della nel in sto perché",
    "pt": "os é são meu minha meus de que em por para com uma não se como quanto posso devo tenho "
    "estou mas muito também da na você",
    "nl": "het een en zijn mijn ik niet met van wat hoe kan moet heb ben ook maar heel voor op dat "
    "in",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
# Words no English sentence uses: one is enough in a short message ("ich bekomme keine Luft").
_DISTINCTIVE = {
    lang: frozenset(words.split())
    for lang, words in {
        "es": "mi mis tengo estoy puedo debo qué cuánto cuál pero también hijo hija",
        "de": "ich nicht mein meine keine kein habe bin soll kann auch sehr warum welche",
        "fr": "je mon ma mes suis pas est-ce puis dois très aussi j'ai c'est quoi qu'est-ce",
        "it": "sono ho mio mia miei devo posso perché anche molto cosa cos'è grazie",
        "pt": "não você tenho estou meu minha também muito obrigado obrigada",
        "nl": "ik niet mijn heb ben kan moet ook heel wat hoe bedankt",
    }.items()
}


def function_words(language: str) -> frozenset[str]:
    """The common function words of `language` that `detect` counts."""
    return _WORDS.get(language, frozenset())


def fold(text: str) -> str:
    """Lower case without accents ("Tomé" -> "tome"), for matching cue phrases."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("ß", "ss")


def detect(text: str) -> str:
    """A code of LANGUAGES: the language with the most function words, English unless
    another one clearly leads (two or more of its words and more than English has, or as many
    and one of its distinctive words)."""
    words = _WORD.findall(re.sub(r"\bet al\b", " ", text.lower()))  # "Chandra et al." is English
    counts = {lang: sum(w in _WORDS[lang] for w in words) for lang in LANGUAGES}
    best = max(OTHERS, key=lambda lang: counts[lang])
    if counts[best] >= 2 and counts[best] > counts["en"]:
        return best
    # A tie goes to the language with a word English never uses ("moet ik ... is ... of": the
    # Dutch "is" and "of" count for English too).
    tie = counts[best] >= 2 and counts[best] == counts["en"]
    if tie and any(w in _DISTINCTIVE[best] for w in words):
        return best
    if counts["en"] == 0:
        for lang in OTHERS:
            if any(w in _DISTINCTIVE[lang] for w in words):
                return lang
    return "en"
