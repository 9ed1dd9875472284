"""Comparison page (`/comparer`): best passages of each edition side by side; `/api/compare`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from search import Searcher

from ..cards import chronological, report_card, result_card
from ..deps import SearcherDep
from ..i18n import translate
from ..models import ERROR_RESPONSES, CompareOut
from ..params import OptionalQuestion, Question
from ..rendering import render, request_lang

router = APIRouter()

COMPARE_K = 3


def compare_columns(searcher: Searcher, q: str, lang: str) -> list[dict]:
    """One column per report, oldest first, with its best results for `q` as cards (the page
    and the API show the same objects)."""
    responses = searcher.compare(q, k=COMPARE_K)
    columns = []
    for report in chronological(searcher.library.reports()):
        response = responses.get(report.id)
        columns.append(
            {
                "report": report_card(report, searcher.library.pdf_path(report.id) is not None),
                "results": [result_card(result, lang) for result in
                            (response.results if response else [])],
            }
        )
    return columns


@router.get(
    "/api/compare",
    response_model=CompareOut,
    responses=ERROR_RESPONSES,
    tags=["comparaison"],
    summary=translate("api.compare"),
)
def api_compare(request: Request, searcher: SearcherDep, q: Question) -> dict:
    """The comparison as JSON, one column per report, each result with its citation (in the
    reader's language), permalink, reader and PDF links and part."""
    return {"query": q, "columns": compare_columns(searcher, q, request_lang(request))}


@router.get("/comparer", response_class=HTMLResponse, include_in_schema=False)
def compare_page(request: Request, searcher: SearcherDep, q: OptionalQuestion = "") -> HTMLResponse:
    """The comparison in columns; an empty question just shows the form."""
    columns = compare_columns(searcher, q, request_lang(request)) if q.strip() else []
    return render(request, "compare.html", {"q": q, "columns": columns})
