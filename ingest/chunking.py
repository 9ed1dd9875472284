"""Cut the running text of each section into passages sized for the active encoder.

Decisions:
- A passage never crosses a section boundary, a heading, a recommendation or a skipped page
  (cover, Sommaire, blank): it is a contiguous span of the document text inside one run of body
  paragraphs, so its text is found verbatim at its offsets.
- Units are sentences (`index.sentences.split_sentences`), each knowing its paragraph. Sentences
  are added while the passage stays within `high` tokens; once it holds `low` tokens, it is cut
  at the next paragraph end. When a cut must fall inside a paragraph, the next passage starts
  again with the last sentence of the previous one (the small overlap), if that sentence is short.
- Token counts come from the encoder's own tokenizer (a callable passed in, so this module does
  not depend on an encoder). `high` never exceeds the encoder's maximum input; a passage whose
  exact count still goes over it is split again, down to single words if a sentence is huge.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from index.sentences import split_sentences

TARGET_LOW, TARGET_HIGH = 150, 300
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Span:
    """A passage: [start, end) in the document text."""

    start: int
    end: int


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    paragraph: int
    tokens: int


def token_budget(max_tokens: int) -> tuple[int, int]:
    """The (low, high) passage size in tokens for an encoder reading `max_tokens` at most."""
    high = min(TARGET_HIGH, max_tokens)
    return min(TARGET_LOW, high // 2), high


def _word_pieces(text: str, start: int, end: int, count: Callable[[str], int], high: int):
    """Split an over-long sentence at word boundaries into even pieces of at most `high` tokens.

    Pieces are first packed as full as possible; the same words are then cut into as many (or
    one more) pieces of equal word counts, kept if each fits, so that no stray word or two ends
    up as a passage of its own.
    """
    words = [(match.start(), match.end()) for match in _WORD.finditer(text, start, end)]
    full = _longest_runs(text, words, count, high)
    if len(full) < 2:
        return full
    for pieces in (len(full), len(full) + 1):
        bounds = [round(i * len(words) / pieces) for i in range(pieces + 1)]
        even = [(words[first][0], words[after - 1][1]) for first, after in pairwise(bounds)]
        if all(count(text[a:b]) <= high for a, b in even):
            return even
    return full


def _longest_runs(text: str, words: list[tuple[int, int]], count: Callable[[str], int],
                  limit: int) -> list[tuple[int, int]]:
    """Consecutive runs of words, each the longest that fits in `limit` tokens (a lone word
    longer than that is a run of its own).

    Found by bisection on exact counts (a word is at least one token, so a run holds at most
    `limit` words): a few counts per run, where counting the growing run at every word made a
    long unpunctuated text take minutes.
    """
    runs = []
    first = 0
    while first < len(words):
        fits, too_long = first, min(len(words), first + limit)
        while too_long - fits > 1:
            middle = (fits + too_long) // 2
            if count(text[words[first][0]:words[middle][1]]) <= limit:
                fits = middle
            else:
                too_long = middle
        runs.append((words[first][0], words[fits][1]))
        first = fits + 1
    return runs


def _units(text: str, paragraphs: list[tuple[int, int]], count: Callable[[str], int], high: int):
    """The sentences (or word pieces of huge sentences) of a run of paragraphs, with sizes."""
    units = []
    for index, (p_start, p_end) in enumerate(paragraphs):
        for s_start, s_end in split_sentences(text[p_start:p_end]):
            start, end = p_start + s_start, p_start + s_end
            tokens = count(text[start:end])
            pieces = [(start, end)]
            if tokens > high:
                pieces = _word_pieces(text, start, end, count, high)
            for a, b in pieces:
                units.append(_Unit(a, b, index, tokens if len(pieces) == 1 else count(text[a:b])))
    return units


def _pack(units: list[_Unit], low: int, high: int) -> list[list[_Unit]]:
    """Group consecutive units into passages, preferring cuts at paragraph ends."""
    groups: list[list[_Unit]] = []
    current: list[_Unit] = []
    size = 0
    for position, unit in enumerate(units):
        if current and size + unit.tokens > high:
            groups.append(current)
            last = current[-1]
            overlap = last.paragraph == unit.paragraph and last.tokens + unit.tokens <= high // 3
            current, size = ([last], last.tokens) if overlap else ([], 0)
        current.append(unit)
        size += unit.tokens
        following = units[position + 1] if position + 1 < len(units) else None
        at_paragraph_end = following is None or following.paragraph != unit.paragraph
        if size >= low and at_paragraph_end:
            groups.append(current)
            current, size = [], 0
    if current:
        groups.append(current)
    return groups


def chunk_run(
    text: str, paragraphs: list[tuple[int, int]], count: Callable[[str], int], max_tokens: int
) -> list[Span]:
    """Passages of one run of paragraphs (document offsets), each within the encoder's limit."""
    low, high = token_budget(max_tokens)
    spans: list[Span] = []
    for group in _pack(_units(text, paragraphs, count, high), low, high):
        spans += _fit(text, group, count, max_tokens)
    return spans


def _fit(text: str, group: list[_Unit], count: Callable[[str], int], max_tokens: int) -> list[Span]:
    """The group as one passage, or halves of it while its exact count is over the limit."""
    span = Span(group[0].start, group[-1].end)
    if len(group) == 1 or count(text[span.start : span.end]) <= max_tokens:
        return [span]
    middle = len(group) // 2
    return _fit(text, group[:middle], count, max_tokens) + _fit(
        text, group[middle:], count, max_tokens
    )
