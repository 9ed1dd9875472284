"""Re-ingesting while people search: no error, every answer from the old or the new build.

A real `python -m web` server runs on a copy of the sample index; `python -m ingest` rebuilds
that index with one report added while eight clients keep querying. The server must switch to
the new build by itself, atomically, and never answer from a half-written one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pdf_factory as factory
import pytest
from conftest import free_port, wait_for_http
from test_crash_safety import QUESTIONS, fresh_workspace, ingest_command

from index.settings import ROOT
from index.store import BUILDS_DIR, CURRENT, open_index
from search import Searcher

CLIENTS = 8
SWITCH_TIMEOUT_S = 30


def get(url: str) -> tuple[int, dict]:
    """Status and JSON body of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


def search_url(base: str, question: str) -> str:
    """The /api/search URL of a question."""
    return f"{base}/api/search?{urllib.parse.urlencode({'q': question, 'k': 8})}"


def result_ids(body: dict) -> list[str]:
    """The chunk ids of a search answer, in order."""
    return [result["id"] for result in body.get("results", [])]


@pytest.fixture(scope="module")
def served(sample_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """A workspace (index copy + corpus) and a real server over it: (base URL, index, corpus)."""
    index_dir, corpus = fresh_workspace(tmp_path_factory.mktemp("live"), sample_index)
    port = free_port()
    log = (index_dir.parent / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "web", "--index", str(index_dir), "--port", str(port)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/api/health", process)
        yield base, index_dir, corpus
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


class Clients:
    """Threads that query the server in a loop and record every answer."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.stop = threading.Event()
        self.answers: list[tuple[str, int, list[str]]] = []
        self.builds: list[str] = []
        self.threads = [threading.Thread(target=self.loop, args=(n,)) for n in range(CLIENTS)]

    def loop(self, offset: int) -> None:
        """Ask the questions in turn (and the health) until told to stop."""
        turn = offset
        while not self.stop.is_set():
            question = QUESTIONS[turn % len(QUESTIONS)]
            status, body = get(search_url(self.base, question))
            self.answers.append((question, status, result_ids(body)))
            if turn % 4 == 0:
                self.builds.append(get(f"{self.base}/api/health")[1].get("build_id", "?"))
            turn += 1

    def __enter__(self) -> Clients:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def wait_for_build(base: str, build_id: str) -> float:
    """Seconds until the server reports `build_id` (it polls at most once a second)."""
    started = time.monotonic()
    while get(f"{base}/api/health")[1].get("build_id") != build_id:
        assert time.monotonic() - started < SWITCH_TIMEOUT_S, "le serveur garde l'ancien index"
        time.sleep(0.2)
    return time.monotonic() - started


def test_rebuild_under_queries_gives_no_error_and_only_old_or_new_answers(served) -> None:
    base, index_dir, corpus = served
    old_id = open_index(index_dir).manifest["build_id"]
    old = {q: result_ids(get(search_url(base, q))[1]) for q in QUESTIONS}
    # A new report on the very themes of the questions: the new build answers differently.
    factory.write_report(corpus / "nouveau-rapport.pdf", sections=5, paragraphs=4)
    with Clients(base) as clients:
        done = subprocess.run(ingest_command(index_dir, corpus, None), cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        new_id = open_index(index_dir).manifest["build_id"]
        wait_for_build(base, new_id)
    new = {q: result_ids(get(search_url(base, q))[1]) for q in QUESTIONS}
    assert new != old
    assert all(status == 200 for _, status, _ in clients.answers)
    assert all(ids in (old[q], new[q]) for q, _, ids in clients.answers)
    seen = {ids == new[q] and ids != old[q] for q, _, ids in clients.answers}
    assert seen == {True, False}, "les réponses ne viennent pas des deux index"
    assert set(clients.builds) <= {old_id, new_id} and len(clients.answers) > 2 * CLIENTS


def test_a_broken_new_build_is_not_loaded_and_search_goes_on(served, tmp_path) -> None:
    _, index_dir, _ = served
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy, symlinks=True)
    searcher = Searcher.open(copy)
    before = [r.chunk.id for r in searcher.search(QUESTIONS[0]).results]
    broken = copy / BUILDS_DIR / "99990101T000000000000Z"
    shutil.copytree((copy / CURRENT).resolve(), broken)
    (broken / "vectors.faiss").write_bytes(b"pas un index FAISS")
    (copy / CURRENT).unlink()
    (copy / CURRENT).symlink_to(Path(BUILDS_DIR) / broken.name)
    assert searcher.library.reload_if_changed() is False
    assert [r.chunk.id for r in searcher.search(QUESTIONS[0]).results] == before
