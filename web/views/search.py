"""Search page (`/`, `/recherche`) and its JSON twin `/api/search`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from search import Searcher, SearchResponse

from ..cards import chronological, result_card
from ..deps import SearcherDep
from ..models import ERROR_RESPONSES, SearchOut
from ..params import K, Kind, OptionalQuestion, Question, ReportFilter, clean_reports
from ..rendering import render

router = APIRouter()

DEFAULT_K = 10


def run_search(
    searcher: Searcher, q: str, k: int, report: list[str] | None, kind: str
) -> SearchResponse:
    """The search both twins show."""
    return searcher.search(q, k=k, reports=clean_reports(report), kind=kind)


@router.get(
    "/api/search",
    response_model=SearchOut,
    responses=ERROR_RESPONSES,
    tags=["recherche"],
    summary="Rechercher passages et recommandations",
)
def api_search(
    searcher: SearcherDep,
    q: Question,
    k: K = DEFAULT_K,
    report: ReportFilter = None,
    kind: Kind = "all",
) -> dict:
    """The same JSON objects as `python -m search --json`."""
    return run_search(searcher, q, k, report, kind).to_dict()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
@router.get("/recherche", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    searcher: SearcherDep,
    q: OptionalQuestion = "",
    k: K = DEFAULT_K,
    report: ReportFilter = None,
    kind: Kind = "all",
) -> HTMLResponse:
    """The query box, filters and result cards; an empty question just shows the form."""
    response = run_search(searcher, q, k, report, kind) if q.strip() else None
    context = {
        "q": q,
        "k": k,
        "report": (clean_reports(report) or [""])[0],
        "kind": kind,
        "reports": chronological(searcher.reports()),
        "response": response,
        "cards": [result_card(result) for result in response.results] if response else [],
    }
    return render(request, "search.html", context)
