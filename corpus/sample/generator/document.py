"""The page layout of a sample report: page templates, running header, footer, notes."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus.tableofcontents import TableOfContents

from . import source as src
from .editions import Edition
from .footnotes import FootnoteFrame, calls_in
from .hyphenation import broken_words
from .truth import FOOTER_TEXT, LayoutRecorder, printed_label

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 2.2 * cm
MARGIN_TOP = 2.3 * cm
MARGIN_BOTTOM = 2.1 * cm
COLUMN_GAP = 0.8 * cm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
COLUMN_WIDTH = (TEXT_WIDTH - COLUMN_GAP) / 2
PART_ROOM = TEXT_HEIGHT / 3  # a part opening lower than this on a page goes to the next page
GREY = colors.Color(0.35, 0.35, 0.35)


class NewPage(PageBreak):
    """A page break that may open a zone (front, synthese…) or a part (for running headers)."""

    def __init__(self, zone: str | None = None, part: src.Heading | None = None,
                 nextTemplate: str | None = None) -> None:  # noqa: N803
        super().__init__(nextTemplate=nextTemplate)
        self.zone = zone
        self.part = part


class PartBreak(Flowable):
    """Before a part: a new page only when less than PART_ROOM is left on the current one."""

    def __init__(self, part: src.Heading) -> None:
        super().__init__()
        self.part = part

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Take no room; ask the frame for a page break (announcing the part) if too low."""
        if availHeight < PART_ROOM:
            self._doctemplateAttr("frame").add_generated_content(NewPage(part=self.part))
        return 0, 0

    def draw(self) -> None:
        """Nothing to draw."""


class ReportDocument(BaseDocTemplate):
    """A4 report: cover, roman-numbered front matter, arabic body, notes at page bottoms."""

    def __init__(self, filename: str, edition: Edition, title: str, author: str,
                 notes: dict[int, str]) -> None:
        super().__init__(
            filename, pagesize=A4, title=title, author=author, subject=FOOTER_TEXT,
            creator="Territoires KB — corpus/sample/build.py", invariant=1,
            leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
        )
        self.edition = edition
        self.notes = notes
        self.recorder = LayoutRecorder(edition)
        self.previous_body_start: int | None = None
        self.header = edition.running_header or ""
        self.pending: NewPage | None = None
        single = FootnoteFrame(MARGIN_X, MARGIN_BOTTOM, TEXT_WIDTH, TEXT_HEIGHT, id="text",
                               notes=notes, leftPadding=0, rightPadding=0)
        columns = [
            FootnoteFrame(MARGIN_X + i * (COLUMN_WIDTH + COLUMN_GAP), MARGIN_BOTTOM, COLUMN_WIDTH,
                          TEXT_HEIGHT, id=f"col{i}", notes=notes, leftPadding=0, rightPadding=0)
            for i in range(2)
        ]
        self.addPageTemplates([
            PageTemplate("cover", [Frame(MARGIN_X, MARGIN_BOTTOM, TEXT_WIDTH, TEXT_HEIGHT,
                                         id="cover")]),
            PageTemplate("body", [single], onPage=self.begin_page, onPageEnd=self.end_page),
            PageTemplate("columns", columns, onPage=self.begin_page, onPageEnd=self.end_page),
        ])

    def beforeDocument(self) -> None:
        """Each layout pass starts a fresh record (the Sommaire needs several passes)."""
        self.previous_body_start = self.recorder.body_start
        self.recorder = LayoutRecorder(self.edition)
        self.header = self.edition.running_header or ""
        self.pending = None

    def toc_label(self, page: int) -> str:
        """Printed number of a page, as known from the previous pass, for the Sommaire."""
        return printed_label(page, self.previous_body_start)

    def begin_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Open the zone/part announced by the page break, then draw header and footer."""
        page = canv.getPageNumber()
        if self.pending is not None:
            if self.pending.zone:
                self.recorder.start_zone(self.pending.zone, page)
            if self.pending.part is not None and self.edition.running_header is None:
                self.header = self.pending.part.bare_title
            self.pending = None
        self.recorder.start_page(page, self.header)
        if self.pageTemplate.id == "columns":
            self.recorder.two_columns(page)
        draw_running_header(canv, self.header)
        draw_footer(canv, self.recorder.label(page))

    def end_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Draw the notes called on this page at the bottom of their frames."""
        page = canv.getPageNumber()
        for frame in self.pageTemplate.frames:
            for number in frame.draw_notes(canv):
                self.recorder.footnote(number, self.notes[number], page)

    def afterFlowable(self, flowable: Flowable) -> None:
        """Record where each source block landed."""
        if isinstance(flowable, NewPage):
            self.pending = flowable
            return
        if isinstance(flowable, PageBreak):
            return
        page = self.canv.getPageNumber()
        block = getattr(flowable, "block", None)
        if isinstance(block, src.Heading) and not getattr(flowable, "continued", False):
            self.recorder.heading(block, page)
            if block.level == 1 and self.edition.running_header is None:
                # A part opening mid-page names the header from the next page on.
                self.header = block.bare_title
            if block.level <= 2 and getattr(flowable, "in_toc", True):
                self.notify("TOCEntry", (block.level - 1, flowable.getPlainText(), page))
        # Only typeset source blocks and the Sommaire are content: layout helpers (page and
        # column breaks, the pieces of a keep-with-next group) are handed over at the top of the
        # next page and must not stretch the open sections onto it.
        if block is not None or isinstance(flowable, RLTable | TableOfContents):
            self.recorder.content(page)
        if isinstance(block, src.Numbered):
            self.recorder.numbered(block, page)
        if isinstance(block, src.Table):
            self.recorder.table(page)
        for number in calls_in(flowable):
            self.recorder.called(number, page)
        if isinstance(flowable, RLParagraph):
            for word in broken_words(flowable):
                self.recorder.hyphenated(word)

    def report(self) -> dict[str, Any]:
        """Ground truth of the last layout pass."""
        # Every page but the cover goes through begin_page, which records its header.
        return self.recorder.report(max(self.recorder.headers, default=1))


def draw_running_header(canv: Canvas, text: str) -> None:
    """Short title (or current part) above a thin rule at the top of the page."""
    y = PAGE_HEIGHT - MARGIN_TOP + 0.9 * cm
    canv.saveState()
    canv.setFont("Sans", 8)
    canv.setFillColor(GREY)
    canv.drawString(MARGIN_X, y, text)
    canv.setStrokeColor(GREY)
    canv.setLineWidth(0.4)
    canv.line(MARGIN_X, y - 4, PAGE_WIDTH - MARGIN_X, y - 4)
    canv.restoreState()


def draw_footer(canv: Canvas, label: str) -> None:
    """« Corpus d'exemple · N » centred at the bottom of the page."""
    canv.saveState()
    canv.setFont("Sans", 8)
    canv.setFillColor(GREY)
    canv.drawCentredString(PAGE_WIDTH / 2, MARGIN_BOTTOM - 1.2 * cm, f"{FOOTER_TEXT} · {label}")
    canv.restoreState()
