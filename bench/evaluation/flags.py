"""How often the « nothing relevant » flag fires: on the gold questions (per split) and on the
out-of-domain and nonsense queries of tests/eval/nonsense.toml (search/relevance.py)."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

from bench.evaluation.gold import SPLITS, GoldError, Resolved
from search.relevance import LEVELS
from search.searcher import Searcher

# The repository's nonsense queries, from its root (the default of `--nonsense`).
NONSENSE_PATH = Path("tests/eval/nonsense.toml")


def load_nonsense(path: Path) -> list[str]:
    """The out-of-domain and nonsense queries of `path` (GoldError if unreadable)."""
    try:
        return [item["q"] for item in tomllib.loads(path.read_text(encoding="utf-8"))["queries"]]
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise GoldError(f"Fichier de requêtes hors sujet illisible « {path} » : {exc} "
                        f"(lancez depuis la racine du dépôt ou donnez --nonsense)") from exc


def shares(levels: list[str]) -> dict[str, float | int]:
    """The share of each relevance level, and the number of queries `n`."""
    counts = Counter(levels)
    total = len(levels)
    return {**{level: round(counts[level] / total, 4) if total else 0.0 for level in LEVELS},
            "n": total}


def relevance_rates(searcher: Searcher, resolved: list[Resolved],
                    nonsense: list[str]) -> dict[str, dict]:
    """Relevance levels of the gold questions per split and of the nonsense queries."""
    levels = [searcher.search(item.question.q).relevance for item in resolved]
    by_split = {split: shares([level for item, level in zip(resolved, levels, strict=True)
                               if item.question.split == split]) for split in SPLITS}
    return {"gold": shares(levels), **by_split,
            "nonsense": shares([searcher.search(query).relevance for query in nonsense])}
