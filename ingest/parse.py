"""One PDF to a parsed report: cleaned pages, blocks, sections and recommendations.

This is the part of ingestion that runs in a worker process (it needs no encoder); its result is
plain picklable data that `ingest.assemble` turns into chunks with the encoder's token counter
(`ParsedReport.chunks`, filled in the same worker).
Footnotes stay attached to their page (`PageText.footnotes`) and never enter passages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from index.records import Chunk, Report
from index.text import drop_controls
from ingest.clean import body_font_size, clean_document, skipped_pages
from ingest.pdf import Document, read_pdf
from ingest.recommendations import (
    LabelMatcher,
    Recommendation,
    count_warning,
    find_recommendations,
)
from ingest.reflow import DocumentText, build_document_text
from ingest.structure import Structure, analyse_structure

# Control characters carry no text, and a passage holding an ANSI escape sequence would drive
# the terminal of whoever prints it with `python -m search` (index.text.drop_controls)…
# …except a lone one opening a line before a space: a bullet glyph the font maps to no character
# (pypdf reads reportlab's and some Symbol bullets as DEL); dropping it would glue list items.
_CONTROL_BULLET = re.compile(r"^\s*[\x00-\x08\x0b-\x1f\x7f-\x9f]\s+(?=\S)")


@dataclass
class ParsedReport:
    """Everything extracted from one PDF, before chunking."""

    report: Report
    doc: DocumentText
    structure: Structure
    recommendations: list[Recommendation]
    warnings: list[str] = field(default_factory=list)
    title: str = ""
    creation_year: int | None = None
    chunks: list[Chunk] = field(default_factory=list)
    # (page, reason) of each page left out of the passages (`ingest.clean.skipped_pages`).
    skipped: list[tuple[int, str]] = field(default_factory=list)


def drop_control_characters(document: Document) -> None:
    """Remove control characters from every line (a bullet-like one becomes « • »), and the
    lines left empty."""
    for page in document.pages:
        for line in page.lines:
            line.text = drop_controls(_CONTROL_BULLET.sub("• ", line.text))
        page.lines = [line for line in page.lines if line.text.strip()]


def parse_report(path: Path, report: Report) -> ParsedReport:
    """Extract, clean and structure one PDF and find its recommendations."""
    return parse_document(read_pdf(path), report)


def parse_document(document: Document, report: Report) -> ParsedReport:
    """Clean and structure an extracted document and find its recommendations."""
    drop_control_characters(document)
    pages = clean_document(document)
    doc = build_document_text(pages, body_font_size(document))
    matcher = LabelMatcher(report.patterns)
    structure = analyse_structure(doc, matcher.is_label)
    recommendations, warnings = find_recommendations(doc, matcher, set(structure.headings))
    mismatch = count_warning(len(recommendations), report.expected_recommendations, report.label)
    return ParsedReport(
        report=report,
        doc=doc,
        structure=structure,
        recommendations=recommendations,
        warnings=warnings + ([mismatch] if mismatch else []),
        title=document.title,
        creation_year=document.creation_year,
        skipped=skipped_pages(pages),
    )
