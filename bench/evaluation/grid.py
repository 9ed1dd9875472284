"""A small grid over the fusion settings, scored on the TUNE split only.

The held-out questions never reach this module's scoring: `run_grid` drops them first. Each
point is a `FusionSettings` given to a Searcher sharing the loaded index — the same object the
command lines build from their flags — so no environment variable is touched.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict

from bench.evaluation.gold import Resolved
from bench.evaluation.harness import BUCKETS, BY_BUCKET, breakdown, run_system
from bench.evaluation.metrics import summarise
from bench.evaluation.systems import cached_encoder, hybrid_with_encoder
from search.fusion import FUSION_SETTINGS, FusionSettings
from search.searcher import Searcher

GRID = {
    "lexical_weight": (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8),
    "lexical_weight_en": (0.0, 0.2, 0.35, 0.5),
    "sentence_weight": (0.0, 0.25, 0.5, 0.75),
}


def grid_points() -> list[FusionSettings]:
    """Every combination of the grid."""
    return [FusionSettings(**dict(zip(GRID, combo, strict=True)))
            for combo in itertools.product(*GRID.values())]


def run_grid(searcher: Searcher, resolved: list[Resolved]) -> list[dict]:
    """Each grid point with its tune-split MRR@10 per bucket and overall, best first."""
    tune = [item for item in resolved if item.question.split == "tune"]
    encode = cached_encoder(searcher)
    rows = []
    for point in grid_points():
        run = run_system("hybrid", hybrid_with_encoder(searcher.with_fusion(point), encode), tune)
        buckets = breakdown(tune, run.scores, BY_BUCKET, BUCKETS)
        overall = summarise(run.scores)
        rows.append({**asdict(point), **{b: buckets[b]["mrr@10"] for b in BUCKETS},
                     "mrr@10": overall["mrr@10"], "recall@5": overall["recall@5"]})
    current = searcher.fusion
    return sorted(rows, key=lambda row: (-row["mrr@10"], -row["recall@5"],
                                         distance(row, current)))


def distance(point: dict, current: FusionSettings) -> float:
    """How far a grid point is from the settings in force, each axis scaled to its span."""
    return sum(abs(float(point[name]) - getattr(current, name))
               / (max(GRID[name]) - min(GRID[name])) for name in FUSION_SETTINGS)
