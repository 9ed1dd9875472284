"""A small grid over the fusion settings, scored on the TUNE split only.

The held-out questions never reach this module's scoring: `run_grid` drops them first. Dense
weights stay at 1 because weighted RRF ranks only depend on the lexical/dense ratio (the
reference boosts are a multiplier and a constant far above any RRF score).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager

from index import settings
from search.evaluation.gold import Resolved
from search.evaluation.harness import BUCKETS, BY_BUCKET, breakdown, run_system
from search.evaluation.metrics import summarise
from search.evaluation.systems import cached_hybrid_system
from search.searcher import Searcher

GRID = {
    "lexical_weight": (0.5, 1.0, 1.5, 2.0, 3.0, 4.0),
    "lexical_weight_en": (0.0, 0.25, 0.5, 1.0),
    "fusion_k": (20, 60, 100),
}
FIXED = {"dense_weight": 1.0, "dense_weight_en": 1.0}


@contextmanager
def overridden(values: dict[str, float]) -> Iterator[None]:
    """Settings changed for the duration, through their environment variables.

    The Searcher reads the fusion settings at every search (index.settings.get), so this is
    the same path a user's KB_* variables take; the previous environment is restored after.
    """
    names = [settings.SETTINGS[name].env for name in values]
    saved = {env: os.environ.get(env) for env in names}
    try:
        for name, value in values.items():
            os.environ[settings.SETTINGS[name].env] = str(value)
        yield
    finally:
        for env, value in saved.items():
            if value is None:
                os.environ.pop(env, None)
            else:
                os.environ[env] = value


def grid_points() -> list[dict[str, float]]:
    """Every combination of the grid, dense weights fixed."""
    names = list(GRID)
    return [{**dict(zip(names, combo, strict=True)), **FIXED}
            for combo in itertools.product(*(GRID[name] for name in names))]


def run_grid(searcher: Searcher, resolved: list[Resolved]) -> list[dict]:
    """Each grid point with its tune-split MRR@10 per bucket and overall, best first."""
    tune = [item for item in resolved if item.question.split == "tune"]
    rank = cached_hybrid_system(searcher)
    rows = []
    for point in grid_points():
        with overridden(point):
            run = run_system("hybrid", rank, tune)
        buckets = breakdown(tune, run.ranks, BY_BUCKET, BUCKETS)
        overall = summarise(run.ranks)
        rows.append({**point, **{b: buckets[b]["mrr@10"] for b in BUCKETS},
                     "mrr@10": overall["mrr@10"], "recall@5": overall["recall@5"]})
    return sorted(rows, key=lambda row: (-row["mrr@10"], -row["recall@5"], distance(row)))


def distance(point: dict) -> float:
    """How far a grid point is from the current settings, each axis scaled to its span."""
    return sum(abs(float(point[name]) - float(settings.get(name)))
               / (max(GRID[name]) - min(GRID[name])) for name in GRID)


def current_point() -> dict[str, float]:
    """The fusion settings in force now."""
    return {name: settings.get(name) for name in (*GRID, *FIXED)}
