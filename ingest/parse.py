"""One PDF to a parsed report: cleaned pages, blocks, sections and recommendations.

This is the part of ingestion that runs in a worker process (it needs no encoder); its result is
plain picklable data that `ingest.assemble` turns into chunks with the encoder's token counter.
Footnotes stay attached to their page (`PageText.footnotes`) and never enter passages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from index.records import Report
from ingest.clean import body_font_size, clean_document
from ingest.pdf import read_pdf
from ingest.recommendations import (
    LabelMatcher,
    Recommendation,
    count_warning,
    find_recommendations,
)
from ingest.reflow import DocumentText, build_document_text
from ingest.structure import Structure, analyse_structure


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


def parse_report(path: Path, report: Report) -> ParsedReport:
    """Extract, clean and structure one PDF and find its recommendations."""
    document = read_pdf(path)
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
    )
