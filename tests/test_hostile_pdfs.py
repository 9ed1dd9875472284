"""Hostile PDFs in the corpus folder: each is bounded in time and memory, refused with a French
reason or read safely, while the good report next to them is ingested and the index stays whole.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import hostile_pdfs
import pdf_factory as factory
import psutil
import pytest

from index.settings import ROOT
from index.store import open_index
from ingest.manifest import load_reports
from ingest.pipeline import parse_in_workers, resolve_reports
from ingest.progress import Stage

# The per-file budget is a multiple of what reading the good report takes in a worker in the
# same run (at least FILE_TIMEOUT_FLOOR_S): a busy machine slows both alike, so no readable file
# runs out of time, while the endless one always does.
FILE_TIMEOUT_FLOOR_S = 6
FILE_TIMEOUT_RATIO = 10
# A guard against a hung run, not a measure: 22 workers two at a time plus one timeout.
RUN_GUARD_S = 600
REFUSED = {
    "chiffre-aes.pdf": "mot de passe",
    "tronque.pdf": "endommagé",
    "startxref-hors-fichier.pdf": "endommagé",
    "arbre-pages-en-boucle.pdf": "endommagé",
    "longueur-autoreferente.pdf": "limite de sécurité",
    "bombe-decompression.pdf": "limite de sécurité",
    "dix-mille-pages-vides.pdf": "aucune couche texte",
    "imbrication-profonde.pdf": "endommagé",
    "operateurs-sans-fin.pdf": "temps maximal dépassé",
    "page-html.pdf": "illisible",
    "image-png.pdf": "illisible",
    "vide.pdf": "illisible",
    "en-tete-seul.pdf": "illisible",
}
# Broken or hostile, but their text is readable: it is indexed, and nothing else from them.
READ_SAFELY = [
    "xref-decalee.pdf",
    "page-geante.pdf",
    "police-invalide.pdf",
    "javascript.pdf",
    "fichier-joint.pdf",
    "nombre-de-pages-mensonger.pdf",
    "xobject-recursif.pdf",
    "caracteres-de-controle.pdf",
]
FAILURE_LINE = re.compile(r"^ÉCHEC (\S+) : (.+)$", re.MULTILINE)


def ingest(folder: Path, index_dir: Path, file_timeout: float) -> subprocess.CompletedProcess:
    """`python -m ingest folder` as an administrator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "ingest", str(folder), "--index", str(index_dir),
         "--file-timeout", f"{file_timeout:.1f}"],
        cwd=ROOT, capture_output=True, text=True, timeout=RUN_GUARD_S,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every hostile PDF and one good report."""
    folder = tmp_path_factory.mktemp("hostile")
    hostile_pdfs.write_all(folder)
    factory.write_report(folder / "bon-rapport.pdf")
    return folder


@pytest.fixture(scope="module")
def file_timeout(corpus: Path) -> float:
    """FILE_TIMEOUT_RATIO times the seconds a worker takes to read the good report now."""
    reports = resolve_reports([corpus / "bon-rapport.pdf"], load_reports())
    with Stage("extraction", 1, False) as stage:
        parsed, _ = parse_in_workers(reports, RUN_GUARD_S, stage)
    [(_, seconds)] = parsed.values()
    return max(FILE_TIMEOUT_FLOOR_S, FILE_TIMEOUT_RATIO * seconds)


@pytest.fixture(scope="module")
def run(corpus: Path, file_timeout: float, tmp_path_factory: pytest.TempPathFactory):
    """The ingest of that folder: its output and index."""
    index_dir = tmp_path_factory.mktemp("hostile-index")
    return ingest(corpus, index_dir, file_timeout), index_dir


def test_generator_writes_at_least_fifteen_distinct_hostile_files(corpus: Path) -> None:
    assert len(hostile_pdfs.HOSTILE) >= 15
    assert set(hostile_pdfs.HOSTILE) == set(REFUSED) | set(READ_SAFELY)
    contents = [(corpus / name).read_bytes() for name in hostile_pdfs.HOSTILE]
    assert len(set(contents)) == len(contents)


def test_each_refused_file_gets_its_reason_in_french_and_no_traceback(run) -> None:
    done, _ = run
    assert done.returncode == 1, done.stderr
    failures = dict(FAILURE_LINE.findall(done.stdout))
    assert set(failures) == set(REFUSED)
    for name, reason in REFUSED.items():
        assert reason in failures[name], (name, failures[name])
    assert "Traceback" not in done.stdout + done.stderr
    # pypdf's English repair notes stay out of the administrator's output.
    assert done.stderr.strip() == ""


def test_good_and_readable_files_are_indexed_and_nothing_hostile_with_them(run) -> None:
    _, index_dir = run
    reader = open_index(index_dir)
    ids = {report.id for report in reader.reports()}
    assert ids == {"bon-rapport"} | {name.removesuffix(".pdf") for name in READ_SAFELY}
    assert reader.manifest["counts"]["recommendations"] == 9
    texts = " ".join(chunk.text for chunk in reader.chunks())
    for forbidden in ("app.alert", "submitForm", "charge utile", "MZ", "\x00", "\x1b", "\x07"):
        assert forbidden not in texts
    for name in READ_SAFELY:
        chunks = reader.chunks(name.removesuffix(".pdf"))
        # Accented letters may come out wrong under the broken font; the words around do not.
        assert any("territoriales associe les communes" in c.text for c in chunks), name


def test_a_run_of_only_refused_files_leaves_the_index_untouched(run, corpus, tmp_path,
                                                                file_timeout) -> None:
    _, index_dir = run
    before = open_index(index_dir).manifest["build_id"]
    for name in ("bombe-decompression.pdf", "arbre-pages-en-boucle.pdf", "page-html.pdf"):
        (tmp_path / name).write_bytes((corpus / name).read_bytes())
    done = ingest(tmp_path, index_dir, file_timeout)
    assert done.returncode == 1 and done.stderr.startswith("Erreur : Aucun PDF")
    assert "Traceback" not in done.stderr
    assert open_index(index_dir).manifest["build_id"] == before


def test_memory_cap_stops_a_worker_with_a_clear_reason(corpus: Path) -> None:
    # 400 MB of address space is below what reading ten thousand pages takes (Python and
    # pypdf alone reserve a good part of it): the worker fails, the parent reports it.
    cap = 400 * 1024**2
    reports = resolve_reports([corpus / "dix-mille-pages-vides.pdf"], load_reports())
    with Stage("extraction", 1, False) as stage:
        parsed, errors = parse_in_workers(reports, 60, stage, cap)
    assert not parsed
    assert "mémoire insuffisante" in errors[0][1] and "400 Mo" in errors[0][1]


def test_worker_orphaned_by_a_killed_ingest_stops_at_its_cpu_budget(corpus, tmp_path) -> None:
    slow = tmp_path / "lent"
    slow.mkdir()
    name = "operateurs-sans-fin.pdf"
    (slow / name).write_bytes((corpus / name).read_bytes())
    process = subprocess.Popen(
        [sys.executable, "-m", "ingest", str(slow), "--index", str(tmp_path / "index"),
         "--file-timeout", "3"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    workers: list[psutil.Process] = []
    deadline = time.monotonic() + 60
    while not workers and time.monotonic() < deadline:
        workers = [child for child in psutil.Process(process.pid).children()
                   if "spawn_main" in " ".join(child.cmdline())]
        time.sleep(0.1)
    assert workers, "aucun processus d'extraction n'a démarré"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive, "le processus d'extraction orphelin tourne encore"
