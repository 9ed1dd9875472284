"""Hybrid ranking: weighted reciprocal-rank fusion, reference boosts, duplicate collapsing.

Weighted RRF: score(d) = Σ_lists weight / (k + rank(d)). Ranks rather than raw scores because
BM25 and cosine live on unrelated scales; the per-language weights let the French lexical list
dominate French queries (measured best on real report text) while English queries lean on the
multilingual vectors (French BM25 only adds noise to them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.records import RECOMMENDATION, Chunk

# Added to the fused score of the recommendation a query names exactly (« recommandation 12 »):
# far above any RRF score (at most Σ weights / k), so exact references always come first.
EXACT_REFERENCE_BOOST = 10.0
# Multiplier for recommendations when the query talks about recommendations.
RECOMMENDATION_BOOST = 1.5
# Shared share of the shorter chunk's stems above which two chunks say the same thing.
DUPLICATE_OVERLAP = 0.8
# Adjacent chunks of one report overlapping this much are windows over the same text.
ADJACENT_OVERLAP = 0.5
# When two chunks say the same thing, keep the most specific: recommendation, then body text.
# How far past the limit duplicates of kept chunks are looked for.
LOOKAHEAD = 3
PART_PRIORITY = {"corps": 0, "annexe": 1, "front": 2, "synthese": 3}


@dataclass(frozen=True)
class RankedList:
    """One candidate list (rows best first) and its weight in the fusion."""

    rows: Sequence[int]
    weight: float


def reciprocal_rank_fusion(lists: Sequence[RankedList], k: int) -> dict[int, float]:
    """Weighted RRF score of every row appearing in any list."""
    fused: dict[int, float] = {}
    for ranked in lists:
        if ranked.weight <= 0:
            continue
        for rank, row in enumerate(ranked.rows, start=1):
            fused[row] = fused.get(row, 0.0) + ranked.weight / (k + rank)
    return fused


def boost_references(
    fused: dict[int, float],
    exact_rows: Sequence[int],
    recommendation_rows: Sequence[int],
    favour_recommendations: bool,
) -> dict[int, float]:
    """Put exactly referenced recommendations first; favour recommendations if asked about."""
    boosted = dict(fused)
    if favour_recommendations:
        for row in recommendation_rows:
            if row in boosted:
                boosted[row] *= RECOMMENDATION_BOOST
    for row in exact_rows:
        boosted[row] = boosted.get(row, 0.0) + EXACT_REFERENCE_BOOST
    return boosted


def overlap(first: frozenset[str], second: frozenset[str]) -> float:
    """Share of the smaller stem set found in the other (1.0 = one contains the other)."""
    smaller = min(len(first), len(second))
    return len(first & second) / smaller if smaller else 0.0


def keeps_over(candidate: Chunk, other: Chunk) -> bool:
    """Whether `candidate` is the one to keep when it duplicates `other`."""
    if (candidate.kind == RECOMMENDATION) != (other.kind == RECOMMENDATION):
        return candidate.kind == RECOMMENDATION
    return PART_PRIORITY.get(candidate.part, 9) < PART_PRIORITY.get(other.part, 9)


def is_duplicate(row: int, other: int, chunk: Chunk, other_chunk: Chunk,
                 stems: Callable[[int], frozenset[str]]) -> bool:
    """Same report and the same words: a synthesis↔body repeat, or overlapping windows."""
    if chunk.report_id != other_chunk.report_id:
        return False
    shared = overlap(stems(row), stems(other))
    return shared >= DUPLICATE_OVERLAP or (abs(row - other) == 1 and shared >= ADJACENT_OVERLAP)


def collapse_duplicates(
    ranked: Sequence[int],
    chunk_at: Callable[[int], Chunk],
    stems: Callable[[int], frozenset[str]],
    limit: int,
) -> list[int]:
    """The first `limit` rows with near-duplicates folded into one (body/recommendation kept).

    The kept chunk takes the rank of the best-ranked member of its group. Candidates are read
    a little past the limit so that a body passage ranked just below its synthesis twin still
    replaces it.
    """
    kept: list[int] = []
    for row in ranked[: limit * LOOKAHEAD]:
        chunk = chunk_at(row)
        for position, other in enumerate(kept):
            if is_duplicate(row, other, chunk, chunk_at(other), stems):
                if keeps_over(chunk, chunk_at(other)):
                    kept[position] = row
                break
        else:
            if len(kept) < limit:
                kept.append(row)
    return kept
