"""Ingest PDFs into the index: parse in isolated workers, chunk, embed what changed, build.

Decisions:
- Each PDF is parsed in its own `spawn`ed worker process (a fresh interpreter without the
  encoder), two at a time, with a wall-clock budget (`file_timeout`) after which it is killed,
  and an address-space cap (`WORKER_MEMORY_BYTES`, via RLIMIT_AS) so that a hostile PDF cannot
  take the machine; a CPU-time cap just above the budget ends a worker orphaned by a killed
  ingest. A failing file yields one French message; the others go on.
- Incremental and idempotent: each PDF's SHA-256 is compared with the current build's manifest.
  Same files and same encoder → « index à jour », nothing loaded, no build. Otherwise only new or
  changed PDFs are parsed and embedded; unchanged reports reuse their chunks, chunk vectors and
  sentence vectors from the current build; a PDF no longer given is simply not carried over.
- The index is written by `index.store.write_build`, atomically; when no PDF could be ingested,
  nothing is written and the existing index stays as it was.
"""

from __future__ import annotations

import hashlib
import logging
import math
import multiprocessing
import resource
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from index.encoders import load_encoder
from index.records import Chunk, Report
from index.settings import SAMPLE_DIR
from index.store import IndexIncompatible, IndexMissing, IndexReader, open_index, write_build
from index.text import single_line
from index.vectors import ChunkVectors, embed_chunks
from ingest.assemble import report_chunks
from ingest.manifest import guess_year, load_reports, unknown_report
from ingest.parse import ParsedReport, parse_report
from ingest.pdf import PdfError
from ingest.progress import Stage

WORKERS = 2
WORKER_MEMORY_BYTES = 3 * 1024**3
EMBED_BATCH = 64


class IngestError(Exception):
    """Ingestion cannot start or produced nothing; the message says what to do, in French."""


@dataclass
class ReportRow:
    """One line of the final summary."""

    report_id: str
    pages: int
    chunks: int
    found: int
    expected: int | None
    warnings: list[str]
    seconds: float
    reused: bool = False


@dataclass
class IngestSummary:
    """What an ingestion run did."""

    rows: list[ReportRow] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    up_to_date: bool = False
    embedded: int = 0
    reused: int = 0
    build: Path | None = None
    seconds: float = 0.0

    def table(self) -> str:
        """The summary as a plain-text table, in French."""
        if self.up_to_date:
            return f"Index à jour : rien à faire ({self.seconds:.1f} s)."
        lines = [f"{'rapport':<22} {'pages':>5} {'extraits':>8} {'recomm.':>9} {'s':>6}  avert."]
        for row in self.rows:
            expected = "?" if row.expected is None else row.expected
            note = " (inchangé)" if row.reused else ""
            lines.append(
                f"{single_line(row.report_id):<22} {row.pages:>5} {row.chunks:>8} "
                f"{f'{row.found}/{expected}':>9} {row.seconds:>6.1f}  "
                f"{single_line('; '.join(row.warnings)) or '—'}{note}"
            )
        lines += [failure_line(name, message, "ÉCHEC ") for name, message in self.errors]
        lines.append(
            f"{self.embedded} extraits encodés, {self.reused} repris de l'index existant, "
            f"{self.seconds:.1f} s."
        )
        return "\n".join(lines)


def failure_line(name: str, message: str, prefix: str = "") -> str:
    """One printed line for a refused file: its name and the reason, each on one line and free
    of control characters (a file name may hold ANSI escapes or line breaks)."""
    return f"{prefix}{single_line(name)} : {single_line(message)}"


def collect_pdfs(paths: list[Path] | None) -> list[Path]:
    """The PDF files named or contained (recursively) in `paths`; the sample corpus by default."""
    roots = paths or [SAMPLE_DIR]
    found: list[Path] = []
    for root in roots:
        if root.is_dir():
            found += sorted(p for p in root.rglob("*") if p.suffix.lower() == ".pdf")
        elif root.is_file():
            found.append(root)
        else:
            raise IngestError(
                f"{root} n'existe pas. Indiquez un fichier PDF ou un dossier qui en contient, "
                "ou lancez `python -m ingest --download` pour récupérer les rapports officiels."
            )
    if not found:
        raise IngestError(
            f"Aucun fichier PDF dans {', '.join(map(str, roots))}. Ajoutez-y les rapports, ou "
            "lancez `python -m ingest --download` pour récupérer les rapports officiels."
        )
    return list(dict.fromkeys(p.resolve() for p in found))


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_reports(pdfs: list[Path], known: list[Report]) -> list[Report]:
    """The Report of each PDF (by file name in the manifests), with its path and SHA-256."""
    by_file = {report.file: report for report in known if report.file}
    reports = []
    for pdf in pdfs:
        report = by_file.get(pdf.name) or unknown_report(pdf, known)
        reports.append(replace(report, pdf_path=str(pdf), sha256=sha256_of(pdf)))
    return reports


def memory_message(memory: int) -> str:
    """The French reason given for a PDF that needs more than `memory` bytes."""
    return (f"mémoire insuffisante pour lire ce PDF (plafond : {memory // 1024**2} Mo par "
            "fichier) : il est trop lourd ou malformé ; essayez d'en réduire la taille.")


def _worker(path: Path, report: Report, memory: int, cpu_seconds: int, connection) -> None:
    """Parse one PDF under memory and CPU caps and send back the result or a French message."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # The CPU cap ends the worker even if the ingest that should kill it has itself died.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    # pypdf logs its repairs in English on stderr; the outcome is reported once, in French.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        connection.send(("ok", parse_report(path, report)))
    except MemoryError:
        connection.send(("error", memory_message(memory)))
    except PdfError as exc:
        # ingest.pdf wraps whatever pypdf raised, running out of memory included.
        out_of_memory = isinstance(exc.__cause__, MemoryError)
        connection.send(("error", memory_message(memory) if out_of_memory else str(exc)))
    except Exception as exc:  # noqa: BLE001 - any other failure is reported for this file only
        connection.send(("error", f"lecture impossible ({type(exc).__name__} : {exc})."))
    finally:
        connection.close()


@dataclass
class _Job:
    report: Report
    process: multiprocessing.process.BaseProcess
    connection: object
    started: float


def _finish(job: _Job, timeout: float) -> tuple[str, object]:
    """Collect a worker's answer, killing it when its time is up."""
    remaining = max(0.0, job.started + timeout - time.monotonic())
    if job.connection.poll(remaining):
        try:
            outcome = job.connection.recv()
        except (EOFError, OSError):
            outcome = ("error", "la lecture s'est arrêtée brutalement (PDF malformé ?).")
    else:
        outcome = ("error", f"temps maximal dépassé ({timeout:g} s) : le fichier est trop long "
                            "à lire ; augmentez --file-timeout ou vérifiez le fichier.")
    job.process.kill()
    job.process.join()
    return outcome


def parse_in_workers(
    reports: list[Report], timeout: float, stage: Stage, memory: int = WORKER_MEMORY_BYTES
) -> tuple[dict[str, tuple[ParsedReport, float]], list[tuple[str, str]]]:
    """Parse each report's PDF in a worker, two at a time; results and per-file errors."""
    context = multiprocessing.get_context("spawn")
    pending = list(reports)
    running: list[_Job] = []
    parsed: dict[str, tuple[ParsedReport, float]] = {}
    errors: list[tuple[str, str]] = []
    while pending or running:
        while pending and len(running) < WORKERS:
            report = pending.pop(0)
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=_worker,
                args=(Path(report.pdf_path), report, memory, math.ceil(timeout) + 1, sender),
                daemon=True,
            )
            process.start()
            sender.close()
            running.append(_Job(report, process, receiver, time.monotonic()))
        job = running.pop(0)
        status, value = _finish(job, timeout)
        name = Path(job.report.pdf_path).name
        if status == "ok":
            parsed[job.report.id] = (value, time.monotonic() - job.started)
        else:
            errors.append((name, value))
        stage.advance(name)
    return parsed, errors


def _complete_unknown(parsed: ParsedReport) -> Report:
    """Fill the title and year of a report that no manifest described."""
    report = parsed.report
    if report.year:
        return report
    return replace(
        report,
        title=single_line(parsed.title or report.title),
        year=guess_year(parsed.creation_year, parsed.doc.text[:5000]),
    )


def _previous(index_dir: Path) -> IndexReader | None:
    """The current build, if there is a readable one."""
    try:
        return open_index(index_dir)
    except (IndexMissing, IndexIncompatible):
        return None


def _same_encoder(reader: IndexReader | None, model: str) -> bool:
    """Whether the current build was made with the requested encoder."""
    return reader is not None and model in (
        reader.manifest.get("encoder", {}).get("name"),
        reader.manifest.get("encoder", {}).get("kind"),
    )


def _embed(encoder, chunks: list[Chunk], stage: Stage) -> list[tuple[np.ndarray, np.ndarray]]:
    """(chunk vector, sentence vectors) of each chunk, in batches, with progress."""
    pairs = []
    for start in range(0, len(chunks), EMBED_BATCH):
        batch = chunks[start : start + EMBED_BATCH]
        pairs += embed_chunks(encoder, batch).pairs()
        stage.advance(f"{start + len(batch)} extraits", len(batch))
    return pairs


def run_ingest(
    paths: list[Path] | None,
    index_dir: Path,
    model: str,
    file_timeout: float,
    progress: bool | None = None,
) -> IngestSummary:
    """Bring the index in `index_dir` up to date with the given PDFs (default: sample corpus)."""
    began = time.monotonic()
    show = sys.stderr.isatty() if progress is None else progress
    reports = resolve_reports(collect_pdfs(paths), load_reports())
    previous = _previous(index_dir)
    reuse = previous.manifest.get("reports", {}) if _same_encoder(previous, model) else {}
    summary = IngestSummary()
    if reuse == {report.id: report.sha256 for report in reports}:
        summary.up_to_date = True
        summary.seconds = time.monotonic() - began
        return summary
    unchanged = [r for r in reports if reuse.get(r.id) == r.sha256]
    changed = [r for r in reports if reuse.get(r.id) != r.sha256]
    encoder = load_encoder(model)
    with Stage("extraction", len(changed), show) as stage:
        parsed, summary.errors = parse_in_workers(changed, file_timeout, stage)
    if not parsed and not unchanged:
        raise IngestError(
            "Aucun PDF n'a pu être ingéré ; l'index existant n'a pas été modifié.\n"
            + "\n".join(failure_line(name, message) for name, message in summary.errors)
        )
    final_reports, chunks, new_chunks = [], [], []
    for report in reports:
        if report in unchanged:
            old = previous.chunks(report.id)
            previous_report = next(r for r in previous.reports() if r.id == report.id)
            final_reports.append(previous_report)
            chunks += old
            summary.rows.append(ReportRow(report.id, previous_report.pages or 0, len(old),
                                          sum(c.kind == "recommendation" for c in old),
                                          report.expected_recommendations, [], 0.0, reused=True))
        elif report.id in parsed:
            result, seconds = parsed[report.id]
            complete = replace(_complete_unknown(result), pages=len(result.doc.pages))
            own = report_chunks(result, encoder.count_tokens, encoder.max_tokens)
            final_reports.append(complete)
            new_chunks += own
            chunks += own
            summary.rows.append(ReportRow(report.id, len(result.doc.pages), len(own),
                                          len(result.recommendations),
                                          report.expected_recommendations, result.warnings,
                                          seconds))
    new_ids = {chunk.id for chunk in new_chunks}
    reused_ids = [chunk.id for chunk in chunks if chunk.id not in new_ids]
    with Stage("encodage", len(new_chunks), show) as stage:
        vectors_by_id = dict(zip((c.id for c in new_chunks), _embed(encoder, new_chunks, stage),
                                 strict=True))
    if reused_ids:
        vectors_by_id.update(zip(reused_ids, previous.chunk_vectors(reused_ids).pairs(),
                                 strict=True))
    with Stage("index", 1, show) as stage:
        vectors = ChunkVectors.from_pairs([vectors_by_id[chunk.id] for chunk in chunks],
                                          encoder.dim)
        summary.build = write_build(index_dir, encoder.info(), final_reports, chunks, vectors)
        stage.advance("écrit")
    summary.embedded, summary.reused = len(new_chunks), len(reused_ids)
    summary.seconds = time.monotonic() - began
    return summary
