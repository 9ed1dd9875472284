"""Passage permalink page (`/passages/<id>`) and its JSON twin `/api/passages/<id>`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from search import Searcher

from ..cards import chunk_card, neighbour_cards
from ..deps import SearcherDep
from ..errors import not_found
from ..i18n import translate
from ..models import ERROR_RESPONSES, PassageOut
from ..rendering import render, request_lang

router = APIRouter()


def passage_detail(request: Request, searcher: Searcher, passage_id: str) -> dict:
    """A passage (or recommendation) and its neighbours."""
    chunk = searcher.library.chunk(passage_id)
    if chunk is None:
        raise not_found(request, "error.passage", id=passage_id)
    lang = request_lang(request)
    return {
        "passage": chunk_card(chunk, searcher.library.report(chunk.report_id), lang),
        "context": neighbour_cards(searcher, chunk, lang),
    }


@router.get(
    "/api/passages/{passage_id}",
    response_model=PassageOut,
    responses=ERROR_RESPONSES,
    tags=["passages"],
    summary=translate("api.passage"),
)
def api_passage(request: Request, passage_id: str, searcher: SearcherDep) -> dict:
    """One passage as JSON."""
    return passage_detail(request, searcher, passage_id)


@router.get("/passages/{passage_id}", response_class=HTMLResponse, include_in_schema=False)
def passage_page(request: Request, passage_id: str, searcher: SearcherDep) -> HTMLResponse:
    """A passage's own page (the permalink of exports)."""
    return render(request, "passage.html", passage_detail(request, searcher, passage_id))
