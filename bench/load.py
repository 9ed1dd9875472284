"""Load test: wrk against a real `python -m web` on 127.0.0.1, rotating French questions.

    .venv/bin/python bench/load.py                   # 64 connections, 60 s, index var/index
    .venv/bin/python bench/load.py --duration 5      # the short smoke version

Starts its own server on a free local port (never another host), warms it up, then runs wrk
with a Lua script that cycles through varied French questions on /api/search. Prints requests
per second, latency percentiles, errors and the server's resident memory before and after;
exits 1 when a target is missed: 0 errors, p99 ≤ 500 ms, RSS growth ≤ 10 %.
wrk comes from Debian (`apt-get install wrk`, done by tests/setup_browser.sh).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

from index import settings
from index.cli import CommandParser
from index.settings import INDEX

QUESTIONS = [
    "Comment mutualiser les données entre communes ?",
    "gouvernance des données publiques",
    "éclairage public intelligent et économies d'énergie",
    "cybersécurité des réseaux de capteurs",
    "inclusion numérique des habitants",
    "recommandation n° 12 du rapport 2021",
    "financement des projets de territoire connecté",
    "mobilité partagée en zone rurale",
    "formation des élus au numérique",
    "souveraineté des données et plateformes",
    "participation citoyenne et open data",
    "proposition n° 5",
    "ingénierie numérique des petites communes",
    "sobriété énergétique des bâtiments publics",
    "interopérabilité des systèmes urbains",
    "Quel rôle pour l'État dans les territoires intelligents ?",
]
P99_LIMIT_MS = 500.0
RSS_GROWTH_LIMIT = 0.10
WARM_UP_S = 5
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lua_script() -> str:
    """The wrk script: each request asks the next question of the list."""
    paths = [f"/api/search?k=10&q={urllib.parse.quote(q)}" for q in QUESTIONS]
    listed = ",\n".join(f'  "{path}"' for path in paths)
    return (f"local paths = {{\n{listed}\n}}\nlocal n = 0\n"
            "request = function()\n  n = n + 1\n"
            "  return wrk.format(\"GET\", paths[(n % #paths) + 1])\nend\n")


def start_server(index: Path, port: int) -> subprocess.Popen:
    """`python -m web` over `index` on 127.0.0.1:port, once it answers."""
    server = subprocess.Popen(
        [sys.executable, "-m", "web", "--host", "127.0.0.1", "--port", str(port),
         "--index", str(index)],
        cwd=settings.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"Le serveur n'a pas démarré : {server.stderr.read().strip()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    sys.exit("Le serveur ne répond pas après 120 s.")


def stop(server: subprocess.Popen) -> None:
    """Stop the server: politely, then for good if requests still queued keep it busy."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def run_wrk(port: int, script: Path, connections: int, threads: int, seconds: int) -> str:
    """wrk's report of one run."""
    done = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout",
         "10s", "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, timeout=seconds + 60,
    )
    if done.returncode != 0:
        sys.exit(f"wrk a échoué : {done.stderr.strip()}")
    return done.stdout


def milliseconds(value: str) -> float:
    """A wrk duration (« 812.34us », « 12.5ms », « 1.02s ») in milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * UNITS_MS[unit]


def figures(report: str) -> dict[str, float]:
    """Requests, rate, latency percentiles and errors from a wrk report."""
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)$", report, re.MULTILINE))
    sockets = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", report)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    return {
        "requests": float(re.search(r"(\d+) requests in", report).group(1)),
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1)),
        # wrk omits the distribution when every request timed out: count that as a miss.
        **{f"p{pct}": milliseconds(latency[pct]) if pct in latency else float("inf")
           for pct in ("50", "90", "99")},
        "errors": float(sum(map(int, sockets.groups())) if sockets else 0)
        + float(non_2xx.group(1) if non_2xx else 0),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the load test and print its figures; 1 when a target is missed."""
    cli = CommandParser(prog="python -m bench.load", environ=os.environ,
                        description="Test de charge de /api/search avec wrk.")
    cli.add_settings(INDEX)
    cli.add_argument("--duration", type=int, default=60, help="secondes de charge (défaut 60)")
    cli.add_argument("--connections", type=int, default=64)
    cli.add_argument("--threads", type=int, default=2)
    args = cli.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk est introuvable : installez-le (apt-get install wrk).")
    port = free_port()
    server = start_server(args.index, port)
    try:
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "questions.lua"
            script.write_text(lua_script())
            run_wrk(port, script, args.connections, args.threads, WARM_UP_S)
            process = psutil.Process(server.pid)
            rss_before = process.memory_info().rss
            result = figures(run_wrk(port, script, args.connections, args.threads,
                                     args.duration))
            rss_after = process.memory_info().rss
    finally:
        stop(server)
    growth = rss_after / rss_before - 1
    print(f"{args.connections} connexions, {args.duration} s, {len(QUESTIONS)} questions")
    print(f"requêtes : {result['requests']:.0f} ({result['rate']:.1f}/s), erreurs : "
          f"{result['errors']:.0f}")
    print(f"latence : p50 {result['p50']:.1f} ms, p90 {result['p90']:.1f} ms, "
          f"p99 {result['p99']:.1f} ms")
    print(f"mémoire du serveur : {rss_before / 2**20:.0f} → {rss_after / 2**20:.0f} Mo "
          f"({growth:+.1%})")
    missed = [name for name, ok in [
        ("0 erreur", result["errors"] == 0),
        (f"p99 ≤ {P99_LIMIT_MS:g} ms", result["p99"] <= P99_LIMIT_MS),
        (f"croissance mémoire ≤ {RSS_GROWTH_LIMIT:.0%}", growth <= RSS_GROWTH_LIMIT),
    ] if not ok]
    print("Objectifs atteints." if not missed else f"Objectifs manqués : {', '.join(missed)}.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
