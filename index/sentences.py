"""French sentence boundaries, as character spans, shared by chunking (ingest) and search.

A sentence ends at `.`, `!`, `?` or `…` (optionally followed by closing quotes or brackets) when
whitespace and then an upper-case letter, a digit, an opening quote or a bullet follow. A period
that closes a known abbreviation (art., M., Mme., n°., p., cf., etc., chap., vol., …) or a single
initial (« L. Belot ») never ends a sentence. A blank line always ends one, so that list items and
headings are not glued to the following paragraph. Splitting reads the text once: its time
grows linearly with the length, however many periods it holds.
"""

from __future__ import annotations

import re

# Lower-cased abbreviations after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    {
        "art", "arts", "m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste",
        "n", "n°", "no", "nos", "p", "pp", "cf", "etc", "chap", "vol", "éd", "ed", "fig",
        "coll", "env", "ex", "min", "max", "hab", "av", "apr", "j.-c", "al", "op", "cit",
        "ibid", "id", "sq", "sqq", "t", "tab", "réf", "ref", "vs", "resp", "dir", "trad",
    }
)

# End punctuation, optional closers, then whitespace before the next sentence. A match starts
# only at the first mark of a run and takes its marks and closers without backtracking, so a
# long run of dots is read once, not once per dot.
_END = re.compile(r"(?<![.!?…])[.!?…]++(?:[ \u00a0\u202f]?[»”\"')\]])*+(?=\s)")
# What may open the next sentence: capital, digit, opening quote/bracket, bullet or dash.
_NEXT_START = re.compile(r"\s+(?=[A-ZÀ-ÖØ-Þ0-9«“\"(\[•–—-])")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WORD_BEFORE = re.compile(r"([\w°'’-]+)$")
# The word before a period is read from this many characters at most: longer, its tail can be
# neither an abbreviation nor an initial (searching from the start of the text made splitting
# quadratic).
_WORD_WINDOW = 24


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at `dot` closes an abbreviation or an initial rather than a sentence."""
    match = _WORD_BEFORE.search(text, max(0, dot - _WORD_WINDOW), dot)
    if match is None:
        return False
    # Drop an elided article glued in front (« l'art. » → « art »).
    word = re.split(r"['’]", match.group(1).lower())[-1]
    # A single letter before a period is an initial (« L. Belot »), not a sentence end.
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence-ending punctuation run inside one paragraph."""
    ends = []
    for match in _END.finditer(text):
        if match.group(0) == "." and _ends_with_abbreviation(text, match.start()):
            continue
        if _NEXT_START.match(text, match.end()) is None:
            continue
        ends.append(match.end())
    return ends


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span shrunk to exclude surrounding whitespace, or None when it holds nothing."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of `text`, whitespace excluded, in order."""
    spans: list[tuple[int, int]] = []
    paragraph_start = 0
    for boundary in [*_PARAGRAPH_BREAK.finditer(text), None]:
        paragraph_end = boundary.start() if boundary else len(text)
        paragraph = text[paragraph_start:paragraph_end]
        start = 0
        for end in [*_sentence_ends(paragraph), len(paragraph)]:
            span = _trimmed(text, paragraph_start + start, paragraph_start + end)
            if span:
                spans.append(span)
            start = end
        if boundary:
            paragraph_start = boundary.end()
    return spans
