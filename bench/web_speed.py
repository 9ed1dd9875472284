"""HTTP latency of a real `python -m web` (p50/p95/p99 server- and client-side) and a wrk run.

Baseline, same server: GET /api/health — HTTP, routing and middleware with no search. The
server-side time is read from the `Server-Timing` header; the client time includes the socket.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.measure import Spread, ratio, tail
from bench.queries import QUERIES
from bench.tables import print_table
from index import settings

SERVER_TIMING = re.compile(r"app;dur=([\d.]+)")
START_TIMEOUT_S = 180
PATHS = ("/api/health", "/api/search", "/recherche")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(process: subprocess.Popen, url: str) -> None:
    """Poll `url` until it answers; SystemExit if the server dies or never answers."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"Le serveur s'est arrêté au démarrage (code {process.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"Le serveur ne répond pas après {START_TIMEOUT_S} s.")


@contextmanager
def running_server(index_dir: Path, first_url: str = "/api/health") -> Iterator[str]:
    """A real `python -m web` on a free port, up once `first_url` answers; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "web", "--index", str(index_dir), "--port", str(port)],
        cwd=settings.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, base + first_url)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def timed_get(url: str) -> tuple[float, float]:
    """(client ms, server ms) of one GET; raises on a non-200 answer."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        client_ms = (time.perf_counter() - started) * 1000
        match = SERVER_TIMING.search(response.headers.get("Server-Timing", ""))
    return client_ms, float(match.group(1)) if match else client_ms


def query_url(base: str, path: str, question: str) -> str:
    """URL of `path` asked `question` for 10 results."""
    return f"{base}{path}?{urllib.parse.urlencode({'q': question, 'k': 10})}"


def measure_path(base: str, path: str, runs: int, queries: list[str]) -> dict[str, dict]:
    """Per-percentile spreads over runs of client and server ms for every question."""
    for question in queries:  # warm-up: first encoder call, template compilation
        timed_get(query_url(base, path, question))
    client_runs, server_runs = [], []
    for _ in range(max(runs, 1)):
        pairs = [timed_get(query_url(base, path, question)) for question in queries]
        client_runs.append(tail([c for c, _ in pairs]))
        server_runs.append(tail([s for _, s in pairs]))
    return {side: {p: Spread.of([run[p] for run in per_run]) for p in per_run[0]}
            for side, per_run in (("client", client_runs), ("server", server_runs))}


def run_wrk(url: str, seconds: int) -> str:
    """A bounded wrk run (2 threads, 8 connections): requests/s and errors, in one line."""
    if shutil.which("wrk") is None:
        return "wrk absent (apt-get install wrk) : charge non mesurée"
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "5s", url],
        capture_output=True, text=True, timeout=seconds + 30, check=False,
    ).stdout
    rps = re.search(r"Requests/sec:\s*([\d.]+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    errors = re.search(r"Socket errors:(.*)", out)
    return (f"wrk {seconds} s, 2 fils, 8 connexions sur /api/search : "
            f"{float(rps.group(1)) if rps else 0:.1f} requêtes/s, "
            f"{int(non_2xx.group(1)) if non_2xx else 0} réponses non 2xx, "
            f"erreurs réseau : {errors.group(1).strip() if errors else 'aucune'}")


def measure_web(index_dir: Path, runs: int, wrk_seconds: int,
                queries: list[str] = QUERIES) -> tuple[dict[str, dict], str]:
    """Latency of every path, then a wrk line (skipped when wrk_seconds is 0)."""
    with running_server(index_dir) as base:
        figures = {path: measure_path(base, path, runs, queries) for path in PATHS}
        load = (run_wrk(query_url(base, "/api/search", queries[0]), wrk_seconds)
                if wrk_seconds > 0 else "wrk : non lancé")
    return figures, load


def print_web(figures: dict[str, dict], load: str, runs: int, queries: int) -> None:
    """The HTTP latency table and the wrk line."""
    base = figures["/api/health"]["server"]["p50"].median
    rows = []
    for path, sides in figures.items():
        for side, label in (("server", "serveur"), ("client", "client")):
            spreads = sides[side]
            rows.append([f"{path} ({label})", *(spreads[p].show(2) for p in ("p50", "p95", "p99")),
                         ratio(spreads["p50"].median, base) if side == "server" else ""])
    print_table(f"HTTP (python -m web, 127.0.0.1) — {queries} questions × {runs} passes, ms, "
                "médiane (min–max) des passes ; base : /api/health côté serveur",
                ["requête", "p50", "p95", "p99", "p50 / base"], rows)
    print(load, flush=True)
