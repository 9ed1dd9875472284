"""What the index stores per chunk: one vector for the whole chunk and one per sentence.

A question usually matches one sentence of its answer; the chunk's vector averages that
sentence with the rest of the passage. Scoring a chunk by its closest sentence as well as by
its own vector found more answers in the top 5 on the gold questions (docs/retrieval.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.encoders import Encoder
from index.records import Chunk
from index.sentences import split_sentences


def sentence_texts(text: str) -> list[str]:
    """The sentences of a chunk's text (the text itself when it has no sentence boundary)."""
    return [text[start:end] for start, end in split_sentences(text)] or [text]


@dataclass(frozen=True)
class ChunkVectors:
    """Unit vectors of chunks in row order: `passages[i]` for chunk i, and its sentences'
    vectors `sentences[owners == i]` (owners is non-decreasing)."""

    passages: np.ndarray
    sentences: np.ndarray
    owners: np.ndarray

    @classmethod
    def from_pairs(cls, pairs: Sequence[tuple[np.ndarray, np.ndarray]], dim: int
                   ) -> ChunkVectors:
        """Join (chunk vector, sentence vectors) pairs, one per chunk, in row order."""
        if not pairs:
            empty = np.zeros((0, dim), dtype=np.float32)
            return cls(empty, empty, np.zeros(0, dtype=np.int64))
        passages = np.vstack([passage for passage, _ in pairs]).astype(np.float32)
        sentences = np.vstack([rows for _, rows in pairs]).astype(np.float32)
        return cls(passages, sentences, owners_of([len(rows) for _, rows in pairs]))

    def pairs(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(chunk vector, sentence vectors) of each chunk, in row order."""
        bounds = np.searchsorted(self.owners, np.arange(len(self.passages) + 1))
        return [(self.passages[row], self.sentences[bounds[row]:bounds[row + 1]])
                for row in range(len(self.passages))]


def embed_chunks(encoder: Encoder, chunks: Sequence[Chunk]) -> ChunkVectors:
    """Encode each chunk whole and sentence by sentence."""
    sentences = [sentence_texts(chunk.text) for chunk in chunks]
    passages = encoder.encode_passages([chunk.text for chunk in chunks])
    flat = encoder.encode_passages([text for texts in sentences for text in texts])
    return ChunkVectors(passages, flat, owners_of([len(texts) for texts in sentences]))


def owners_of(counts: list[int]) -> np.ndarray:
    """The owner row of each sentence, for chunks holding `counts` sentences in row order."""
    return np.repeat(np.arange(len(counts), dtype=np.int64), counts)
