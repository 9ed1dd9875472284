"""Ground truth of a sample PDF, recorded while the layout places each flowable."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from index.numerals import roman

from . import source as src
from .editions import Edition

COVER_LABEL = "Couverture"
FOOTER_TEXT = "Corpus d'exemple"
ARABIC_ZONES = ("synthese", "corps", "annexe")


def printed_label(page: int, body_start: int | None) -> str:
    """Printed number of physical page `page` if the arabic numbering starts at `body_start`."""
    if page == 1:
        return COVER_LABEL
    if body_start is None or page < body_start:
        return roman(page - 1)
    return str(page - body_start + 1)


@dataclass
class OpenSection:
    """A heading whose section is still being laid out."""

    record: dict[str, Any]
    level: int


@dataclass
class LayoutRecorder:
    """Collects pages, labels, headings, recommendations and notes as the layout goes."""

    edition: Edition
    body_start: int | None = None  # physical page where the arabic numbering starts at 1
    zone: str = "front"
    page_zones: dict[int, str] = field(default_factory=dict)
    headers: dict[int, str] = field(default_factory=dict)
    sections: list[dict[str, Any]] = field(default_factory=list)
    open_sections: list[OpenSection] = field(default_factory=list)
    recommendations: dict[int, dict[str, Any]] = field(default_factory=dict)
    principles: dict[int, dict[str, Any]] = field(default_factory=dict)
    footnotes: list[dict[str, Any]] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    hyphenated_words: list[str] = field(default_factory=list)
    two_column_page: int | None = None
    table_page: int | None = None

    def label(self, page: int) -> str:
        """The printed page number of physical page `page` (1-based)."""
        return printed_label(page, self.body_start)

    def start_zone(self, zone: str, page: int) -> None:
        """A zone (front, synthese, corps, annexe) opens at the top of physical page `page`."""
        self.zone = zone
        if zone in ARABIC_ZONES and self.body_start is None:
            self.body_start = page

    def start_page(self, page: int, header: str) -> None:
        """Note the zone and running header of a page as it begins."""
        self.page_zones[page] = self.zone
        self.headers[page] = header

    def heading(self, block: src.Heading, page: int) -> None:
        """A heading was placed: close the sections it ends and open its own."""
        while self.open_sections and self.open_sections[-1].level >= block.level:
            self.open_sections.pop()
        record = {
            "title": block.title, "level": block.level, "number": block.number,
            "part": self.zone, "page_start": page, "page_end": page,
            "label_start": self.label(page), "label_end": self.label(page),
        }
        self.sections.append(record)
        self.open_sections.append(OpenSection(record, block.level))

    def content(self, page: int) -> None:
        """Something was placed on `page`: the open sections extend to it."""
        for section in self.open_sections:
            section.record["page_end"] = page
            section.record["label_end"] = self.label(page)

    def current_section(self) -> str:
        """Title of the innermost open section."""
        return self.open_sections[-1].record["title"] if self.open_sections else ""

    def numbered(self, block: src.Numbered, page: int) -> None:
        """A recommendation or principle (or a part of it, if split) was placed on `page`."""
        if block.kind == "principe":
            self.principles.setdefault(block.number, {
                "number": block.number, "text": src.plain(block.text), "page": page,
                "page_label": self.label(page), "section": self.current_section(),
            })
            return
        record = self.recommendations.setdefault(block.number, {
            "number": block.number, "label": self.edition.label(block.number),
            "text": src.plain(block.text), "page": page, "page_end": page,
            "page_label": self.label(page), "page_label_end": self.label(page),
            "section": self.current_section(), "part": self.zone,
        })
        record["page_end"] = page
        record["page_label_end"] = self.label(page)

    def footnote(self, number: int, text: str, page: int) -> None:
        """Footnote `number` was printed at the bottom of `page`."""
        self.footnotes.append({"number": number, "page": page, "page_label": self.label(page),
                               "text": src.plain(text)})

    def called(self, number: int, page: int) -> None:
        """A paragraph calling footnote `number` was placed on `page`."""
        self.calls.append({"number": number, "page": page, "page_label": self.label(page)})

    def hyphenated(self, word: str) -> None:
        """The layout broke `word` across two lines."""
        if word not in self.hyphenated_words:
            self.hyphenated_words.append(word)

    def two_columns(self, page: int) -> None:
        """A two-column page was laid out."""
        if self.two_column_page is None:
            self.two_column_page = page

    def table(self, page: int) -> None:
        """A table (or its first rows) was placed on `page`."""
        if self.table_page is None:
            self.table_page = page

    def report(self, pages: int) -> dict[str, Any]:
        """The ground truth of the report as a JSON-ready dict."""
        labels = [self.label(p) for p in range(1, pages + 1)]
        return {
            "pages": pages,
            "page_labels": labels,
            "pdf_page_labels": self.edition.pdf_page_labels,
            "front_pages": [p for p in range(1, pages + 1)
                            if p == 1 or self.page_zones.get(p) == "front"],
            "running_header": self.edition.running_header,
            "running_headers": [self.headers.get(p, "") for p in range(1, pages + 1)],
            "footer_text": FOOTER_TEXT,
            "sections": self.sections,
            "recommendations": [self.recommendations[n] for n in sorted(self.recommendations)],
            "recommendations_across_pages": sorted(
                n for n, r in self.recommendations.items() if r["page_end"] > r["page"]),
            "principles": [self.principles[n] for n in sorted(self.principles)],
            "footnotes": sorted(self.footnotes, key=lambda note: note["number"]),
            "footnote_calls": self.calls,
            "hyphenated_words": self.hyphenated_words,
            "two_column_page": self.two_column_page,
            "table_page": self.table_page,
        }
