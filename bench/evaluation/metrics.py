"""Graded ranking metrics over the top DEPTH results: Recall@1, Recall@5, MRR@10, nDCG@10.

A gold question lists its answers, each held by one or more chunks (a phrase repeated in the
synthesis and the body) and graded 2 (answers fully) or 1 (answers in part).

- Recall@k and MRR@10 look at the first result holding ANY answer (grade ≥ 1): « did the user
  find something that answers? ».
- nDCG@10 weighs the grades: gain 2^grade − 1 (3 for a full answer, 1 for a partial one), each
  answer credited once, at the first chunk holding it (repeats of an answer are not extra
  answers: the product folds them). The ideal ranking puts the answers best grade first.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

DEPTH = 10
METRICS = ("recall@1", "recall@5", "mrr@10", "ndcg@10")
Answers = Sequence[tuple[Iterable[str], int]]


def answer_rank(ranked_ids: Sequence[str], relevant: Iterable[str]) -> int | None:
    """1-based rank of the first relevant id within the top DEPTH, or None."""
    wanted = set(relevant)
    for rank, chunk_id in enumerate(ranked_ids[:DEPTH], start=1):
        if chunk_id in wanted:
            return rank
    return None


def gain(grade: int) -> float:
    """The nDCG gain of an answer of this grade."""
    return 2.0 ** grade - 1.0


def ndcg(ranked_ids: Sequence[str], answers: Answers) -> float:
    """Graded nDCG@DEPTH, each answer credited once at the first chunk holding it."""
    pending = [(frozenset(ids), grade) for ids, grade in answers]
    dcg = 0.0
    for rank, chunk_id in enumerate(ranked_ids[:DEPTH], start=1):
        held = [item for item in pending if chunk_id in item[0]]
        if held:
            best = max(held, key=lambda item: item[1])
            pending.remove(best)
            dcg += gain(best[1]) / math.log2(1 + rank)
    ideal = sum(gain(grade) / math.log2(1 + rank) for rank, grade in
                enumerate(sorted((grade for _, grade in answers), reverse=True)[:DEPTH],
                          start=1))
    return dcg / ideal if ideal else 0.0


def question_metrics(ranked_ids: Sequence[str], answers: Answers) -> dict[str, float]:
    """Each metric of one question from its ranking and its graded answers."""
    rank = answer_rank(ranked_ids, {cid for ids, _ in answers for cid in ids})
    return {
        "recall@1": float(rank == 1),
        "recall@5": float(rank is not None and rank <= 5),
        "mrr@10": 1.0 / rank if rank else 0.0,
        "ndcg@10": ndcg(ranked_ids, answers),
    }


def summarise(per_question: Sequence[dict[str, float]]) -> dict[str, float | int]:
    """Mean of each metric over questions, plus their number `n` (zeros when n = 0)."""
    count = len(per_question)
    summary: dict[str, float | int] = {
        name: round(sum(q[name] for q in per_question) / count, 4) if count else 0.0
        for name in METRICS
    }
    summary["n"] = count
    return summary
