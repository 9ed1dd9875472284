"""In-process search latency on an index: p50/p95/p99 with and without query encoding.

Usage: python bench/bench_search.py [--index var/index] [--runs 5]
Targets: p50 ≤ 15 ms excluding encoding, p95 ≤ 60 ms including it. Every figure is the median
over the runs; each run goes once through all the queries.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index import settings  # noqa: E402
from search import IndexIncompatible, IndexMissing, Searcher  # noqa: E402

QUERIES = [
    "gouvernance des données",
    "ouverture des données publiques",
    "recommandation 12",
    "proposition n° 5 du rapport Belot",
    "financement des projets de territoire connecté",
    "cybersécurité des collectivités",
    "éclairage public intelligent",
    "mobilité et transports",
    "participation des citoyens",
    "petites communes rurales et ingénierie",
    "how can cities protect personal data",
    "souveraineté numérique et hébergement des données",
    "rapport de 2021 interopérabilité",
    "formation des élus au numérique",
    "plateforme de données territoriale",
    "what funding for smart city projects",
]


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 of samples in milliseconds."""
    values = np.array(samples) * 1000
    return tuple(float(np.percentile(values, q)) for q in (50, 95, 99))


def one_run(searcher: Searcher) -> dict[str, float]:
    """Time every query once, with encoding and with a pre-computed query vector."""
    loaded = searcher.loaded
    encode_times, full, ranking = [], [], []
    vectors = {}
    for query in QUERIES:
        start = time.perf_counter()
        vectors[query] = loaded.encoder.encode_query(query)
        encode_times.append(time.perf_counter() - start)
    for query in QUERIES:
        start = time.perf_counter()
        searcher.search(query, k=10)
        full.append(time.perf_counter() - start)
        start = time.perf_counter()
        searcher.search_with(loaded, query, 10, None, "all", vectors.__getitem__)
        ranking.append(time.perf_counter() - start)
    excl, incl = percentiles(ranking), percentiles(full)
    return {
        "excl_p50": excl[0], "excl_p95": excl[1], "excl_p99": excl[2],
        "incl_p50": incl[0], "incl_p95": incl[1], "incl_p99": incl[2],
        "encoder_share": sum(encode_times) / sum(full),
        "qps": len(QUERIES) / sum(full),
    }


def main() -> int:
    """Run the benchmark and print the medians."""
    parser = argparse.ArgumentParser(description="Latence de la recherche hybride.")
    settings.add_flag(parser, "index")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    try:
        start = time.perf_counter()
        searcher = Searcher.open(args.index)
        load_time = time.perf_counter() - start
    except (IndexMissing, IndexIncompatible) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    start = time.perf_counter()
    searcher.search("échauffement", k=10)  # the first call loads the model weights
    first_call = time.perf_counter() - start
    runs = [one_run(searcher) for _ in range(max(5, args.runs))]
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    info = searcher.info()
    print(f"index : {args.index} ({info['counts']}, encodeur {info['encoder']['name']})")
    print(f"chargement de l'index : {load_time * 1000:.0f} ms ; premier appel (poids du "
          f"modèle) : {first_call * 1000:.0f} ms ; "
          f"RSS : {psutil.Process().memory_info().rss / 2**20:.0f} Mio")
    print(f"hors encodage : p50 {median['excl_p50']:.1f} ms, p95 {median['excl_p95']:.1f} ms, "
          f"p99 {median['excl_p99']:.1f} ms")
    print(f"avec encodage : p50 {median['incl_p50']:.1f} ms, p95 {median['incl_p95']:.1f} ms, "
          f"p99 {median['incl_p99']:.1f} ms")
    print(f"part de l'encodeur : {median['encoder_share']:.0%} ; "
          f"débit : {median['qps']:.0f} requêtes/s (médianes sur {len(runs)} passes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
