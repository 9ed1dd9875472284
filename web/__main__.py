"""`python -m web`: serve the UI and API on 127.0.0.1 (unless told otherwise)."""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys

import uvicorn

from index import settings
from index.encoders import EncoderError
from index.store import IndexIncompatible, IndexMissing
from search.fusion import FUSION_SETTINGS, FusionSettings
from search.rerank import optional_reranker

from .app import create_app, local_url


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line: --host, --port, --index, --model and the fusion weights."""
    parser = settings.CommandParser(
        prog="python -m web", description="Interface web et API JSON de Territoires KB."
    )
    for name in ("host", "port", "base_url", "index", "model", *FUSION_SETTINGS, "reranker",
                 "rerank_depth"):
        settings.add_flag(parser, name)
    # Without --model or KB_MODEL, serve with the encoder the index was built with.
    parser.set_defaults(model=os.environ.get(settings.SETTINGS["model"].env) or None)
    return parser.parse_args(argv)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; OSError with one French line when that is impossible."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except socket.gaierror as exc:
        raise OSError(f"adresse d'écoute inconnue : {host} ; donnez une adresse IP ou un nom "
                      "de la machine (--host ou KB_HOST).") from exc
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise OSError(f"le port {port} est déjà pris sur {host} (un autre serveur tourne "
                          f"peut-être) ; choisissez-en un autre : --port, KB_PORT ou "
                          f"`make run PORT={port + 1}`.") from exc
        raise OSError(f"impossible d'écouter sur {host}:{port} ({exc.strerror}) ; choisissez "
                      "une autre adresse ou un port au-delà de 1024.") from exc


def main(argv: list[str] | None = None) -> int:
    """Bind, open the index and serve it; a busy port or a missing index is one French line."""
    args = parse_args(argv)
    reranker, warning = optional_reranker(args.reranker, args.rerank_depth)
    if warning:
        print(f"Attention : {warning}", file=sys.stderr)
    try:
        # Bound first: a busy port fails at once, and nothing claims to serve before this.
        listener = bind(args.host, args.port)
    except OSError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
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
        return 1
    print(f"Territoires KB : http://{args.host}:{args.port}/", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    server.run(sockets=[listener])
    return 0


if __name__ == "__main__":
    sys.exit(main())
