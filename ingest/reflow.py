"""Reflow cleaned lines into paragraphs and one document text with page-accurate offsets.

Decisions:
- A new paragraph starts where the vertical gap exceeds 1.25 × the usual line pitch of that font
  size, where the font size or weight changes, at a bullet, or after a short line that ends a
  sentence. A jump upwards (next column) is not a break by itself.
- Line-end hyphens: « connec- / tés » is re-joined, but a real compound keeps its hyphen
  (« sous-estimée », « Nouvelle-Aquitaine »). In order: the hyphenated form wins when it occurs
  elsewhere in the document; the joined form wins when it occurs elsewhere; a capitalised
  continuation keeps the hyphen (typesetting never splits before a capital); so does a split
  that is not a French hyphenation point of the joined word (pyphen's fr dictionary); then the
  hyphen is kept when the continuation is a usual second element (être, ci, là, unes, deux, …),
  and dropped otherwise.
- Each page's cleaned text is its paragraphs separated by a blank line. The document text is the
  page texts in order, separated by a blank line, or by a single space when the last paragraph of
  a page runs on to the next page (it does not end a sentence and the next page opens with the
  same typography), so a paragraph can span pages. A word hyphenated across a page break is
  completed on the first page. A block's offsets are in document coordinates; `locate` turns them
  into (page, offset into that page's cleaned text).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

import pyphen

from ingest.clean import BODY, CleanPage
from ingest.normalize import is_bullet
from ingest.pdf import Line

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_HYPHEN_END = re.compile(r"([^\W\d_]+)-$")
_FIRST_WORD = re.compile(r"^([^\W\d_][\w']*)(.*)$", re.DOTALL)
_FIRST_TOKEN = re.compile(r"^(\S+)\s*(.*)$", re.DOTALL)
_SENTENCE_END = re.compile(r"[.!?:;»)…]$")
# Second elements of French compounds that a line-end hyphen must keep.
_COMPOUND_TAILS = frozenset(
    {
        "être", "dire", "ci", "là", "même", "mêmes", "t", "il", "ils", "elle", "elles", "on",
        "nous", "vous", "je", "tu", "clé", "clés", "cadre", "pilote", "pilotes", "type", "types",
        "ville", "villes", "city", "cities", "up", "in", "out", "end", "faire", "un", "une",
        "uns", "unes", "autre", "autres", "deux", "trois", "quatre", "cinq", "six", "sept",
        "huit", "neuf", "dix", "vingt", "cent", "mille",
    }
)
# A word split at a line end is read from this many characters on each side of the break.
_HYPHEN_WINDOW = 64
_GAP_RATIO = 1.25
_SHORT_LINE_RATIO = 0.6
_STYLE_SIZE_DELTA = 0.6


@dataclass
class Block:
    """A paragraph, heading or list item, by its span in the document text."""

    start: int
    end: int
    size: float
    bold: bool
    bullet: bool
    page: int
    page_end: int
    role: str = BODY


@dataclass
class PageText:
    """The cleaned text of one physical page and where it starts in the document text."""

    index: int
    label: str
    text: str
    offset: int
    role: str
    footnotes: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class DocumentText:
    """The reflowed text of a whole document, its pages and blocks."""

    text: str
    pages: list[PageText]
    blocks: list[Block]
    body_size: float

    def block_text(self, block: Block) -> str:
        """The text of one block."""
        return self.text[block.start : block.end]

    def locate(self, offset: int) -> tuple[PageText, int]:
        """The page holding a document offset and the offset into that page's cleaned text."""
        starts = [page.offset for page in self.pages]
        page = self.pages[max(0, bisect.bisect_right(starts, offset) - 1)]
        return page, min(max(offset - page.offset, 0), len(page.text))


@dataclass
class _Paragraph:
    lines: list[Line]
    text: str = ""


class Vocabulary:
    """Word forms seen in the document, to decide whether a line-end hyphen is real."""

    def __init__(self, pages: list[CleanPage]) -> None:
        self.words: set[str] = set()
        self.hyphenation = pyphen.Pyphen(lang="fr")
        after_hyphen = False
        for line in (line for page in pages for line in page.lines):
            # The pieces of a word split at a line end are not words of their own.
            text = _HYPHEN_END.sub("", line.text)
            if after_hyphen:
                text = _FIRST_TOKEN.sub(r"\2", text)
            self.words.update(word.lower() for word in _WORD.findall(text))
            after_hyphen = _HYPHEN_END.search(line.text) is not None

    def keeps_hyphen(self, head: str, tail: str) -> bool:
        """Whether « head- / tail » is a real compound rather than a word split at a line end."""
        hyphenated, joined = f"{head}-{tail}".lower(), f"{head}{tail}".lower()
        if hyphenated in self.words:
            return True
        if joined in self.words:
            return False
        if tail[:1].isupper():  # typesetting never splits a word before a capital
            return True
        if len(head) not in self.hyphenation.positions(joined):
            return True  # not a hyphenation point of the joined word: the hyphen is printed
        return tail.lower() in _COMPOUND_TAILS


def join_lines(texts: list[str], vocabulary: Vocabulary) -> str:
    """Join the lines of a paragraph, re-joining or keeping line-end hyphens.

    Each line is joined to the one before it alone, never to the growing paragraph, so that a
    paragraph of thousands of lines is joined in linear time.
    """
    pieces = texts[:1]
    for text in texts[1:]:
        last, joint = _joint(pieces[-1], text, vocabulary)
        pieces[-1:] = [last, joint, text]
    return "".join(pieces)


def _joint(left: str, right: str, vocabulary: Vocabulary) -> tuple[str, str]:
    """`left` (without a line-end hyphen that goes) and what joins it to `right`."""
    end = _HYPHEN_END.search(left[-_HYPHEN_WINDOW:])
    start = _FIRST_WORD.match(right[:_HYPHEN_WINDOW])
    if end and start and right[:1].isalpha():
        head, tail = end.group(1), start.group(1)
        return left[:-1], "-" if vocabulary.keeps_hyphen(head, tail) else ""
    return left, " "


def _join_two(left: str, right: str, vocabulary: Vocabulary) -> str:
    """Two consecutive pieces of one paragraph joined, handling a hyphen at the end of `left`."""
    head, joint = _joint(left, right, vocabulary)
    return f"{head}{joint}{right}"


def _line_pitches(pages: list[CleanPage]) -> dict[float, float]:
    """The usual distance between consecutive lines of each font size."""
    gaps: dict[float, Counter[float]] = {}
    for page in pages:
        for above, below in zip(page.lines, page.lines[1:], strict=False):
            gap = round(above.y - below.y, 1)
            if above.size == below.size and gap > 0:
                gaps.setdefault(above.size, Counter())[gap] += 1
    return {size: counter.most_common(1)[0][0] for size, counter in gaps.items()}


def _typical_lengths(pages: list[CleanPage]) -> dict[float, int]:
    """A full line's length in characters for each font size (90th percentile)."""
    lengths: dict[float, list[int]] = {}
    for page in pages:
        for line in page.lines:
            lengths.setdefault(line.size, []).append(len(line.text))
    return {size: sorted(v)[int(0.9 * (len(v) - 1))] for size, v in lengths.items()}


def _same_style(a: Line, b: Line) -> bool:
    """Whether two lines share font size and weight."""
    return abs(a.size - b.size) <= _STYLE_SIZE_DELTA and a.bold == b.bold


class _Breaker:
    """Decides where paragraphs break between two consecutive lines."""

    def __init__(self, pages: list[CleanPage]) -> None:
        self.pitches = _line_pitches(pages)
        self.lengths = _typical_lengths(pages)

    def breaks(self, above: Line, below: Line) -> bool:
        """Whether `below` opens a new paragraph."""
        if not _same_style(above, below) or is_bullet(below.text):
            return True
        gap = above.y - below.y
        pitch = self.pitches.get(above.size, above.size * 1.2)
        if gap > pitch * _GAP_RATIO:
            return True
        short = len(above.text) < _SHORT_LINE_RATIO * self.lengths.get(above.size, 80)
        return short and bool(_SENTENCE_END.search(above.text))


def _paragraphs(page: CleanPage, breaker: _Breaker, vocabulary: Vocabulary) -> list[_Paragraph]:
    """The paragraphs of one page, their lines joined."""
    paragraphs: list[_Paragraph] = []
    for line in page.lines:
        if paragraphs and not breaker.breaks(paragraphs[-1].lines[-1], line):
            paragraphs[-1].lines.append(line)
        else:
            paragraphs.append(_Paragraph([line]))
    for paragraph in paragraphs:
        paragraph.text = join_lines([line.text for line in paragraph.lines], vocabulary)
    return paragraphs


def _runs_on(last: _Paragraph, first: _Paragraph) -> bool:
    """Whether the last paragraph of a page continues as the first one of the next page."""
    return (
        not _SENTENCE_END.search(last.text)
        and _same_style(last.lines[-1], first.lines[0])
        and not is_bullet(first.text)
        and first.text[:1].islower()
    )


def _carry_hyphenated_word(last: _Paragraph, first: _Paragraph, vocabulary: Vocabulary) -> None:
    """Complete on the first page a word hyphenated across the page break."""
    # The whole first token moves, with the punctuation glued to it (« tier, » → « quartier, »).
    token = _FIRST_TOKEN.match(first.text)
    if not (_HYPHEN_END.search(last.text) and token and token.group(1)[:1].islower()):
        return
    last.text = _join_two(last.text, token.group(1), vocabulary)
    first.text = token.group(2)


def build_document_text(pages: list[CleanPage], body_size: float) -> DocumentText:
    """Reflow every cleaned page into paragraphs and assemble the document text and blocks."""
    vocabulary = Vocabulary(pages)
    breaker = _Breaker(pages)
    per_page = [_paragraphs(page, breaker, vocabulary) for page in pages]
    runs_on = [False] * (len(pages) + 1)
    for i in range(len(pages) - 1):
        if per_page[i] and per_page[i + 1] and _runs_on(per_page[i][-1], per_page[i + 1][0]):
            _carry_hyphenated_word(per_page[i][-1], per_page[i + 1][0], vocabulary)
            # When the carried word was all the next page held of it, the paragraph ends here.
            runs_on[i] = bool(per_page[i + 1][0].text)
    parts: list[str] = []
    page_texts: list[PageText] = []
    blocks: list[Block] = []
    cursor = 0
    for i, (page, paragraphs) in enumerate(zip(pages, per_page, strict=True)):
        if i > 0:
            parts.append(" " if runs_on[i - 1] else "\n\n")
            cursor += len(parts[-1])
        kept = [paragraph for paragraph in paragraphs if paragraph.text]
        page_text = "\n\n".join(paragraph.text for paragraph in kept)
        page_texts.append(
            PageText(page.index, page.label, page_text, cursor, page.role, page.footnotes)
        )
        start = cursor
        for j, paragraph in enumerate(kept):
            end = start + len(paragraph.text)
            if j == 0 and i > 0 and runs_on[i - 1] and blocks:
                blocks[-1].end, blocks[-1].page_end = end, page.index
            else:
                line = paragraph.lines[0]
                blocks.append(
                    Block(start, end, line.size, line.bold, is_bullet(paragraph.text),
                          page.index, page.index, page.role)
                )
            start = end + 2
        parts.append(page_text)
        cursor += len(page_text)
    return DocumentText("".join(parts), page_texts, blocks, body_size)
