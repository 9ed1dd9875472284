"""Pydantic response models of the JSON API (they also document it in OpenAPI)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ReportRef(BaseModel):
    """The report an excerpt comes from."""

    id: str
    title: str
    year: int


class ResultOut(BaseModel):
    """One search result, exactly as `python -m search --json` prints it."""

    id: str
    kind: str
    report: ReportRef
    page: str
    page_end: str
    pdf_page: int
    section: str
    text: str
    score: float
    number: int | None
    label: str
    best_sentence: str
    matched_terms: list[str]


class ChunkOut(ResultOut):
    """A passage or recommendation with what a reader needs to cite and check it."""

    part: str
    name: str
    citation: str
    permalink: str
    pdf_url: str
    viewer_url: str


class SearchOut(BaseModel):
    """A search: the question, its results (citable cards), and the references detected in it."""

    query: str
    results: list[ChunkOut]
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


class CompareColumn(BaseModel):
    """The best passages of one report for the compared question."""

    report: ReportOut
    results: list[ResultOut]


class CompareOut(BaseModel):
    """One question, the best passages of each report, in chronological order."""

    query: str
    columns: list[CompareColumn]


class RecommendationsOut(BaseModel):
    """The recommendations matching the filters, in reading order."""

    report: str | None
    q: str | None
    count: int
    recommendations: list[ChunkOut]


class RecommendationOut(BaseModel):
    """A recommendation, its neighbouring passages and its closest kin in the other reports."""

    recommendation: ChunkOut
    context: list[ChunkOut]
    similar: list[ResultOut]


class PassageOut(BaseModel):
    """A passage (permalink target) and its neighbouring passages."""

    passage: ChunkOut
    context: list[ChunkOut]


class HealthOut(BaseModel):
    """State of the served index."""

    status: str
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
