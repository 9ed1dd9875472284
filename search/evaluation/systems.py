"""Our three ranking systems over one index: BM25 alone, vectors alone, and the product's hybrid.

Each system maps a query to the ids of its DEPTH best chunks. "lexical" and "dense" read the
two candidate lists the Searcher fuses, raw (no query understanding, no duplicate folding), so
the gap to "hybrid" shows what fusion and query understanding add.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

from index.french import analyze
from search.evaluation.metrics import DEPTH
from search.searcher import Searcher, lexical_top

RankFn = Callable[[str], list[str]]
OUR_SYSTEMS = ("lexical", "dense", "hybrid")


def lexical_system(searcher: Searcher) -> RankFn:
    """BM25 over the French stems of the query, alone."""
    loaded = searcher.loaded

    def rank(query: str) -> list[str]:
        scores = loaded.reader.lexical.scores(analyze(query))
        return [loaded.chunks[row].id for row in lexical_top(scores, None, DEPTH)]

    return rank


def dense_system(searcher: Searcher) -> RankFn:
    """Nearest chunk vectors to the query vector, alone."""
    loaded = searcher.loaded

    def rank(query: str) -> list[str]:
        hits = loaded.reader.dense(loaded.encoder.encode_query(query), DEPTH)
        return [loaded.chunks[row].id for row, _ in hits]

    return rank


def hybrid_system(searcher: Searcher) -> RankFn:
    """The product: `Searcher.search` with all its query understanding."""
    def rank(query: str) -> list[str]:
        return [result.chunk.id for result in searcher.search(query, k=DEPTH).results]

    return rank


def cached_encoder(searcher: Searcher) -> Callable[[str], np.ndarray]:
    """The searcher's query encoder, encoding each distinct query once."""
    return lru_cache(maxsize=None)(searcher.loaded.encoder.encode_query)


def hybrid_with_encoder(searcher: Searcher, encode: Callable[[str], np.ndarray]) -> RankFn:
    """`hybrid` with a given query encoder: the fusion grid re-asks the same questions."""
    loaded = searcher.loaded

    def rank(query: str) -> list[str]:
        response = searcher.search_with(loaded, query, DEPTH, None, "all", encode)
        return [result.chunk.id for result in response.results]

    return rank


def our_systems(searcher: Searcher) -> dict[str, RankFn]:
    """The three systems by name."""
    return {"lexical": lexical_system(searcher), "dense": dense_system(searcher),
            "hybrid": hybrid_system(searcher)}
