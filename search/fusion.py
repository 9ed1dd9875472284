"""Hybrid ranking: convex combination of normalised scores, reference boosts, duplicate folding.

Three candidate lists are fused: BM25 scores, the cosine of each chunk's vector, and the cosine
of each chunk's nearest sentence. Per query, each list is min-max normalised over its own
candidates (best candidate 1, last one 0; a chunk absent from a list gets 0 there), then
combined as w·lexical + (1 − w)·((1 − s)·chunk + s·sentence), w set per query language.
Measured on the tune split of the gold questions (docs/retrieval.md), this beats weighted
reciprocal-rank fusion, which let chunks middling in both lists overtake the clear BM25 winner:
the scores say by how much a candidate wins, ranks do not. French queries share the weight
equally; English queries lean on the multilingual vectors, since French BM25 only sees their
names and numbers. The sentence list finds answers whose one matching sentence is diluted in
the chunk's vector.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from index.records import PASSAGE, RECOMMENDATION, Chunk
from index.settings import Setting, share

# Added to the fused score of the recommendation a query names exactly (« recommandation 12 »):
# far above any fused score (at most 1), so exact references always come first.
EXACT_REFERENCE_BOOST = 10.0
# Multiplier for recommendations when the question seeks them (search/intent.py), chosen on the
# tune split (docs/retrieval.md: 1.35–2 within 0.01 of each other).
RECOMMENDATION_BOOST = 1.5
# Shared share of the shorter chunk's stems above which two chunks say the same thing…
DUPLICATE_OVERLAP = 0.8
# …provided the shorter one is not much shorter: a short recommendation whose words all occur
# in a long passage is its summary, not a repeat, and must not hide the passage.
DUPLICATE_SIZE_RATIO = 0.5
# Adjacent chunks of one report overlapping this much are windows over the same text.
ADJACENT_OVERLAP = 0.5
# How far past the limit duplicates of kept chunks are looked for.
LOOKAHEAD = 3
# When two chunks say the same thing, keep the most specific: recommendation, then body text.
PART_PRIORITY = {"corps": 0, "annexe": 1, "front": 2, "synthese": 3}
LEXICAL_WEIGHT = Setting(
    "lexical_weight",
    "--lexical-weight",
    "KB_LEXICAL_WEIGHT",
    0.5,
    "part de la recherche lexicale (BM25) dans le score fusionné, entre 0 et 1 (le reste va à "
    "la recherche sémantique), requêtes en français",
    share,
)
LEXICAL_WEIGHT_EN = Setting(
    "lexical_weight_en",
    "--lexical-weight-en",
    "KB_LEXICAL_WEIGHT_EN",
    0.0,
    "part de la recherche lexicale (BM25 français) dans le score fusionné, entre 0 et 1, "
    "requêtes en anglais",
    share,
)
SENTENCE_WEIGHT = Setting(
    "sentence_weight",
    "--sentence-weight",
    "KB_SENTENCE_WEIGHT",
    0.5,
    "part, dans le score sémantique, de la phrase de l'extrait la plus proche de la question, "
    "entre 0 et 1 (le reste va au vecteur de l'extrait entier)",
    share,
)
# The settings that make up a FusionSettings, and their names.
FUSION = (LEXICAL_WEIGHT, LEXICAL_WEIGHT_EN, SENTENCE_WEIGHT)
FUSION_SETTINGS = tuple(setting.name for setting in FUSION)


@dataclass(frozen=True)
class FusionSettings:
    """Share of the lexical (BM25) score in the fused score, for French and English queries,
    and share of the nearest sentence in the dense part (defaults: the settings' defaults)."""

    lexical_weight: float = LEXICAL_WEIGHT.default
    lexical_weight_en: float = LEXICAL_WEIGHT_EN.default
    sentence_weight: float = SENTENCE_WEIGHT.default
    recommendation_boost: float = RECOMMENDATION_BOOST

    def __post_init__(self) -> None:
        for name in FUSION_SETTINGS:
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} doit être entre 0 et 1, pas {getattr(self, name)}.")
        if self.recommendation_boost < 1.0:
            raise ValueError(f"recommendation_boost doit valoir au moins 1, pas "
                             f"{self.recommendation_boost}.")

    @classmethod
    def from_settings(cls, values: Mapping[str, Any] | None = None) -> FusionSettings:
        """The fusion of a command's resolved settings (`values`, e.g. its parsed flags); a
        weight absent or None keeps its default."""
        given = values or {}
        return cls(**{name: float(given[name]) for name in FUSION_SETTINGS
                      if given.get(name) is not None})

    def weights(self, english: bool) -> tuple[float, float, float]:
        """Weights of the lexical, chunk-vector and sentence-vector lists for a query in
        English (True) or French (False); they sum to 1."""
        lexical = self.lexical_weight_en if english else self.lexical_weight
        dense = 1.0 - lexical
        return lexical, dense * (1.0 - self.sentence_weight), dense * self.sentence_weight


def min_max(scores: Mapping[int, float]) -> dict[int, float]:
    """Scores rescaled to [0, 1] over the candidates (all 1 when they are all equal)."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    span = high - low
    return {row: (value - low) / span if span > 0 else 1.0 for row, value in scores.items()}


def convex_fusion(lists: Sequence[Mapping[int, float]], weights: Sequence[float]
                  ) -> dict[int, float]:
    """Σ weight·minmax(scores) over the candidate lists, for every candidate of any list.

    A zero weight drops its list entirely, so its candidates do not pad the results.
    """
    fused: dict[int, float] = {}
    for scores, weight in zip(lists, weights, strict=True):
        if weight <= 0:
            continue
        for row, value in min_max(scores).items():
            fused[row] = fused.get(row, 0.0) + weight * value
    return fused


def boost_references(
    fused: dict[int, float],
    exact_rows: Sequence[int],
    recommendation_rows: AbstractSet[int],
    favour: float,
) -> dict[int, float]:
    """Put exactly referenced recommendations first; multiply recommendations by `favour`."""
    boosted = dict(fused)
    for row in boosted.keys() & recommendation_rows:
        boosted[row] *= favour
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
    first, second = stems(row), stems(other)
    shared = overlap(first, second)
    # Overlapping windows are consecutive passages; a recommendation that happens to sit next
    # to a passage on the same topic is not a window of it.
    windows = chunk.kind == other_chunk.kind == PASSAGE
    if windows and abs(row - other) == 1 and shared >= ADJACENT_OVERLAP:
        return True
    sizes = sorted((len(first), len(second)))
    return shared >= DUPLICATE_OVERLAP and sizes[0] >= DUPLICATE_SIZE_RATIO * sizes[1]


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
