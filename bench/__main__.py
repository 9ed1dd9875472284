"""`python -m bench`: every benchmark table in one run (ingest, queries, HTTP, peers, scale).

Without --index, the bundled sample corpus is first indexed into a scratch directory, and every
table is measured on that fresh index. Figures are medians of --runs runs (at least 5) with
their min–max, and ratios against a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import faiss

from bench.ingest_speed import FILE_TIMEOUT_S, MODEL, measure_ingest, print_ingest, sample_reports
from bench.measure import MIN_RUNS
from bench.peers import bm25s_quality, eval_report, measure_peers, print_peer_speed, print_quality
from bench.queries import QUERIES
from bench.query_speed import measure_queries, print_index_size, print_queries
from bench.scale import TYPES
from bench.scale_report import run_scale
from bench.startup import measure_startup, print_startup
from bench.text_speed import measure_text, print_text
from bench.web_speed import measure_web, print_web
from index.cli import CommandParser, names_among
from index.encoders import EncoderError
from index.settings import SAMPLE_DIR
from ingest.pipeline import IngestError, run_ingest
from search import IndexIncompatible, IndexMissing, Searcher
from search.searcher import FAISS_THREADS

SECTIONS = ("ingest", "text", "query", "web", "startup", "peers", "scale")
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
# Default index types per size: the whole run must stay under 20 minutes on 2 cores. At 1 M only
# the two the project chooses between (exact, IVF-Flat); IVF-PQ (recall@10 ≈ 0.7 here, slow to
# train), IVF-SQ8 and HNSW at 1 M (≈ 2 and many more minutes) are opt-in through --types(-1m).
DEFAULT_TYPES = ("flat", "ivf-flat", "ivf-sq8", "hnsw")
DEFAULT_TYPES_1M = ("flat", "ivf-flat")
QUICK_SIZES = (2_000,)
QUICK_TYPES = ("flat", "ivf-flat")


def sizes(text: str) -> list[int]:
    """argparse type for --sizes: comma-separated positive integers."""
    try:
        values = [int(item) for item in text.split(",") if item.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"liste de tailles invalide « {text} »") from exc
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("chaque taille doit être un entier positif")
    return values


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    parser = CommandParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=MIN_RUNS,
                        help=f"essais par mesure (au moins {MIN_RUNS})")
    parser.add_argument("--only", type=names_among(SECTIONS, "partie(s)"),
                        default=list(SECTIONS),
                        help=f"parties à mesurer, séparées par des virgules ({','.join(SECTIONS)})")
    parser.add_argument("--index", type=Path, default=None,
                        help="mesurer cet index existant au lieu d'indexer le corpus d'exemple")
    parser.add_argument("--sizes", type=sizes, default=list(DEFAULT_SIZES),
                        help="tailles des corpus synthétiques (extraits)")
    index_types = names_among(TYPES, "type(s) d'index")
    parser.add_argument("--types", type=index_types, default=list(DEFAULT_TYPES),
                        help="types d'index FAISS mesurés sous 1 million d'extraits")
    parser.add_argument("--types-1m", type=index_types, default=list(DEFAULT_TYPES_1M),
                        help="types d'index mesurés à partir d'1 million d'extraits "
                             "(ivf-sq8 : ~2 min de plus ; hnsw : bien davantage)")
    parser.add_argument("--wrk-seconds", type=int, default=10,
                        help="durée du test de charge wrk (0 : pas de wrk)")
    parser.add_argument("--quick", action="store_true",
                        help="essai de fumée : 1 essai, un seul rapport, 2 000 extraits "
                             "synthétiques (chiffres non significatifs)")
    return parser


def check_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Apply --quick; refuse fewer than MIN_RUNS runs (a French usage error)."""
    if args.quick:
        args.runs, args.sizes, args.wrk_seconds = 1, list(QUICK_SIZES), 0
        args.types = args.types_1m = list(QUICK_TYPES)
    elif args.runs < MIN_RUNS:
        parser.error(f"--runs doit valoir au moins {MIN_RUNS} (médiane de {MIN_RUNS} essais)")


def load_average() -> str:
    """The 1, 5 and 15 min load averages: how busy the machine is (other tests running?)."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def print_machine() -> None:
    """What the figures were measured on, and how busy the machine was."""
    print(f"# Territoires KB — bancs d'essai ({time.strftime('%Y-%m-%d %H:%M')})\n"
          f"machine : {os.cpu_count()} cœurs, Python {sys.version.split()[0]} ; charge "
          f"moyenne au départ (1, 5, 15 min) : {load_average()}", flush=True)


def sample_index(workdir: Path, quick: bool) -> Path:
    """Index the sample corpus (only its first report with --quick) into `workdir`."""
    index_dir = workdir / "index"
    reports = sample_reports(1 if quick else None)
    run_ingest([SAMPLE_DIR / report.file for report in reports], index_dir, MODEL,
               FILE_TIMEOUT_S, progress=False)
    return index_dir


def run_sections(args: argparse.Namespace, index_dir: Path) -> None:
    """Measure and print every requested section on `index_dir`."""
    runs, only = args.runs, args.only
    queries = QUERIES[:4] if args.quick else QUERIES
    if "ingest" in only:
        print_ingest(measure_ingest(sample_reports(1 if args.quick else None), runs), runs)
    if "text" in only:
        print_text(*measure_text(runs), runs)
    searcher = Searcher.open(index_dir)
    if "query" in only:
        print_queries(measure_queries(searcher, runs, queries), runs, len(queries))
        print_index_size(index_dir, searcher)
    if "web" in only:
        figures, load = measure_web(index_dir, runs, args.wrk_seconds, queries)
        print_web(figures, load, runs, len(queries))
    if "startup" in only:
        print_startup(measure_startup(index_dir, runs), runs)
    if "peers" in only:
        print_peer_speed(measure_peers(searcher, runs), runs, queries)
        report, gap = eval_report(index_dir)
        print_quality(report, gap, bm25s_quality(searcher))
    if "scale" in only:
        kinds = {size: args.types_1m if size >= 1_000_000 else args.types for size in args.sizes}
        run_scale(searcher, args.sizes, kinds, runs)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; 1 with a French message when the index cannot be used."""
    parser = build_parser()
    args = parser.parse_args(argv)
    check_args(parser, args)
    faiss.omp_set_num_threads(FAISS_THREADS)
    started = time.perf_counter()
    print_machine()
    try:
        with tempfile.TemporaryDirectory(prefix="kb-bench-") as workdir:
            index_dir = args.index or sample_index(Path(workdir), args.quick)
            run_sections(args, index_dir)
    except (IndexMissing, IndexIncompatible, EncoderError, IngestError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    print(f"\nDurée totale : {(time.perf_counter() - started) / 60:.1f} min ; charge moyenne "
          f"à la fin (1, 5, 15 min) : {load_average()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
