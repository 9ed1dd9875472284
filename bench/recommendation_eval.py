"""`python -m bench.recommendation_eval`: how well themes and lineage match hand labels.

Themes: precision and recall of the automatic assignment (overrides left out) against
tests/recommendation_themes.toml, on the odd numbers (used to choose the weights), the even ones
(held out) and all; with the vectors alone, the key terms alone, and both. Lineage: precision@1
of the closest recommendation of the named edition against tests/recommendation_lineage.toml,
with cosine alone, BM25 alone and the mix served.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

import numpy as np

from index.cli import CommandParser, ExitCode
from index.records import Chunk
from index.settings import INDEX
from index.themes import Assignment, Catalogue, load_catalogue, pick_themes, theme_scores
from search.lineage import Lineage
from search.searcher import LoadedIndex, Searcher

# The repository's hand labels, from its root (the defaults of `--themes` and `--lineage`).
THEME_LABELS = Path("tests/recommendation_themes.toml")
LINEAGE_PAIRS = Path("tests/recommendation_lineage.toml")
SPLITS = {"tune (odd)": 1, "held out (even)": 0, "all": None}
THRESHOLDS = np.round(np.arange(-0.05, 0.60, 0.01), 2)


def precision_recall(picked: dict[str, set[str]], gold: dict[str, list[str]]
                     ) -> tuple[float, float]:
    """Micro-averaged precision and recall of picked theme sets over the labelled ids."""
    hits = sum(len(picked[key] & set(labels)) for key, labels in gold.items())
    given = sum(len(picked[key]) for key in gold)
    wanted = sum(len(labels) for labels in gold.values())
    return hits / max(given, 1), hits / max(wanted, 1)


def automatic_themes(loaded: LoadedIndex, catalogue: Catalogue, recs: list[Chunk],
                     vectors: np.ndarray, assignment: Assignment) -> dict[str, set[str]]:
    """Themes the assignment gives (no override) with the index's encoder and vectors."""
    theme_vectors = loaded.encoder.encode_passages([t.text() for t in catalogue.themes])
    scores = theme_scores(catalogue.themes, [c.text for c in recs], vectors, theme_vectors,
                          assignment.lexical_weight)
    picked = pick_themes(scores, catalogue.themes, assignment)
    return {c.id: {link.theme_id for link in links} for c, links in zip(recs, picked,
                                                                         strict=True)}


def split(gold: dict[str, list[str]], recs: list[Chunk], parity: int | None) -> dict:
    """The labels of the recommendations of one split."""
    numbers = {c.id: c.number for c in recs}
    return {key: labels for key, labels in gold.items()
            if parity is None or numbers[key] % 2 == parity}


def theme_report(loaded: LoadedIndex, catalogue: Catalogue, gold: dict[str, list[str]]
                 ) -> list[str]:
    """Lines of the theme table against the `gold` labels: each variant with its threshold
    chosen on the tune split."""
    recs = [c for c in loaded.chunks if c.id in gold]
    vectors = loaded.reader.vectors([c.id for c in recs])
    tune = split(gold, recs, 1)
    variants = {
        "vectors only": (vectors, 0.0),
        "key terms only": (np.zeros_like(vectors), 1.0),
        "both (served)": (vectors, catalogue.assignment.lexical_weight),
    }
    lines = [f"themes: {len(gold)} labelled recommendations, {len(catalogue.themes)} themes",
             f"{'variant':<16} {'threshold':>9}  " + "  ".join(f"{name:>17}" for name in SPLITS)]
    for name, (used, weight) in variants.items():
        def measured(threshold: float, used=used, weight=weight) -> dict[str, set[str]]:
            return automatic_themes(loaded, catalogue, recs, used, Assignment(weight, threshold))
        if name == "both (served)":
            threshold = catalogue.assignment.threshold
        else:
            threshold = max(THRESHOLDS, key=lambda t: f1(precision_recall(measured(t), tune)))
        picked = measured(threshold)
        cells = []
        for parity in SPLITS.values():
            precision, recall = precision_recall(picked, split(gold, recs, parity))
            cells.append(f"P {precision:.3f} R {recall:.3f}")
        lines.append(f"{name:<16} {threshold:>9.2f}  " + "  ".join(f"{c:>17}" for c in cells))
    return lines


def f1(pair: tuple[float, float]) -> float:
    """Harmonic mean of precision and recall."""
    precision, recall = pair
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def lineage_report(loaded: LoadedIndex, pairs: list[dict]) -> list[str]:
    """Lines of the lineage table against the hand-made `pairs`: precision@1 for each mix of
    cosine and BM25."""
    year_of = {report.id: report.year for report in loaded.reports.values()}
    lines = [f"lineage: {len(pairs)} hand-made pairs, precision@1"]
    for name, share in (("cosine only", 0.0), ("BM25 only", 1.0),
                        ("mix (served)", loaded.lineage.lexical_share)):
        lineage = Lineage(loaded.chunks, loaded.lineage.rows,
                          loaded.reader.vectors([loaded.chunks[r].id for r in loaded.lineage.rows]),
                          loaded.reader.lexical, lambda row: loaded.words(row).terms,
                          loaded.themes.of, share)
        hits = 0
        for pair in pairs:
            kin = lineage.kin(loaded.reader.row_of_id[pair["source"]], per_edition=1)
            best = [k for rid, ks in kin.items() if year_of[rid] == pair["edition"] for k in ks]
            hits += bool(best) and loaded.chunks[best[0].row].id in pair["targets"]
        lines.append(f"{name:<16} lexical share {share:.2f}: {hits}/{len(pairs)} = "
                     f"{hits / len(pairs):.3f}")
    return lines


def read_table(path: Path, key: str, flag: str):
    """The `key` table of the TOML file `path`; ValueError naming the file and the flag."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))[key]
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise ValueError(f"étiquettes illisibles « {path} » ({exc}) : lancez depuis la racine "
                         f"du dépôt ou donnez {flag}") from exc


def main(argv: list[str] | None = None) -> int:
    """Print both tables for the index given (the sample corpus' index)."""
    cli = CommandParser(prog="python -m bench.recommendation_eval", environ=os.environ,
                        description="Mesure thèmes et filiations des recommandations.")
    cli.add_settings(INDEX)
    cli.add_argument("--themes", type=Path, default=THEME_LABELS,
                     help=f"thèmes étiquetés à la main (défaut : {THEME_LABELS})")
    cli.add_argument("--lineage", type=Path, default=LINEAGE_PAIRS,
                     help=f"paires de filiation faites à la main (défaut : {LINEAGE_PAIRS})")
    args = cli.parse_args(argv)
    try:
        gold = read_table(args.themes, "labels", "--themes")
        pairs = read_table(args.lineage, "pair", "--lineage")
    except ValueError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return ExitCode.USAGE_ERROR
    loaded = Searcher.open(Path(args.index)).loaded
    catalogue = load_catalogue()
    print("\n".join([*theme_report(loaded, catalogue, gold), "",
                     *lineage_report(loaded, pairs)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
