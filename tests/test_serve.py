"""`python -m web` and `make run`: the address comes from the settings, a busy port is one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from conftest import free_port, wait_for_http

from index.settings import ROOT


def serve(index_dir: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "web", "--index", str(index_dir), *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})


def test_a_busy_port_is_one_french_line_and_exit_1(sample_index: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        process = serve(sample_index, "--port", str(port))
        out, err = process.communicate(timeout=120)
    assert process.returncode == 1
    assert err.strip() == (f"Erreur : le port {port} est déjà pris sur 127.0.0.1 (un autre "
                           "serveur tourne peut-être) ; choisissez-en un autre : --port, KB_PORT "
                           f"ou `make run PORT={port + 1}`.")
    assert "http://" not in out  # nothing claimed to serve


def test_kb_port_is_honoured(sample_index: Path) -> None:
    port = free_port()
    process = serve(sample_index, env={"KB_PORT": str(port), "KB_HOST": "127.0.0.1"})
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/health", process)
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=20)
    assert f"Territoires KB : http://127.0.0.1:{port}/" in out


def make_run_commands(*assignments: str, env: dict | None = None) -> str:
    """The commands `make run` would run (dry run: nothing is executed)."""
    result = subprocess.run(["make", "-n", "run", *assignments], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr
    return next(line for line in result.stdout.splitlines() if "-m web" in line)


def test_make_run_passes_port_and_host_only_when_given() -> None:
    assert make_run_commands("PORT=9001", "HOST=0.0.0.0").endswith(
        "-m web --host 0.0.0.0 --port 9001")
    # Unset: python -m web reads KB_HOST / KB_PORT itself; make must not override them.
    command = make_run_commands(env={"KB_PORT": "9002", "KB_HOST": "127.0.0.2"})
    assert "--port" not in command and "--host" not in command
    assert make_run_commands(env={"PORT": "9003"}).endswith("--port 9003")
