"""Cold start to first answer: a fresh `python -m search` process, and a fresh web server.

Baseline, same machine and moment: a Python interpreter that imports numpy and exits — the
floor below which no Python tool can answer.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
from pathlib import Path

from bench.measure import Spread, ratio, repeat, seconds
from bench.queries import QUERIES
from bench.tables import print_table
from bench.web_speed import running_server
from index import settings


def run_quietly(command: list[str]) -> None:
    """Run a command to completion; SystemExit with its output when it fails."""
    done = subprocess.run(command, cwd=settings.ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"Échec de {' '.join(command[1:3])} : {done.stderr.strip()[-500:]}")


def cli_first_answer(index_dir: Path) -> float:
    """Seconds from launching `python -m search` to its printed answer."""
    return seconds(lambda: run_quietly(
        [sys.executable, "-m", "search", QUERIES[0], "--index", str(index_dir), "--json"]))


def web_first_answer(index_dir: Path) -> float:
    """Seconds from launching `python -m web` to its first /api/search answer."""
    first = "/api/search?" + urllib.parse.urlencode({"q": QUERIES[0]})

    def start() -> None:
        with running_server(index_dir, first_url=first):
            pass

    return seconds(start)


def measure_startup(index_dir: Path, runs: int) -> dict[str, Spread]:
    """Spreads of the baseline, CLI and web cold starts, in seconds."""
    return {
        "base": repeat(lambda: seconds(
            lambda: run_quietly([sys.executable, "-c", "import numpy"])), runs),
        "cli": repeat(lambda: cli_first_answer(index_dir), runs),
        "web": repeat(lambda: web_first_answer(index_dir), runs),
    }


def print_startup(figures: dict[str, Spread], runs: int) -> None:
    """The cold-start table."""
    base = figures["base"].median
    labels = {"base": "base : python -c 'import numpy'",
              "cli": "python -m search « … » --json",
              "web": "python -m web → 1re réponse /api/search"}
    print_table(f"Démarrage à froid jusqu'à la première réponse — s, médiane (min–max) de "
                f"{runs} essais ; base : interpréteur + numpy",
                ["commande", "s", "/ base"],
                [[labels[key], spread.show(2), ratio(spread.median, base)]
                 for key, spread in figures.items()])
