"""Recommendations browser (`/recommandations`, `/recommandations/<id>`) and its JSON twins."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from index.records import RECOMMENDATION
from search import Searcher

from ..cards import chronological, chunk_card, neighbour_cards, result_card
from ..deps import SearcherDep
from ..errors import not_found
from ..i18n import translate
from ..models import ERROR_RESPONSES, RecommendationOut, RecommendationsOut
from ..params import OptionalQuestion, OptionalReport
from ..rendering import render, request_lang

router = APIRouter()

SIMILAR_K = 3


def list_recommendations(request: Request, searcher: Searcher, report: str, q: str) -> list[dict]:
    """Cards of the recommendations of `report` (all when empty) matching keyword `q`."""
    report_id = report.strip() or None
    if report_id and searcher.report(report_id) is None:
        raise not_found(request, "error.report", id=report_id)
    chunks = searcher.recommendations(report_id, q.strip() or None)
    lang = request_lang(request)
    return [chunk_card(chunk, searcher.report(chunk.report_id), lang) for chunk in chunks]


def recommendation_detail(request: Request, searcher: Searcher, rec_id: str) -> dict:
    """A recommendation, its context and the most similar recommendations of other editions."""
    chunk = searcher.chunk(rec_id)
    if chunk is None or chunk.kind != RECOMMENDATION:
        raise not_found(request, "error.recommendation", id=rec_id)
    lang = request_lang(request)
    return {
        "recommendation": chunk_card(chunk, searcher.report(chunk.report_id), lang),
        "context": neighbour_cards(searcher, chunk, lang),
        "similar": searcher.similar_recommendations(chunk.id, k=SIMILAR_K),
    }


@router.get(
    "/api/recommendations",
    response_model=RecommendationsOut,
    responses=ERROR_RESPONSES,
    tags=["recommandations"],
    summary=translate("api.recommendations"),
)
def api_recommendations(
    request: Request,
    searcher: SearcherDep,
    report: OptionalReport = "",
    q: OptionalQuestion = "",
) -> dict:
    """The recommendations matching the filters, as JSON."""
    cards = list_recommendations(request, searcher, report, q)
    return {
        "report": report or None,
        "q": q or None,
        "count": len(cards),
        "recommendations": cards,
    }


@router.get(
    "/api/recommendations/{rec_id}",
    response_model=RecommendationOut,
    responses=ERROR_RESPONSES,
    tags=["recommandations"],
    summary=translate("api.recommendation"),
)
def api_recommendation(request: Request, rec_id: str, searcher: SearcherDep) -> dict:
    """One recommendation as JSON."""
    detail = recommendation_detail(request, searcher, rec_id)
    detail["similar"] = [result.to_dict() for result in detail["similar"]]
    return detail


@router.get("/recommandations", response_class=HTMLResponse, include_in_schema=False)
def recommendations_page(
    request: Request,
    searcher: SearcherDep,
    report: OptionalReport = "",
    q: OptionalQuestion = "",
) -> HTMLResponse:
    """The browser: filters, then the recommendations in reading order."""
    cards = list_recommendations(request, searcher, report, q)
    context = {
        "report": report,
        "q": q,
        "reports": chronological(searcher.reports()),
        "cards": cards,
    }
    return render(request, "recommendations.html", context)


@router.get("/recommandations/{rec_id}", response_class=HTMLResponse, include_in_schema=False)
def recommendation_page(request: Request, rec_id: str, searcher: SearcherDep) -> HTMLResponse:
    """A recommendation's own page (permalink)."""
    detail = recommendation_detail(request, searcher, rec_id)
    detail["similar"] = [result_card(result, request_lang(request)) for result in detail["similar"]]
    return render(request, "recommendation.html", detail)
