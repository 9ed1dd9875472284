"""`python -m web`: serve the UI and API on 127.0.0.1 (unless told otherwise)."""

from __future__ import annotations

import argparse
import os
import sys

import uvicorn

from index import settings
from index.encoders import EncoderError
from index.store import IndexIncompatible, IndexMissing
from search.fusion import FUSION_SETTINGS, FusionSettings

from .app import create_app, local_url


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line: --host, --port, --index, --model and the fusion weights."""
    parser = settings.CommandParser(
        prog="python -m web", description="Interface web et API JSON de Territoires KB."
    )
    for name in ("host", "port", "base_url", "index", "model", *FUSION_SETTINGS):
        settings.add_flag(parser, name)
    # Without --model or KB_MODEL, serve with the encoder the index was built with.
    parser.set_defaults(model=os.environ.get(settings.SETTINGS["model"].env) or None)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Open the index and serve it; a missing or incompatible index is a plain message."""
    args = parse_args(argv)
    try:
        app = create_app(
            args.index,
            args.model,
            FusionSettings.from_settings(vars(args)),
            args.base_url or local_url(args.host, args.port),
        )
    except (IndexMissing, IndexIncompatible, EncoderError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    print(f"Territoires KB : http://{args.host}:{args.port}/", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
