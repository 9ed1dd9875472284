"""Recommendations as records: the browser (`/recommandations`, facets that combine), each one's
page with its lineage (`/recommandations/<id>`), a theme's lineage table
(`/recommandations/themes/<id>`), « aller au n° », the open-data export
(`/recommandations.csv`, `/recommandations.json`) and the JSON twins under /api."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from index.records import RECOMMENDATION, Chunk
from index.themes import Theme
from search import QueryError, Searcher

from ..cards import (
    OPEN_DATA_COLUMNS,
    chronological,
    first_sentence,
    kin_card,
    neighbour_cards,
    open_data_row,
    permalink,
    recommendation_record,
)
from ..deps import SearcherDep
from ..errors import not_found
from ..i18n import translate
from ..models import ERROR_RESPONSES, RecommendationOut, RecommendationsOut, ThemeLineageOut
from ..params import OptionalQuestion
from ..rendering import render, request_lang

router = APIRouter()

MAX_FILTER_CHARS = 1000
LIST_PATH = "/recommandations"
# What the open-data CSV puts between the theme ids of one recommendation.
THEME_SEPARATOR = ";"

ReportParam = Annotated[
    str, Query(max_length=MAX_FILTER_CHARS,
               description="Identifiant (exemple-2021) ou année (2021) d'un rapport")]
ThemeParam = Annotated[
    str, Query(max_length=MAX_FILTER_CHARS,
               description="Identifiant d'un thème (corpus/themes.toml)")]
SectionParam = Annotated[
    str, Query(max_length=MAX_FILTER_CHARS,
               description="Chemin d'une section, tel que la facette « section » le donne")]


@dataclass(frozen=True)
class Filters:
    """The filters of the browser, as typed (empty: not filtered)."""

    report: str = ""
    theme: str = ""
    section: str = ""
    q: str = ""

    def url(self, **changes: str) -> str:
        """The browser's URL with some filters changed (an empty value removes one)."""
        values = {**asdict(self), **changes}
        query = urlencode({name: value for name, value in values.items() if value})
        return LIST_PATH + (f"?{query}" if query else "")


def get_filters(report: ReportParam = "", theme: ThemeParam = "", section: SectionParam = "",
                q: OptionalQuestion = "") -> Filters:
    """The filters from the query string, stripped."""
    return Filters(report.strip(), theme.strip(), section.strip(), q.strip())


FiltersDep = Annotated[Filters, Depends(get_filters)]


def theme_out(theme: Theme, lang: str) -> dict:
    """A theme as the API shows it."""
    return {"id": theme.id, "label": theme.label(lang), "label_fr": theme.label_fr,
            "label_en": theme.label_en, "description": theme.description,
            "terms": list(theme.terms)}


def themes_by_id(searcher: Searcher) -> dict[str, Theme]:
    """The build's themes by id (pages name them in the reader's language)."""
    return {theme.id: theme for theme in searcher.library.themes().themes}


def listing(request: Request, searcher: Searcher, filters: Filters) -> dict:
    """The recommendations matching the filters and the facet counts (page and API)."""
    try:
        chunks, found = searcher.library.browse_recommendations(
            [filters.report] if filters.report else None, filters.theme, filters.section,
            filters.q)
    except QueryError as exc:
        raise StarletteHTTPException(404, str(exc)) from exc
    lang = request_lang(request)
    themes = searcher.library.themes()
    counts = {name: dict(values) for name, values in found.facets.items()}
    reports = chronological(searcher.library.reports())
    sections = [value for value, _ in found.facets["section"]]
    options = {
        "report": [(r.id, f"{r.year} · {r.title}", filters.report in (r.id, str(r.year)))
                   for r in reports],
        "theme": [(t.id, t.label(lang), filters.theme == t.id) for t in themes.themes],
        "section": [(path, path.split(" › ")[-1], filters.section == path) for path in
                    sections + ([filters.section] if filters.section not in sections else [])],
    }
    facets = {
        name: [{"value": value, "label": label, "count": counts[name].get(value, 0),
                "selected": selected,
                "url": filters.url(**{name: "" if selected else value})}
               for value, label, selected in values if selected or counts[name].get(value)]
        for name, values in options.items()
    }
    return {
        "filters": {name: value or None for name, value in asdict(filters).items()},
        "count": len(chunks),
        "facets": facets,
        "recommendations": [recommendation_record(searcher, chunk, lang) for chunk in chunks],
    }


def grouped(records: list[dict]) -> list[dict]:
    """Records by report, then by section, both in reading order."""
    groups: list[dict] = []
    for record in records:
        if not groups or groups[-1]["report"]["id"] != record["report"]["id"]:
            groups.append({"report": record["report"], "sections": []})
        sections = groups[-1]["sections"]
        if not sections or sections[-1]["path"] != record["section"]:
            sections.append({"path": record["section"],
                             "title": record["section"].split(" › ")[-1], "records": []})
        sections[-1]["records"].append(record)
    return groups


def recommendation_chunk(request: Request, searcher: Searcher, rec_id: str) -> Chunk:
    """The recommendation `rec_id`, or a French 404."""
    chunk = searcher.library.chunk(rec_id)
    if chunk is None or chunk.kind != RECOMMENDATION:
        raise not_found(request, "error.recommendation", id=rec_id)
    return chunk


def recommendation_detail(request: Request, searcher: Searcher, rec_id: str) -> dict:
    """A recommendation, its themes, its closest kin in each other edition and its context."""
    chunk = recommendation_chunk(request, searcher, rec_id)
    lang = request_lang(request)
    themes = searcher.library.themes()
    lineage = searcher.library.lineage(chunk.id)
    return {
        "recommendation": recommendation_record(searcher, chunk, lang),
        "themes": [theme_out(themes.theme(theme_id), lang) for theme_id in themes.of(chunk.id)],
        "lineage": [
            {"report": {"id": report.id, "title": report.title, "year": report.year},
             "recommendations": [kin_card(searcher, kin_chunk, kin, lang)
                                 for kin_chunk, kin in lineage.get(report.id, [])]}
            for report in chronological(searcher.library.reports()) if report.id != chunk.report_id
        ],
        "context": neighbour_cards(searcher, chunk, lang),
    }


def theme_lineage(request: Request, searcher: Searcher, theme_id: str) -> dict:
    """A theme's recommendations chained across the editions, one column per report."""
    theme = searcher.library.themes().theme(theme_id)
    if theme is None:
        raise not_found(request, "error.theme", id=theme_id)
    reports = chronological(searcher.library.reports())

    def cell(chunk: Chunk | None) -> dict | None:
        return None if chunk is None else {
            "id": chunk.id, "number": chunk.number, "label": chunk.label,
            "first_sentence": first_sentence(chunk.text),
            "permalink": permalink(chunk)}

    return {
        "theme": theme_out(theme, request_lang(request)),
        "reports": [{"id": r.id, "title": r.title, "year": r.year} for r in reports],
        "rows": [[cell(chain.get(r.id)) for r in reports]
                 for chain in searcher.library.theme_lineage(theme.id)],
    }


def open_data(request: Request, searcher: Searcher, filters: Filters) -> list[dict]:
    """The export rows of the recommendations matching the filters (absolute permalinks start
    with the site's base URL, never the request's Host header)."""
    base = request.app.state.base_url
    return [open_data_row(record, base)
            for record in listing(request, searcher, filters)["recommendations"]]


@router.get(
    "/api/recommendations",
    response_model=RecommendationsOut,
    responses=ERROR_RESPONSES,
    tags=["recommandations"],
    summary=translate("api.recommendations"),
)
def api_recommendations(request: Request, searcher: SearcherDep, filters: FiltersDep) -> dict:
    """The recommendations matching the filters, as JSON (the browser's twin)."""
    return listing(request, searcher, filters)


@router.get(
    "/api/recommendations/{rec_id}",
    response_model=RecommendationOut,
    responses=ERROR_RESPONSES,
    tags=["recommandations"],
    summary=translate("api.recommendation"),
)
def api_recommendation(request: Request, rec_id: str, searcher: SearcherDep) -> dict:
    """One recommendation as JSON."""
    return recommendation_detail(request, searcher, rec_id)


@router.get(
    "/api/themes/{theme_id}",
    response_model=ThemeLineageOut,
    responses=ERROR_RESPONSES,
    tags=["recommandations"],
    summary=translate("api.theme"),
)
def api_theme(request: Request, theme_id: str, searcher: SearcherDep) -> dict:
    """A theme's lineage table as JSON."""
    return theme_lineage(request, searcher, theme_id)


@router.get(LIST_PATH, response_class=HTMLResponse, include_in_schema=False)
def recommendations_page(request: Request, searcher: SearcherDep,
                         filters: FiltersDep) -> HTMLResponse:
    """The browser: facets and filters, then the recommendations by report and section."""
    data = listing(request, searcher, filters)
    theme = searcher.library.themes().theme(filters.theme) if filters.theme else None
    context = {
        **data,
        "groups": grouped(data["recommendations"]),
        "form": filters,
        "theme": theme,
        "reports": chronological(searcher.library.reports()),
        "csv_url": filters.url().replace(LIST_PATH, f"{LIST_PATH}.csv", 1),
        "json_url": filters.url().replace(LIST_PATH, f"{LIST_PATH}.json", 1),
        "themes_by_id": themes_by_id(searcher),
    }
    return render(request, "recommendations.html", context)


@router.get(f"{LIST_PATH}.csv", include_in_schema=False)
def recommendations_csv(request: Request, searcher: SearcherDep, filters: FiltersDep
                        ) -> Response:
    """The open-data export as CSV (UTF-8, comma-separated, header row)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=OPEN_DATA_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in open_data(request, searcher, filters):
        writer.writerow({**row, "themes": THEME_SEPARATOR.join(row["themes"])})
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="recommandations.csv"'})


@router.get(f"{LIST_PATH}.json", include_in_schema=False)
def recommendations_json(request: Request, searcher: SearcherDep, filters: FiltersDep
                         ) -> JSONResponse:
    """The open-data export as a JSON array of rows (same columns as the CSV)."""
    return JSONResponse(open_data(request, searcher, filters), headers={
        "Content-Disposition": 'inline; filename="recommandations.json"'})


@router.get(f"{LIST_PATH}/aller", include_in_schema=False)
def go_to_number(request: Request, searcher: SearcherDep, report: ReportParam,
                 numero: Annotated[int, Query(ge=1, le=100_000)]) -> RedirectResponse:
    """« Aller au n° »: the page of recommendation `numero` of a report (id or year)."""
    try:
        chunks, _ = searcher.library.browse_recommendations([report.strip()])
    except QueryError as exc:
        raise StarletteHTTPException(404, str(exc)) from exc
    found = next((chunk for chunk in chunks if chunk.number == numero), None)
    if found is None:
        raise not_found(request, "error.number", number=numero, report=report,
                        count=len(chunks))
    return RedirectResponse(permalink(found), status_code=303)


@router.get(f"{LIST_PATH}/themes/{{theme_id}}", response_class=HTMLResponse,
            include_in_schema=False)
def theme_page(request: Request, theme_id: str, searcher: SearcherDep) -> HTMLResponse:
    """A theme's lineage table: 2017 | 2018 | 2021, one row per chain."""
    return render(request, "theme.html", theme_lineage(request, searcher, theme_id))


@router.get(f"{LIST_PATH}/{{rec_id}}", response_class=HTMLResponse, include_in_schema=False)
def recommendation_page(request: Request, rec_id: str, searcher: SearcherDep) -> HTMLResponse:
    """A recommendation's own page (permalink), with its lineage."""
    detail = recommendation_detail(request, searcher, rec_id)
    return render(request, "recommendation.html",
                  {**detail, "themes_by_id": themes_by_id(searcher)})
