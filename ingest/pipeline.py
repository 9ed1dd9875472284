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
from index.themes import (
    THEMES_PATH,
    Catalogue,
    ThemeError,
    assign_themes,
    load_catalogue,
    read_themes,
)
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


@dataclass
class IngestPlan:
    """What a run will do, decided before any PDF is read (`plan_ingest`)."""

    known: list[Report]
    catalogue: Catalogue
    previous: IndexReader | None
    # The collection the live build recorded, and the one this run indexes.
    recorded: list[Entry]
    entries: list[Entry]
    # The Report each entry's PDF is parsed with, and the overrides applied to it.
    jobs: dict[str, tuple[Report, dict]]
    # The reports whose PDF must be read again.
    changed: list[Report]
    same_encoder: bool
    same_themes: bool
    current: bool
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def old_reports(self) -> dict[str, Report]:
        """The reports of the live build, by id."""
        return {r.id: r for r in self.previous.reports()} if self.previous else {}

    @property
    def up_to_date(self) -> bool:
        """Whether the live build already is what this run would write."""
        same_reports = [e.id for e in self.entries] == [e.id for e in self.recorded]
        return not self.changed and same_reports and self.current and self.same_themes


@dataclass
class Indexed:
    """A report of the new build: its collection entry, its chunks and its summary line;
    `fresh` when its PDF was read by this run (else its indexed version is kept)."""

    entry: Entry
    report: Report
    chunks: list[Chunk]
    row: ReportRow
    fresh: bool


def _catalogue(themes_path: Path) -> Catalogue:
    """The theme catalogue, or an IngestError that says the index was left alone."""
    try:
        return load_catalogue(themes_path)
    except ThemeError as exc:
        raise IngestError(f"{exc} L'index existant n'a pas été modifié.") from exc


def _worker_reports(entries: list[Entry], known: list[Report], generic: tuple[str, ...],
                    errors: list[tuple[str, str]]) -> dict[str, tuple[Report, dict]]:
    """`worker_report` of each entry; an entry whose sidecar is bad goes to `errors`."""
    jobs: dict[str, tuple[Report, dict]] = {}
    for entry in entries:
        try:
            jobs[entry.id] = worker_report(entry, known, generic)
        except ManifestError as exc:
            errors.append((Path(entry.source).name, str(exc)))
    return jobs


def _unchanged(entry: Entry, jobs: dict, old: dict[str, Report], old_applied: dict) -> bool:
    """Whether the live build holds this entry's PDF as it is now, with the same overrides."""
    report = old.get(entry.id)
    return (report is not None and entry.id in jobs and report.sha256 == entry.sha256
            and report.pdf_path == entry.source
            and old_applied.get(entry.id, {}) == _as_json(jobs[entry.id][1]))


def plan_ingest(
    paths: list[Path] | None,
    index_dir: Path,
    model: str,
    *,
    replace_all: bool = False,
    remove: tuple[str, ...] = (),
    overrides: dict | None = None,
    manifests: list[Path] | None = None,
    themes_path: Path = THEMES_PATH,
) -> IngestPlan:
    """Decide what a run does (see `run_ingest`): the collection, which PDFs to read again, and
    whether the live build is already up to date. Reads the index, never writes it."""
    known = load_reports(manifests)
    generic = generic_patterns((manifests or [MANIFEST_PATH])[0])
    manifest = recorded_manifest(index_dir)
    catalogue = _catalogue(themes_path)
    previous = _previous(index_dir)
    recorded = recorded_collection(manifest, previous, known)
    try:
        if paths is None and not remove and (replace_all or not recorded):
            paths = [SAMPLE_DIR]
        found, errors = scan(paths) if paths else ([], [])
        collection = plan_collection(recorded, found, known, start_empty=replace_all,
                                     remove=remove, overrides=overrides)
    except CollectionError as exc:
        raise IngestError(str(exc)) from exc
    errors += collection.refused
    same_encoder = _same_encoder(previous, model)
    current = previous is not None and same_encoder and (
        previous.manifest.get("ingest_version") == INGEST_VERSION)
    jobs = _worker_reports(collection.entries, known, generic, errors)
    old = {report.id: report for report in previous.reports()} if current else {}
    old_applied = {item["id"]: item.get("applied", {})
                   for item in (manifest or {}).get("collection", [])}
    changed = [jobs[e.id][0] for e in collection.entries
               if e.id in jobs and not _unchanged(e, jobs, old, old_applied)]
    same_themes = previous is not None and (
        read_themes(previous.path / DB_NAME).digest == catalogue.digest)
    return IngestPlan(known, catalogue, previous, recorded, collection.entries, jobs, changed,
                      same_encoder, same_themes, current, errors, list(collection.notes))


def extract(plan: IngestPlan, model: str, file_timeout: float, show: bool
            ) -> tuple[dict[str, tuple[ParsedReport, float]], list[tuple[str, str]]]:
    """Parse and chunk the changed PDFs of the plan in workers: results and per-file errors."""
    with Stage("extraction", len(plan.changed), show) as stage:
        return parse_in_workers(plan.changed, file_timeout, stage, model=model)


def _kept(plan: IngestPlan, entry: Entry) -> Indexed:
    """A report whose indexed version stays (unchanged, or its new version unreadable)."""
    report, own = plan.old_reports[entry.id], plan.previous.chunks(entry.id)
    entry = replace(entry, sha256=report.sha256, source=report.pdf_path or entry.source)
    row = ReportRow(report.id, report.year, report.pages or 0, len(own),
                    sum(c.kind == "recommendation" for c in own),
                    report.expected_recommendations, [], 0.0, reused=True)
    return Indexed(entry, report, own, row, fresh=False)


def _read(plan: IngestPlan, entry: Entry, result: ParsedReport, seconds: float) -> Indexed:
    """A report whose PDF this run read."""
    report, entry = finish_report(result, entry, plan.known)
    row = ReportRow(report.id, report.year, report.pages or 0, len(result.chunks),
                    len(result.recommendations), report.expected_recommendations,
                    result.warnings, seconds, skipped=result.skipped)
    return Indexed(entry, report, result.chunks, row, fresh=True)


def assemble(plan: IngestPlan, parsed: dict[str, tuple[ParsedReport, float]]
             ) -> tuple[list[Indexed], list[str]]:
    """The reports of the new build in collection order, and the notes it adds: an official
    report indexed removes the sample corpus."""
    old = plan.old_reports
    indexed = [_read(plan, entry, *parsed[entry.id]) if entry.id in parsed else _kept(plan, entry)
               for entry in plan.entries if entry.id in parsed or entry.id in old]
    samples = [item.report.id for item in indexed if item.report.sample]
    if not samples or not any(_is_official(item.entry, plan.known) for item in indexed):
        return indexed, []
    return [item for item in indexed if not item.report.sample], [
        f"Rapport officiel indexé : le corpus d'exemple ({', '.join(samples)}) est retiré de "
        "l'index, et son bandeau avec lui."]


def embed(plan: IngestPlan, indexed: list[Indexed], encoder, show: bool
          ) -> tuple[ChunkVectors, int]:
    """The vectors of every chunk of the new build, in order, and how many were encoded: kept
    reports' vectors are read back, and so are those of new chunks whose texts the live build
    already encoded with the same encoder."""
    chunks = [chunk for item in indexed for chunk in item.chunks]
    fresh = [chunk for item in indexed if item.fresh for chunk in item.chunks]
    reusable = plan.previous.vectors_for_texts([c.text for c in fresh]) if (
        plan.same_encoder) else {}
    to_embed = [chunk for i, chunk in enumerate(fresh) if i not in reusable]
    with Stage("encodage", len(to_embed), show) as stage:
        by_id = dict(zip((c.id for c in to_embed), _embed(encoder, to_embed, stage),
                         strict=True))
    by_id.update({fresh[i].id: pair for i, pair in reusable.items()})
    kept_ids = [chunk.id for item in indexed if not item.fresh for chunk in item.chunks]
    if kept_ids:
        by_id.update(zip(kept_ids, plan.previous.chunk_vectors(kept_ids).pairs(), strict=True))
    return ChunkVectors.from_pairs([by_id[c.id] for c in chunks], encoder.dim), len(to_embed)


def publish(index_dir: Path, plan: IngestPlan, indexed: list[Indexed], vectors: ChunkVectors,
            encoder, show: bool) -> Path:
    """Assign the recommendations' themes and write the new build atomically; its path."""
    chunks = [chunk for item in indexed for chunk in item.chunks]
    collection = [{**item.entry.to_json(), "applied": _as_json(plan.jobs[item.entry.id][1])
                   if item.entry.id in plan.jobs else {}} for item in indexed]
    with Stage("index", 1, show) as stage:
        themes = assign_themes(plan.catalogue, chunks, vectors.passages, encoder)
        build = write_build(index_dir, encoder.info(), [item.report for item in indexed], chunks,
                            vectors, collection=collection, ingest_version=INGEST_VERSION,
                            themes=themes)
        stage.advance("écrit")
    return build


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
    """Bring the index in `index_dir` up to date with its collection and the given PDFs:
    plan → extract → embed → publish → summary.

    `paths` are added or updated and every other recorded report kept (`replace_all`: only
    them); `remove` drops reports by id; `overrides` (title, year, authors, commissioner)
    apply to the one PDF given. With nothing recorded and no path, the sample corpus. The
    recommendations' themes come from the catalogue `themes_path`; a changed catalogue alone
    rebuilds the index without parsing or encoding anything.
    """
    began = time.monotonic()
    show = sys.stderr.isatty() if progress is None else progress
    plan = plan_ingest(paths, index_dir, model, replace_all=replace_all, remove=remove,
                       overrides=overrides, manifests=manifests, themes_path=themes_path)
    summary = IngestSummary(errors=plan.errors, notes=plan.notes)
    if plan.up_to_date:
        summary.up_to_date = True
        summary.seconds = time.monotonic() - began
        return summary
    encoder = load_encoder(model)
    parsed, failures = extract(plan, model, file_timeout, show)
    summary.errors += failures
    indexed, notes = assemble(plan, parsed)
    summary.notes += notes
    if (not parsed and plan.same_themes
            and [item.entry.id for item in indexed] == [e.id for e in plan.recorded]):
        raise IngestError(_nothing_message(summary.errors))
    vectors, summary.embedded = embed(plan, indexed, encoder, show)
    summary.build = publish(index_dir, plan, indexed, vectors, encoder, show)
    summary.rows = [item.row for item in indexed]
    summary.reused = len(vectors.passages) - summary.embedded
    summary.seconds = time.monotonic() - began
    return summary


def _nothing_message(errors: list[tuple[str, str]]) -> str:
    """The message of a run that could index none of the files it was given."""
    return "\n".join(["Aucun PDF n'a pu être ingéré ; l'index existant n'a pas été modifié.",
                       *(failure_line(name, message) for name, message in errors)])
