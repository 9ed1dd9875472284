"""What the pages and the API show of a result, a chunk or a report: one shape for both."""

from __future__ import annotations

from index.records import Chunk, Report
from search import Result, Searcher

from .citation import Reference, citation_text
from .i18n import DEFAULT_LANG

FIRST_WORDS = 8


def card_name(chunk: Chunk, report: Report) -> str:
    """How a reader names an excerpt: « Recommandation n° 12 (2021) », or a passage's first
    words with its year and printed page (accessible names, the brief's list)."""
    if chunk.label:
        return f"{chunk.label} ({report.year})"
    words = chunk.text.split()
    start = " ".join(words[:FIRST_WORDS]) + ("…" if len(words) > FIRST_WORDS else "")
    return f"{start} ({report.year}, p. {chunk.page_label})"


def pdf_url(report_id: str, pdf_page: int | None = None) -> str:
    """Local URL of a report's PDF, opened at a physical page when given."""
    return f"/pdf/{report_id}" + (f"#page={pdf_page}" if pdf_page else "")


def viewer_url(chunk: Chunk) -> str:
    """Local URL of the in-app viewer at a chunk's page, its passage highlighted."""
    return f"/lire/{chunk.report_id}?page={chunk.page}&passage={chunk.id}"


def result_card(result: Result, lang: str = DEFAULT_LANG) -> dict:
    """The search JSON of `result`, plus its name, label, citation (in `lang`), permalink and
    reader and PDF links."""
    data = result.to_dict()
    chunk, report = result.chunk, result.report
    data.update(
        name=card_name(chunk, report),
        label=chunk.label,
        part=chunk.part,
        citation=citation_text(Reference.of(chunk, report), lang),
        permalink=f"/passages/{chunk.id}",
        pdf_url=pdf_url(report.id, chunk.page),
        viewer_url=viewer_url(chunk),
    )
    return data


def chunk_card(chunk: Chunk, report: Report, lang: str = DEFAULT_LANG) -> dict:
    """A chunk shown outside a search (browser, permalink, export), in the same shape."""
    return result_card(
        Result(chunk=chunk, report=report, score=0.0, best_sentence="", matched_terms=[]), lang
    )


def report_card(report: Report, has_pdf: bool) -> dict:
    """What the site says about a report."""
    return {
        "id": report.id,
        "title": report.title,
        "subtitle": report.subtitle,
        "year": report.year,
        "date": report.date,
        "authors": list(report.authors),
        "commissioner": report.commissioner,
        "sample": report.sample,
        "pdf_url": pdf_url(report.id) if has_pdf else None,
    }


def chronological(reports: list[Report]) -> list[Report]:
    """Reports from the oldest edition to the newest."""
    return sorted(reports, key=lambda report: (report.year, report.id))


def neighbour_cards(searcher: Searcher, chunk: Chunk, lang: str = DEFAULT_LANG) -> list[dict]:
    """The passages just before and after `chunk` in its report."""
    report = searcher.report(chunk.report_id)
    return [
        chunk_card(neighbour, report, lang)
        for neighbour in searcher.neighbours(chunk.id)
        if neighbour.id != chunk.id
    ]
