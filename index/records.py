"""The records the index stores: reports and their chunks (passages and recommendations)."""

from __future__ import annotations

from dataclasses import dataclass, field

PASSAGE = "passage"
RECOMMENDATION = "recommendation"
KINDS = (PASSAGE, RECOMMENDATION)

# Where a chunk sits in its report; synthesis and body often repeat each other.
PARTS = ("front", "synthese", "corps", "annexe")


# Where a report's title, year, authors or commissioner came from (`Report.provenance`).
PROVENANCES = (
    "manifest",      # corpus/reports.toml or the sample's manifest
    "option",        # --title, --year, --authors, --commissioner at `python -m ingest`
    "sidecar",       # a <name>.toml file beside the PDF
    "pdf-metadata",  # the PDF's own Title field
    "heading",       # the largest heading of the first pages
    "text",          # a date in the first pages' text
    "file-name",     # the file name
    "pdf-date",      # the PDF's creation date: a guess
)


@dataclass(frozen=True)
class Report:
    """One report of the series, as described by a corpus manifest or found in its PDF.

    `provenance` maps a field name (title, year, authors, commissioner) to one of PROVENANCES.
    """

    id: str
    title: str
    year: int
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    commissioner: str = ""
    date: str = ""
    urls: tuple[str, ...] = ()
    pages: int | None = None
    expected_recommendations: int | None = None
    label: str = ""
    patterns: tuple[str, ...] = ()
    file: str = ""
    sample: bool = False
    pdf_path: str = ""
    sha256: str = ""
    provenance: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Chunk:
    """A searchable unit: a passage of body text, or one numbered recommendation.

    `page`/`page_end` are physical 1-based page indexes (PDF links use them);
    `page_label`/`page_label_end` are the printed page numbers (users see them).
    `char_start` is an offset into the cleaned text of `page`, `char_end` into that of `page_end`.
    """

    id: str
    report_id: str
    kind: str
    text: str
    page: int
    page_end: int
    page_label: str
    page_label_end: str
    section: tuple[str, ...] = ()
    part: str = "corps"
    char_start: int = 0
    char_end: int = 0
    number: int | None = None
    label: str = ""
