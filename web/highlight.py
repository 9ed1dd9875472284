"""Safe highlighting of a passage: matched terms in <mark>, the best sentence emphasised."""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

# Shorter terms ("a", "l") would light up half of every French sentence.
MIN_TERM_CHARS = 2


def fold(text: str) -> str:
    """Lower-case, accent-free copy of `text` with exactly the same length (offsets stay valid)."""
    return "".join(unicodedata.normalize("NFD", ch.lower()[:1] or ch)[0] for ch in text)


def term_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Spans of the words of `text` that start with one of `terms` (case and accents ignored)."""
    folded = fold(text)
    spans = []
    for term in {fold(t.strip()) for t in terms}:
        if len(term) < MIN_TERM_CHARS:
            continue
        # A stem ("mobilit") marks the whole word ("mobilités").
        pattern = re.compile(r"(?<!\w)" + re.escape(term) + r"\w*")
        spans.extend(m.span() for m in pattern.finditer(folded))
    return spans


def sentence_span(text: str, sentence: str) -> tuple[int, int] | None:
    """Where `sentence` sits in `text`, if it does."""
    sentence = sentence.strip()
    start = text.find(sentence) if sentence else -1
    return (start, start + len(sentence)) if start >= 0 else None


def highlight(text: str, terms: list[str], best_sentence: str = "") -> Markup:
    """HTML of `text`, escaped, with `terms` in <mark> and `best_sentence` in <strong>."""
    marked = [False] * len(text)
    for start, end in term_spans(text, terms):
        marked[start:end] = [True] * (end - start)
    best = [False] * len(text)
    span = sentence_span(text, best_sentence)
    if span:
        best[span[0] : span[1]] = [True] * (span[1] - span[0])
    return Markup("".join(_render_runs(text, marked, best)))


def _render_runs(text: str, marked: list[bool], best: list[bool]) -> list[str]:
    """Escaped runs of equal flags, <mark> always nested inside <strong>."""
    out: list[str] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and (marked[i], best[i]) == (marked[start], best[start]):
            continue
        piece = str(escape(text[start:i]))
        if marked[start]:
            piece = f"<mark>{piece}</mark>"
        if best[start]:
            piece = f'<strong class="best">{piece}</strong>'
        out.append(piece)
        start = i
    return out
