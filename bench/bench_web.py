"""Web bench: latency of /api/search and of the HTML results page, then a bounded wrk run.

Starts a real `python -m web` on a free 127.0.0.1 port over an existing index. Targets on the
sample index: /api/search p50 ≤ 30 ms, HTML results page p50 ≤ 50 ms (server-side time, read
from the `Server-Timing` header; the client-side time is printed beside it).

    python bench/bench_web.py [--index DIR] [--runs 7] [--wrk-seconds 10]
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index import settings  # noqa: E402
from index.store import IndexMissing, open_index  # noqa: E402

QUESTIONS = [
    "élu référent pour la donnée",
    "comité d'éthique et participation des habitants",
    "mutualiser les plateformes de données entre intercommunalités",
    "financement des projets de territoire connecté",
    "sobriété énergétique des capteurs",
]
TARGETS_MS = {"/api/search": 30.0, "/recherche": 50.0}
SERVER_TIMING = re.compile(r"app;dur=([\d.]+)")
START_TIMEOUT_S = 120


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(index_dir: Path, port: int) -> subprocess.Popen:
    """Start `python -m web` and wait until /api/health answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "web", "--index", str(index_dir), "--port", str(port)],
        cwd=settings.ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"Le serveur s'est arrêté au démarrage (code {process.returncode}).")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"Le serveur ne répond pas après {START_TIMEOUT_S} s.")


def timed_get(url: str) -> tuple[float, float]:
    """(client-side ms, server-side ms) of one GET; fails on a non-200 answer."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        client_ms = (time.perf_counter() - started) * 1000
        match = SERVER_TIMING.search(response.headers.get("Server-Timing", ""))
    return client_ms, float(match.group(1)) if match else client_ms


def latency(base: str, path: str, runs: int) -> tuple[float, float]:
    """Median client-side and server-side ms of `path` over `runs` passes of every question."""
    client, server = [], []
    for question in QUESTIONS:  # one warm-up per question: caches, first encoder call
        timed_get(f"{base}{path}?{urllib.parse.urlencode({'q': question})}")
    for _ in range(runs):
        for question in QUESTIONS:
            c, s = timed_get(f"{base}{path}?{urllib.parse.urlencode({'q': question, 'k': 10})}")
            client.append(c)
            server.append(s)
    return statistics.median(client), statistics.median(server)


def run_wrk(url: str, seconds: int) -> str:
    """A bounded wrk run against `url` on 127.0.0.1: requests/s and errors."""
    if shutil.which("wrk") is None:
        return "wrk absent (apt-get install wrk) : charge non mesurée"
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "5s", url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=False,
    ).stdout
    rps = re.search(r"Requests/sec:\s*([\d.]+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    socket_errors = re.search(r"Socket errors:(.*)", out)
    return (
        f"wrk {seconds} s, 2 fils, 8 connexions : "
        f"{float(rps.group(1)) if rps else 0:.1f} requêtes/s, "
        f"{int(non_2xx.group(1)) if non_2xx else 0} réponses non 2xx, "
        f"erreurs réseau : {socket_errors.group(1).strip() if socket_errors else 'aucune'}"
    )


def main(argv: list[str] | None = None) -> int:
    """Measure and print; exit 1 when the index is missing."""
    parser = argparse.ArgumentParser(description="Banc de mesure de l'interface web.")
    settings.add_flag(parser, "index")
    parser.add_argument("--runs", type=int, default=7, help="passes par question (≥ 5)")
    parser.add_argument("--wrk-seconds", type=int, default=10, help="durée du test de charge")
    args = parser.parse_args(argv)
    try:
        counts = open_index(args.index).manifest["counts"]
    except IndexMissing as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    runs = max(args.runs, 5)
    port = free_port()
    process = start_server(args.index, port)
    base = f"http://127.0.0.1:{port}"
    try:
        print(f"Index {args.index} : {counts}")
        for path, target in TARGETS_MS.items():
            client_ms, server_ms = latency(base, path, runs)
            verdict = "OK" if server_ms <= target else "AU-DESSUS DE LA CIBLE"
            print(
                f"GET {path:<12} médiane serveur {server_ms:6.1f} ms (cible ≤ {target:.0f} ms, "
                f"{verdict}), client {client_ms:6.1f} ms — {runs * len(QUESTIONS)} requêtes"
            )
        query = urllib.parse.urlencode({"q": QUESTIONS[0]})
        print(run_wrk(f"{base}/api/search?{query}", args.wrk_seconds))
    finally:
        process.terminate()
        process.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
