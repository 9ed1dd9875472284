"""Ingestion speed: pages/s and chunks/s of each stage and of a whole ingest, peak memory.

Baseline, measured in the same process on the same PDFs: raw `pypdf` text extraction (what a
plain script would do). The ratio shows what cleaning, structure and chunking cost on top of it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from bench.measure import Spread, peak_rss_mib, ratio, repeat, seconds
from bench.tables import print_table
from index.encoders import USEM3, load_encoder
from index.records import Report
from index.settings import SAMPLE_DIR
from ingest.assemble import report_chunks
from ingest.manifest import read_manifest
from ingest.parse import parse_report
from ingest.pipeline import run_ingest

MODEL = USEM3
FILE_TIMEOUT_S = 300


@dataclass(frozen=True)
class IngestFigures:
    """Medians (with spread) of one ingest bench."""

    pages: int
    chunks: int
    raw_pages_per_s: Spread
    parse_pages_per_s: Spread
    chunk_per_s: Spread
    ingest_s: Spread
    peak_rss_mib: float
    worker_peak_rss_mib: float


def sample_reports(limit: int | None = None) -> list[Report]:
    """The bundled sample reports (the first `limit` of them)."""
    return read_manifest(SAMPLE_DIR / "reports.toml")[:limit]


def raw_extraction(paths: list[Path]) -> int:
    """Baseline: extract every page's text with plain pypdf; returns the page count."""
    return sum(len([page.extract_text() for page in PdfReader(path).pages]) for path in paths)


def measure_ingest(reports: list[Report], runs: int) -> IngestFigures:
    """Time extraction, chunking and whole ingests of `reports`, `runs` times each."""
    paths = [SAMPLE_DIR / report.file for report in reports]
    encoder = load_encoder(MODEL)
    pages = raw_extraction(paths)
    parsed = [parse_report(path, report) for path, report in zip(paths, reports, strict=True)]
    chunks = sum(len(report_chunks(p, encoder.count_tokens, encoder.max_tokens)) for p in parsed)

    def chunking() -> None:
        for p in parsed:
            report_chunks(p, encoder.count_tokens, encoder.max_tokens)

    def whole_ingest() -> float:
        with tempfile.TemporaryDirectory() as index_dir:
            return seconds(lambda: run_ingest(paths, Path(index_dir), MODEL, FILE_TIMEOUT_S,
                                              progress=False))

    return IngestFigures(
        pages=pages,
        chunks=chunks,
        raw_pages_per_s=repeat(lambda: pages / seconds(lambda: raw_extraction(paths)), runs),
        parse_pages_per_s=repeat(lambda: pages / seconds(
            lambda: [parse_report(p, r) for p, r in zip(paths, reports, strict=True)]), runs),
        chunk_per_s=repeat(lambda: chunks / seconds(chunking), runs),
        ingest_s=repeat(whole_ingest, runs),
        peak_rss_mib=peak_rss_mib(),
        worker_peak_rss_mib=peak_rss_mib(children=True),
    )


def print_ingest(figures: IngestFigures, runs: int) -> None:
    """The ingest table."""
    ingest = figures.ingest_s
    whole_pages = Spread(figures.pages / ingest.median, figures.pages / ingest.high,
                         figures.pages / ingest.low)
    whole_chunks = Spread(figures.chunks / ingest.median, figures.chunks / ingest.high,
                          figures.chunks / ingest.low)
    base = figures.raw_pages_per_s.median
    print_table(
        f"Ingestion — {figures.pages} pages, {figures.chunks} extraits, médiane (min–max) "
        f"de {runs} essais ; base : extraction pypdf brute",
        ["mesure", "valeur", "/ base"],
        [
            ["base : pypdf brut (pages/s)", figures.raw_pages_per_s.show(), "×1.00"],
            ["extraction + nettoyage + structure (pages/s)", figures.parse_pages_per_s.show(),
             ratio(figures.parse_pages_per_s.median, base)],
            ["découpage (extraits/s)", figures.chunk_per_s.show(0), "—"],
            ["ingestion complète (s)", ingest.show(2), "—"],
            ["ingestion complète (pages/s)", whole_pages.show(), ratio(whole_pages.median, base)],
            ["ingestion complète (extraits/s)", whole_chunks.show(), "—"],
            ["RSS maximale, processus (Mio)", f"{figures.peak_rss_mib:.0f}", "—"],
            ["RSS maximale, plus gros worker (Mio)", f"{figures.worker_peak_rss_mib:.0f}", "—"],
        ],
    )
