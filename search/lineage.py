"""Lineage: which recommendations of the other editions carry on a given one.

Two recommendations are close when their vectors are (cosine) and when they share rare words:
the BM25 score of the candidate for the source's stems, divided by the best such score among
the candidates, so that both parts lie in [0, 1]. The similarity mixes them, half and half
(`LEXICAL_SHARE`). Measured on
hand-made pairs of the sample (`python -m bench.recommendation_eval`, docs/recommendations.md):
the mean finds the right counterpart first far more often than either part alone.

A theme's lineage table chains its recommendations across editions: the closest pairs are
joined first, a row never holds two recommendations of the same edition, and a pair joins
rows only from `CHAIN_THRESHOLD` up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from index.lexical import LexicalIndex
from index.records import Chunk

KIN_PER_EDITION = 3
LEXICAL_SHARE = 0.5
SHARED_TERMS = 5
# Chosen on the sample: below it, most joined pairs share a theme but not a measure.
CHAIN_THRESHOLD = 0.5
# A stem found in more than this share of the recommendations says nothing of a pair.
COMMON_SHARE = 0.1
LINEAGE_CACHE = 4096


@dataclass(frozen=True)
class Kin:
    """A recommendation of another edition close to the source one."""

    row: int
    similarity: float
    shared_terms: tuple[str, ...]
    shared_themes: tuple[str, ...]


class Lineage:
    """Closeness between the recommendations of one build (read-only once built)."""

    def __init__(self, chunks: Sequence[Chunk], rows: Sequence[int], vectors: np.ndarray,
                 lexical: LexicalIndex, terms: Callable[[int], Sequence[tuple[str, str]]],
                 themes: Callable[[str], tuple[str, ...]],
                 lexical_share: float = LEXICAL_SHARE) -> None:
        self._chunks = chunks
        self.lexical_share = lexical_share
        self.rows = list(rows)
        self._position = {row: i for i, row in enumerate(self.rows)}
        self._vectors = np.asarray(vectors, dtype=np.float32)
        self._lexical = lexical
        self._terms = terms
        self._themes = themes
        counts: dict[str, int] = {}
        for row in self.rows:
            for stem in self._stems(row):
                counts[stem] = counts.get(stem, 0) + 1
        self._frequency = counts
        self._common = max(2, int(COMMON_SHARE * len(self.rows)))
        self.similarities = lru_cache(maxsize=LINEAGE_CACHE)(self._similarities)

    def _stems(self, row: int) -> frozenset[str]:
        """The stems of a recommendation's own text (not of its label or section)."""
        return frozenset(stem for stem, _ in self._terms(row))

    def _similarities(self, row: int) -> dict[int, float]:
        """Similarity of the recommendation at `row` to every recommendation of other reports."""
        report_id = self._chunks[row].report_id
        others = [other for other in self.rows if self._chunks[other].report_id != report_id]
        if not others:
            return {}
        cosine = self._vectors[[self._position[other] for other in others]] @ \
            self._vectors[self._position[row]]
        lexical = self._lexical.scores(sorted(self._stems(row)))[others]
        best = float(lexical.max())
        lexical = lexical / best if best > 0 else lexical
        share = self.lexical_share
        fused = (1 - share) * np.clip(cosine, 0.0, 1.0) + share * lexical
        return {other: round(float(score), 4) for other, score in zip(others, fused, strict=True)}

    def kin(self, row: int, per_edition: int = KIN_PER_EDITION) -> dict[str, list[Kin]]:
        """The closest recommendations of each other report, best first."""
        by_report: dict[str, list[tuple[float, int]]] = {}
        for other, score in self.similarities(row).items():
            by_report.setdefault(self._chunks[other].report_id, []).append((score, other))
        return {
            report_id: [self.describe(row, other, score)
                        for score, other in sorted(pairs, key=lambda p: (-p[0], p[1]))
                        [:per_edition]]
            for report_id, pairs in by_report.items()
        }

    def describe(self, row: int, other: int, score: float) -> Kin:
        """What two recommendations share: rare words (as written in `row`) and themes."""
        shared = self._stems(row) & self._stems(other)
        rare = sorted((stem for stem in shared
                       if not stem.isdigit() and self._frequency.get(stem, 0) <= self._common),
                      key=lambda stem: (self._frequency.get(stem, 0), stem))[:SHARED_TERMS]
        surfaces = dict((stem, surface) for stem, surface in reversed(self._terms(row)))
        other_themes = set(self._themes(self._chunks[other].id))
        return Kin(
            row=other,
            similarity=score,
            shared_terms=tuple(surfaces.get(stem, stem) for stem in rare),
            shared_themes=tuple(theme for theme in self._themes(self._chunks[row].id)
                                if theme in other_themes),
        )

    def chains(self, rows: Sequence[int], threshold: float = CHAIN_THRESHOLD
               ) -> list[dict[str, int]]:
        """Rows of a lineage table over `rows`: report id → row, at most one per report,
        closest pairs joined first; ordered by their first recommendation in reading order."""
        wanted = set(rows)
        pairs = sorted(
            ((self.pair_similarity(a, b), a, b) for a in wanted for b in wanted
             if a < b and self._chunks[a].report_id != self._chunks[b].report_id),
            key=lambda pair: (-pair[0], pair[1], pair[2]),
        )
        group = {row: {self._chunks[row].report_id: row} for row in wanted}
        for score, a, b in pairs:
            if score < threshold:
                break
            first, second = group[a], group[b]
            if first is second or set(first) & set(second):
                continue
            first.update(second)
            for member in second.values():
                group[member] = first
        unique = {id(members): members for members in group.values()}.values()
        return sorted(unique, key=lambda members: min(members.values()))

    def pair_similarity(self, a: int, b: int) -> float:
        """The similarity of two recommendations, the same whichever is the source."""
        return (self.similarities(a).get(b, 0.0) + self.similarities(b).get(a, 0.0)) / 2
