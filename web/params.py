"""Query parameters shared by several views, with their bounds (documented in OpenAPI)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from search.searcher import MAX_QUERY_CHARS

MAX_K = 100
MAX_EXPORT_IDS = 100

Question = Annotated[
    str,
    Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Question, en français"),
]
OptionalQuestion = Annotated[
    str, Query(max_length=MAX_QUERY_CHARS, description="Question, en français (facultative)")
]
K = Annotated[int, Query(ge=1, le=MAX_K, description="Nombre de résultats (1 à 100)")]
Kind = Annotated[
    Literal["all", "passage", "recommendation"],
    Query(description="Passages, recommandations, ou les deux (all)"),
]
ReportFilter = Annotated[
    list[str] | None,
    Query(description="Identifiant ou année d'un rapport ; répétable"),
]
OptionalReport = Annotated[str, Query(description="Identifiant d'un rapport")]


def clean_reports(values: list[str] | None) -> list[str] | None:
    """The report filter without empty values (a form's « Tous les rapports »), None if empty."""
    cleaned = [value.strip() for value in values or [] if value.strip()]
    return cleaned or None
