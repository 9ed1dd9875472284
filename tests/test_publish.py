"""Publishing a build: what the manifest records, how FAISS is chosen, what a failed or crashed
write leaves behind. Written to kill the mutants of `index.store`'s publish code that the other
tests let live (docs/mutation.md)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from index.store import (
    DB_NAME,
    EXACT_LIMIT,
    IVF_PROBES,
    MANIFEST_NAME,
    IndexWriteError,
    faiss_plan,
    ivf_lists,
    open_index,
    write_build,
)
from index.vectors import ChunkVectors
from search import Searcher

BUILD_ID_FORMAT = "%Y%m%dT%H%M%S%fZ"


@pytest.fixture(scope="module")
def parts(small_searcher: Searcher):
    """Encoder info, reports, chunks and their stored vectors of the small index."""
    reader = small_searcher.loaded.reader
    chunks = reader.chunks()
    return (reader.manifest["encoder"], reader.reports(), chunks,
            reader.chunk_vectors([chunk.id for chunk in chunks]))


def publish(index_dir: Path, parts, **options) -> Path:
    encoder, reports, chunks, vectors = parts
    return write_build(index_dir, encoder, reports, chunks, vectors, **options)


@pytest.mark.parametrize(("count", "lists"), [
    (0, 1), (1, 1), (40, 1), (100, 2), (10_000, 128), (1_000_000, 1024), (10**8, 4096)])
def test_ivf_lists_follow_the_square_root_within_bounds(count: int, lists: int) -> None:
    assert ivf_lists(count) == lists


def test_faiss_is_exact_up_to_the_limit_then_ivf_flat() -> None:
    assert faiss_plan(EXACT_LIMIT) == {"type": "flat", "metric": "inner_product"}
    assert faiss_plan(EXACT_LIMIT + 1) == {"type": "ivf-flat", "metric": "inner_product",
                                           "nlist": 256, "nprobe": IVF_PROBES}


def test_the_manifest_records_ids_times_collection_and_faiss_parameters(tmp_path: Path,
                                                                         parts) -> None:
    encoder, _, chunks, vectors = parts
    before = datetime.now(UTC)
    final = publish(tmp_path, parts, collection=[{"file": "é.pdf"}], ingest_version=7)
    manifest = open_index(tmp_path).manifest
    built = datetime.strptime(final.name, BUILD_ID_FORMAT).replace(tzinfo=UTC)
    assert manifest["build_id"] == final.name and before.replace(microsecond=0) <= built
    assert (built - before).total_seconds() < 60
    assert manifest["built_at"].endswith("+00:00")
    assert manifest["collection"] == [{"file": "é.pdf"}] and manifest["ingest_version"] == 7
    assert manifest["faiss"] == {"type": "flat", "metric": "inner_product",
                                 "dim": encoder["dim"], "count": len(chunks),
                                 "threshold": EXACT_LIMIT}
    assert manifest["sentences"]["count"] == len(vectors.owners)
    text = (final / MANIFEST_NAME).read_text(encoding="utf-8")
    assert text.startswith('{\n  "schema": ') and '"é.pdf"' in text  # readable UTF-8, indented
    assert json.loads(text) == manifest


def test_sections_are_stored_as_readable_utf8(tmp_path: Path, parts) -> None:
    final = publish(tmp_path, parts)
    with sqlite3.connect(f"{(final / DB_NAME).as_uri()}?mode=ro", uri=True) as connection:
        sections = [row[0] for row in connection.execute("SELECT section FROM chunks")]
    assert '["1. Données"]' in sections


def test_an_ivf_build_ranks_by_inner_product(tmp_path: Path, parts) -> None:
    _, _, chunks, vectors = parts
    publish(tmp_path, parts, exact_limit=0)
    reader = open_index(tmp_path)
    assert reader.manifest["faiss"]["type"] == "ivf-flat"
    [(row, score), *_] = reader.dense(vectors.passages[3], 3)
    assert row == 3 and score == pytest.approx(1.0, abs=1e-4)


def test_vectors_that_do_not_fit_the_chunks_are_refused_by_name(tmp_path: Path, parts) -> None:
    encoder, reports, chunks, vectors = parts
    with pytest.raises(ValueError, match="vecteurs reçus pour"):
        write_build(tmp_path, encoder, reports, chunks[1:], vectors)
    wrong = ChunkVectors(vectors.passages, vectors.sentences[1:], vectors.owners)
    with pytest.raises(ValueError, match="vecteurs de phrases incohérents"):
        write_build(tmp_path, encoder, reports, chunks, wrong)


def test_a_write_that_fails_names_the_index_and_its_command(tmp_path: Path, parts) -> None:
    (tmp_path / "builds").write_text("un fichier à la place du dossier")
    with pytest.raises(IndexWriteError) as failure:
        publish(tmp_path, parts)
    assert f"python -m ingest --index {tmp_path}" in str(failure.value)
    assert f"« {tmp_path} »" in str(failure.value)


def test_stale_temporary_files_and_links_are_removed_too(tmp_path: Path, parts) -> None:
    publish(tmp_path, parts)
    stale_file = tmp_path / "builds" / ".tmp-fichier"
    stale_file.write_text("reste d'un arrêt brutal")
    stale_link = tmp_path / ".tmp-current-ancien"
    stale_link.symlink_to("builds/absent")
    publish(tmp_path, parts)
    assert not stale_file.exists() and not stale_link.is_symlink()
    assert open_index(tmp_path).chunks() == parts[2]
