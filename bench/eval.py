"""Retrieval quality on the gold questions: `python -m bench.eval [--split …] [--json] [--grid]`.

Prints Recall@1, Recall@5, MRR@10 and nDCG@10 per question type (fr, en, refs) for BM25 alone,
vectors alone, the product's hybrid search and two txtai baselines (when txtai is installed),
per split, fact vs concept, how often the « nothing relevant » flag fires (gold questions and
tests/eval/nonsense.toml), and the issue's targets. `--grid` scores a small grid of fusion
settings on the tune split only; `--lexical-weight`/`--lexical-weight-en` set the fusion
measured (and the grid's reference point). Exit codes: 0 measured, 1 missing or unreadable index or
model, 2 bad usage or malformed gold file.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from bench.evaluation.baselines import TXTAI_SYSTEMS, txtai_available, txtai_systems
from bench.evaluation.flags import NONSENSE_PATH, load_nonsense, relevance_rates
from bench.evaluation.gold import (
    QUESTIONS_DIR,
    Answer,
    GoldError,
    Question,
    Resolved,
    load_questions,
    resolve,
)
from bench.evaluation.grid import run_grid
from bench.evaluation.harness import evaluate, lexical_overlap, target_checks
from bench.evaluation.systems import OUR_SYSTEMS, hybrid_system, our_systems
from bench.evaluation.tables import render, render_grid
from index.cli import CommandParser, ExitCode, names_among
from index.encoders import EncoderError
from index.settings import INDEX
from search import IndexIncompatible, IndexMissing, Searcher
from search.fusion import FUSION, FusionSettings
from search.rerank import RERANK, optional_reranker

ALL_SYSTEMS = (*OUR_SYSTEMS, *TXTAI_SYSTEMS)
RERANK_SYSTEM = "rerank"
SPLIT_CHOICES = ("all", "tune", "heldout")


def build_parser(environ: Mapping[str, str] = os.environ) -> CommandParser:
    """The command's arguments and settings."""
    parser = CommandParser(
        prog="python -m bench.eval", environ=environ,
        description="Mesurer la qualité de la recherche sur les questions de référence.")
    parser.add_argument("--split", choices=SPLIT_CHOICES, default="all",
                        help="questions évaluées : all (toutes), tune (réglage) ou heldout "
                             "(mises de côté)")
    parser.add_argument("--systems", type=names_among(ALL_SYSTEMS, "système(s)"),
                        default=list(ALL_SYSTEMS),
                        help=f"systèmes à mesurer, séparés par des virgules "
                             f"(défaut : {','.join(ALL_SYSTEMS)})")
    parser.add_argument("--json", action="store_true", help="sortie JSON")
    parser.add_argument("--grid", action="store_true",
                        help="essayer une grille de réglages de fusion sur les questions tune")
    parser.add_argument("--questions", type=Path, default=QUESTIONS_DIR,
                        help="dossier des questions de référence (*.toml), ou un seul fichier "
                             f"(défaut : {QUESTIONS_DIR}, depuis la racine du dépôt)")
    parser.add_argument("--nonsense", type=Path, default=NONSENSE_PATH,
                        help=f"requêtes hors sujet (défaut : {NONSENSE_PATH})")
    parser.add_settings(INDEX, *FUSION, *RERANK)
    return parser


def in_split(resolved: list[Resolved], split: str) -> list[Resolved]:
    """The questions of one split ("all" keeps them all)."""
    return [item for item in resolved if split in ("all", item.question.split)]


def systems_to_run(searcher: Searcher, names: list[str]) -> tuple[dict, dict[str, str]]:
    """The requested ranking functions by name, and the skipped ones with the reason; with a
    reranker, "rerank" (the hybrid re-scored by it) is measured too."""
    available = our_systems(searcher.with_reranker(None))
    if searcher.reranker is not None:
        available[RERANK_SYSTEM] = hybrid_system(searcher)
        names = [*names, RERANK_SYSTEM]
    skipped: dict[str, str] = {}
    wanted_txtai = [name for name in names if name in TXTAI_SYSTEMS]
    if wanted_txtai and txtai_available():
        available.update(txtai_systems(searcher))
    elif wanted_txtai:
        skipped = dict.fromkeys(wanted_txtai, "txtai n'est pas installé "
                                              "(pip install -e '.[bench]')")
    return {name: available[name] for name in names if name in available}, skipped


def measure(searcher: Searcher, resolved: list[Resolved], names: list[str],
            nonsense: list[str]) -> dict:
    """The evaluation report of the named systems on these questions, the « nothing relevant »
    flag counted on them and on the `nonsense` queries (see docs/retrieval.md)."""
    systems, skipped = systems_to_run(searcher, names)
    report = evaluate(resolved, systems)
    chunks = {chunk.id: chunk for chunk in searcher.loaded.chunks}
    report["overlap"] = lexical_overlap(resolved, chunks)
    report["skipped"] = skipped
    report["relevance"] = relevance_rates(searcher, resolved, nonsense)
    report["targets"] = target_checks(report)
    return report


def warn_unresolved(unresolved: list[tuple[Question, Answer]]) -> None:
    """Say loudly which gold answers are in no chunk of this index."""
    if not unresolved:
        return
    print(f"ATTENTION : {len(unresolved)} réponse(s) de référence introuvable(s) dans l'index "
          f"(exclues des mesures) :", file=sys.stderr)
    for question, answer in unresolved:
        print(f"  - {question.source} : {question.q} → {answer.describe()}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit code."""
    args = build_parser().parse_args(argv)
    reranker, warning = optional_reranker(args.reranker, args.rerank_depth)
    if warning:
        print(f"Attention : {warning}", file=sys.stderr)
    try:
        questions = load_questions(args.questions)
        nonsense = load_nonsense(args.nonsense)
        searcher = Searcher.open(args.index, fusion=FusionSettings.from_settings(vars(args)),
                                 reranker=reranker)
    except GoldError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return ExitCode.USAGE_ERROR
    except (IndexMissing, IndexIncompatible, EncoderError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return ExitCode.FAILURE
    resolved, unresolved = resolve(questions, searcher.loaded.chunks)
    warn_unresolved(unresolved)
    if args.grid:
        rows = run_grid(searcher, resolved)
        print(json.dumps({"grid": rows}, ensure_ascii=False, indent=2) if args.json
              else render_grid(rows, searcher.fusion))
        return 0
    chosen = in_split(resolved, args.split)
    report = measure(searcher, chosen, args.systems, nonsense)
    report["context"] = {
        "index": str(args.index), "encoder": searcher.library.info()["encoder"].get("name", ""),
        "split": args.split, "questions": len(chosen),
        "unresolved": [f"{question.source} → {answer.describe()}"
                       for question, answer in unresolved],
    }
    if args.json:
        report["targets"] = [{"target": label, "met": met} for label, met in report["targets"]]
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
