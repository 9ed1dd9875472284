"""Search page (`/`, `/recherche`) and its JSON twin `/api/search`.

The page shows back what the search understood (reports, recommendation number, kind,
language) as chips, each filter chip with a link that removes it; counts per report and per
kind among the best MAX_K results of the question; and « more results » up to MAX_K.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from index.records import Report
from search import Searcher, SearchResponse
from search.searcher import KIND_FILTERS, MAX_K

from ..cards import chronological, result_card
from ..deps import SearcherDep
from ..i18n import translate
from ..models import ERROR_RESPONSES, SearchOut
from ..params import K, Kind, OptionalQuestion, Question, ReportFilter, clean_reports
from ..rendering import render, request_lang

router = APIRouter()

DEFAULT_K = 10
MORE_STEP = 10


def run_search(
    searcher: Searcher, q: str, k: int, report: list[str] | None, kind: str
) -> SearchResponse:
    """The search both twins show."""
    return searcher.search(q, k=k, reports=clean_reports(report), kind=kind)


def search_items(response: SearchResponse, lang: str) -> list[dict]:
    """The results as the page and the API show them: one card object for both."""
    return [result_card(result, lang) for result in response.results]


@router.get(
    "/api/search",
    response_model=SearchOut,
    responses=ERROR_RESPONSES,
    tags=["recherche"],
    summary=translate("api.search"),
)
def api_search(
    request: Request,
    searcher: SearcherDep,
    q: Question,
    k: K = DEFAULT_K,
    report: ReportFilter = None,
    kind: Kind = "all",
) -> dict:
    """The search results, each with its citation (in the reader's language), permalink,
    reader and PDF links and part."""
    response = run_search(searcher, q, k, report, kind)
    return {**response.to_dict(), "results": search_items(response, request_lang(request))}


def page_url(q: str, k: int, reports: list[str], kind: str) -> str:
    """The search page URL for these settings (defaults left out, so URLs stay short)."""
    params: list[tuple[str, str | int]] = [("q", q)]
    params += [("report", report_id) for report_id in reports]
    if kind != "all":
        params.append(("kind", kind))
    if k != DEFAULT_K:
        params.append(("k", k))
    return "/recherche?" + urlencode(params)


def active_reports(
    response: SearchResponse, explicit: list[str], reports: list[Report]
) -> list[str]:
    """Ids of the reports the search ran in: the chosen ones, else those named in the question."""
    by_key = {key: report.id for report in reports for key in (report.id, str(report.year))}
    if explicit:
        return list(dict.fromkeys(by_key[key] for key in explicit if key in by_key))
    return list(response.detected.get("reports") or [])


def understood_chips(
    q: str, k: int, kind: str, explicit: list[str], active: list[str], response: SearchResponse,
    reports: list[Report], lang: str,
) -> list[dict]:
    """What the search understood, each with the URL of the same search without it (if any)."""
    years = {report.id: report.year for report in reports}
    everything = [report.id for report in reports]
    chips = []
    for report_id in active if set(active) != set(everything) else []:
        others = [other for other in active if other != report_id] or everything
        chips.append({
            "label": translate("chip.report", lang, year=years[report_id]),
            "from_question": not explicit,
            "remove": page_url(q, k, others, kind),
        })
    detected = response.detected
    if kind != "all":
        chips.append({"label": translate(f"kind.{kind}", lang), "from_question": False,
                      "remove": page_url(q, k, explicit, "all")})
    elif detected.get("kind"):
        chips.append({"label": translate("chip.kind_first", lang), "from_question": True,
                      "remove": None})
    if detected.get("number") is not None:
        chips.append({"label": translate("chip.number", lang, n=detected["number"]),
                      "from_question": True, "remove": None})
    chips.append({"label": translate(f"chip.lang.{detected.get('lang', 'fr')}", lang),
                  "from_question": True, "remove": None})
    return chips


def facet_counts(searcher: Searcher, q: str, reports: list[Report]) -> dict[str, int]:
    """Among the MAX_K best results in every report and of every kind: how many per report id
    and per kind (`all` is their total)."""
    every = searcher.search(q, k=MAX_K, reports=[report.id for report in reports], kind="all")
    counts = {report.id: 0 for report in reports} | {kind: 0 for kind in KIND_FILTERS}
    for result in every.results:
        counts[result.report.id] += 1
        counts[result.chunk.kind] += 1
        counts["all"] += 1
    return counts


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
@router.get("/recherche", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    searcher: SearcherDep,
    q: OptionalQuestion = "",
    k: K = DEFAULT_K,
    report: ReportFilter = None,
    kind: Kind = "all",
) -> HTMLResponse:
    """The query box, collapsible filters, what was understood and the result cards; an empty
    question just shows the form."""
    reports = chronological(searcher.library.reports())
    explicit = clean_reports(report) or []
    context: dict = {"q": q, "k": k, "kind": kind, "reports": reports, "selected": explicit,
                     "response": None, "cards": [], "chips": [], "counts": {}, "more_url": None}
    if q.strip():
        response = run_search(searcher, q, k, report, kind)
        active = active_reports(response, explicit, reports)
        lang = request_lang(request)
        context.update(
            response=response,
            cards=search_items(response, lang),
            chips=understood_chips(q, k, kind, explicit, active, response, reports, lang),
            counts=facet_counts(searcher, q, reports),
        )
        if len(response.results) == k < MAX_K:
            context["more_url"] = page_url(q, min(k + MORE_STEP, MAX_K), explicit, kind)
        if k > DEFAULT_K:  # « more results » lands (#suite) on the first card it added
            context["first_new"] = k - MORE_STEP + 1
    return render(request, "search.html", context)
