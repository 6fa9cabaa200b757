"""Which language a question is written in: English, or Spanish, German or French (the three
other languages whose safety cues the assistant knows), by counting common function words."""

from __future__ import annotations

import re
import unicodedata

LANGUAGES = ("en", "es", "de", "fr")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)?")
_FUNCTION_WORDS = {
    "en": "the and is are was my i you it of to in for what how does do can with this that have "
    "not be will should my me we our your",
    "es": "el la los las es son mi mis y de que en por para con una un no se lo como qué cuánto "
    "puedo debo tengo estoy hay pero muy también",
    "de": "der die das und ist sind mein meine ich nicht mit ein eine zu von wie was kann soll "
    "habe bin auch aber sehr für auf dem den",
    "fr": "le la les et est sont mon ma mes je ne pas avec un une de des que pour comment est-ce "
    "puis dois suis mais très aussi du au",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
# Words no English sentence uses: one is enough in a short message ("ich bekomme keine Luft").
_DISTINCTIVE = {
    lang: frozenset(words.split())
    for lang, words in {
        "es": "mi mis tengo estoy puedo debo qué cuánto cuál pero también hijo hija",
        "de": "ich nicht mein meine keine kein habe bin soll kann auch sehr warum welche",
        "fr": "je mon ma mes suis pas est-ce puis dois très aussi j'ai c'est quoi qu'est-ce",
    }.items()
}


def function_words(language: str) -> frozenset[str]:
    """The common function words of `language` that `detect` counts."""
    return _WORDS.get(language, frozenset())


def fold(text: str) -> str:
    """Lower case without accents ("Tomé" -> "tome"), for matching cue phrases."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("ß", "ss")


def detect(text: str) -> str:
    """ "en", "es", "de" or "fr": the language with the most function words, English unless
    another one clearly leads (two or more of its words and more than English has)."""
    words = _WORD.findall(re.sub(r"\bet al\b", " ", text.lower()))  # "Chandra et al." is English
    counts = {lang: sum(w in _WORDS[lang] for w in words) for lang in LANGUAGES}
    best = max(("es", "de", "fr"), key=lambda lang: counts[lang])
    if counts[best] >= 2 and counts[best] > counts["en"]:
        return best
    if counts["en"] == 0:
        for lang in ("es", "de", "fr"):
            if any(w in _DISTINCTIVE[lang] for w in words):
                return lang
    return "en"
