"""A build is loaded only when its parts agree with its manifest; a failed write is one line.

Each case corrupts a real build of the small records (manifest keys, counts, BM25 files of
another build, stored report data) and expects the « Reconstruisez-le avec : python -m ingest »
message at load, never a half-working index. A disk that fills up during `python -m ingest`
(RLIMIT_FSIZE in a real subprocess) gives one French line and leaves the live index untouched.
"""

from __future__ import annotations

import json
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pdf_factory as factory
import pytest

from index.settings import ROOT, SAMPLE_DIR
from index.store import (
    BUILDS_DIR,
    CURRENT,
    DB_NAME,
    LEXICAL_DIR,
    MANIFEST_KEYS,
    MANIFEST_NAME,
    TEMP_PREFIX,
    IndexIncompatible,
    build_manifest,
    open_index,
    write_build,
)
from search import Searcher

REBUILD = "Reconstruisez-le avec : python -m ingest --index"


def write(index_dir: Path, searcher: Searcher, chunks=None, reports=None) -> Path:
    """A real build of the small records (or of `chunks`), reusing their stored vectors."""
    reader = searcher.loaded.reader
    chunks = reader.chunks() if chunks is None else chunks
    return write_build(index_dir, reader.manifest["encoder"], reports or reader.reports(),
                       chunks, reader.chunk_vectors([chunk.id for chunk in chunks]))


def edit_manifest(build: Path, change) -> None:
    manifest = json.loads((build / MANIFEST_NAME).read_text())
    change(manifest)
    (build / MANIFEST_NAME).write_text(json.dumps(manifest))


CORRUPTIONS = {
    "sans comptes": lambda m: m.pop("counts"),
    "sans encodeur": lambda m: m.pop("encoder"),
    "clé inconnue": lambda m: m.update(inconnu=1),
    "compte de plus": lambda m: m["counts"].update(chunks=m["counts"]["chunks"] + 1),
    "recommandations comptées faux": lambda m: m["counts"].update(recommendations=0),
    "compte non entier": lambda m: m["counts"].update(reports="deux"),
    "nprobe invalide": lambda m: m["faiss"].update(nprobe="beaucoup"),
    "nprobe d'un index exact": lambda m: m["faiss"].update(nprobe=8),
    "rapport absent du manifeste": lambda m: m["reports"].pop("essai-2017"),
    "phrases comptées faux": lambda m: m["sentences"].update(count=1),
}


@pytest.mark.parametrize("name", CORRUPTIONS)
def test_a_manifest_that_disagrees_with_its_build_is_refused(tmp_path: Path, small_searcher,
                                                             name: str) -> None:
    edit_manifest(write(tmp_path, small_searcher), CORRUPTIONS[name])
    with pytest.raises(IndexIncompatible, match=REBUILD):
        open_index(tmp_path)


def test_bm25_files_of_another_build_are_refused(tmp_path: Path, small_searcher) -> None:
    chunks = small_searcher.loaded.reader.chunks()
    build = write(tmp_path / "a", small_searcher)
    # Same number of documents, other words: the other build's BM25 would answer wrongly.
    other = write(tmp_path / "b", small_searcher,
                  [replace(chunks[0], text="Un tout autre texte sur les jardins partagés.")]
                  + chunks[1:])
    shutil.rmtree(build / LEXICAL_DIR)
    shutil.copytree(other / LEXICAL_DIR, build / LEXICAL_DIR)
    with pytest.raises(IndexIncompatible, match="BM25"):
        open_index(tmp_path / "a")
    fewer = write(tmp_path / "c", small_searcher, chunks[:-2])
    shutil.rmtree(build / LEXICAL_DIR)
    shutil.copytree(fewer / LEXICAL_DIR, build / LEXICAL_DIR)
    with pytest.raises(IndexIncompatible, match=REBUILD):
        open_index(tmp_path / "a")


@pytest.mark.parametrize("change", ["extra", "missing"])
def test_stored_report_data_with_another_set_of_fields_is_refused(tmp_path: Path, small_searcher,
                                                                  change: str) -> None:
    build = write(tmp_path, small_searcher)
    (build / DB_NAME).chmod(0o644)
    connection = sqlite3.connect(build / DB_NAME)
    with connection:
        (data,) = connection.execute("SELECT data FROM reports LIMIT 1").fetchone()
        values = json.loads(data)
        if change == "extra":
            values["inconnu"] = 1
        else:
            values.pop("subtitle")
        connection.execute("UPDATE reports SET data = ? WHERE position = 0", (json.dumps(values),))
    connection.close()
    with pytest.raises(IndexIncompatible, match="inconnu" if change == "extra" else "subtitle"):
        open_index(tmp_path)


def test_the_manifest_written_has_exactly_the_keys_the_reader_accepts(small_searcher) -> None:
    reader = small_searcher.loaded.reader
    written = build_manifest("b", reader.manifest["encoder"], reader.reports(), reader.chunks(),
                             {"faiss": {}, "sentences": {}}, reader.lexical)
    assert set(written) == MANIFEST_KEYS
    assert set(reader.manifest) == MANIFEST_KEYS


def test_a_web_start_on_a_manifest_without_counts_is_the_rebuild_message(tmp_path: Path,
                                                                        small_searcher) -> None:
    edit_manifest(write(tmp_path, small_searcher), CORRUPTIONS["sans comptes"])
    done = subprocess.run([sys.executable, "-m", "web", "--index", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("Erreur : ") and REBUILD in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def limit_file_size(limit: int):
    """preexec_fn: files may not grow past `limit` bytes (write → EFBIG, no SIGXFSZ kill)."""
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_full_disk_during_ingest_is_one_french_line_and_the_index_stays(
        tmp_path: Path, sample_index: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for pdf in SAMPLE_DIR.glob("exemple-*.pdf"):
        shutil.copy(pdf, corpus / pdf.name)
    factory.write_report(corpus / "nouveau.pdf", sections=1, paragraphs=2, recommendations=1)
    index_dir = tmp_path / "index"
    shutil.copytree(sample_index, index_dir, symlinks=True)
    before = open_index(index_dir).manifest["build_id"]
    # The SQLite file of the sample (≈ 0.35 MB) fits, the FAISS file (≈ 0.6 MB) does not.
    done = subprocess.run(
        [sys.executable, "-m", "ingest", str(corpus), "--index", str(index_dir)], cwd=ROOT,
        capture_output=True, text=True, timeout=300, preexec_fn=limit_file_size(450_000))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("Erreur : Écriture de l'index impossible"), done.stderr
    assert "taille maximale de fichier atteinte" in lines[-1] and "python -m ingest" in lines[-1]
    assert "Traceback" not in done.stderr and "RuntimeError" not in done.stderr
    assert open_index(index_dir).manifest["build_id"] == before
    leftovers = [*(index_dir / BUILDS_DIR).iterdir(), *index_dir.iterdir()]
    assert not any(path.name.startswith(TEMP_PREFIX) for path in leftovers)
    assert (index_dir / CURRENT).resolve().name == before

