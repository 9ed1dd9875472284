"""Optional reranking: a cross-encoder re-scores the top of the fused list.

A cross-encoder reads the question and a passage together and scores how well one answers the
other; it is much slower than the fusion, so it only re-scores the first `depth` results
(`RERANK_DEPTH`). Any sentence-transformers `CrossEncoder` works, by hub name or local
directory (`RERANKER`); off by default. No model's quality was measured here (none can be
downloaded in this environment): `python -m bench.eval --reranker NAME` measures one.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.settings import Setting, positive

RERANKER = Setting(
    "reranker",
    "--reranker",
    "KB_RERANKER",
    "",
    "modèle de reclassement (CrossEncoder sentence-transformers, nom ou dossier local) qui "
    "rénote les premiers résultats ; vide : pas de reclassement",
)
RERANK_DEPTH = Setting(
    "rerank_depth",
    "--rerank-depth",
    "KB_RERANK_DEPTH",
    30,
    "nombre de premiers résultats de la fusion que le modèle de reclassement rénote",
    positive,
)
RERANK = (RERANKER, RERANK_DEPTH)


class RerankerError(Exception):
    """The reranking model cannot be loaded; the message says so in French, with the fix."""


@dataclass
class Reranker:
    """A loaded cross-encoder and how many results it re-scores."""

    name: str
    model: object
    depth: int

    def __post_init__(self) -> None:
        # One model, many request threads: its calls are serialised.
        self._lock = threading.Lock()

    def scores(self, query: str, texts: Sequence[str]) -> np.ndarray:
        """The model's score of each text as an answer to the query (higher is better)."""
        if not texts:
            return np.zeros(0)
        with self._lock:
            found = self.model.predict([(query, text) for text in texts],
                                       show_progress_bar=False)
        return np.asarray(found, dtype=float).reshape(len(texts), -1)[:, -1]


def load_reranker(name: str, depth: int) -> Reranker:
    """Load a sentence-transformers CrossEncoder by name or path; RerankerError if impossible."""
    try:
        from sentence_transformers import CrossEncoder

        model = CrossEncoder(name.strip(), device="cpu")
    except Exception as exc:  # noqa: BLE001 — any failure to load is the user's to fix
        raise RerankerError(
            f"Le modèle de reclassement « {name} » n'a pas pu être chargé ({type(exc).__name__}"
            f" : {str(exc).splitlines()[0][:200] if str(exc) else 'erreur inconnue'}). "
            f"La recherche continue sans reclassement. Donnez un dossier local contenant un "
            f"CrossEncoder sentence-transformers, ou un nom du hub Hugging Face si la machine a "
            f"accès à Internet ({RERANKER.env} / {RERANKER.flag})."
        ) from exc
    return Reranker(name=name.strip(), model=model, depth=depth)


def optional_reranker(name: str | None, depth: int) -> tuple[Reranker | None, str | None]:
    """The reranker a setting names (None when empty), or None and the French message saying
    why it could not be loaded: the search answers either way."""
    if not name or not name.strip():
        return None, None
    try:
        return load_reranker(name, depth), None
    except RerankerError as exc:
        return None, str(exc)
