"""Lay out one sample report into a PDF and return its ground truth."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter

from . import source as src
from .document import ReportDocument
from .editions import Edition
from .story import StoryBuilder, note_numbers
from .styles import register_fonts

# The ingestion must be tested on recommendations cut by a page break: the layout tries these
# gaps between paragraphs and around recommendations (points), in order, until enough
# recommendations straddle two pages.
PARAGRAPH_SPACINGS = (6, 7, 5, 8, 4, 9, 3, 10)
MIN_RECOMMENDATIONS_ACROSS_PAGES = 2


def render(source: src.Source, edition: Edition, title: str, author: str,
           output: Path) -> dict[str, Any]:
    """Write the PDF of `source` to `output` and return the layout's ground truth."""
    register_fonts()
    for spacing in PARAGRAPH_SPACINGS:
        data, truth = layout(source, edition, title, author, spacing)
        if len(truth["recommendations_across_pages"]) >= MIN_RECOMMENDATIONS_ACROSS_PAGES:
            break
    if edition.pdf_page_labels:
        data = with_page_labels(data, truth["front_pages"])
    output.write_bytes(data)
    return truth


def layout(source: src.Source, edition: Edition, title: str, author: str,
           spacing: float) -> tuple[bytes, dict[str, Any]]:
    """The PDF bytes and ground truth of one layout with `spacing` points between paragraphs."""
    numbers = note_numbers(source)
    notes = {numbers[key]: text for key, text in source.notes.items()}
    buffer = io.BytesIO()
    doc = ReportDocument(buffer, edition, title=title, author=author, notes=notes)
    doc.multiBuild(StoryBuilder(source, edition, doc.toc_label, spacing).build())
    truth = doc.report()
    placed = truth["footnote_calls"]
    written = src.calls_of(source)
    if [call["number"] for call in placed] != [numbers[key] for key, _ in written]:
        raise src.SourceError("appels de note placés dans un autre ordre que la source")
    for call, (_, before) in zip(placed, written, strict=True):
        call["words_before"] = before
    return buffer.getvalue(), {**truth, "paragraph_spacing": spacing}


def with_page_labels(data: bytes, front_pages: list[int]) -> bytes:
    """Add /PageLabels: « Couverture », then i, ii… for the front matter, then 1, 2…"""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    last = len(writer.pages) - 1
    writer.set_page_label(0, 0, prefix="Couverture")
    if len(front_pages) > 1:
        writer.set_page_label(1, len(front_pages) - 1, style="/r", start=1)
    if len(front_pages) <= last:
        writer.set_page_label(len(front_pages), last, style="/D", start=1)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
