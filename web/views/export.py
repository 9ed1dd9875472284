"""Brief exports of the picked excerpts: printable page `/export`, Markdown `/export.md`, Word
`/export.docx`, and the references alone as BibTeX `/export.bib` and RIS `/export.ris`.

Every export takes the URL shape of `web/brief.py`, groups the excerpts by the question each was
picked under, and builds its links from the configured base URL (`KB_BASE_URL`), never from the
request's Host header.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response

from ..brief import (
    Brief,
    BriefError,
    UnknownExcerpt,
    labelled,
    parse_brief,
    question_title,
    resolve,
)
from ..citation import bibtex, escape_markdown, one_line, ris
from ..deps import SearcherDep
from ..docx_brief import brief_docx
from ..errors import not_found
from ..i18n import translate
from ..params import OptionalQuestion
from ..rendering import render, request_lang

router = APIRouter()

Ids = Annotated[str, Query(description="Identifiants des extraits, séparés par des virgules")]
Questions = Annotated[
    list[str] | None, Query(description="La question de chaque extrait, dans l'ordre des ids")
]
Notes = Annotated[list[str] | None, Query(description="La note de chaque extrait, dans l'ordre")]

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def requested_brief(
    request: Request, searcher: SearcherDep, ids: Ids, question: Questions = None,
    note: Notes = None, q: OptionalQuestion = "",
) -> Brief:
    """The brief a request's query string describes (422 naming the parameter to fix)."""
    try:
        items = parse_brief(ids, question, note, q)
    except BriefError as exc:
        raise RequestValidationError(
            [{"loc": ("query", exc.param), "msg": "", "type": "value"}]
        ) from exc
    today = dt.date.today().isoformat()
    try:
        return resolve(searcher, items, request.app.state.base_url, request_lang(request), today)
    except UnknownExcerpt as exc:
        raise not_found(request, "error.passage", id=exc.args[0]) from exc


BriefDep = Annotated[Brief, Depends(requested_brief)]


def brief_markdown(brief: Brief) -> str:
    """The brief as Markdown: one section per question, each excerpt quoted, cited, linked."""
    t = brief.lang
    lines = [f"# {translate('export.title', t)}", "", translate("export.generated", t,
                                                                 date=brief.today)]
    if brief.sample:
        lines += ["", f"> **{escape_markdown(translate('sample.banner', t))}**"]
    for question, items in brief.groups:
        lines += ["", f"## {escape_markdown(question_title(question, t))}"]
        for e in items:
            paragraphs = [escape_markdown(one_line(p)) for p in e.card["text"].splitlines()]
            quoted = "\n>\n".join(f"> {p}" for p in paragraphs if p)
            lines += ["", f"### {e.n}. {escape_markdown(e.heading)}", "", quoted, ""]
            lines.append(f"- {labelled('export.reference', t)} {e.citation_md}")
            if e.item.note:
                lines.append(f"- {labelled('export.note', t)} {escape_markdown(e.item.note)}")
            lines += [
                f"- {labelled('export.pages', t)} {escape_markdown(e.pages_note)}",
                f"- {labelled('export.viewer', t)} <{e.viewer}>",
                f"- {labelled('export.permalink', t)} <{e.permalink}>",
            ]
    return "\n".join(lines) + "\n"


def download(content: str | bytes, media_type: str, filename: str) -> Response:
    """An attachment response."""
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# Browser downloads like the pages: their errors are French pages, so they stay out of the API.
@router.get("/export.md", include_in_schema=False)
def export_markdown(brief: BriefDep) -> Response:
    """Download the brief as Markdown."""
    return download(brief_markdown(brief), "text/markdown; charset=utf-8",
                    "dossier-territoires-kb.md")


@router.get("/export.docx", include_in_schema=False)
def export_docx(brief: BriefDep) -> Response:
    """Download the brief as a Word document."""
    return download(brief_docx(brief), DOCX_TYPE, "dossier-territoires-kb.docx")


@router.get("/export.bib", include_in_schema=False)
def export_bibtex(brief: BriefDep) -> Response:
    """Download the references of the picked excerpts as BibTeX."""
    text = "\n".join(bibtex(e.ref, brief.lang, e.permalink) for e in brief.excerpts)
    return download(text, "application/x-bibtex; charset=utf-8", "references-territoires-kb.bib")


@router.get("/export.ris", include_in_schema=False)
def export_ris(brief: BriefDep) -> Response:
    """Download the references of the picked excerpts as RIS."""
    text = "".join(ris(e.ref, brief.lang, e.permalink) for e in brief.excerpts)
    return download(text, "application/x-research-info-systems; charset=utf-8",
                    "references-territoires-kb.ris")


@router.get("/export", response_class=HTMLResponse, include_in_schema=False)
def export_page(request: Request, brief: BriefDep) -> HTMLResponse:
    """The brief as a printable page, with links to the other formats of the same brief."""
    context = {
        "brief": brief,
        "query": request.url.query,
        "question_title": lambda question: question_title(question, brief.lang),
    }
    return render(request, "export.html", context)
