"""Server-side rendering of the pages: Jinja2 templates, language and common context."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from .brief import MAX_NOTE_CHARS
from .highlight import highlight
from .i18n import LANG_COOKIE, edition_years, pick_lang, translate

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
LANG_COOKIE_SECONDS = 365 * 24 * 3600

# Each page's JSON twin under /api, by the start of the page's path (the longest that matches;
# the rest of the path follows); pages without a twin (or whose twin needs a question the page
# was not given) link the API schema.
API_TWINS = {
    "": "/api/search",
    "recherche": "/api/search",
    "comparer": "/api/compare",
    "recommandations": "/api/recommendations",
    "recommandations/themes": "/api/themes",
    "passages": "/api/passages",
    "rapports": "/api/reports",
    "glossaire": "/api/glossary",
}
QUESTION_TWINS = {"/api/search", "/api/compare"}
API_SCHEMA = "/openapi.json"

templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.filters["highlight"] = highlight


def request_lang(request: Request) -> str:
    """The reader's language: `?lang=` first, then the cookie, else French."""
    return pick_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))


def api_twin(request: Request) -> str:
    """The URL of the JSON twin of the requested page (same parameters, without `lang`)."""
    path = request.url.path.strip("/")
    start = max((key for key in API_TWINS if path == key or path.startswith(f"{key}/")),
                key=len, default=None)
    twin = API_TWINS.get(start) if start is not None else None
    rest = path[len(start) + 1:] if start else ""
    params = [(name, value) for name, value in request.query_params.multi_items() if name != "lang"]
    if twin is None or (twin in QUESTION_TWINS and not request.query_params.get("q", "").strip()):
        return API_SCHEMA
    query = urlencode(params)
    return twin + (f"/{rest}" if rest else "") + (f"?{query}" if query else "")


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a page with the common context; remember an explicit `?lang=` in a cookie."""
    lang = request_lang(request)
    searcher = request.app.state.searcher
    info = searcher.library.info()
    other = translate("lang.other_code", lang)
    # A relative link: nothing on a page is built from the request's Host header.
    switched = request.url.include_query_params(lang=other)
    page_context = {
        "lang": lang,
        "t": partial(translate, lang=lang),
        "info": info,
        "sample": bool(info.get("sample")),
        # Years of the indexed editions, for the texts that name them (tagline, compare).
        "editions": edition_years([report.year for report in searcher.library.reports()], lang),
        "lang_switch_url": f"{switched.path}?{switched.query}",
        "other_lang": other,
        "path": request.url.path,
        "api_url": api_twin(request),
        "note_max": MAX_NOTE_CHARS,
        **context,
    }
    response = templates.TemplateResponse(request, template, page_context, status_code=status_code)
    if request.query_params.get("lang") == lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=LANG_COOKIE_SECONDS, samesite="lax")
    return response
