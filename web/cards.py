"""What the pages and the API show of a result, a chunk or a report: one shape for both."""

from __future__ import annotations

from index.records import RECOMMENDATION, Chunk, Report
from index.sentences import split_sentences
from search import Result, Searcher
from search.lineage import Kin
from search.results import record_dict

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

# Lineage entries an item of the recommendations list carries: the closest of each other edition.
LIST_LINEAGE = 1
# Columns of the open-data export (/recommandations.csv and .json), in order.
OPEN_DATA_COLUMNS = ("rapport_id", "annee", "rapport_titre", "numero", "libelle", "texte",
                     "pages", "page_pdf", "section", "themes", "lien_permanent")


def pdf_url(report_id: str, pdf_page: int | None = None) -> str:
    """Local URL of a report's PDF, opened at a physical page when given."""
    return f"/pdf/{report_id}" + (f"#page={pdf_page}" if pdf_page else "")


def permalink(chunk: Chunk) -> str:
    """The page of a chunk: a recommendation's own page, else the passage permalink."""
    if chunk.kind == RECOMMENDATION:
        return f"/recommandations/{chunk.id}"
    return f"/passages/{chunk.id}"


def viewer_url(chunk: Chunk) -> str:
    """Local URL of the in-app viewer at a chunk's page, its passage highlighted."""
    return f"/lire/{chunk.report_id}?page={chunk.page}&passage={chunk.id}"


def chunk_card(chunk: Chunk, report: Report, lang: str = DEFAULT_LANG) -> dict:
    """A chunk with what a reader needs to name, cite and check it (browser, permalink, export),
    the citation in `lang`."""
    return {
        **record_dict(chunk, report),
        "name": card_name(chunk, report),
        "part": chunk.part,
        "citation": citation_text(Reference.of(chunk, report), lang),
        "permalink": permalink(chunk),
        "pdf_url": pdf_url(report.id, chunk.page),
        "viewer_url": viewer_url(chunk),
    }


def result_card(result: Result, lang: str = DEFAULT_LANG) -> dict:
    """A search result: its chunk card plus score, best sentence and matched terms."""
    return {**result.to_dict(), **chunk_card(result.chunk, result.report, lang)}


def first_sentence(text: str) -> str:
    """The first sentence of a text (the whole text when it has no sentence boundary)."""
    bounds = split_sentences(text)
    return text[bounds[0][0]:bounds[0][1]].strip() if bounds else text.strip()


def lineage_link(chunk: Chunk, kin: Kin) -> dict:
    """One entry of a recommendation's lineage in the API."""
    return {"id": chunk.id, "report": chunk.report_id, "number": chunk.number,
            "similarity": kin.similarity}


def recommendation_record(searcher: Searcher, chunk: Chunk, lang: str = DEFAULT_LANG) -> dict:
    """A recommendation as a record: its card, first sentence, themes and closest kin."""
    lineage = searcher.library.lineage(chunk.id, per_edition=LIST_LINEAGE)
    return {
        **chunk_card(chunk, searcher.library.report(chunk.report_id), lang),
        "first_sentence": first_sentence(chunk.text),
        "themes": list(searcher.library.themes().of(chunk.id)),
        "lineage": [lineage_link(kin_chunk, kin)
                    for report in chronological(searcher.library.reports())
                    for kin_chunk, kin in lineage.get(report.id, [])],
    }


def kin_card(searcher: Searcher, chunk: Chunk, kin: Kin, lang: str = DEFAULT_LANG) -> dict:
    """A close recommendation of another edition, with what it shares with the source."""
    return {
        **recommendation_record(searcher, chunk, lang),
        "similarity": kin.similarity,
        "shared_terms": list(kin.shared_terms),
        "shared_themes": list(kin.shared_themes),
    }


def open_data_row(record: dict, base_url: str) -> dict:
    """A recommendation record as a row of the open-data export (columns OPEN_DATA_COLUMNS)."""
    pages = record["page"] if record["page_end"] in ("", record["page"]) else \
        f"{record['page']}-{record['page_end']}"
    return dict(zip(OPEN_DATA_COLUMNS, (
        record["report"]["id"], record["report"]["year"], record["report"]["title"],
        record["number"], record["label"], record["text"], pages, record["pdf_page"],
        record["section"], record["themes"], base_url + record["permalink"],
    ), strict=True))


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
        "provenance": dict(report.provenance),
    }


def chronological(reports: list[Report]) -> list[Report]:
    """Reports from the oldest edition to the newest."""
    return sorted(reports, key=lambda report: (report.year, report.id))


def neighbour_cards(searcher: Searcher, chunk: Chunk, lang: str = DEFAULT_LANG) -> list[dict]:
    """The passages just before and after `chunk` in its report."""
    report = searcher.library.report(chunk.report_id)
    return [
        chunk_card(neighbour, report, lang)
        for neighbour in searcher.library.neighbours(chunk.id)
        if neighbour.id != chunk.id
    ]
