"""In-process search latency (p50/p95/p99, queries/s), index load time and size on disk.

Baseline, same process: encoding the query alone — the part every dense system pays. The
ratio says what BM25, FAISS, fusion and result building add on top of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.measure import Spread, disk_mib, latencies_ms, ratio, repeat, rss_mib, seconds, tail
from bench.queries import QUERIES
from bench.tables import print_table
from index.store import DB_NAME, FAISS_NAME, LEXICAL_DIR, SENTENCES_NAME, open_index
from search import Searcher

K = 10


@dataclass(frozen=True)
class QueryFigures:
    """Per-stage latency percentiles (each a spread over runs) and throughput."""

    encode: dict[str, Spread]
    ranking: dict[str, Spread]
    full: dict[str, Spread]
    qps: Spread
    rss_mib: float
    load_ms: Spread


def spread_of_runs(runs: list[dict[str, float]]) -> dict[str, Spread]:
    """For each percentile, its spread over runs."""
    return {key: Spread.of([run[key] for run in runs]) for key in runs[0]}


def measure_queries(searcher: Searcher, runs: int, queries: list[str] = QUERIES) -> QueryFigures:
    """Time every query `runs` times: encoding alone, ranking alone, whole search."""
    loaded = searcher.loaded
    searcher.search(queries[0], k=K)  # the first call pages the model in
    vectors = {query: loaded.encoder.encode_query(query) for query in queries}
    encode, ranking, full, qps = [], [], [], []
    for _ in range(max(runs, 1)):
        encode.append(tail(latencies_ms(loaded.encoder.encode_query, queries)))
        ranking.append(tail(latencies_ms(
            lambda q: searcher.search_with(loaded, q, K, None, "all", vectors.__getitem__),
            queries)))
        whole = latencies_ms(lambda q: searcher.search(q, k=K), queries)
        full.append(tail(whole))
        qps.append(len(queries) / (sum(whole) / 1000))
    # Loading the build (SQLite, both FAISS indexes, BM25), without the encoder.
    load = repeat(lambda: seconds(lambda: open_index(searcher.index_dir)) * 1000, runs)
    return QueryFigures(spread_of_runs(encode), spread_of_runs(ranking), spread_of_runs(full),
                        Spread.of(qps), rss_mib(), load)


def print_queries(figures: QueryFigures, runs: int, queries: int) -> None:
    """The in-process latency table."""
    base = figures.encode["p50"].median
    rows = [
        [name, *(stage[p].show(2) for p in ("p50", "p95", "p99")), ratio(stage["p50"].median, base)]
        for name, stage in (("base : encodage seul", figures.encode),
                            ("classement hors encodage", figures.ranking),
                            ("recherche complète", figures.full))
    ]
    share = base / figures.full["p50"].median if figures.full["p50"].median else 0.0
    rows.append(["part de l'encodage dans la recherche complète (p50)", f"{share:.0%}", "", "",
                 ""])
    rows.append(["débit séquentiel (requêtes/s)", figures.qps.show(0), "", "", ""])
    rows.append(["RSS du processus (Mio)", f"{figures.rss_mib:.0f}", "", "", ""])
    rows.append(["chargement de l'index, sans l'encodeur (ms)", figures.load_ms.show(1), "", "",
                 ""])
    print_table(f"Recherche en processus — {queries} questions × {runs} passes, ms, médiane "
                "(min–max) des passes ; base : encodage de la question",
                ["étape", "p50", "p95", "p99", "p50 / base"], rows)


def print_index_size(index_dir: Path, searcher: Searcher) -> None:
    """Size on disk of each part of the live build against the raw text it holds."""
    build = searcher.loaded.reader.path
    text_mib = sum(len(chunk.text.encode()) for chunk in searcher.loaded.chunks) / 2**20
    parts = [("SQLite (textes, métadonnées)", build / DB_NAME),
             ("FAISS (vecteurs des extraits)", build / FAISS_NAME),
             ("FAISS (vecteurs des phrases)", build / SENTENCES_NAME),
             ("BM25 (bm25s)", build / LEXICAL_DIR)]
    rows = [["base : texte brut des extraits (UTF-8)", f"{text_mib:.2f}", "×1.00"]]
    rows += [[name, f"{disk_mib(path):.2f}", ratio(disk_mib(path), text_mib)]
             for name, path in parts]
    total = disk_mib(build)
    rows.append(["build complet", f"{total:.2f}", ratio(total, text_mib)])
    print_table(f"Taille de l'index sur disque — {index_dir}, Mio ; base : texte brut",
                ["partie", "Mio", "/ base"], rows)
