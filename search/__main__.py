"""Command line search: `python -m search "question" [-k 5] [--report 2021] [--kind …] [--json]`.

Exit codes: `index.cli.ExitCode` (0 even without a result, 2 for a bad question or option, 1 for
a missing or incompatible index or an encoder that does not load).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
from collections.abc import Mapping

import faiss

from index.cli import CommandParser, ExitCode
from index.encoders import EncoderError
from index.settings import INDEX, INDEX_MODEL
from search import IndexIncompatible, IndexMissing, QueryError, Searcher, SearchResponse
from search.fusion import FUSION, FusionSettings
from search.relevance import NONE
from search.rerank import RERANK, optional_reranker
from search.searcher import FAISS_THREADS, KIND_FILTERS, MAX_K


def build_parser(environ: Mapping[str, str] = os.environ) -> CommandParser:
    """The command's arguments and settings."""
    parser = CommandParser(prog="python -m search", environ=environ,
                           description="Chercher dans les rapports indexés.")
    parser.add_argument("query", help="la question, entre guillemets")
    parser.add_argument("-k", type=int, default=10, help=f"nombre de résultats (1 à {MAX_K})")
    parser.add_argument("--report", action="append", default=None,
                        help="limiter à un rapport (identifiant ou année) ; répétable")
    parser.add_argument("--kind", default="all", help=f"type : {', '.join(KIND_FILTERS)}")
    parser.add_argument("--json", action="store_true", help="sortie JSON")
    parser.add_settings(INDEX, INDEX_MODEL, *FUSION, *RERANK)
    return parser


def shorten(text: str, width: int) -> str:
    """One-line excerpt of at most `width` characters."""
    return textwrap.shorten(" ".join(text.split()), width=max(width, 20), placeholder=" …")


def render_table(response: SearchResponse) -> str:
    """The readable table: rank, score, report/year, page, section, excerpt."""
    notes = []
    if response.suggestion:
        notes.append(f"Vouliez-vous dire « {response.suggestion} » ?")
    if response.relevance == NONE and response.results:
        notes.append("Aucun passage ne répond clairement à la question ; les plus proches "
                     "suivent.")
    if not response.results:
        return "\n".join([*notes, f"Aucun résultat pour « {response.query} »."])
    width = shutil.get_terminal_size((120, 20)).columns
    lines = [*notes, f"{'#':>3}  {'score':>7}  {'rapport':<18} {'page':>6}  section / extrait"]
    for rank, result in enumerate(response.results, start=1):
        chunk = result.chunk
        label = f"{chunk.label} — " if chunk.label else ""
        section = " › ".join(chunk.section) or "—"
        lines.append(f"{rank:>3}  {result.score:>7.4f}  {result.report.id:<18} "
                     f"{chunk.page_label:>6}  {shorten(section, width - 42)}")
        lines.append(f"{'':>41}{shorten(label + result.best_sentence, width - 42)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run one search and print it; returns the exit code."""
    args = build_parser().parse_args(argv)
    faiss.omp_set_num_threads(FAISS_THREADS)
    reranker, warning = optional_reranker(args.reranker, args.rerank_depth)
    if warning:
        print(f"Attention : {warning}", file=sys.stderr)
    try:
        searcher = Searcher.open(args.index, model=args.model,
                                 fusion=FusionSettings.from_settings(vars(args)),
                                 reranker=reranker)
    except (IndexMissing, IndexIncompatible, EncoderError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return ExitCode.FAILURE
    try:
        response = searcher.search(args.query, k=args.k, reports=args.report, kind=args.kind)
    except QueryError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return ExitCode.USAGE_ERROR
    if args.json:
        print(json.dumps(response.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_table(response))
    return ExitCode.SUCCESS


if __name__ == "__main__":
    sys.exit(main())
