"""Pydantic response models of the JSON API (they also document it in OpenAPI)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class ReportRef(BaseModel):
    """The report an excerpt comes from."""

    id: str
    title: str
    year: int


class RecordOut(BaseModel):
    """The fields every JSON form of a passage or recommendation shares."""

    id: str
    kind: str
    report: ReportRef
    page: str
    page_end: str
    pdf_page: int
    section: str
    text: str
    number: int | None
    label: str


class GlossaryEntryOut(BaseModel):
    """One notion of the glossary: its term, the other ways it is written, its definition."""

    term: str
    synonyms: list[str]
    definition: str


class GlossaryOut(BaseModel):
    """The field's glossary (corpus/glossary.toml)."""

    entries: list[GlossaryEntryOut]


class ChunkOut(RecordOut):
    """A passage or recommendation with what a reader needs to cite and check it."""

    part: str
    name: str
    citation: str
    permalink: str
    pdf_url: str
    viewer_url: str


class ResultCardOut(ChunkOut):
    """One search result as the page shows it: the citable card plus its score, best sentence
    and matched terms."""

    score: float
    best_sentence: str
    matched_terms: list[str]


class SearchOut(BaseModel):
    """A search: the question, how clearly it is answered, a spelling suggestion, its results
    (citable cards) and the references detected in it."""

    query: str
    relevance: Literal["good", "weak", "none"]
    suggestion: str | None
    results: list[ResultCardOut]
    detected: dict[str, Any]


class ReportOut(BaseModel):
    """One report of the corpus."""

    id: str
    title: str
    subtitle: str
    year: int
    date: str
    authors: list[str]
    commissioner: str
    sample: bool
    pdf_url: str | None
    provenance: dict[str, str] = Field(
        default_factory=dict,
        description="Where each of title, year, authors, commissioner came from: manifest, "
        "option, sidecar, pdf-metadata, heading, text, file-name, or pdf-date (a guess)",
    )


class CompareColumn(BaseModel):
    """The best passages of one report for the compared question."""

    report: ReportOut
    results: list[ResultCardOut]


class CompareOut(BaseModel):
    """One question, the best passages of each report, in chronological order."""

    query: str
    columns: list[CompareColumn]


class LineageLink(BaseModel):
    """The closest recommendation of another edition."""

    id: str
    report: str
    number: int | None
    similarity: float


class RecommendationItem(ChunkOut):
    """A recommendation as a record: its fields, first sentence, theme ids and lineage."""

    first_sentence: str
    themes: list[str]
    lineage: list[LineageLink]


class FacetValue(BaseModel):
    """One value of a facet, with how many recommendations choosing it would leave."""

    value: str
    label: str
    count: int
    selected: bool
    url: str


class RecommendationFilters(BaseModel):
    """The filters applied (None: not filtered)."""

    report: str | None
    theme: str | None
    section: str | None
    q: str | None


class RecommendationsOut(BaseModel):
    """The recommendations matching the filters, in reading order, with the facet counts."""

    filters: RecommendationFilters
    count: int
    facets: dict[str, list[FacetValue]]
    recommendations: list[RecommendationItem]


class ThemeOut(BaseModel):
    """A theme of the catalogue."""

    id: str
    label: str
    label_fr: str
    label_en: str
    description: str
    terms: list[str]


class KinOut(RecommendationItem):
    """A close recommendation of another edition and what it shares with the source."""

    similarity: float
    shared_terms: list[str]
    shared_themes: list[str]


class EditionLineage(BaseModel):
    """The closest recommendations of one other edition, best first."""

    report: ReportRef
    recommendations: list[KinOut]


class RecommendationOut(BaseModel):
    """A recommendation, its themes, its lineage in the other editions and its context."""

    recommendation: RecommendationItem
    themes: list[ThemeOut]
    lineage: list[EditionLineage]
    context: list[ChunkOut]


class LineageCell(BaseModel):
    """A recommendation in a theme's lineage table."""

    id: str
    number: int | None
    label: str
    first_sentence: str
    permalink: str


class ThemeLineageOut(BaseModel):
    """A theme's recommendations chained across editions: one row per chain, one column per
    report (oldest first), null where an edition has no link in the chain."""

    theme: ThemeOut
    reports: list[ReportRef]
    rows: list[list[LineageCell | None]]


class PassageOut(BaseModel):
    """A passage (permalink target) and its neighbouring passages."""

    passage: ChunkOut
    context: list[ChunkOut]


class ReloadErrorOut(BaseModel):
    """A newer build that could not be loaded; the served one stays until it is fixed."""

    build_id: str
    message: str


class HealthOut(BaseModel):
    """State of the served index (« degraded »: a newer build failed to load)."""

    status: str
    reload_error: ReloadErrorOut | None
    encoder: dict[str, Any]
    counts: dict[str, int]
    built_at: str
    build_id: str
    sample: bool


class ErrorOut(BaseModel):
    """An error, explained in plain French."""

    detail: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Introuvable"},
    422: {"model": ErrorOut, "description": "Paramètre invalide"},
}
