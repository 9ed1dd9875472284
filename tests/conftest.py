"""Shared fixtures: one real index of the bundled sample corpus per session, and what serves it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.settings import ROOT

DEFAULT_MODEL = "usem3"


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index of the bundled sample corpus, built by the real ingest pipeline."""
    from ingest.pipeline import run_ingest

    index_dir = tmp_path_factory.mktemp("sample-index")
    run_ingest(None, index_dir, model=DEFAULT_MODEL, file_timeout=300, progress=False)
    return index_dir


@pytest.fixture(scope="session")
def searcher(sample_index: Path):
    """A Searcher over the sample index."""
    from search import Searcher

    return Searcher.open(sample_index)


@pytest.fixture(scope="session")
def client(sample_index: Path):
    """A FastAPI TestClient of the web app over the sample index."""
    from fastapi.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(sample_index)) as test_client:
        yield test_client


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until `url` answers 200, failing early if the server process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"le serveur s'est arrêté (code {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} ne répond pas après {timeout} s")


@pytest.fixture(scope="session")
def live_server(sample_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a real `python -m web` server over the sample index, on a free local port."""
    port = free_port()
    log = tmp_path_factory.mktemp("live-server") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "web", "--index", str(sample_index), "--port", str(port)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for_http(f"{base}/api/health", process)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)


# ---------------------------------------------------------------- index + search (small index)
# A small hand-written French index built with the real encoder, FAISS and SQLite, so the index
# and search tests do not wait for the sample PDFs. Reports 2017 and 2021; the 2021 synthesis
# repeats one body passage almost word for word (the collapse rule keeps the body one).

SMALL_REPORTS = [
    ("essai-2017", "Territoires d'intelligence : rapport d'essai", 2017, ("Belot",)),
    ("essai-2021", "Territoires connectés : étude d'essai", 2021, ("DGE",)),
]

SMALL_PASSAGES = [
    ("essai-2017", "3", ("1. Données",), "corps",
     "La donnée publique est un bien commun. Les collectivités doivent ouvrir leurs données "
     "de mobilité et d'énergie, dans le respect de la vie privée des habitants."),
    ("essai-2017", "4", ("2. Gouvernance",), "corps",
     "La gouvernance du projet associe les élus, les services techniques et les citoyens. "
     "Un comité de pilotage se réunit chaque trimestre."),
    ("essai-2017", "5", ("3. Éclairage public",), "corps",
     "L'éclairage public intelligent réduit la consommation d'électricité de moitié. "
     "Les lampadaires s'allument au passage des piétons."),
    ("essai-2021", "2", ("Synthèse",), "synthese",
     "Les petites communes rurales manquent d'ingénierie pour conduire leurs projets de "
     "territoire connecté ; la mutualisation entre intercommunalités est la clé."),
    ("essai-2021", "14", ("2. Ingénierie", "2.1 Communes rurales"), "corps",
     "Les petites communes rurales manquent d'ingénierie pour conduire leurs projets de "
     "territoire connecté : la mutualisation entre intercommunalités est la clé du succès."),
    ("essai-2021", "15", ("3. Cybersécurité",), "corps",
     "Les attaques informatiques contre les hôpitaux et les mairies se multiplient. "
     "La cybersécurité des réseaux de capteurs doit être pensée dès la conception."),
    ("essai-2021", "16", ("4. Financement",), "corps",
     "Le financement des projets repose sur des appels à projets nationaux et européens. "
     "Les budgets de fonctionnement sont souvent oubliés."),
]

SMALL_RECOMMENDATIONS = [
    ("essai-2017", 5, "6", "Proposition n° 5",
     "Créer un service public de la donnée territoriale ouvert à tous les acteurs locaux."),
    ("essai-2017", 12, "7", "Proposition n° 12",
     "Former les élus locaux aux enjeux du numérique et de la donnée."),
    ("essai-2021", 1, "20", "Recommandation n° 1",
     "Mutualiser l'ingénierie numérique entre communes au sein des intercommunalités."),
    ("essai-2021", 12, "21", "Recommandation n° 12",
     "Imposer un audit de cybersécurité avant tout déploiement de capteurs urbains."),
]


def small_records():
    """Reports and chunks (reading order) of the small French index."""
    import hashlib

    from index.records import Chunk, Report

    reports = [Report(id=rid, title=title, year=year, aliases=aliases)
               for rid, title, year, aliases in SMALL_REPORTS]
    chunks = []
    for rid, *_ in SMALL_REPORTS:
        for report_id, page, section, part, text in SMALL_PASSAGES:
            if report_id == rid:
                digest = hashlib.sha1(text.encode()).hexdigest()[:10]
                chunks.append(Chunk(id=f"{rid}-p{page}-{digest}", report_id=rid, kind="passage",
                                    text=text, page=int(page), page_end=int(page),
                                    page_label=page, page_label_end=page, section=section,
                                    part=part))
        for report_id, number, page, label, text in SMALL_RECOMMENDATIONS:
            if report_id == rid:
                chunks.append(Chunk(id=f"{rid}-r{number}", report_id=rid, kind="recommendation",
                                    text=text, page=int(page), page_end=int(page),
                                    page_label=page, page_label_end=page,
                                    section=("Recommandations",), number=number, label=label))
    return reports, chunks


@pytest.fixture(scope="session")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index (usem3, FAISS, SQLite, BM25) of the small French records."""
    from index.encoders import load_encoder
    from index.store import write_build
    from index.vectors import embed_chunks

    encoder = load_encoder(DEFAULT_MODEL)
    reports, chunks = small_records()
    index_dir = tmp_path_factory.mktemp("small-index")
    write_build(index_dir, encoder.info(), reports, chunks, embed_chunks(encoder, chunks))
    return index_dir


@pytest.fixture(scope="session")
def small_searcher(small_index: Path):
    """A Searcher over the small French index."""
    from search import Searcher

    return Searcher.open(small_index)
