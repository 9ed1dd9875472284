"""The « Sommaire »: each title, dotted leaders and its printed page number on one text line."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, TableStyle
from reportlab.platypus import Table as RLTable
from reportlab.platypus.tableofcontents import TableOfContents

from .styles import toc_level_styles

LABEL_ROOM = 30  # points kept at the right for the page number
LEADER = " ."


class SommaireEntry(Flowable):
    """One entry; the last line is a single text run (« Titre . . . . 12 ») so it extracts whole."""

    def __init__(self, title: str, label: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.title = title
        self.label = label
        self.style = style
        self.lines: list[str] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Break the title into lines, leaving room for leaders and number on the last one."""
        self.width = availWidth
        room = availWidth - self.style.leftIndent - LABEL_ROOM
        self.lines = simpleSplit(self.title, self.style.fontName, self.style.fontSize, room)
        self.height = len(self.lines) * self.style.leading + self.style.spaceBefore
        return self.width, self.height

    def draw(self) -> None:
        """Draw the title lines, then leaders and the right-aligned page number."""
        canv: Canvas = self.canv
        font, size = self.style.fontName, self.style.fontSize
        y = self.height - self.style.spaceBefore - size
        for line in self.lines[:-1]:
            canv.setFont(font, size)
            canv.drawString(self.style.leftIndent, y, line)
            y -= self.style.leading
        last = self.lines[-1] if self.lines else ""
        end = self.style.leftIndent + stringWidth(last, font, size)
        label_x = self.width - stringWidth(self.label, font, size)
        count = max(int((label_x - end - 4) / stringWidth(LEADER, font, size)), 0)
        text = canv.beginText(self.style.leftIndent, y)
        text.setFont(font, size)
        text.textOut(last + LEADER * count + " ")
        text.setXPos(label_x - self.style.leftIndent)  # relative to the start of the line
        text.textOut(self.label)
        canv.drawText(text)


class Sommaire(TableOfContents):
    """Table of contents of parts and sections, with printed (not physical) page numbers."""

    def __init__(self, page_label: Callable[[int], str]) -> None:
        super().__init__(levelStyles=toc_level_styles())
        self.page_label = page_label

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Lay out the entries recorded by the previous layout pass."""
        if not self._lastEntries:  # first pass: nothing known yet, reserve no room
            self._table = None
            return 0, 0
        rows = [[SommaireEntry(text, self.page_label(page), self.getLevelStyle(level))]
                for level, text, page, _key in self._lastEntries]
        self._table = RLTable(rows, colWidths=(availWidth,), style=TableStyle([
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]))
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N803
        """Draw the entries (nothing on the first pass)."""
        if self._table is not None:
            self._table.drawOn(canvas, x, y, _sW)
