"""Run ranking systems over resolved gold questions and break their metrics down.

Buckets (the issue's question types): "fr" = French fact and concept questions, "en" = English
ones, "refs" = exact-reference questions in any language. Also reported: per split
(tune / heldout), per type (fact / concept) and over all questions.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from bench.evaluation.gold import SPLITS, Question, Resolved
from bench.evaluation.metrics import question_metrics, summarise
from bench.evaluation.systems import RankFn
from index.french import analyze
from index.records import Chunk
from index.store import lexical_text

BUCKETS = ("fr", "en", "refs")
TYPES = ("fact", "concept")
BY_BUCKET = attrgetter("bucket")
BY_TYPE = attrgetter("type")


@dataclass(frozen=True)
class Run:
    """One system's metrics on each question (aligned with the questions) and its median time."""

    name: str
    scores: list[dict[str, float]]
    latency_ms: float


def run_system(name: str, rank: RankFn, resolved: list[Resolved]) -> Run:
    """Ask every question; keep each question's metrics and the median time per query."""
    scores, seconds = [], []
    for item in resolved:
        start = time.perf_counter()
        ranked = rank(item.question.q)
        seconds.append(time.perf_counter() - start)
        scores.append(question_metrics(ranked, item.answers))
    latency = statistics.median(seconds) * 1000 if seconds else 0.0
    return Run(name, scores, round(latency, 2))


def breakdown(resolved: list[Resolved], scores: list[dict[str, float]],
              key: Callable[[Question], str], groups: tuple[str, ...]) -> dict[str, dict]:
    """Metrics of each group of questions (the groups `key` sorts them into)."""
    return {
        group: summarise([score for item, score in zip(resolved, scores, strict=True)
                          if key(item.question) == group])
        for group in groups
    }


def lexical_overlap(resolved: list[Resolved], chunks: dict[str, Chunk]) -> dict[str, float]:
    """Mean share of a French question's stems found in its answer, for fact vs concept.

    Shows how "paraphrased" the concept questions are: a low share means BM25 alone cannot
    find them. The best of the equivalent answer chunks counts.
    """
    shares: dict[str, list[float]] = {kind: [] for kind in TYPES}
    for item in resolved:
        question = item.question
        stems = set(analyze(question.q))
        if question.lang != "fr" or question.type not in shares or not stems:
            continue
        found = max(len(stems & set(analyze(lexical_text(chunks[cid])))) for cid in item.relevant)
        shares[question.type].append(found / len(stems))
    return {kind: round(statistics.mean(values), 3) if values else 0.0
            for kind, values in shares.items()}


def evaluate(resolved: list[Resolved], systems: dict[str, RankFn]) -> dict:
    """Run each system; its metrics per bucket, per split, per type and overall, and latency.

    `systems` and each `splits[split]["systems"]` map a system to {bucket: {metric: value}}.
    """
    report: dict[str, dict] = {"systems": {}, "splits": {s: {"systems": {}} for s in SPLITS},
                               "types": {}, "overall": {}, "latency_ms": {}}
    for name, rank in systems.items():
        run = run_system(name, rank, resolved)
        report["systems"][name] = breakdown(resolved, run.scores, BY_BUCKET, BUCKETS)
        for split in SPLITS:
            within = [(item, score) for item, score in zip(resolved, run.scores, strict=True)
                      if item.question.split == split]
            report["splits"][split]["systems"][name] = breakdown(
                [item for item, _ in within], [r for _, r in within], BY_BUCKET, BUCKETS)
        report["types"][name] = breakdown(resolved, run.scores, BY_TYPE, TYPES)
        report["overall"][name] = summarise(run.scores)
        report["latency_ms"][name] = run.latency_ms
    return report


def target_checks(report: dict) -> list[tuple[str, bool]]:
    """The issue's quality targets on the sample, each with whether the report meets it."""
    systems, overall = report["systems"], report["overall"]
    if "hybrid" not in systems:
        return []
    hybrid = systems["hybrid"]
    heldout = report["splits"]["heldout"]["systems"]["hybrid"]["fr"]
    checks = [
        ("hybride, français mis de côté : MRR@10 ≥ 0,75", heldout["mrr@10"] >= 0.75),
        ("hybride, français mis de côté : Recall@5 ≥ 0,88", heldout["recall@5"] >= 0.88),
        ("hybride, références exactes : 100 % au rang 1", hybrid["refs"]["recall@1"] == 1.0),
        ("hybride, anglais : Recall@5 ≥ 0,90", hybrid["en"]["recall@5"] >= 0.90),
    ]
    for split, part in report["splits"].items():
        for other in ("lexical", "dense"):
            if other in part["systems"] and part["systems"]["hybrid"]["fr"]["n"]:
                checks.append((
                    f"hybride ≥ « {other} » − 0,01 sur chaque groupe (MRR@10, {split})",
                    all(part["systems"]["hybrid"][b]["mrr@10"]
                        >= part["systems"][other][b]["mrr@10"] - 0.01 for b in BUCKETS)))
    rates = report.get("relevance")
    if rates:
        checks.append(("« none » pour ≥ 90 % des questions hors sujet ou absurdes",
                       rates["nonsense"]["none"] >= 0.90))
        checks.append(("« none » pour ≤ 5 % des questions de référence",
                       rates["gold"]["none"] <= 0.05))
    for other in overall:
        if other.startswith("txtai") or other == "bm25s":
            checks.append((f"hybride pas en dessous de « {other} » (MRR@10, tout)",
                           overall["hybrid"]["mrr@10"] >= overall[other]["mrr@10"]))
    return checks
