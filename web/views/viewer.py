"""The in-app PDF reader `/lire/<report>?page=N&passage=<id>`.

pdf.js (vendored in static/pdfjs/, PDFJS_VERSION) draws the page and its text layer, and
static/viewer.js highlights the cited passage there, across a page break when it runs over two.
The page also shows the passage, its complete citation in four formats and the one explanation
of printed versus PDF page; without JavaScript the plain PDF link (`/pdf/<report>#page=N`) and
the page form still work. Its JSON twin is the passage's `/api/passages/<id>`.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from index.records import Chunk

from ..cards import chunk_card, pdf_url, permalink
from ..citation import Reference, bibtex, citation_markdown, citation_text, pdf_page_note, ris
from ..deps import SearcherDep
from ..errors import not_found
from ..rendering import render, request_lang

router = APIRouter()

# The pdfjs-dist release vendored in web/static/pdfjs/ (its legacy build, for older browsers).
PDFJS_VERSION = "6.5.438"

Page = Annotated[int | None, Query(ge=1, le=100_000, description="Page du fichier PDF")]
Passage = Annotated[str, Query(max_length=200, description="Identifiant du passage à surligner")]


def page_labels(chunks: list[Chunk]) -> dict[int, str]:
    """Printed page number of each PDF page the chunks start or end on."""
    labels: dict[int, str] = {}
    for chunk in chunks:
        labels.setdefault(chunk.page, chunk.page_label)
        labels.setdefault(chunk.page_end, chunk.page_label_end or chunk.page_label)
    return labels


def citations(chunk: Chunk, report, lang: str, url: str) -> list[tuple[str, str]]:
    """The passage's citation in each format the reader can copy: (format name, text)."""
    ref = Reference.of(chunk, report)
    return [
        ("text", citation_text(ref, lang)),
        ("markdown", citation_markdown(ref, lang, url)),
        ("bibtex", bibtex(ref, lang, url)),
        ("ris", ris(ref, lang, url).replace("\r\n", "\n")),
    ]


@router.get("/lire/{report_id}", response_class=HTMLResponse, include_in_schema=False)
def viewer_page(
    request: Request, report_id: str, searcher: SearcherDep, page: Page = None,
    passage: Passage = "",
) -> HTMLResponse:
    """A report's PDF page in the app, the cited passage highlighted."""
    report = searcher.library.report(report_id)
    if report is None:
        raise not_found(request, "error.report", id=report_id)
    if searcher.library.pdf_path(report_id) is None:
        raise not_found(request, "error.pdf")
    chunk = searcher.library.chunk(passage) if passage else None
    if passage and (chunk is None or chunk.report_id != report_id):
        raise not_found(request, "error.passage", id=passage)
    shown = page or (chunk.page if chunk else 1)
    lang = request_lang(request)
    context = {
        "report": report,
        "page": shown,
        "passage": chunk_card(chunk, report, lang) if chunk else None,
        "chunk": chunk,
        "pdf_href": pdf_url(report_id, shown),
        "pdf_src": pdf_url(report_id),
        "labels": json.dumps(page_labels(searcher.loaded.reader.chunks(report_id))),
        "pages_note": pdf_page_note(Reference.of(chunk, report), lang) if chunk else "",
        "citations": citations(chunk, report, lang, request.app.state.base_url
                               + permalink(chunk)) if chunk else [],
        "pdfjs_version": PDFJS_VERSION,
    }
    return render(request, "viewer.html", context)
