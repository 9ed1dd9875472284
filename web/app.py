"""The FastAPI application: routes, templates, static files, security and reload."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from search import Searcher
from search.fusion import FusionSettings
from search.rerank import Reranker

from .deps import check_reload
from .errors import ServerErrorPage, install_error_handlers
from .head import HeadAsGet
from .headers import SecurityHeaders, ServerTiming
from .i18n import edition_years
from .pdffiles import PdfFiles
from .reload import ReloadThrottle
from .settings import HOST, PORT
from .views import (
    apidocs,
    compare,
    export,
    glossary,
    health,
    passages,
    recommendations,
    reports,
    search,
    viewer,
)

STATIC_DIR = Path(__file__).resolve().parent / "static"
ROUTERS = [search, compare, recommendations, passages, reports, glossary, export, viewer, health,
           apidocs]


def local_url(host: str, port: int) -> str:
    """The address a server listening on `host`:`port` answers at."""
    return f"http://{host}:{port}"


def create_app(
    index_dir: Path,
    model: str | None = None,
    fusion: FusionSettings | None = None,
    base_url: str = local_url(HOST.default, PORT.default),
    reranker: Reranker | None = None,
) -> FastAPI:
    """The web app over the index in `index_dir` (IndexMissing if there is none).

    `base_url` starts every absolute link the exports print (never the request's Host header).
    """
    searcher = Searcher.open(index_dir, model, fusion, reranker=reranker)
    years = edition_years([report.year for report in searcher.library.reports()])["years"]
    app = FastAPI(
        title="Territoires KB",
        description="Recherche dans les rapports publics français sur les territoires "
        f"intelligents ({years}). Chaque page HTML a son double JSON sous /api.",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(check_reload)],
    )
    app.state.searcher = searcher
    app.state.base_url = base_url.rstrip("/")
    app.state.reload_throttle = ReloadThrottle(searcher)
    app.state.pdf_files = PdfFiles()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for view in ROUTERS:
        app.include_router(view.router)
    install_error_handlers(app)
    app.add_middleware(ServerErrorPage)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    app.add_middleware(ServerTiming)
    return app
