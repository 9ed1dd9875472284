"""Glossary page (`/glossaire`) and its JSON twin `/api/glossary`: the field's acronyms and
synonyms (corpus/glossary.toml), the same entries the search expands questions with."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..deps import SearcherDep
from ..i18n import translate
from ..models import GlossaryOut
from ..rendering import render

router = APIRouter()


@router.get(
    "/api/glossary",
    response_model=GlossaryOut,
    tags=["glossaire"],
    summary=translate("api.glossary"),
)
def api_glossary(searcher: SearcherDep) -> dict:
    """Every glossary entry: its term, its synonyms and its definition."""
    return searcher.glossary.to_dict()


@router.get("/glossaire", response_class=HTMLResponse, include_in_schema=False)
def glossary_page(request: Request, searcher: SearcherDep) -> HTMLResponse:
    """The glossary, one entry per term, each linked to a search for it."""
    return render(request, "glossary.html", searcher.glossary.to_dict())
