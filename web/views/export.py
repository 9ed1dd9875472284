"""Brief export of selected excerpts: printable page `/export` and Markdown `/export.md`."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse

from search import Searcher

from ..cards import chunk_card
from ..deps import SearcherDep
from ..errors import not_found
from ..i18n import translate
from ..params import MAX_EXPORT_IDS, OptionalQuestion
from ..rendering import render, request_lang

router = APIRouter()

Ids = Annotated[str, Query(description="Identifiants des extraits, séparés par des virgules")]

# Characters that would turn plain text into Markdown (or raw HTML) markup.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def parse_ids(ids: str) -> list[str]:
    """The selected ids, in order, without duplicates; 1 to MAX_EXPORT_IDS of them."""
    parsed = list(dict.fromkeys(part.strip() for part in ids.split(",") if part.strip()))
    if not 1 <= len(parsed) <= MAX_EXPORT_IDS:
        raise RequestValidationError([{"loc": ("query", "ids"), "msg": "", "type": "value"}])
    return parsed


def export_items(request: Request, searcher: Searcher, ids: str) -> list[dict]:
    """Cards of the selected excerpts with absolute permalink and PDF URLs."""
    base = str(request.base_url).rstrip("/")
    items = []
    for chunk_id in parse_ids(ids):
        chunk = searcher.chunk(chunk_id)
        if chunk is None:
            raise not_found(request, "error.passage", id=chunk_id)
        card = chunk_card(chunk, searcher.report(chunk.report_id))
        card["permalink_abs"] = base + card["permalink"]
        card["pdf_url_abs"] = base + card["pdf_url"]
        items.append(card)
    return items


def escape_markdown(text: str) -> str:
    """Plain text safe inside Markdown: no markup, no raw HTML, no links."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def brief_markdown(q: str, items: list[dict], lang: str, today: str) -> str:
    """The brief as Markdown: question, then each excerpt with its citation and links."""
    question = escape_markdown(q.strip()) or translate("export.no_question", lang)
    lines = [
        f"# {translate('export.title', lang)}",
        "",
        f"**{translate('export.question', lang)} :** {question}",
        "",
        translate("export.generated", lang, date=today),
    ]
    for n, item in enumerate(items, start=1):
        heading = escape_markdown(item["label"] or item["section"] or item["report"]["title"])
        quoted = [f"> {escape_markdown(line)}" for line in item["text"].splitlines() if line]
        lines += [
            "",
            f"## {translate('export.excerpt', lang, n=n)} — {heading}",
            "",
            *quoted,
            "",
            f"- {translate('export.citation', lang)} : {escape_markdown(item['citation'])}",
            f"- {translate('export.permalink', lang)} : <{item['permalink_abs']}>",
            f"- {translate('export.pdf', lang)} {item['pdf_page']} : <{item['pdf_url_abs']}>",
        ]
    return "\n".join(lines) + "\n"


# A browser download like the pages: its errors are French pages, so it stays out of the API.
@router.get("/export.md", response_class=PlainTextResponse, include_in_schema=False)
def export_markdown(
    request: Request,
    searcher: SearcherDep,
    ids: Ids,
    q: OptionalQuestion = "",
) -> PlainTextResponse:
    """Download the selected excerpts as a Markdown brief."""
    items = export_items(request, searcher, ids)
    text = brief_markdown(q, items, request_lang(request), dt.date.today().isoformat())
    return PlainTextResponse(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="dossier-territoires-kb.md"'},
    )


@router.get("/export", response_class=HTMLResponse, include_in_schema=False)
def export_page(
    request: Request,
    searcher: SearcherDep,
    ids: Ids,
    q: OptionalQuestion = "",
) -> HTMLResponse:
    """The brief as a printable page (print CSS)."""
    items = export_items(request, searcher, ids)
    context = {"q": q, "items": items, "today": dt.date.today().isoformat(), "ids": ids}
    return render(request, "export.html", context)
