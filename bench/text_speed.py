"""Text processing speed: sentence splitting of 100,000 short sentences (3 MB, 100,000 periods).

Both must be linear in the text; the ratio of 10× the text to the text shows it (≈ 10 when
linear), measured in the same run.
"""

from __future__ import annotations

import time

from bench.measure import Spread, repeat
from index.sentences import split_sentences

SENTENCE = "La commune publie ses données. "
SENTENCES = 100_000


def text_of(sentences: int) -> str:
    """`sentences` short sentences of 31 characters (100,000 make about 3 MB)."""
    return SENTENCE * sentences


def timed(sentences: int) -> float:
    """Seconds to split that many sentences once."""
    text = text_of(sentences)
    began = time.perf_counter()
    split_sentences(text)
    return time.perf_counter() - began


def measure_text(runs: int) -> tuple[Spread, Spread]:
    """Splitting of SENTENCES sentences, and of a tenth of them (the baseline)."""
    return repeat(lambda: timed(SENTENCES), runs), repeat(lambda: timed(SENTENCES // 10), runs)


def print_text(full: Spread, tenth: Spread, runs: int) -> None:
    """The text-processing table."""
    size = len(text_of(SENTENCES).encode()) / 1e6
    print(f"\n## Découpage en phrases ({runs} essais)\n\n| texte | secondes |\n|---|---|\n"
          f"| {SENTENCES:,} phrases ({size:.1f} Mo) | {full.show(3)} |\n"
          f"| {SENTENCES // 10:,} phrases | {tenth.show(3)} |\n"
          f"\nRapport 10× le texte / le texte : {full.median / tenth.median:.1f} "
          "(≈ 10 quand le découpage est linéaire ; cible : 1 Mo en moins de 2 s)", flush=True)
