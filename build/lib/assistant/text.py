"""Shared text handling: normalising user text, word tokens, light stemming, stopwords."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_TOKEN = re.compile(r"[a-z0-9]+(?:[./][a-z0-9]+)*")
_CONTRACTION = re.compile(r"'(?:s|t|re|ve|ll|d|m)\b")
_ZERO_WIDTH_SPACE = re.compile("[\u200b\u2060\ufeff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours out over own same
    she should so some such than that the their theirs them then there these they this those
    through to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves im ive dont doesnt isnt whats thats hes shes
    get got getting go going also anyone someone something really actually basically thing things
    like just even still ever much many guy guys man men one ones per say said tell know mean
    explain plain english anything way use used don isn doesn can won didn aren wasn couldn
    wouldn shouldn whether sorry dumb q question questions please thanks thank hi hey
    wondering curious think guess maybe lol ok okay keep keeps kept come comes coming read
    reading heard hear someone somebody""".split()  # noqa: SIM905
)


def clean(text: str) -> str:
    """NFKC, no control or invisible format characters, no lone surrogates, single spaces."""
    text = _SURROGATE.sub("\ufffd", text)
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    text = _ZERO_WIDTH_SPACE.sub(" ", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) English stem of an alphabetic word; other tokens unchanged."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def words(text: str) -> list[str]:
    """Lower-case word tokens (keeps T/E2, 270.6, t/lh as single tokens)."""
    text = _CONTRACTION.sub("", text.lower().replace("’", "'"))
    return _TOKEN.findall(text)


def terms(text: str) -> list[str]:
    """Stemmed content words, for lexical matching."""
    out = []
    for word in words(text):
        for part in (word, *word.split("/")) if "/" in word else (word,):
            if part and part not in STOPWORDS:
                out.append(stem(part))
    return out


@lru_cache(maxsize=1)
def tokenizer_fingerprint() -> str:
    """Changes whenever `terms` could tokenise differently (stopwords, pattern, stemmer): the
    stemmer is fingerprinted by what it does to a fixed set of words."""
    probe = "hormonal suppressing infertility motility analysis ratios luteinizing generously"
    parts = [_TOKEN.pattern, _CONTRACTION.pattern, " ".join(sorted(STOPWORDS)), *terms(probe)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
