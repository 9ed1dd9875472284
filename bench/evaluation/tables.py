"""Plain-text tables of an evaluation report, in French, for the terminal and docs/retrieval.md."""

from __future__ import annotations

from bench.evaluation.harness import BUCKETS, TYPES
from bench.evaluation.metrics import METRICS
from search.fusion import FUSION_SETTINGS, FusionSettings

BUCKET_NAMES = {
    "fr": "français (faits et concepts)",
    "en": "anglais",
    "refs": "références exactes",
}
TYPE_NAMES = {"fact": "faits", "concept": "concepts"}
SPLIT_NAMES = {"tune": "réglage (tune)", "heldout": "mis de côté (heldout)"}
NAME_WIDTH = 14


def metric_table(per_system: dict[str, dict], group: str) -> list[str]:
    """Markdown rows: one system per line, the four metrics of one group of questions."""
    count = next(iter(per_system.values()))[group]["n"] if per_system else 0
    lines = [f"| système (n = {count}) | " + " | ".join(METRICS) + " |",
             "|---" * (len(METRICS) + 1) + "|"]
    for name, groups in per_system.items():
        values = " | ".join(f"{groups[group][metric]:.3f}" for metric in METRICS)
        lines.append(f"| {name:<{NAME_WIDTH}} | {values} |")
    return lines


def compact_table(per_system: dict[str, dict], groups: tuple[str, ...]) -> list[str]:
    """Markdown rows: MRR@10 / Recall@5 of each group, one system per line."""
    first = next(iter(per_system.values()), {})
    header = " | ".join(f"{group} (n = {first.get(group, {}).get('n', 0)})" for group in groups)
    lines = [f"| système | {header} |", "|---" * (len(groups) + 1) + "|"]
    for name, by_group in per_system.items():
        cells = " | ".join(
            f"{by_group[group]['mrr@10']:.3f} / {by_group[group]['recall@5']:.3f}"
            for group in groups)
        lines.append(f"| {name:<{NAME_WIDTH}} | {cells} |")
    return lines


def render(report: dict) -> str:
    """The whole report as text (markdown tables)."""
    info = report["context"]
    lines = [
        f"Index : {info['index']} — encodeur : {info['encoder']}",
        f"Questions évaluées : {info['questions']} (partie « {info['split']} »)",
        "",
    ]
    for bucket in BUCKETS:
        lines += [f"Questions {BUCKET_NAMES[bucket]} ({bucket})", *metric_table(
            report["systems"], bucket), ""]
    for split, part in report["splits"].items():
        per_system = part["systems"]
        if per_system and any(groups[b]["n"] for groups in per_system.values() for b in BUCKETS):
            lines += [f"Partie {SPLIT_NAMES[split]} — MRR@10 / Recall@5",
                      *compact_table(per_system, BUCKETS), ""]
    lines += ["Faits et concepts (toutes langues) — MRR@10 / Recall@5",
              *compact_table(report["types"], TYPES), ""]
    overlap = report["overlap"]
    lines.append("Recouvrement lexical (part des radicaux de la question présents dans le "
                 "passage attendu, questions en français) : "
                 + ", ".join(f"{TYPE_NAMES[kind]} {overlap[kind]:.2f}" for kind in TYPES))
    lines.append("Temps médian par question (ms) : " + ", ".join(
        f"{name} {ms:.1f}" for name, ms in report["latency_ms"].items()))
    rates = report.get("relevance")
    if rates:
        lines.append("Pertinence (« none » = aucun passage ne répond clairement) : " + ", ".join(
            f"{group} none {rates[group]['none']:.3f} / weak {rates[group]['weak']:.3f} "
            f"(n = {rates[group]['n']})" for group in ("gold", "tune", "heldout", "nonsense")))
    for name, reason in report.get("skipped", {}).items():
        lines.append(f"Système « {name} » non mesuré : {reason}")
    if report.get("targets"):
        lines += ["", "Objectifs :"]
        lines += [f"  [{'ok' if met else 'NON ATTEINT'}] {label}"
                  for label, met in report["targets"]]
    return "\n".join(lines)


def render_grid(rows: list[dict], current: FusionSettings, shown: int = 12) -> str:
    """The best grid points (tune split) as a markdown table, and the settings in force."""
    names = list(FUSION_SETTINGS)
    lines = ["Grille de fusion (questions « tune » seulement), meilleurs réglages d'abord",
             "| " + " | ".join(names) + " | fr | en | refs | MRR@10 | Recall@5 |",
             "|---" * (len(names) + 5) + "|"]
    for row in rows[:shown]:
        cells = [f"{row[name]:g}" for name in names]
        cells += [f"{row[key]:.3f}" for key in ("fr", "en", "refs", "mrr@10", "recall@5")]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append(f"{len(rows)} réglages essayés. Réglage en vigueur : "
                 + ", ".join(f"{name}={getattr(current, name):g}" for name in names))
    best = rows[0] if rows else None
    if best:
        lines.append("Meilleur : " + ", ".join(f"{name}={best[name]:g}" for name in names))
    return "\n".join(lines)
