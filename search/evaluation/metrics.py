"""Ranking metrics of one answer per question: Recall@1, Recall@5, MRR@10, nDCG@10.

Every gold question has ONE answer, which may be held by several equivalent chunks (a phrase
repeated in the synthesis and the body, or straddling two overlapping windows). The first
of them in the ranking is the answer's rank; later ones are repeats, not extra answers — the
product folds such repeats together, so counting them would reward systems that do not.
With a single answer nDCG@10 is 1/log2(1 + rank) (ideal DCG = 1).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

DEPTH = 10
METRICS = ("recall@1", "recall@5", "mrr@10", "ndcg@10")


def answer_rank(ranked_ids: Sequence[str], relevant: Iterable[str]) -> int | None:
    """1-based rank of the first relevant id within the top DEPTH, or None."""
    wanted = set(relevant)
    for rank, chunk_id in enumerate(ranked_ids[:DEPTH], start=1):
        if chunk_id in wanted:
            return rank
    return None


def question_metrics(rank: int | None) -> dict[str, float]:
    """Each metric of one question, from the rank of its answer (None = not in the top DEPTH)."""
    return {
        "recall@1": float(rank == 1),
        "recall@5": float(rank is not None and rank <= 5),
        "mrr@10": 1.0 / rank if rank else 0.0,
        "ndcg@10": 1.0 / math.log2(1 + rank) if rank else 0.0,
    }


def summarise(ranks: Sequence[int | None]) -> dict[str, float | int]:
    """Mean of each metric over questions, plus their number `n` (zeros when n = 0)."""
    totals = dict.fromkeys(METRICS, 0.0)
    for rank in ranks:
        for name, value in question_metrics(rank).items():
            totals[name] += value
    count = len(ranks)
    summary: dict[str, float | int] = {
        name: round(total / count, 4) if count else 0.0 for name, total in totals.items()
    }
    summary["n"] = count
    return summary
