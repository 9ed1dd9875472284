"""Ingest PDFs into the index: plan the collection, parse in isolated workers, chunk, embed
what changed, build.

Decisions:
- The index records its collection (`ingest.collection`): a run adds or updates the files it is
  given and keeps every other report; with no file it brings the recorded ones up to date (the
  sample corpus only fills an empty collection). An official report removes the sample.
- Each PDF is read, cleaned, structured, split into sentences and chunked in its own `spawn`ed
  worker process (a fresh interpreter that loads only the encoder's tokenizer, before its
  file's time starts), two at a time, with a wall-clock budget (`file_timeout`) after which it
  is killed, and an address-space cap (`WORKER_MEMORY_BYTES`, via RLIMIT_AS) so that a hostile
  PDF cannot take the machine; a CPU-time cap just above the budget ends a worker orphaned by a
  killed ingest. A failing file yields one French message; the others go on, and a recorded report
  whose new version fails keeps its indexed version.
- Incremental and idempotent: a report is re-read only when its SHA-256, its metadata
  overrides, the encoder or INGEST_VERSION changed; « index à jour » otherwise, nothing loaded.
  A re-read report's chunks reuse the stored vectors of every chunk whose encoded texts are
  unchanged (`IndexReader.vectors_for_texts`), so a new ingest version costs little encoding.
- The index is written by `index.store.write_build`, atomically; when nothing could be
  ingested, nothing is written and the existing index stays as it was.
"""

from __future__ import annotations

import json
import logging
import math
import multiprocessing
import resource
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from index.encoders import USEM3, load_encoder
from index.records import Chunk, Report
from index.settings import MANIFEST_PATH, SAMPLE_DIR
from index.store import (
    DB_NAME,
    IndexIncompatible,
    IndexMissing,
    IndexReader,
    open_index,
    recorded_manifest,
    write_build,
)
from index.text import single_line
from index.themes import THEMES_PATH, ThemeError, assign_themes, load_catalogue, read_themes
from index.vectors import ChunkVectors, embed_chunks
from ingest.assemble import with_chunks
from ingest.collection import CollectionError, Entry, Found, inspect, plan_collection, scan
from ingest.manifest import (
    ManifestError,
    generic_patterns,
    load_reports,
    read_sidecar,
    unknown_report,
)
from ingest.metadata import DESCRIBED, describe
from ingest.parse import ParsedReport, parse_report
from ingest.pdf import PdfError
from ingest.progress import Stage

# What extraction, cleaning, chunking and metadata produce: bump it whenever a change to ingest/
# changes the chunks or the description of an unchanged PDF, so that every report is read again
# (vectors of unchanged chunk texts are reused).
INGEST_VERSION = 4
WORKERS = 2
WORKER_MEMORY_BYTES = 3 * 1024**3
EMBED_BATCH = 64
# Seconds (wall clock, and CPU on top of the file's budget) a worker may take to load the
# encoder's tokenizer before its file's time starts.
ENCODER_LOAD_S = 300


class IngestError(Exception):
    """Ingestion cannot start or produced nothing; the message says what to do, in French."""


@dataclass
class ReportRow:
    """One line of the final summary."""

    report_id: str
    year: int
    pages: int
    chunks: int
    found: int
    expected: int | None
    warnings: list[str]
    seconds: float
    reused: bool = False
    # (page, reason) of each page left out of the passages (`ParsedReport.skipped`).
    skipped: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class IngestSummary:
    """What an ingestion run did."""

    rows: list[ReportRow] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    up_to_date: bool = False
    embedded: int = 0
    reused: int = 0
    build: Path | None = None
    seconds: float = 0.0

    def table(self) -> str:
        """The summary as a plain-text table, in French."""
        tail = [failure_line(name, message, "ÉCHEC ") for name, message in self.errors]
        tail += self.notes
        if self.up_to_date:
            return "\n".join([f"Index à jour : rien à faire ({self.seconds:.1f} s).", *tail])
        lines = [f"{'rapport':<22} {'année':>5} {'pages':>5} {'extraits':>8} "
                 f"{'recomm.':>11} {'s':>6}  avert."]
        for row in self.rows:
            found = (f"{row.found} trouvées" if row.expected is None
                     else f"{row.found}/{row.expected}")
            note = " (inchangé)" if row.reused else ""
            lines.append(
                f"{single_line(row.report_id):<22} {row.year or '?':>5} {row.pages:>5} "
                f"{row.chunks:>8} {found:>11} {row.seconds:>6.1f}  "
                f"{single_line('; '.join(row.warnings)) or '—'}{note}"
            )
            if row.skipped:
                lines.append("  pages écartées des extraits : " + " ; ".join(
                    f"p. {page} : {reason}" for page, reason in row.skipped))
        lines += tail
        lines.append(
            f"{self.embedded} extraits encodés, {self.reused} repris de l'index existant, "
            f"{self.seconds:.1f} s."
        )
        return "\n".join(lines)


def failure_line(name: str, message: str, prefix: str = "") -> str:
    """One printed line for a refused file: its name and the reason, each on one line and free
    of control characters (a file name may hold ANSI escapes or line breaks)."""
    return f"{prefix}{single_line(name)} : {single_line(message)}"


def resolve_reports(pdfs: list[Path], known: list[Report]) -> list[Report]:
    """The Report of each PDF as a new collection would index it, with its path and SHA-256."""
    found = [Found(pdf.name, *inspect(pdf)) for pdf in pdfs]
    plan = plan_collection([], found, known)
    return [worker_report(entry, known, generic_patterns())[0] for entry in plan.entries]


def worker_report(entry: Entry, known: list[Report], generic: tuple[str, ...]
                  ) -> tuple[Report, dict]:
    """The Report a worker parses an entry's PDF with, and the overrides applied to it.

    Manifest values first, then the sidecar `<name>.toml`, then the options given at add
    (ManifestError for a bad sidecar); each field's provenance is recorded.
    """
    source = Path(entry.source)
    by_id = {report.id: report for report in known}
    base = by_id.get(entry.manifest_id) or unknown_report(source, known, generic)
    sidecar = read_sidecar(source)
    applied = {**sidecar, **entry.overrides}
    provenance = {name: "manifest" for name in DESCRIBED} if entry.manifest_id in by_id else {}
    provenance |= {name: "sidecar" for name in sidecar if name in DESCRIBED}
    provenance |= {name: "option" for name in entry.overrides if name in DESCRIBED}
    report = replace(base, **applied, id=entry.id, pdf_path=entry.source, sha256=entry.sha256,
                     provenance=provenance)
    return report, applied


def memory_message(memory: int) -> str:
    """The French reason given for a PDF that needs more than `memory` bytes."""
    return (f"mémoire insuffisante pour lire ce PDF (plafond : {memory // 1024**2} Mo par "
            "fichier) : il est trop lourd ou malformé ; essayez d'en réduire la taille.")


def _worker(path: Path, report: Report, model: str, memory: int, cpu_seconds: int,
            connection) -> None:
    """Load the encoder's tokenizer, then parse and chunk one PDF under memory and CPU caps, and
    send back the result or a French message.

    Loading the tokenizer is not work on the file: the worker says when it is ready (a
    `time.monotonic` stamp, the same clock in every process) and the file's time starts then.
    """
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # The CPU cap ends the worker even if the ingest that should kill it has itself died.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds + ENCODER_LOAD_S,
                                             cpu_seconds + ENCODER_LOAD_S + 1))
    # pypdf logs its repairs in English on stderr; the outcome is reported once, in French.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        encoder = load_encoder(model)
        encoder.count_tokens("")
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cap = math.ceil(usage.ru_utime + usage.ru_stime) + cpu_seconds
        resource.setrlimit(resource.RLIMIT_CPU, (cap, cap + 1))
        connection.send(("ready", time.monotonic()))
        parsed = parse_report(path, report)
        connection.send(("ok", with_chunks(parsed, encoder.count_tokens, encoder.max_tokens)))
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


def _receive(job: _Job, deadline: float) -> tuple[str, object] | None:
    """The worker's next message, or None when `deadline` passes first."""
    if not job.connection.poll(max(0.0, deadline - time.monotonic())):
        return None
    try:
        return job.connection.recv()
    except (EOFError, OSError):
        return ("error", "la lecture s'est arrêtée brutalement (PDF malformé ?).")


def _finish(job: _Job, timeout: float) -> tuple[str, object]:
    """Collect a worker's answer, killing it when its time is up (counted from its readiness)."""
    outcome = _receive(job, job.started + ENCODER_LOAD_S)
    if outcome is not None and outcome[0] == "ready":
        outcome = _receive(job, outcome[1] + timeout)
    if outcome is None:
        outcome = ("error", f"temps maximal dépassé ({timeout:g} s) : le fichier est trop long "
                            "à lire ; augmentez --file-timeout ou vérifiez le fichier.")
    job.process.kill()
    job.process.join()
    return outcome


def parse_in_workers(
    reports: list[Report], timeout: float, stage: Stage, memory: int = WORKER_MEMORY_BYTES,
    model: str = USEM3,
) -> tuple[dict[str, tuple[ParsedReport, float]], list[tuple[str, str]]]:
    """Parse and chunk (for `model`'s tokenizer) each report's PDF in a worker, two at a time;
    results and per-file errors."""
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
                args=(Path(report.pdf_path), report, model, memory, math.ceil(timeout) + 1,
                      sender),
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


def _as_json(value: object) -> object:
    """A value as it reads back from a manifest (tuples as lists), to compare recorded values."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def recorded_collection(manifest: dict | None, previous: IndexReader | None,
                        known: list[Report]) -> list[Entry]:
    """The collection recorded by the live build (an index from before collections were
    recorded: its reports and their files)."""
    if manifest and "collection" in manifest:
        return [Entry.from_json(item) for item in manifest["collection"]]
    if previous is None:
        return []
    ids = {report.id for report in known}
    return [Entry(report.id, report.pdf_path, report.sha256, report.id if report.id in ids else "")
            for report in previous.reports() if report.pdf_path]


def official_title(report: Report, known: list[Report]) -> Report | None:
    """The official manifest entry whose title is the title found in a PDF, if any."""
    wanted = " ".join(report.title.casefold().split())
    return next((entry for entry in known if not entry.sample and wanted
                 and " ".join(entry.title.casefold().split()) == wanted), None)


def finish_report(result: ParsedReport, entry: Entry, known: list[Report]
                  ) -> tuple[Report, Entry]:
    """The indexed Report of a parsed PDF: metadata read from it where nobody gave any, or the
    official entry whose title it bears; and the entry, remembering that match."""
    report = describe(result, Path(entry.source), result.report.provenance)
    official = None if entry.manifest_id else official_title(report, known)
    if official is not None:
        given = {name: getattr(report, name) for name, origin in report.provenance.items()
                 if origin in ("option", "sidecar")}
        values = {name: getattr(official, name) for name in (
            "title", "subtitle", "year", "authors", "commissioner", "date", "urls",
            "expected_recommendations", "label")}
        report = replace(report, **{**values, **given}, provenance={
            **{name: "manifest" for name in DESCRIBED}, **report.provenance,
            **{name: "manifest" for name in DESCRIBED if name not in given}})
        entry = replace(entry, manifest_id=official.id)
    return replace(report, pages=len(result.doc.pages)), entry


def _is_official(entry: Entry, known: list[Report]) -> bool:
    """Whether an entry is one of the official reports of corpus/reports.toml."""
    return any(report.id == entry.manifest_id and not report.sample for report in known)


def run_ingest(
    paths: list[Path] | None,
    index_dir: Path,
    model: str,
    file_timeout: float,
    progress: bool | None = None,
    *,
    replace_all: bool = False,
    remove: tuple[str, ...] = (),
    overrides: dict | None = None,
    manifests: list[Path] | None = None,
    themes_path: Path = THEMES_PATH,
) -> IngestSummary:
    """Bring the index in `index_dir` up to date with its collection and the given PDFs.

    `paths` are added or updated and every other recorded report kept (`replace_all`: only
    them); `remove` drops reports by id; `overrides` (title, year, authors, commissioner)
    apply to the one PDF given. With nothing recorded and no path, the sample corpus. The
    recommendations' themes come from the catalogue `themes_path`; a changed catalogue alone
    rebuilds the index without parsing or encoding anything.
    """
    began = time.monotonic()
    show = sys.stderr.isatty() if progress is None else progress
    known = load_reports(manifests)
    generic = generic_patterns((manifests or [MANIFEST_PATH])[0])
    manifest = recorded_manifest(index_dir)
    try:
        catalogue = load_catalogue(themes_path)
    except ThemeError as exc:
        raise IngestError(f"{exc} L'index existant n'a pas été modifié.") from exc
    previous = _previous(index_dir)
    recorded = recorded_collection(manifest, previous, known)
    summary = IngestSummary()
    try:
        if paths is None and not remove and (replace_all or not recorded):
            paths = [SAMPLE_DIR]
        found, summary.errors = scan(paths) if paths else ([], [])
        plan = plan_collection(recorded, found, known, start_empty=replace_all, remove=remove,
                               overrides=overrides)
    except CollectionError as exc:
        raise IngestError(str(exc)) from exc
    summary.errors += plan.refused
    summary.notes += plan.notes
    same_encoder = _same_encoder(previous, model)
    current = previous is not None and same_encoder and (
        previous.manifest.get("ingest_version") == INGEST_VERSION)
    old_reports = {report.id: report for report in previous.reports()} if previous else {}
    old_applied = {item["id"]: item.get("applied", {})
                   for item in (manifest or {}).get("collection", [])}
    jobs: dict[str, tuple[Report, dict]] = {}
    for entry in plan.entries:
        try:
            jobs[entry.id] = worker_report(entry, known, generic)
        except ManifestError as exc:
            summary.errors.append((Path(entry.source).name, str(exc)))
    unchanged = {
        entry.id for entry in plan.entries
        if current and entry.id in old_reports and entry.id in jobs
        and old_reports[entry.id].sha256 == entry.sha256
        and old_reports[entry.id].pdf_path == entry.source
        and old_applied.get(entry.id, {}) == _as_json(jobs[entry.id][1])
    }
    changed = [jobs[e.id][0] for e in plan.entries if e.id in jobs and e.id not in unchanged]
    same_reports = [e.id for e in plan.entries] == [e.id for e in recorded]
    same_themes = previous is not None and (
        read_themes(previous.path / DB_NAME).digest == catalogue.digest)
    if not changed and same_reports and current and same_themes:
        summary.up_to_date = True
        summary.seconds = time.monotonic() - began
        return summary
    encoder = load_encoder(model)
    with Stage("extraction", len(changed), show) as stage:
        parsed, failures = parse_in_workers(changed, file_timeout, stage, model=model)
    summary.errors += failures
    entries, final_reports, chunks, new_chunks = [], [], [], []
    for entry in plan.entries:
        if entry.id in parsed:
            result, seconds = parsed[entry.id]
            report, entry = finish_report(result, entry, known)
            own = result.chunks
            new_chunks += own
            row = ReportRow(report.id, report.year, report.pages or 0, len(own),
                            len(result.recommendations), report.expected_recommendations,
                            result.warnings, seconds, skipped=result.skipped)
        elif entry.id in old_reports:
            # Unchanged, or its new version could not be read: the indexed one stays.
            report, own = old_reports[entry.id], previous.chunks(entry.id)
            entry = replace(entry, sha256=report.sha256, source=report.pdf_path or entry.source)
            row = ReportRow(report.id, report.year, report.pages or 0, len(own),
                            sum(c.kind == "recommendation" for c in own),
                            report.expected_recommendations, [], 0.0, reused=True)
        else:
            continue
        entries.append((entry, report, own, row))
    if any(_is_official(entry, known) for entry, *_ in entries):
        samples = [report.id for _, report, _, _ in entries if report.sample]
        if samples:
            entries = [item for item in entries if not item[1].sample]
            summary.notes.append(
                f"Rapport officiel indexé : le corpus d'exemple ({', '.join(samples)}) est "
                "retiré de l'index, et son bandeau avec lui."
            )
    if (not parsed and same_themes
            and [entry.id for entry, *_ in entries] == [e.id for e in recorded]):
        raise IngestError(_nothing_message(summary.errors))
    for _, report, own, row in entries:
        final_reports.append(report)
        chunks += own
        summary.rows.append(row)
    new_ids = {chunk.id for chunk in new_chunks}
    fresh = [chunk for chunk in chunks if chunk.id in new_ids]
    reusable = previous.vectors_for_texts([c.text for c in fresh]) if same_encoder else {}
    to_embed = [chunk for i, chunk in enumerate(fresh) if i not in reusable]
    with Stage("encodage", len(to_embed), show) as stage:
        vectors_by_id = dict(zip((c.id for c in to_embed), _embed(encoder, to_embed, stage),
                                 strict=True))
    vectors_by_id.update({fresh[i].id: pair for i, pair in reusable.items()})
    kept_ids = [chunk.id for chunk in chunks if chunk.id not in new_ids]
    if kept_ids:
        vectors_by_id.update(zip(kept_ids, previous.chunk_vectors(kept_ids).pairs(),
                                 strict=True))
    collection = [{**entry.to_json(), "applied": _as_json(jobs[entry.id][1])
                   if entry.id in jobs else {}} for entry, *_ in entries]
    with Stage("index", 1, show) as stage:
        vectors = ChunkVectors.from_pairs([vectors_by_id[chunk.id] for chunk in chunks],
                                          encoder.dim)
        themes = assign_themes(catalogue, chunks, vectors.passages, encoder)
        summary.build = write_build(index_dir, encoder.info(), final_reports, chunks, vectors,
                                    collection=collection, ingest_version=INGEST_VERSION,
                                    themes=themes)
        stage.advance("écrit")
    summary.embedded, summary.reused = len(to_embed), len(chunks) - len(to_embed)
    summary.seconds = time.monotonic() - began
    return summary


def _nothing_message(errors: list[tuple[str, str]]) -> str:
    """The message of a run that could index none of the files it was given."""
    return "\n".join(["Aucun PDF n'a pu être ingéré ; l'index existant n'a pas été modifié.",
                       *(failure_line(name, message) for name, message in errors)])
