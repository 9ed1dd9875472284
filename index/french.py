"""French analyzer for lexical search: the same words reduce to the same stems.

Lower-case, accents folded, elisions (l', d', qu', jusqu'…) and French stop words dropped,
Snowball French stems (PyStemmer). Digits are kept, and « n° 12 » also yields the token
`n12` so exact references outrank a bare « 12 ». Folding happens *before* stemming so that
« données », « donnée » and « Donnees » meet; stems are iterated to a fixed point so that
analysing the analyzer's own output changes nothing (the analyzer is idempotent).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_FRENCH

# « n° 12 », « N°12 », « nº 5 »: a numbered reference, kept whole.
REFERENCE = re.compile(r"\b[nN]\s*[°º]\s*(\d+)")
WORD = re.compile(r"[^\W_]+")

# Left-hand sides of French elisions; the apostrophe splits them off as their own word.
ELISIONS = {"l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu"}

# Frequent French words that carry no topic, beyond the Snowball list (which lacks « cette »…).
EXTRA_STOP_WORDS = {
    "cette", "cet", "ces", "celle", "celles", "celui", "ceux", "ceci", "cela", "ça", "dont",
    "ainsi", "aussi", "alors", "donc", "comme", "plus", "moins", "tres", "tout", "tous",
    "toute", "toutes", "entre", "sans", "sous", "vers", "chez", "selon", "depuis", "pendant",
    "leurs", "quel", "quelle", "quels", "quelles", "etre", "avoir", "fait", "faire", "peut",
    "peuvent", "doit", "doivent", "sont", "ete", "si", "ni", "car", "or", "deja", "encore",
    "bien", "afin", "lors", "autre", "autres", "meme", "memes", "chaque", "non",
}


def fold(word: str) -> str:
    """Case-fold and strip diacritics; expand the œ/æ ligatures NFKD leaves alone.

    Case-folded again after NFKD, which can turn a styled letter (𝕬) into a capital, and the
    ligatures expanded last, since NFKD can produce them.
    """
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return bare.replace("œ", "oe").replace("æ", "ae")


STOP_WORDS = frozenset(fold(w) for w in STOPWORDS_FRENCH) | EXTRA_STOP_WORDS | ELISIONS

_local = threading.local()


def stemmer() -> Stemmer.Stemmer:
    """This thread's Snowball French stemmer (PyStemmer objects are not thread-safe)."""
    if not hasattr(_local, "stemmer"):
        _local.stemmer = Stemmer.Stemmer("french")
    return _local.stemmer


@lru_cache(maxsize=200_000)
def stem(folded: str) -> str:
    """Snowball stem of a folded word, iterated until it no longer changes."""
    current = folded
    for _ in range(5):
        following = stemmer().stemWord(current)
        if following == current:
            break
        current = following
    return current


@dataclass(frozen=True)
class Term:
    """One indexed word: its stem and where its surface form sits in the text."""

    stem: str
    surface: str
    start: int
    end: int


@lru_cache(maxsize=200_000)
def word_stems(word: str) -> tuple[str, ...]:
    """The stems of one surface word (none for a stop word); cached, words repeat a lot.

    Folding can split a word (NFKD turns « ¼ » into « 1⁄4 »), so its folded pieces are
    re-split; this keeps the analyzer idempotent on any input.
    """
    stems = []
    for piece in WORD.findall(fold(word)):
        if piece in STOP_WORDS:
            continue
        stemmed = piece if piece.isdigit() else stem(piece)
        if stemmed not in STOP_WORDS:
            stems.append(stemmed)
    return tuple(stems)


def terms(text: str) -> list[Term]:
    """The indexed terms of `text`, in order, with the surface span of each."""
    found: list[Term] = []
    covered_until = 0
    for match in REFERENCE.finditer(text):
        found.extend(words_between(text, covered_until, match.start()))
        surface = match.group(0)
        number = match.group(1)
        found.append(Term(f"n{number}", surface, match.start(), match.end()))
        found.append(Term(number, surface, match.start(), match.end()))
        covered_until = match.end()
    found.extend(words_between(text, covered_until, len(text)))
    return found


def words_between(text: str, start: int, end: int) -> list[Term]:
    """Terms of the plain words of text[start:end]."""
    out = []
    for match in WORD.finditer(text, start, end):
        for stemmed in word_stems(match.group(0)):
            out.append(Term(stemmed, match.group(0), match.start(), match.end()))
    return out


def analyze(text: str) -> list[str]:
    """The stems of `text` in order, stop words dropped: what BM25 indexes and queries."""
    return [term.stem for term in terms(text)]
