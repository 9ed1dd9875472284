"""Shared fixtures: one real index of the bundled sample corpus per test session, and what serves it."""

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
