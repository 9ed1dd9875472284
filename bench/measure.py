"""Measuring primitives shared by every bench: repeated timings, percentiles, memory, disk."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psutil

MIN_RUNS = 5


@dataclass(frozen=True)
class Spread:
    """Median of repeated measurements with their min and max."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        """The spread of a non-empty list of values."""
        return cls(statistics.median(values), min(values), max(values))

    def show(self, digits: int = 1) -> str:
        """« médiane (min–max) »."""
        return f"{self.median:.{digits}f} ({self.low:.{digits}f}–{self.high:.{digits}f})"


def repeat(measure: Callable[[], float], runs: int) -> Spread:
    """Call `measure` `runs` times (at least once); the spread of what it returns."""
    return Spread.of([measure() for _ in range(max(runs, 1))])


def seconds(action: Callable[[], object]) -> float:
    """Wall-clock seconds one call of `action` takes."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def latencies_ms(action: Callable[[str], object], queries: list[str]) -> list[float]:
    """Milliseconds of `action(query)` for each query, in order."""
    return [seconds(lambda q=query: action(q)) * 1000 for query in queries]


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile of samples (linear interpolation)."""
    return float(np.percentile(np.asarray(samples), q))


def tail(samples: list[float]) -> dict[str, float]:
    """p50, p95 and p99 of samples."""
    return {f"p{q}": percentile(samples, q) for q in (50, 95, 99)}


def rss_mib() -> float:
    """Resident memory of this process now, in MiB."""
    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mib(children: bool = False) -> float:
    """Peak resident memory of this process (or of its largest finished child), in MiB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def disk_mib(path: Path) -> float:
    """Size on disk of a file or of every file under a directory, in MiB."""
    path = Path(path)
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 2**20


def ratio(ours: float, other: float) -> str:
    """« ×r » of ours / other, or « — » when other is zero."""
    return f"×{ours / other:.2f}" if other else "—"
