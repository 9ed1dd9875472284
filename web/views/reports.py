"""Reports page (`/rapports`), its JSON twin `/api/reports`, and the PDFs (`/pdf/<id>`)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from starlette.exceptions import HTTPException

from search import Searcher

from ..cards import chronological, report_card
from ..deps import SearcherDep
from ..errors import not_found
from ..i18n import translate
from ..models import ReportOut
from ..pdffiles import PdfUnavailable, read_blocks
from ..rendering import render, request_lang

router = APIRouter()


def report_cards(searcher: Searcher) -> list[dict]:
    """Every report of the index, oldest first."""
    return [
        report_card(report, searcher.library.pdf_path(report.id) is not None)
        for report in chronological(searcher.library.reports())
    ]


@router.get(
    "/api/reports",
    response_model=list[ReportOut],
    tags=["rapports"],
    summary=translate("api.reports"),
)
def api_reports(searcher: SearcherDep) -> list[dict]:
    """The reports as JSON."""
    return report_cards(searcher)


@router.get("/rapports", response_class=HTMLResponse, include_in_schema=False)
def reports_page(request: Request, searcher: SearcherDep) -> HTMLResponse:
    """The reports with their PDF and recommendations links."""
    return render(request, "reports.html", {"reports": report_cards(searcher)})


# A browser download like the pages: its errors are French pages, so it stays out of the API.
@router.get("/pdf/{report_id}", response_class=StreamingResponse, include_in_schema=False)
def report_pdf(request: Request, report_id: str, searcher: SearcherDep) -> StreamingResponse:
    """Serve only the indexed PDF of a known report (no path ever comes from the URL), and only
    while the file on disk is the one indexed: same SHA-256, no symbolic link."""
    report = searcher.library.report(report_id)
    if report is None or not report.pdf_path:
        raise not_found(request, "error.pdf")
    try:
        descriptor, size = request.app.state.pdf_files.open(Path(report.pdf_path), report.sha256)
    except PdfUnavailable as exc:
        status = 404 if exc.reason == "missing" else 409
        message = translate(f"error.pdf_{exc.reason}", request_lang(request))
        raise HTTPException(status, message) from exc
    return StreamingResponse(
        read_blocks(descriptor, size),
        media_type="application/pdf",
        headers={
            "Content-Length": str(size),
            "Content-Disposition": f'inline; filename="{report_id}.pdf"',
        },
    )
