"""Footnotes set at the bottom of the frame where their call lands.

A FootnoteFrame raises its own bottom by the height of the notes called by each flowable it
accepts, so text and notes never overlap; when a paragraph must be split, it is split short
enough for the notes of its first part to fit on the same page.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.sax.saxutils import escape

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from .styles import NOTE

SEPARATOR_GAP = 10  # space above the notes, where the short rule is drawn
SPLIT_ATTEMPTS = 4


def raised_texts(paragraph: RLParagraph) -> Iterator[tuple[float, str]]:
    """(rise, text) of each fragment, before or after the paragraph was wrapped into words."""
    for item in paragraph.frags:
        if hasattr(item, "text"):
            yield getattr(item, "rise", 0), item.text
        elif isinstance(item, list):  # a wrapped word: [width, (frag, text), (frag, text)…]
            for frag, text in item[1:]:
                yield getattr(frag, "rise", 0), text


def calls_in(flowable: Flowable | list | tuple) -> list[int]:
    """The footnote numbers called in a (possibly split) paragraph or table, in order."""
    if isinstance(flowable, list | tuple):  # a table cell may hold several flowables
        return [n for item in flowable for n in calls_in(item)]
    if isinstance(flowable, RLTable):
        return [n for row in flowable._cellvalues for cell in row for n in calls_in(cell)]
    if not isinstance(flowable, RLParagraph):
        return []
    # Calls are the only raised digits of the text: they are typeset as superscripts.
    return [int(text) for rise, text in raised_texts(flowable)
            if rise > 0 and text.strip().isdigit()]


class FootnoteFrame(Frame):
    """A Frame that keeps room at its bottom for the notes called in its content."""

    def __init__(self, *args: object, notes: dict[int, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.note_texts = notes
        self.placed: list[int] = []

    def _reset(self) -> None:
        super()._reset()
        # Frame._reset keeps the bottom where the previous page's notes raised it.
        self._y1p = self._y1 + self._bottomPadding
        self.placed = []

    def note_paragraph(self, number: int) -> RLParagraph:
        """The typeset text of note `number`."""
        return RLParagraph(f"<super>{number}</super> {escape(self.note_texts[number])}", NOTE)

    def notes_height(self, numbers: list[int]) -> float:
        """Extra height the notes `numbers` would take below those already placed."""
        new = [n for n in numbers if n not in self.placed]
        if not new:
            return 0.0
        width = self._getAvailableWidth()
        height = sum(self.note_paragraph(n).wrap(width, self._height)[1] + NOTE.spaceAfter
                     for n in new)
        return height + (0 if self.placed else SEPARATOR_GAP)

    def add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:  # noqa: N803
        """Place `flowable` if it fits together with the notes it calls."""
        numbers = calls_in(flowable)
        extra = self.notes_height(numbers)
        self._y1p += extra
        if super().add(flowable, canv, trySplit=trySplit):
            self.placed.extend(n for n in numbers if n not in self.placed)
            return 1
        self._y1p -= extra
        return 0

    def split(self, flowable: Flowable, canv: Canvas) -> list[Flowable]:
        """Split `flowable` so that its first part and that part's notes fit together."""
        reserved = 0.0
        for _ in range(SPLIT_ATTEMPTS):
            self._y1p += reserved
            parts = super().split(flowable, canv)
            self._y1p -= reserved
            if not parts:
                return parts
            needed = self.notes_height(calls_in(parts[0]))
            if needed <= reserved:
                return parts
            reserved = needed
        return []

    def draw_notes(self, canv: Canvas) -> list[int]:
        """Draw the notes placed in this frame at its bottom; return their numbers."""
        if not self.placed:
            return []
        width = self._getAvailableWidth()
        paragraphs = [self.note_paragraph(n) for n in self.placed]
        heights = [p.wrap(width, self._height)[1] + NOTE.spaceAfter for p in paragraphs]
        x = self._x1 + self._leftPadding
        y = self._y1 + self._bottomPadding + sum(heights)
        canv.saveState()
        canv.setLineWidth(0.5)
        canv.line(x, y + SEPARATOR_GAP / 2, x + 0.3 * width, y + SEPARATOR_GAP / 2)
        canv.restoreState()
        for paragraph, height in zip(paragraphs, heights, strict=True):
            y -= height
            paragraph.drawOn(canv, x, y + NOTE.spaceAfter)
        return list(self.placed)
