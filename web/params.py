"""Query parameters shared by several views, with their bounds (documented in OpenAPI)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from search.searcher import KIND_FILTERS, MAX_K, MAX_QUERY_CHARS

from .i18n import translate

MAX_EXPORT_IDS = 100

Question = Annotated[
    str,
    Query(min_length=1, max_length=MAX_QUERY_CHARS, description=translate("api.param.q")),
]
OptionalQuestion = Annotated[
    str, Query(max_length=MAX_QUERY_CHARS, description=translate("api.param.q_optional"))
]
K = Annotated[int, Query(ge=1, le=MAX_K, description=translate("api.param.k", n=MAX_K))]
Kind = Annotated[
    Literal[KIND_FILTERS],
    Query(description=translate("api.param.kind")),
]
ReportFilter = Annotated[
    list[str] | None,
    Query(description=translate("api.param.reports")),
]
OptionalReport = Annotated[str, Query(description=translate("api.param.report"))]


def clean_reports(values: list[str] | None) -> list[str] | None:
    """The report filter without empty values (a form's « Tous les rapports »), None if empty."""
    cleaned = [value.strip() for value in values or [] if value.strip()]
    return cleaned or None
