"""Reports page (`/rapports`), its JSON twin `/api/reports`, and the PDFs (`/pdf/<id>`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from search import Searcher

from ..cards import chronological, report_card
from ..deps import SearcherDep
from ..errors import not_found
from ..i18n import translate
from ..models import ReportOut
from ..rendering import render

router = APIRouter()


def report_cards(searcher: Searcher) -> list[dict]:
    """Every report of the index, oldest first."""
    return [
        report_card(report, searcher.pdf_path(report.id) is not None)
        for report in chronological(searcher.reports())
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
@router.get("/pdf/{report_id}", response_class=FileResponse, include_in_schema=False)
def report_pdf(request: Request, report_id: str, searcher: SearcherDep) -> FileResponse:
    """Serve only the indexed PDF of a known report: no path ever comes from the URL."""
    path = searcher.pdf_path(report_id) if searcher.report(report_id) else None
    if path is None or not path.is_file():
        raise not_found(request, "error.pdf")
    return FileResponse(
        path,
        media_type="application/pdf",
        filename=f"{report_id}.pdf",
        content_disposition_type="inline",
    )
