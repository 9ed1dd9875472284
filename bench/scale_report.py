"""Run the scale bench over several corpus sizes and print its tables and the index choice."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from bench.measure import Spread
from bench.queries import QUERIES
from bench.scale import (
    EXACT_P95_BUDGET_MS,
    LOSSLESS,
    QUERY_COUNT,
    TARGET_P95_MS,
    TARGET_RAM_MIB,
    TARGET_RECALL,
    Measured,
    measure_lexical,
    measure_vectors,
)
from bench.synthetic import Seeds, synthetic_vectors
from bench.tables import print_table
from index.french import analyze
from index.store import faiss_plan, lexical_text
from search import Searcher

QUERY_SEED = 7


def seeds_of(searcher: Searcher) -> Seeds:
    """The real vectors and BM25 stems of every chunk of an index."""
    loaded = searcher.loaded
    return Seeds(loaded.reader.vectors([chunk.id for chunk in loaded.chunks]),
                 [analyze(lexical_text(chunk)) for chunk in loaded.chunks])


def query_vectors(searcher: Searcher, seeds: Seeds) -> np.ndarray:
    """QUERY_COUNT query vectors: the real benchmark questions, then synthetic ones."""
    real = np.vstack([searcher.loaded.encoder.encode_query(query) for query in QUERIES])
    extra = synthetic_vectors(seeds.vectors, max(QUERY_COUNT - len(real), 0), seed=QUERY_SEED)
    return np.vstack([real, extra]).astype(np.float32)


def spaced(count: int) -> str:
    """An integer with French thousands spacing: 1 000 000."""
    return f"{count:,}".replace(",", " ")


def verdict(measured: Measured) -> str:
    """« oui » when the best setting meets every target, else the failed ones."""
    best = measured.best()
    failed = [name for name, ok in (("rappel", best.recall >= TARGET_RECALL),
                                    ("p95", best.p95.median <= TARGET_P95_MS),
                                    ("RAM", measured.ram_mib <= TARGET_RAM_MIB)) if not ok]
    return "oui" if not failed else "non : " + ", ".join(failed)


def print_vectors(count: int, measured: list[Measured], runs: int) -> None:
    """Every index type and search setting at one corpus size."""
    rows = []
    for item in measured:
        best = item.best()
        for setting in item.settings:
            first = setting is item.settings[0]
            rows.append([
                item.kind if first else "", item.params if first else "",
                "—" if setting.value is None else setting.value,
                f"{item.build_s:.1f}" if first else "", f"{item.disk_mib:.0f}" if first else "",
                f"{item.ram_mib:.0f}" if first else "",
                setting.p50.show(2), setting.p95.show(2), f"{setting.recall:.3f}",
                verdict(item) if setting is best else "",
            ])
    print_table(f"Échelle, vecteurs — {spaced(count)} extraits synthétiques (512 d), "
                f"{QUERY_COUNT} requêtes une à une sur 1 fil × {runs} passes, ms médiane "
                "(min–max) ; construction sur 2 fils, 1 essai",
                ["type", "paramètres", "nprobe/ef", "constr. s", "disque Mio", "RAM Mio",
                 "p50 ms", "p95 ms", "recall@10", "cibles"], rows)


def print_lexical(figures: dict[int, dict], runs: int) -> None:
    """BM25 at every corpus size."""
    rows = [[spaced(count), f"{f['build_s']:.1f}", f"{f['disk_mib']:.0f}",
             f"{f['ram_mib']:.0f}", Spread.of(f["p50"]).show(2), Spread.of(f["p95"]).show(2)]
            for count, f in figures.items()]
    print_table(f"Échelle, BM25 (bm25s, racines françaises) — {len(QUERIES)} questions × {runs} "
                "passes, score de tous les documents + 100 meilleurs, ms médiane (min–max)",
                ["extraits", "constr. s", "disque Mio", "RAM Mio", "p50 ms", "p95 ms"], rows)


def best_lossless(measured: list[Measured]) -> Measured | None:
    """Exact search while within EXACT_P95_BUDGET_MS, else the fastest lossless type on target."""
    meeting = [m for m in measured if m.kind in LOSSLESS and m.meets_targets()]
    exact = [m for m in meeting
             if m.kind == "flat" and m.best().p95.median <= EXACT_P95_BUDGET_MS]
    approximate = sorted((m for m in meeting if m.kind != "flat"),
                         key=lambda m: m.best().p95.median)
    return (exact or approximate or [None])[0]


def print_choice(results: dict[int, list[Measured]]) -> None:
    """The automatic choice of index.store beside the best lossless type measured here."""
    rows = []
    for count, measured in results.items():
        plan = faiss_plan(count)
        chosen = best_lossless(measured)
        best = "aucun ne tient les cibles" if chosen is None else (
            f"{chosen.kind} ({chosen.params}"
            + (f", réglage {chosen.best().value})" if chosen.best().value else ")"))
        same = chosen is not None and plan["type"] == chosen.kind
        rows.append([spaced(count), describe_plan(plan), best,
                     "oui" if same else "NON"])
    print_table("Choix automatique de l'index (index.store.faiss_plan) face aux mesures — "
                f"exact tant que p95 ≤ {EXACT_P95_BUDGET_MS:.0f} ms, sinon le plus rapide des "
                "types sans perte (l'index sert aussi de réserve de vecteurs)",
                ["extraits", "choix de index.store", "meilleur mesuré", "accord"], rows)


def describe_plan(plan: dict) -> str:
    """« type (paramètres) » of a faiss_plan."""
    params = ", ".join(f"{key}={value}" for key, value in plan.items() if key != "type")
    return f"{plan['type']} ({params})" if params else plan["type"]


def run_scale(searcher: Searcher, sizes: list[int], kinds_for: dict[int, list[str]],
              runs: int) -> None:
    """Measure every size (vectors, then BM25) and print the tables as they come."""
    seeds = seeds_of(searcher)
    queries = query_vectors(searcher, seeds)
    results: dict[int, list[Measured]] = {}
    lexical: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="kb-scale-") as workdir:
        for count in sizes:
            results[count] = measure_vectors(seeds, queries, count, kinds_for[count], runs,
                                             Path(workdir))
            print_vectors(count, results[count], runs)
            lexical[count] = measure_lexical(seeds.stems, count, QUERIES, runs)
    print_lexical(lexical, runs)
    print_choice(results)
