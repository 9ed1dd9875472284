"""Scale: FAISS index types and BM25 on synthetic corpora of 10 k to 1 M chunks.

For each size: build time, size on disk, memory, p50/p95 latency of one query at a time on one
thread (as the product searches), and recall@10 of each approximate index against exact search,
for each search-time setting swept (nprobe, efSearch). Every build and every measurement runs in
a fresh process, so one index's memory never counts in another's figures.
Targets at 1 M chunks on 2 cores: p95 ≤ 30 ms, recall@10 ≥ 0.95, RAM ≤ 3 GB.
"""

from __future__ import annotations

import gc
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import faiss
import numpy as np

from bench.measure import Spread, disk_mib, latencies_ms, peak_rss_mib, rss_mib, seconds, tail
from bench.synthetic import Seeds, synthetic_documents, synthetic_vectors
from index.french import analyze
from index.lexical import LexicalIndex
from index.store import ivf_lists, train_ivf
from search.searcher import CANDIDATE_DEPTH, FAISS_THREADS, lexical_top

K = 10
QUERY_COUNT = 100
TARGET_P95_MS = 30.0
TARGET_RECALL = 0.95
TARGET_RAM_MIB = 3 * 1024
# Exact search is preferred while its p95 stays under 5 ms: a whole search then stays near
# 10 ms, which leaves the 30 ms web target room for a busy machine (measured ×2 and worse).
EXACT_P95_BUDGET_MS = 5.0
# Index types whose stored vectors are exact: the index is also the project's vector store
# (incremental ingest and "similar recommendations" read vectors back from it).
LOSSLESS = ("flat", "ivf-flat", "hnsw")
TYPES = ("flat", "ivf-flat", "ivf-sq8", "ivf-pq", "hnsw")
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
PQ_BYTES = 64
SWEEPS = {
    "flat": (None,),
    "ivf-flat": (8, 16, 32, 64, 128),
    "ivf-sq8": (8, 16, 32, 64, 128),
    "ivf-pq": (16, 64, 128),
    "hnsw": (32, 64, 128, 256),
}


@dataclass(frozen=True)
class Setting:
    """One search-time setting of one index: latency over runs and recall against exact."""

    value: int | None
    p50: Spread
    p95: Spread
    recall: float


@dataclass(frozen=True)
class Measured:
    """One index type at one corpus size."""

    kind: str
    count: int
    params: str
    build_s: float
    build_peak_mib: float
    disk_mib: float
    ram_mib: float
    settings: list[Setting]

    def best(self) -> Setting:
        """The cheapest setting reaching the recall target (else the most accurate one)."""
        good = [s for s in self.settings if s.recall >= TARGET_RECALL]
        return good[0] if good else max(self.settings, key=lambda s: s.recall)

    def meets_targets(self) -> bool:
        """Whether the best setting meets the latency, recall and memory targets."""
        best = self.best()
        return (best.recall >= TARGET_RECALL and best.p95.median <= TARGET_P95_MS
                and self.ram_mib <= TARGET_RAM_MIB)


def new_index(kind: str, dim: int, count: int) -> tuple[faiss.Index, str]:
    """An empty (untrained) inner index of `kind` and a description of its parameters."""
    if kind == "flat":
        return faiss.IndexFlatIP(dim), "exact"
    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        return index, f"M={HNSW_M} efC={HNSW_EF_CONSTRUCTION}"
    lists = ivf_lists(count)
    quantizer = faiss.IndexFlatIP(dim)
    if kind == "ivf-flat":
        index = faiss.IndexIVFFlat(quantizer, dim, lists, faiss.METRIC_INNER_PRODUCT)
    elif kind == "ivf-sq8":
        index = faiss.IndexIVFScalarQuantizer(quantizer, dim, lists,
                                              faiss.ScalarQuantizer.QT_8bit,
                                              faiss.METRIC_INNER_PRODUCT)
    else:
        index = faiss.IndexIVFPQ(quantizer, dim, lists, PQ_BYTES, 8, faiss.METRIC_INNER_PRODUCT)
    return index, f"nlist={lists}" + (f" m={PQ_BYTES}" if kind == "ivf-pq" else "")


def build_index(kind: str, vectors_path: str, index_path: str) -> dict:
    """(fresh process) Build `kind` over the saved vectors, write it; time, peak RSS, params."""
    faiss.omp_set_num_threads(2)
    vectors = np.load(vectors_path)
    inner, params = new_index(kind, vectors.shape[1], len(vectors))

    def build() -> None:
        if not inner.is_trained:
            train_ivf(inner, vectors)
        index = faiss.IndexIDMap2(inner)
        index.add_with_ids(vectors, np.arange(len(vectors), dtype=np.int64))
        faiss.write_index(index, index_path)

    build_s = seconds(build)
    return {"build_s": build_s, "peak_mib": peak_rss_mib(), "params": params}


def apply_setting(index: faiss.Index, kind: str, value: int | None) -> None:
    """Set nprobe or efSearch on the inner index of an IndexIDMap2."""
    inner = faiss.downcast_index(index.index)
    if kind == "hnsw":
        inner.hnsw.efSearch = int(value)
    elif kind.startswith("ivf"):
        inner.nprobe = int(value)


def serve_index(kind: str, index_path: str, queries_path: str, truth_path: str,
                runs: int) -> dict:
    """(fresh process) Load the index; per setting, latency spreads over runs and recall@10."""
    before = rss_mib()
    index = faiss.read_index(index_path)
    ram = rss_mib() - before
    faiss.omp_set_num_threads(FAISS_THREADS)  # as the product searches
    queries, truth = np.load(queries_path), np.load(truth_path)
    measured = []
    for value in SWEEPS[kind]:
        if kind.startswith("ivf") and value > faiss.extract_index_ivf(index).nlist:
            continue
        apply_setting(index, kind, value)
        passes = [tail(latencies_ms(lambda row: index.search(queries[row][None, :], K),
                                    list(range(len(queries))))) for _ in range(max(runs, 1))]
        found = index.search(queries, K)[1]
        measured.append({"value": value, "p50": [p["p50"] for p in passes],
                         "p95": [p["p95"] for p in passes], "recall": recall_at_k(found, truth)})
    return {"ram_mib": ram, "settings": measured}


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of the exact top-k found by the approximate top-k."""
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth,
                                                                          strict=True)]))


def in_fresh_process(function: Callable, *args) -> dict:
    """Run `function(*args)` in a new spawned interpreter and return its result."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def exact_truth(vectors: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Ids of the exact top-k of every query (inner product on unit vectors)."""
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    return exact.search(queries, K)[1]


def measure_vectors(seeds: Seeds, queries: np.ndarray, count: int, kinds: list[str],
                    runs: int, workdir: Path) -> list[Measured]:
    """Generate `count` vectors, then build and measure each index kind in fresh processes."""
    vectors = synthetic_vectors(seeds.vectors, count, seed=count)
    paths = {name: str(workdir / f"{name}-{count}.npy") for name in ("vectors", "queries", "truth")}
    np.save(paths["vectors"], vectors)
    np.save(paths["queries"], queries)
    np.save(paths["truth"], exact_truth(vectors, queries))
    del vectors
    gc.collect()
    results = []
    for kind in kinds:
        index_path = str(workdir / f"{kind}-{count}.faiss")
        built = in_fresh_process(build_index, kind, paths["vectors"], index_path)
        served = in_fresh_process(serve_index, kind, index_path, paths["queries"],
                                  paths["truth"], runs)
        results.append(Measured(
            kind=kind, count=count, params=built["params"], build_s=built["build_s"],
            build_peak_mib=built["peak_mib"], disk_mib=disk_mib(Path(index_path)),
            ram_mib=served["ram_mib"],
            settings=[Setting(s["value"], Spread.of(s["p50"]), Spread.of(s["p95"]), s["recall"])
                      for s in served["settings"]],
        ))
        Path(index_path).unlink()
    for path in paths.values():
        Path(path).unlink()
    return results


def build_lexical(stems: list[list[str]], count: int, directory: str) -> dict:
    """(fresh process) Build and save BM25 over `count` synthetic documents; time and peak."""
    documents = synthetic_documents(stems, count, seed=count)
    build_s = seconds(lambda: LexicalIndex.build(documents).save(Path(directory)))
    return {"build_s": build_s, "peak_mib": peak_rss_mib()}


def serve_lexical(directory: str, count: int, queries: list[str], runs: int) -> dict:
    """(fresh process) Load the BM25 index; its memory and per-pass query latency percentiles."""
    before = rss_mib()
    lexical = LexicalIndex.load(Path(directory), count)
    ram = rss_mib() - before
    analyzed = {query: analyze(query) for query in queries}
    passes = [tail(latencies_ms(
        lambda q: lexical_top(lexical.scores(analyzed[q]), None, CANDIDATE_DEPTH), queries))
        for _ in range(max(runs, 1))]
    return {"ram_mib": ram, "p50": [p["p50"] for p in passes], "p95": [p["p95"] for p in passes]}


def measure_lexical(stems: list[list[str]], count: int, queries: list[str], runs: int) -> dict:
    """BM25 at `count` documents: build, size on disk, memory once loaded, latency."""
    with tempfile.TemporaryDirectory(prefix="kb-bm25-") as directory:
        built = in_fresh_process(build_lexical, stems, count, directory)
        served = in_fresh_process(serve_lexical, directory, count, queries, runs)
        return {**built, **served, "disk_mib": disk_mib(Path(directory))}
