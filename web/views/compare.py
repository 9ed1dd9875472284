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


def compare_columns(searcher: Searcher, q: str) -> list[dict]:
    """One column per report, oldest first, with its best results for `q`."""
    responses = searcher.compare(q, k=COMPARE_K)
    columns = []
    for report in chronological(searcher.reports()):
        response = responses.get(report.id)
        results = response.results if response else []
        columns.append(
            {
                "report": report_card(report, searcher.pdf_path(report.id) is not None),
                "results": results,
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
    """The comparison as JSON, one column per report (the page's cards, permalink included)."""
    columns = compare_columns(searcher, q)
    for column in columns:
        column["results"] = [result_card(result, request_lang(request))
                             for result in column["results"]]
    return {"query": q, "columns": columns}


@router.get("/comparer", response_class=HTMLResponse, include_in_schema=False)
def compare_page(request: Request, searcher: SearcherDep, q: OptionalQuestion = "") -> HTMLResponse:
    """The comparison in columns; an empty question just shows the form."""
    columns = compare_columns(searcher, q) if q.strip() else []
    for column in columns:
        lang = request_lang(request)
        column["cards"] = [result_card(result, lang) for result in column["results"]]
    return render(request, "compare.html", {"q": q, "columns": columns})
