"""Turn parsed source blocks into reportlab flowables, in each edition's typography."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, TableStyle
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from . import source as src
from . import styles
from .editions import Edition

CELL_PADDING = 6  # reportlab's default left and right cell padding
LIGATURES = {"fi": "\ufb01", "fl": "\ufb02"}
LIGATURE_WORD = re.compile(r"[^\s/@]*f[il][^\s/@]*")  # words without URL or address characters


class TaggedParagraph(RLParagraph):
    """A Paragraph that remembers the source block it sets, in every part of a page split."""

    def __init__(self, text: str | None, style: object, *args: object,
                 block: src.Block | None = None, **kwargs: object) -> None:
        super().__init__(text, style, *args, **kwargs)
        self.block = block
        self.continued = False  # True for the parts after the first of a split paragraph

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Split as Paragraph does, carrying the source block over to each part."""
        parts = super().split(availWidth, availHeight)
        for index, part in enumerate(parts):
            part.block = self.block
            part.continued = self.continued or index > 0
        return parts


class TaggedTable(RLTable):
    """A Table that remembers its source block, in every part of a page split."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Split as Table does, carrying the source block over to each part."""
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.block = self.block
        return parts


def with_ligatures(text: str) -> str:
    """Replace « fi » / « fl » by their ligature glyphs, except inside URLs and addresses."""

    def ligate(match: re.Match[str]) -> str:
        word = match.group(0)
        for pair, glyph in LIGATURES.items():
            word = word.replace(pair, glyph)
        return word

    return LIGATURE_WORD.sub(ligate, text)


def inline(text: str, note_numbers: dict[str, int], ligatures: bool = False) -> str:
    """Source text → reportlab paragraph markup, footnote calls as superscript numbers."""
    pieces = src.NOTE_CALL.split(text)
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:  # odd pieces are the keys captured by NOTE_CALL
            out.append(f"<super>{note_numbers[piece]}</super>")
        else:
            piece = escape(piece)
            out.append(with_ligatures(piece) if ligatures else piece)
    return "".join(out)


def heading(block: src.Heading, note_numbers: dict[str, int]) -> TaggedParagraph:
    """A bold heading of the block's level."""
    return TaggedParagraph(inline(block.title, note_numbers), styles.heading_style(block.level),
                           block=block)


def body_paragraph(block: src.Paragraph, note_numbers: dict[str, int],
                   style: ParagraphStyle) -> TaggedParagraph:
    """Justified, hyphenated running text with ligatures."""
    return TaggedParagraph(inline(block.text, note_numbers, ligatures=True), style, block=block)


def bullets(block: src.Bullets, note_numbers: dict[str, int]) -> list[Flowable]:
    """One bulleted paragraph per item."""
    return [
        TaggedParagraph(inline(item, note_numbers, ligatures=True), styles.BULLET,
                        bulletText="•", block=block)
        for item in block.items
    ]


def epigraph(block: src.Epigraph, note_numbers: dict[str, int]) -> TaggedParagraph:
    """A quotation in a ruled box."""
    return TaggedParagraph(f"« {inline(block.text, note_numbers)} »", styles.EPIGRAPH,
                           block=block)


def numbered(block: src.Numbered, edition: Edition, note_numbers: dict[str, int],
             style: ParagraphStyle) -> TaggedParagraph:
    """A recommendation (in `style`) or a principle, labelled in the edition's style."""
    text = inline(block.text, note_numbers, ligatures=True)
    if block.kind == "principe":
        label = f"Principe n° {block.number}"
        return TaggedParagraph(f"<b>{label}</b><br/>{text}", styles.PRINCIPLE, block=block)
    label = escape(edition.printed_label(block.number))
    separator = "<br/>" if edition.label_on_own_line else " "
    return TaggedParagraph(f"<b>{label}</b>{separator}{text}", style, block=block)


def table(block: src.Table, width: float, note_numbers: dict[str, int]) -> TaggedTable:
    """A gridded table with a bold, shaded header row repeated on each page."""
    header, *rows = block.rows
    columns = max(len(row) for row in block.rows)
    cells = [
        [RLParagraph(inline(cell, note_numbers), styles.CELL_HEAD) for cell in header]
    ] + [[RLParagraph(inline(cell, note_numbers), styles.CELL) for cell in row] for row in rows]
    for row in cells:
        row.extend(RLParagraph("", styles.CELL) for _ in range(columns - len(row)))
    result = TaggedTable(cells, colWidths=column_widths(block.rows, columns, width),
                         repeatRows=1, hAlign="CENTER")
    result.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.Color(0.3, 0.3, 0.3)),
        ("BACKGROUND", (0, 0), (-1, 0), styles.GREY_BOX),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    result.block = block
    result.spaceBefore, result.spaceAfter = 6, 12
    return result


def column_widths(rows: tuple[tuple[str, ...], ...], columns: int, width: float) -> list[float]:
    """Share `width` between columns: each gets its longest word, the rest by text length."""
    cells = [[row[c] if c < len(row) else "" for row in rows] for c in range(columns)]
    floor = [
        max(stringWidth(word, styles.CELL_HEAD.fontName, styles.CELL_HEAD.fontSize)
            for text in column for word in (text.split() or [""])) + 2 * CELL_PADDING
        for column in cells
    ]
    weights = [min(max(len(text) for text in column), 60) + 1 for column in cells]
    spare = max(width - sum(floor), 0)
    return [f + spare * w / sum(weights) for f, w in zip(floor, weights, strict=True)]
