"""Atomic index builds: SQLite texts + FAISS vectors + BM25 + manifest, swapped in at once.

Layout: <index_dir>/builds/<build_id>/{kb.sqlite, vectors.faiss, sentences.faiss,
sentence_rows.npy, lexical/, manifest.json} and <index_dir>/current, a relative symlink to the
live build. A build is written under a hidden temporary name, fsynced, renamed, and only then
does `current` change (os.replace of a fresh symlink), so a crash at any point leaves the
previous build live. The previous build is kept
(a reader that resolved `current` just before the swap can still load it); older ones go.
One writer at a time: `write_build` holds an flock on <index_dir>/.lock, which the kernel
releases if the writer dies.

The manifest also records the collection (which PDF files make the corpus, with the metadata
the user gave for each) and the ingest version that produced the chunks; `recorded_manifest`
reads it even from a build this program can no longer load, so a rebuild never forgets a
report. `encoded_keys.npy` holds, per chunk, a hash of the exact texts that were encoded (the
chunk and its sentences): a later build reuses the vectors of any chunk whose key it finds.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import math
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

from index.french import analyze
from index.lexical import LexicalIndex
from index.oserrors import os_error_reason
from index.records import RECOMMENDATION, Chunk, Report
from index.settings import INDEX, MODEL
from index.themes import ThemeTable, write_themes
from index.vectors import ChunkVectors, sentence_texts

# 2: sentence vectors (sentences.faiss, sentence_rows.npy) beside the chunk vectors.
SCHEMA_VERSION = 2
DB_NAME = "kb.sqlite"
FAISS_NAME = "vectors.faiss"
SENTENCES_NAME = "sentences.faiss"
SENTENCE_ROWS_NAME = "sentence_rows.npy"
ENCODED_KEYS_NAME = "encoded_keys.npy"
LEXICAL_DIR = "lexical"
MANIFEST_NAME = "manifest.json"
BUILDS_DIR = "builds"
CURRENT = "current"
TEMP_PREFIX = ".tmp-"
LOCK_NAME = ".lock"
KEEP_BUILDS = 2
# Chosen from the scale bench (`python -m bench`, docs/benchmarks.md; 2 cores, 512-d vectors):
# exact search up to EXACT_LIMIT vectors (p95 ≈ 5 ms there, nothing missed); above, IVF-Flat.
# IVF-Flat stores vectors exactly (incremental ingests and "similar" read them back), builds
# 1 M vectors in 23 s, ten times faster than HNSW, and at nprobe = IVF_PROBES finds the exact
# top 10 (recall 1.000) at 1 M vectors with p95 3.7 ms (8.4 ms on a busy machine), 2.0 GB RAM.
EXACT_LIMIT = 50_000
IVF_PROBES = 32
IVF_MAX_LISTS = 4096
# k-means sample per list (enough for stable centroids, quick on 2 cores) and faiss's minimum.
IVF_TRAIN_PER_LIST = 64
IVF_MIN_PER_LIST = 39
# Sentences fetched per chunk wanted from the sentence index: a chunk may own several of the
# nearest sentences, and fewer distinct chunks than asked for would starve the fusion.
SENTENCE_FANOUT = 4

REPORT_TUPLES = ("authors", "urls", "patterns", "aliases")
# What `build_manifest` writes, and all a reader accepts: a missing or unknown key means a build
# from another version of the program, to rebuild rather than half-read.
MANIFEST_KEYS = frozenset({
    "schema", "build_id", "built_at", "encoder", "counts", "sample", "reports", "ingest_version",
    "collection", "faiss", "sentences", "lexical",
})
COUNT_KEYS = frozenset({"reports", "chunks", "passages", "recommendations"})
REPORT_FIELDS = frozenset(field.name for field in dataclasses.fields(Report))

SCHEMA_SQL = """
CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE chunks (
    vector_id INTEGER PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    id TEXT NOT NULL UNIQUE,
    report_id TEXT NOT NULL REFERENCES reports(id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    page INTEGER NOT NULL,
    page_end INTEGER NOT NULL,
    page_label TEXT NOT NULL,
    page_label_end TEXT NOT NULL,
    section TEXT NOT NULL,
    part TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    number INTEGER,
    label TEXT NOT NULL
);
CREATE INDEX chunks_report ON chunks(report_id, position);
"""

CHUNK_COLUMNS = (
    "id", "report_id", "kind", "text", "page", "page_end", "page_label", "page_label_end",
    "section", "part", "char_start", "char_end", "number", "label",
)


class IndexMissing(Exception):
    """No index has been built in that directory yet."""


class IndexIncompatible(Exception):
    """The index exists but this version of the program (or this model) cannot read it."""


class IndexWriteError(Exception):
    """A build could not be written (disk full, no permission…); the live build is intact."""


def vector_id(chunk_id: str) -> int:
    """Stable non-negative int64 FAISS id of a chunk id (same chunk → same id in every build)."""
    return int.from_bytes(hashlib.sha1(chunk_id.encode()).digest()[:8], "big") >> 1


def vector_ids(chunks: list[Chunk]) -> np.ndarray:
    """The FAISS ids of chunks, in their order."""
    return np.array([vector_id(chunk.id) for chunk in chunks], dtype=np.int64)


def encoded_key(text: str) -> int:
    """A 63-bit hash of what is encoded for a chunk text: the text and each of its sentences."""
    encoded = "\x1e".join([text, *sentence_texts(text)]).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(encoded, digest_size=8).digest(), "big") >> 1


def encoded_keys(chunks: list[Chunk]) -> np.ndarray:
    """The encoded-text keys of chunks, in their order."""
    return np.array([encoded_key(chunk.text) for chunk in chunks], dtype=np.int64)


def lexical_text(chunk: Chunk) -> str:
    """What BM25 indexes for a chunk: its label, « n° N », innermost section and text."""
    parts = [chunk.label]
    if chunk.kind == RECOMMENDATION and chunk.number is not None:
        parts.append(f"n° {chunk.number}")
    parts.append(chunk.section[-1] if chunk.section else "")
    parts.append(chunk.text)
    return "\n".join(part for part in parts if part)


def ingest_command(index_dir: Path, model: str | None = None) -> str:
    """The command that (re)builds the index in `index_dir` (with `model`, if given)."""
    command = f"python -m ingest {INDEX.flag} {index_dir}"
    return f"{command} {MODEL.flag} {model}" if model else command


# ---------------------------------------------------------------- writing


def write_build(
    index_dir: Path,
    encoder_info: dict,
    reports: list[Report],
    chunks: list[Chunk],
    vectors: ChunkVectors,
    *,
    exact_limit: int = EXACT_LIMIT,
    collection: list[dict] | None = None,
    ingest_version: int | None = None,
    themes: ThemeTable | None = None,
) -> Path:
    """Write a complete build and make it `current`; returns the build directory.

    `collection` (the files the corpus is made of) and `ingest_version` go into the manifest;
    `themes` (index.themes) adds the recommendations' themes to the build's database.
    """
    index_dir = Path(index_dir)
    check_vectors(vectors, len(chunks), int(encoder_info["dim"]))
    builds = index_dir / BUILDS_DIR
    # Two ingests at once would delete each other's temporaries: one writer at a time.
    with write_failures(index_dir), writer_lock(index_dir):
        builds.mkdir(exist_ok=True)
        remove_stale_temporaries(index_dir)
        build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        temporary = builds / f"{TEMP_PREFIX}{build_id}"
        temporary.mkdir()
        try:
            write_database(temporary / DB_NAME, reports, chunks)
            if themes is not None:
                write_themes(temporary / DB_NAME, themes)
            faiss_params = write_faiss(temporary / FAISS_NAME, vector_ids(chunks),
                                       vectors.passages, exact_limit)
            sentence_params = write_faiss(temporary / SENTENCES_NAME,
                                          np.arange(len(vectors.owners), dtype=np.int64),
                                          vectors.sentences, exact_limit)
            np.save(temporary / SENTENCE_ROWS_NAME, vectors.owners)
            np.save(temporary / ENCODED_KEYS_NAME, encoded_keys(chunks))
            lexical = LexicalIndex.build([analyze(lexical_text(chunk)) for chunk in chunks])
            lexical.save(temporary / LEXICAL_DIR)
            manifest = build_manifest(build_id, encoder_info, reports, chunks,
                                      {"faiss": faiss_params, "sentences": sentence_params},
                                      lexical, collection or [], ingest_version)
            (temporary / MANIFEST_NAME).write_text(
                json.dumps(manifest, ensure_ascii=False, indent=2)
            )
            fsync_tree(temporary)
            final = builds / build_id
            os.replace(temporary, final)
            fsync_directory(builds)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        point_current_to(index_dir, final)
        prune_builds(index_dir)
    return final


@contextmanager
def write_failures(index_dir: Path) -> Iterator[None]:
    """Turn a failed write (an OSError, SQLite's « disk is full ») into one French
    IndexWriteError naming the cause and the command to rerun."""
    try:
        yield
    except OSError as exc:
        raise IndexWriteError(write_failure(index_dir, os_error_reason(exc))) from exc
    except sqlite3.OperationalError as exc:
        reason = "disque plein" if "full" in str(exc) else f"SQLite : {exc}"
        raise IndexWriteError(write_failure(index_dir, reason)) from exc


def write_failure(index_dir: Path, reason: str) -> str:
    """The message of a build that could not be written."""
    return (f"Écriture de l'index impossible dans « {index_dir} » ({reason}) ; l'index "
            f"précédent est intact. Libérez de l'espace disque ou vérifiez les droits du "
            f"dossier, puis relancez : {ingest_command(index_dir)}")


def check_vectors(vectors: ChunkVectors, count: int, dim: int) -> None:
    """ValueError unless there is one vector per chunk and each sentence belongs to a chunk."""
    if vectors.passages.shape != (count, dim):
        raise ValueError(
            f"{vectors.passages.shape} vecteurs reçus pour {count} extraits de dimension {dim}"
        )
    owners = vectors.owners
    if (vectors.sentences.shape != (len(owners), dim)
            or not consistent_owners(owners, count)):
        raise ValueError(
            f"{vectors.sentences.shape} vecteurs de phrases incohérents avec {count} extraits"
        )


def write_database(path: Path, reports: list[Report], chunks: list[Chunk]) -> None:
    """Create the SQLite file with the reports and chunks tables, in WAL mode."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(SCHEMA_SQL)
        connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        with connection:
            connection.executemany(
                "INSERT INTO reports(id, position, data) VALUES (?, ?, ?)",
                [(r.id, i, json.dumps(dataclasses.asdict(r))) for i, r in enumerate(reports)],
            )
            connection.executemany(
                f"INSERT INTO chunks(vector_id, position, {', '.join(CHUNK_COLUMNS)}) "
                f"VALUES ({', '.join('?' * (len(CHUNK_COLUMNS) + 2))})",
                [chunk_row(chunk, position) for position, chunk in enumerate(chunks)],
            )
        # Fold the WAL into the main file: the published build is then one self-contained file.
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def chunk_row(chunk: Chunk, position: int) -> tuple:
    """The SQLite row of a chunk."""
    values = dataclasses.asdict(chunk)
    values["section"] = json.dumps(list(chunk.section), ensure_ascii=False)
    return (vector_id(chunk.id), position, *(values[column] for column in CHUNK_COLUMNS))


def faiss_plan(count: int, exact_limit: int = EXACT_LIMIT) -> dict:
    """The FAISS index type and parameters for `count` vectors (recorded in the manifest)."""
    if count <= exact_limit:
        return {"type": "flat", "metric": "inner_product"}
    return {"type": "ivf-flat", "metric": "inner_product", "nlist": ivf_lists(count),
            "nprobe": IVF_PROBES}


def ivf_lists(count: int) -> int:
    """IVF lists for `count` vectors: about √count (a power of two), each one trainable."""
    lists = 2 ** round(math.log2(math.sqrt(max(count, 1))))
    return int(max(1, min(lists, IVF_MAX_LISTS, count // IVF_MIN_PER_LIST)))


def train_ivf(inner: faiss.IndexIVF, vectors: np.ndarray) -> None:
    """Train the IVF centroids on a fixed sample; keep a direct map so vectors read back."""
    sample = np.random.default_rng(0).permutation(len(vectors))
    inner.train(vectors[np.sort(sample[: IVF_TRAIN_PER_LIST * inner.nlist])])
    inner.make_direct_map()


def write_faiss(path: Path, ids: np.ndarray, vectors: np.ndarray, exact_limit: int) -> dict:
    """Write vectors under int64 ids in the FAISS index chosen by `faiss_plan`; its parameters."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    plan = faiss_plan(len(ids), exact_limit)
    if plan["type"] == "flat":
        inner = faiss.IndexFlatIP(dim)
    else:
        inner = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, plan["nlist"],
                                   faiss.METRIC_INNER_PRODUCT)
        train_ivf(inner, vectors)
    index = faiss.IndexIDMap2(inner)
    if len(ids):
        index.add_with_ids(vectors, ids)
    # Written through Python so that a full disk is an OSError with its errno, not FAISS's
    # RuntimeError.
    with path.open("wb") as handle:
        faiss.write_index(index, faiss.PyCallbackIOWriter(handle.write))
    return {**plan, "dim": dim, "count": len(ids), "threshold": exact_limit}


def build_manifest(
    build_id: str,
    encoder_info: dict,
    reports: list[Report],
    chunks: list[Chunk],
    vector_params: dict[str, dict],
    lexical: LexicalIndex,
    collection: list[dict] | None = None,
    ingest_version: int | None = None,
) -> dict:
    """The manifest.json of a build (`vector_params`: the FAISS parameters of each index)."""
    recommendations = sum(1 for chunk in chunks if chunk.kind == RECOMMENDATION)
    return {
        "schema": SCHEMA_VERSION,
        "build_id": build_id,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "encoder": dict(encoder_info),
        "counts": {
            "reports": len(reports),
            "chunks": len(chunks),
            "passages": len(chunks) - recommendations,
            "recommendations": recommendations,
        },
        # The banner shows while any sample report is indexed.
        "sample": any(report.sample for report in reports),
        "reports": {report.id: report.sha256 for report in reports},
        "ingest_version": ingest_version,
        "collection": list(collection or []),
        **vector_params,
        "lexical": lexical.params(),
    }


def fsync_tree(root: Path) -> None:
    """fsync every file and directory under `root` (the data must be on disk before the swap)."""
    for directory, _, files in os.walk(root):
        for name in files:
            descriptor = os.open(os.path.join(directory, name), os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        fsync_directory(Path(directory))


def fsync_directory(path: Path) -> None:
    """fsync a directory so that renames inside it are durable."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def point_current_to(index_dir: Path, build: Path) -> None:
    """Atomically make `current` a symlink to `build` (relative, so the index can be moved)."""
    link = index_dir / f"{TEMP_PREFIX}{CURRENT}-{build.name}"
    link.unlink(missing_ok=True)
    link.symlink_to(Path(BUILDS_DIR) / build.name)
    os.replace(link, index_dir / CURRENT)
    fsync_directory(index_dir)


@contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's exclusive writer lock; the kernel releases it if the writer dies."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / LOCK_NAME).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def remove_stale_temporaries(index_dir: Path) -> None:
    """Delete half-written builds and never-swapped `current` links left by a crash."""
    for entry in (*index_dir.iterdir(), *(index_dir / BUILDS_DIR).iterdir()):
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def prune_builds(index_dir: Path) -> None:
    """Keep the live build and the one before it; delete older ones."""
    live = (index_dir / CURRENT).resolve()
    finished = sorted(
        (entry for entry in (index_dir / BUILDS_DIR).iterdir()
         if not entry.name.startswith(TEMP_PREFIX)),
        key=lambda entry: entry.name,
        reverse=True,
    )
    kept = [entry for entry in finished if entry.resolve() == live]
    kept += [entry for entry in finished if entry.resolve() != live][: KEEP_BUILDS - 1]
    for entry in finished:
        if entry not in kept:
            shutil.rmtree(entry, ignore_errors=True)


# ---------------------------------------------------------------- reading


class IndexReader:
    """One build held in memory: reports, chunks in reading order, FAISS and BM25 indexes.

    Everything is loaded at open and only read afterwards, so one reader serves many threads.
    """

    def __init__(self, path: Path, manifest: dict, reports: list[Report], chunks: list[Chunk],
                 vectors: faiss.Index, sentences: faiss.Index, sentence_rows: np.ndarray,
                 lexical: LexicalIndex, keys: np.ndarray | None = None) -> None:
        self.path = path
        self.manifest = manifest
        self._reports = reports
        self._chunks = chunks
        self._vectors = vectors
        self._sentences = sentences
        self._sentence_rows = sentence_rows
        # Sentences of row i have ids sentence_bounds[i] … sentence_bounds[i + 1] - 1.
        self._sentence_bounds = np.searchsorted(sentence_rows, np.arange(len(chunks) + 1))
        self.lexical = lexical
        self._vector_ids = vector_ids(chunks)
        self.row_of_vector = {int(vid): row for row, vid in enumerate(self._vector_ids)}
        self.row_of_id = {chunk.id: row for row, chunk in enumerate(chunks)}
        # Encoded-text key → a row holding those vectors (none for a build written before keys).
        self.row_of_key = {} if keys is None else {int(key): row for row, key in enumerate(keys)}

    def reports(self) -> list[Report]:
        """The indexed reports, in manifest order."""
        return list(self._reports)

    def chunks(self, report_id: str | None = None) -> list[Chunk]:
        """All chunks (or those of one report) in reading order."""
        if report_id is None:
            return list(self._chunks)
        return [chunk for chunk in self._chunks if chunk.report_id == report_id]

    def vectors(self, chunk_ids: list[str]) -> np.ndarray:
        """The stored vectors of these chunks, in the given order (KeyError for unknown ids)."""
        if not chunk_ids:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self._vectors.reconstruct(self.vector_of(cid)) for cid in chunk_ids])

    def chunk_vectors(self, chunk_ids: list[str]) -> ChunkVectors:
        """The stored chunk and sentence vectors of these chunks, in the given order (KeyError
        for unknown ids): what a new build reuses for unchanged reports."""
        pairs = [(self._vectors.reconstruct(vector_id(chunk_id)),
                  self.sentences_of(self.row_of_id[chunk_id])) for chunk_id in chunk_ids]
        return ChunkVectors.from_pairs(pairs, self.dim)

    def vectors_for_texts(self, texts: list[str]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """The stored (chunk vector, sentence vectors) of each of `texts` whose exact encoded
        texts this build holds, by position in `texts`."""
        found = {}
        for position, text in enumerate(texts):
            row = self.row_of_key.get(encoded_key(text))
            if row is not None:
                found[position] = (self._vectors.reconstruct(int(self._vector_ids[row])),
                                   self.sentences_of(row))
        return found

    def sentences_of(self, row: int) -> np.ndarray:
        """The stored sentence vectors of the chunk at a row, in reading order."""
        start, end = self._sentence_bounds[row], self._sentence_bounds[row + 1]
        # Sentence ids are consecutive per chunk: the IDMap reads them back as a range.
        return self._sentences.reconstruct_n(int(start), int(end - start))

    def vector_of(self, chunk_id: str) -> int:
        """FAISS id of a chunk present in this build."""
        if chunk_id not in self.row_of_id:
            raise KeyError(chunk_id)
        return vector_id(chunk_id)

    @property
    def dim(self) -> int:
        """Dimension of the stored vectors."""
        return int(self._vectors.d)

    def dense(self, query: np.ndarray, k: int, rows: list[int] | None = None
              ) -> list[tuple[int, float]]:
        """The k chunks nearest to a unit query vector, as (row, cosine) best first.

        `rows` restricts the search to those rows (a report or kind filter) inside FAISS, so a
        filter never empties the candidate list the way filtering a global top-k would.
        """
        pool = len(self._chunks) if rows is None else len(rows)
        allowed = None if rows is None else self._vector_ids[np.asarray(rows, dtype=np.int64)]
        hits = search_faiss(self._vectors, self.manifest.get("faiss", {}), query,
                            min(k, pool), allowed)
        return [(self.row_of_vector[vid], score) for vid, score in hits]

    def dense_sentences(self, query: np.ndarray, k: int, rows: list[int] | None = None
                        ) -> list[tuple[int, float]]:
        """The k chunks owning the sentences nearest to a unit query vector, as (row, cosine of
        the chunk's nearest sentence) best first; `rows` restricts the search as in `dense`."""
        allowed = None if rows is None else np.flatnonzero(
            np.isin(self._sentence_rows, np.asarray(rows, dtype=np.int64)))
        pool = len(self._sentence_rows) if allowed is None else len(allowed)
        hits = search_faiss(self._sentences, self.manifest.get("sentences", {}), query,
                            min(k * SENTENCE_FANOUT, pool), allowed)
        best: dict[int, float] = {}
        for sentence, score in hits:
            best.setdefault(int(self._sentence_rows[sentence]), score)
        return list(best.items())[:k]

    def chunk_at(self, row: int) -> Chunk:
        """The chunk at a row (its position in reading order)."""
        return self._chunks[row]

    def __len__(self) -> int:
        return len(self._chunks)


def search_faiss(index: faiss.Index, params: dict, query: np.ndarray, k: int,
                 allowed: np.ndarray | None) -> list[tuple[int, float]]:
    """The k nearest ids to a query in one FAISS index, within `allowed` ids if given."""
    if k <= 0:
        return []
    options = None
    if allowed is not None:
        selector = faiss.IDSelectorBatch(allowed)
        probes = params.get("nprobe")
        # IVF refuses generic parameters, and its own replace the index's nprobe.
        options = (faiss.SearchParametersIVF(sel=selector, nprobe=int(probes)) if probes
                   else faiss.SearchParameters(sel=selector))
    vector = np.asarray(query, dtype=np.float32)[None, :]
    scores, ids = index.search(vector, k, params=options)
    return [(int(vid), float(score)) for vid, score in zip(ids[0], scores[0], strict=True)
            if vid != -1]


def open_index(index_dir: Path) -> IndexReader:
    """Load the live build of `index_dir`, or raise IndexMissing / IndexIncompatible."""
    index_dir = Path(index_dir)
    build = live_build(index_dir)
    if build is None:
        raise IndexMissing(
            f"Aucun index dans « {index_dir} ». Construisez-le avec : {ingest_command(index_dir)}"
        )
    manifest = read_manifest(build, index_dir)
    try:
        reports, chunks = read_database(build / DB_NAME, index_dir)
        vectors = faiss.read_index(str(build / FAISS_NAME))
        sentences = faiss.read_index(str(build / SENTENCES_NAME))
        sentence_rows = np.load(build / SENTENCE_ROWS_NAME, allow_pickle=False)
        lexical = LexicalIndex.load(build / LEXICAL_DIR, len(chunks))
        keys_path = build / ENCODED_KEYS_NAME
        keys = np.load(keys_path, allow_pickle=False) if keys_path.exists() else None
    except (OSError, RuntimeError, ValueError, sqlite3.Error, json.JSONDecodeError) as exc:
        raise IndexIncompatible(
            f"L'index « {index_dir} » est illisible ou incomplet ({exc}). "
            f"Reconstruisez-le avec : {ingest_command(index_dir)}"
        ) from exc
    for index, key in ((vectors, "faiss"), (sentences, "sentences")):
        probes = manifest[key].get("nprobe")
        ivf = faiss.try_extract_index_ivf(index)
        if (probes is None) != (ivf is None):
            raise IndexIncompatible(
                f"L'index « {index_dir} » est incohérent (type de l'index FAISS « {key} » "
                f"différent du manifeste). Reconstruisez-le avec : {ingest_command(index_dir)}"
            )
        if ivf is not None:
            ivf.nprobe = probes
    disagreement = count_disagreement(manifest, reports, chunks, vectors, sentences,
                                      sentence_rows, lexical)
    if disagreement:
        raise IndexIncompatible(
            f"L'index « {index_dir} » est incohérent ({disagreement}). "
            f"Reconstruisez-le avec : {ingest_command(index_dir)}"
        )
    if keys is not None and keys.shape != (len(chunks),):
        keys = None  # unusable keys only cost a re-encoding, never a wrong vector
    return IndexReader(build, manifest, reports, chunks, vectors, sentences, sentence_rows,
                       lexical, keys)


def count_disagreement(manifest: dict, reports: list[Report], chunks: list[Chunk],
                       vectors: faiss.Index, sentences: faiss.Index, sentence_rows: np.ndarray,
                       lexical: LexicalIndex) -> str:
    """What in a build disagrees with its manifest or with itself ("" when all agree): counts of
    reports, chunks, BM25 documents and vectors, the report ids, the sentence owners."""
    counts = manifest["counts"]
    recommendations = sum(1 for chunk in chunks if chunk.kind == RECOMMENDATION)
    found = {
        "rapports": (counts["reports"], len(reports)),
        "extraits": (counts["chunks"], len(chunks)),
        "passages": (counts["passages"], len(chunks) - recommendations),
        "recommandations": (counts["recommendations"], recommendations),
        "vecteurs des extraits": (counts["chunks"], vectors.ntotal),
        "documents BM25": (counts["chunks"], lexical.size),
        "vecteurs de phrases": (manifest["sentences"].get("count"), sentences.ntotal),
        "propriétaires des phrases": (sentences.ntotal, len(sentence_rows)),
    }
    wrong = [f"{name} : {found} au lieu de {expected}"
             for name, (expected, found) in found.items() if expected != found]
    if sorted(manifest["reports"]) != sorted(report.id for report in reports):
        wrong.append("rapports de la base différents de ceux du manifeste")
    if lexical.params() != manifest["lexical"]:
        wrong.append("index BM25 d'une autre construction")
    if not consistent_owners(sentence_rows, len(chunks)):
        wrong.append("phrases rattachées à des extraits absents")
    return " ; ".join(wrong)


def consistent_owners(rows: np.ndarray, count: int) -> bool:
    """Whether sentence owner rows are integers in [0, count), in reading order."""
    return (rows.ndim == 1 and np.issubdtype(rows.dtype, np.integer)
            and (len(rows) == 0 or (rows[0] >= 0 and rows[-1] < count
                                    and not np.any(np.diff(rows) < 0))))


def live_build(index_dir: Path) -> Path | None:
    """The build directory `current` points to right now, or None when there is none."""
    current = Path(index_dir) / CURRENT
    return current.resolve() if current.exists() else None


def recorded_manifest(index_dir: Path) -> dict | None:
    """The live build's manifest as recorded, whatever its schema (None when there is none)."""
    build = live_build(index_dir)
    try:
        manifest = json.loads((build / MANIFEST_NAME).read_text()) if build else None
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def read_manifest(build: Path, index_dir: Path) -> dict:
    """The manifest of a build, checked against the schema this program reads."""
    try:
        manifest = json.loads((build / MANIFEST_NAME).read_text())
    except (OSError, ValueError) as exc:
        raise IndexIncompatible(
            f"Le manifeste de l'index « {index_dir} » est absent ou illisible. "
            f"Reconstruisez-le avec : {ingest_command(index_dir)}"
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("schema") != SCHEMA_VERSION:
        found = manifest.get("schema") if isinstance(manifest, dict) else None
        raise IndexIncompatible(
            f"L'index « {index_dir} » a été construit par une autre version du programme "
            f"(schéma {found}, attendu {SCHEMA_VERSION}). "
            f"Reconstruisez-le avec : {ingest_command(index_dir)}"
        )
    problem = manifest_problem(manifest)
    if problem:
        raise IndexIncompatible(
            f"Le manifeste de l'index « {index_dir} » est incomplet ou d'un autre format "
            f"({problem}). Reconstruisez-le avec : {ingest_command(index_dir)}"
        )
    return manifest


def key_problem(found: dict, expected: frozenset[str], where: str) -> str:
    """The missing and unknown keys of a stored mapping, in French ("" when it has exactly the
    expected keys)."""
    missing, extra = sorted(expected - set(found)), sorted(set(found) - expected)
    parts = ([f"clés manquantes dans {where} : {', '.join(missing)}"] if missing else []) + (
        [f"clés inconnues dans {where} : {', '.join(extra)}"] if extra else [])
    return " ; ".join(parts)


def is_count(value: object) -> bool:
    """Whether a stored value is a non-negative integer (a bool is not one)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def manifest_problem(manifest: dict) -> str:
    """What makes a manifest of the current schema unusable ("" when nothing does)."""
    problem = key_problem(manifest, MANIFEST_KEYS, "le manifeste")
    if problem:
        return problem
    encoder, counts = manifest["encoder"], manifest["counts"]
    if not (isinstance(encoder, dict) and isinstance(encoder.get("name"), str)
            and is_count(encoder.get("dim"))):
        return "encodeur sans nom ou sans dimension"
    if not isinstance(counts, dict):
        return "comptes absents"
    problem = key_problem(counts, COUNT_KEYS, "les comptes")
    if problem or not all(is_count(value) for value in counts.values()):
        return problem or "comptes non entiers"
    if not (isinstance(manifest["reports"], dict) and isinstance(manifest["lexical"], dict)
            and isinstance(manifest["collection"], list)):
        return "rapports, collection ou BM25 mal décrits"
    for key in ("faiss", "sentences"):
        params = manifest[key]
        if not isinstance(params, dict):
            return f"paramètres « {key} » absents"
        probes = params.get("nprobe")
        if probes is not None and not (is_count(probes) and probes > 0):
            return f"nprobe « {probes} » invalide pour « {key} »"
    return ""


def read_database(path: Path, index_dir: Path) -> tuple[list[Report], list[Chunk]]:
    """Reports and chunks (reading order) of a published, immutable build."""
    if not path.is_file():
        raise OSError(f"{path.name} manquant")
    # immutable=1: a published build never changes, so no lock or -shm file is needed.
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise IndexIncompatible(
                f"La base de l'index « {index_dir} » est au schéma {version}, attendu "
                f"{SCHEMA_VERSION}. Reconstruisez-le avec : {ingest_command(index_dir)}"
            )
        reports = [report_from_json(data) for (data,) in
                   connection.execute("SELECT data FROM reports ORDER BY position")]
        rows = connection.execute(
            f"SELECT {', '.join(CHUNK_COLUMNS)} FROM chunks ORDER BY position"
        )
        chunks = [chunk_from_row(row) for row in rows]
    finally:
        connection.close()
    return reports, chunks


def report_from_json(data: str) -> Report:
    """A Report from its stored JSON (lists back to tuples); ValueError unless it holds exactly
    the fields of a Report."""
    values = json.loads(data)
    if not isinstance(values, dict):
        raise ValueError("données de rapport illisibles")
    problem = key_problem(values, REPORT_FIELDS, "les données d'un rapport")
    if problem:
        raise ValueError(problem)
    for name in REPORT_TUPLES:
        values[name] = tuple(values[name])
    return Report(**values)


def chunk_from_row(row: Iterable) -> Chunk:
    """A Chunk from its SQLite row."""
    values = dict(zip(CHUNK_COLUMNS, row, strict=True))
    values["section"] = tuple(json.loads(values["section"]))
    return Chunk(**values)
