"""« Vouliez-vous dire … ? »: spelling suggestions from the corpus's own vocabulary.

A French question word the corpus does not have (neither the word nor its stem) is replaced by
the nearest corpus word by edit distance (rapidfuzz's Levenshtein distance: 1 edit for words
of up to 7 letters, 2 beyond) that starts with the same letter, the more frequent word winning
a tie. Words the corpus has, short
words, numbers and the glossary's terms are never corrected, and nothing is suggested when no
word changes. Accents and case are ignored when comparing, and the suggestion writes the word
as the corpus does (« cybersecurite » → « cybersécurité »).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from index.french import STOP_WORDS, fold, word_stems

MIN_LETTERS = 4
# Inflections a stemmer may leave on a rare form (« recommandent »): a word is known when, with
# one of them removed, it is a corpus stem.
ENDINGS = ("aient", "ent", "ons", "ait", "ais", "ez", "er", "es", "ee", "ees", "s", "e")
LETTERS = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def max_edits(word: str) -> int:
    """How many edits a correction of this word may make."""
    return 1 if len(word) <= 7 else 2


class Vocabulary:
    """The corpus's words (folded), their frequency, the way the corpus writes them, and the
    corpus's stems."""

    @classmethod
    def of_texts(cls, texts: Iterable[str]) -> Vocabulary:
        """The vocabulary of some texts (every word, and the stems of every word)."""
        surfaces = [word for text in texts for word in LETTERS.findall(text)]
        return cls(surfaces, (stem for word in set(surfaces) for stem in word_stems(word)))

    def __init__(self, surfaces: Iterable[str], stems: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        written: dict[str, Counter[str]] = {}
        for surface in surfaces:
            folded = fold(surface)
            counts[folded] += 1
            written.setdefault(folded, Counter())[surface.lower()] += 1
        self.counts = counts
        self.written = {folded: forms.most_common(1)[0][0] for folded, forms in written.items()}
        self.stems = frozenset(stems)
        # By first letter, most frequent first: extractOne keeps the first of equally close
        # words.
        self.by_initial: dict[str, list[str]] = {}
        for word, _ in counts.most_common():
            if len(word) >= MIN_LETTERS - 1:
                self.by_initial.setdefault(word[0], []).append(word)

    def knows(self, word: str) -> bool:
        """Whether the corpus has this word, or a word of the same stem."""
        folded = fold(word)
        if folded in self.counts or all(stem in self.stems for stem in word_stems(folded)):
            return True
        return any(folded.endswith(ending) and folded[:-len(ending)] in self.stems
                   for ending in ENDINGS)

    def correct(self, word: str) -> str | None:
        """The nearest corpus word as the corpus writes it, or None."""
        folded = fold(word)
        found = process.extractOne(folded, self.by_initial.get(folded[:1], []),
                                   scorer=Levenshtein.distance, score_cutoff=max_edits(folded))
        return self.written[found[0]] if found else None


def suggest(text: str, vocabulary: Vocabulary, protected: Iterable[str] = ()) -> str | None:
    """The question with its unknown words corrected, or None when nothing changes.

    `protected` lists words never to correct (the glossary's terms, for instance).
    """
    keep = {fold(word) for phrase in protected for word in LETTERS.findall(phrase)}
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(0)
        folded = fold(word)
        if (len(folded) < MIN_LETTERS or folded in STOP_WORDS or folded in keep
                or vocabulary.knows(word)):
            return word
        correction = vocabulary.correct(word)
        if correction is None or fold(correction) == folded:
            return word
        changed = True
        return correction

    corrected = LETTERS.sub(replace, text)
    return corrected if changed else None
