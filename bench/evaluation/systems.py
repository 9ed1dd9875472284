"""Our three ranking systems over one index: BM25 alone, vectors alone, and the product's hybrid.

Each system maps a query to the ids of its DEPTH best chunks. "lexical" and "dense" are the
product's own search with one side of the fusion only (same query understanding, references,
duplicate folding), so the gap to "hybrid" is what fusing the two adds: hybrid must never fall
below either (issue 12).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

import numpy as np

from bench.evaluation.metrics import DEPTH
from search.searcher import Searcher

RankFn = Callable[[str], list[str]]
OUR_SYSTEMS = ("lexical", "dense", "hybrid")


def one_list(searcher: Searcher, lexical: float) -> RankFn:
    """The product's search with all its query understanding, fusing one list only."""
    fusion = replace(searcher.fusion, lexical_weight=lexical, lexical_weight_en=lexical)
    return hybrid_system(searcher.with_fusion(fusion))


def lexical_system(searcher: Searcher) -> RankFn:
    """BM25 alone (the lexical share set to 1), query understanding included."""
    return one_list(searcher, 1.0)


def dense_system(searcher: Searcher) -> RankFn:
    """Vectors alone (chunk and nearest sentence, lexical share 0), query understanding
    included."""
    return one_list(searcher, 0.0)


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
