"""Errors in plain French: a JSON body under /api, a polite page elsewhere; never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search import QueryError
from search.searcher import KIND_FILTERS, MAX_K, MAX_QUERY_CHARS

from .brief import MAX_NOTE_CHARS
from .i18n import CATALOGUE, translate
from .params import MAX_EXPORT_IDS
from .rendering import render, request_lang

logger = logging.getLogger(__name__)

# The bounds the messages of invalid parameters state (web/i18n.py, « error.param.* »).
PARAM_BOUNDS = {"max_chars": MAX_QUERY_CHARS, "max_k": MAX_K, "max_ids": MAX_EXPORT_IDS,
                "max_note": MAX_NOTE_CHARS, "kinds": ", ".join(KIND_FILTERS)}

# The 500 page when even the site's own page cannot be rendered (templates, index unreadable).
BARE_SERVER_ERROR = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Erreur du serveur — '
    'Territoires KB</title></head><body><main><h1>Erreur du serveur</h1><p role="alert">{message}'
    '</p><p><a href="/">Retour à la recherche</a></p></main></body></html>'
)


def wants_json(request: Request) -> bool:
    """API requests get JSON errors; pages get HTML."""
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(request: Request, status_code: int, message: str) -> Response:
    """The error as JSON (`{"detail": ...}`) or as a French page with the search form."""
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status_code)
    lang = request_lang(request)
    title_key = f"error.title.{status_code}"
    title = translate(title_key if title_key in CATALOGUE else "error.title.other", lang)
    context = {"title": title, "message": message, "q": ""}
    return render(request, "error.html", context, status_code=status_code)


def validation_message(exc: RequestValidationError, lang: str) -> str:
    """A plain-words message for the first invalid parameter."""
    error = exc.errors()[0] if exc.errors() else {}
    name = str(error.get("loc", ("", ""))[-1])
    key = f"error.param.{name}"
    if key in CATALOGUE:
        return translate(key, lang, **PARAM_BOUNDS)
    return translate("error.param.other", lang, name=name)


async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
    """Out-of-bounds or malformed parameters → 422 with a clear message."""
    return error_response(request, 422, validation_message(exc, request_lang(request)))


async def on_query_error(request: Request, exc: QueryError) -> Response:
    """A question the search engine refuses (empty, too long, unknown filter) → 422."""
    return error_response(request, 422, str(exc))


async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """404 and friends; unknown routes get the generic French message."""
    message = exc.detail if isinstance(exc.detail, str) and exc.detail else ""
    if exc.status_code == 404 and (not message or message == "Not Found"):
        message = translate("error.not_found", request_lang(request))
    return error_response(request, exc.status_code, message)


def server_error_response(request: Request) -> Response:
    """The 500 answer: the site's error page (JSON under /api), else a bare French page."""
    message = translate("error.server", request_lang(request))
    try:
        return error_response(request, 500, message)
    except Exception:  # the page itself cannot be built: say so without the templates
        logger.exception("la page d'erreur 500 n'a pas pu être affichée")
        return HTMLResponse(BARE_SERVER_ERROR.format(message=message), status_code=500)


class ServerErrorPage:
    """Pure ASGI middleware: an unexpected exception becomes the French 500 page.

    Installed inside the security-headers middleware, so the 500 carries them (Starlette's
    own last-resort handler sits outside every middleware). The traceback goes to the log.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; on an exception before the response started, send the 500."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            logger.exception("erreur inattendue sur %s", scope.get("path"))
            if started:
                raise
            await server_error_response(Request(scope))(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Register the French error handlers on `app`."""
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(QueryError, on_query_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)


def not_found(request: Request, key: str, **values: object) -> StarletteHTTPException:
    """A 404 carrying the catalogue message `key` in the reader's language."""
    return StarletteHTTPException(404, translate(key, request_lang(request), **values))
