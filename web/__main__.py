"""`python -m web`: serve the UI and API on 127.0.0.1 (unless told otherwise).

Exit codes: `index.cli.ExitCode` (1 for a busy port, a missing index or model, 2 bad usage).
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from collections.abc import Mapping

import faiss
import uvicorn

from index.cli import CommandParser, ExitCode
from index.encoders import EncoderError
from index.settings import INDEX, INDEX_MODEL
from index.store import IndexIncompatible, IndexMissing
from search.fusion import FUSION, FusionSettings
from search.rerank import RERANK, optional_reranker
from search.searcher import FAISS_THREADS

from .app import create_app, local_url
from .settings import HOST, PORT, WEB


def build_parser(environ: Mapping[str, str] = os.environ) -> CommandParser:
    """The command line: --host, --port, --base-url, --index, --model, fusion and reranking."""
    parser = CommandParser(prog="python -m web", environ=environ,
                           description="Interface web et API JSON de Territoires KB.")
    parser.add_settings(*WEB, INDEX, INDEX_MODEL, *FUSION, *RERANK)
    return parser


def parse_args(argv: list[str] | None = None,
               environ: Mapping[str, str] = os.environ) -> argparse.Namespace:
    """The settings of this run: flags, else environment variables, else defaults."""
    return build_parser(environ).parse_args(argv)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; OSError with one French line when that is impossible."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except socket.gaierror as exc:
        raise OSError(f"adresse d'écoute inconnue : {host} ; donnez une adresse IP ou un nom "
                      f"de la machine ({HOST.flag} ou {HOST.env}).") from exc
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise OSError(f"le port {port} est déjà pris sur {host} (un autre serveur tourne "
                          f"peut-être) ; choisissez-en un autre : {PORT.flag}, {PORT.env} ou "
                          f"`make run PORT={port + 1}`.") from exc
        raise OSError(f"impossible d'écouter sur {host}:{port} ({exc.strerror}) ; choisissez "
                      "une autre adresse ou un port au-delà de 1024.") from exc


def main(argv: list[str] | None = None) -> int:
    """Bind, open the index and serve it; a busy port or a missing index is one French line."""
    args = parse_args(argv)
    faiss.omp_set_num_threads(FAISS_THREADS)
    reranker, warning = optional_reranker(args.reranker, args.rerank_depth)
    if warning:
        print(f"Attention : {warning}", file=sys.stderr)
    try:
        # Bound first: a busy port fails at once, and nothing claims to serve before this.
        listener = bind(args.host, args.port)
    except OSError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return ExitCode.FAILURE
    try:
        app = create_app(
            args.index,
            args.model,
            FusionSettings.from_settings(vars(args)),
            args.base_url or local_url(args.host, args.port),
            reranker,
        )
    except (IndexMissing, IndexIncompatible, EncoderError) as exc:
        listener.close()
        print(f"Erreur : {exc}", file=sys.stderr)
        return ExitCode.FAILURE
    print(f"Territoires KB : http://{args.host}:{args.port}/", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    server.run(sockets=[listener])
    return ExitCode.SUCCESS


if __name__ == "__main__":
    sys.exit(main())
