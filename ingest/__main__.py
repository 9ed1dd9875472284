"""`python -m ingest [PDF or folder ...]`: build or bring up to date the index of the reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from index import settings
from index.encoders import EncoderError
from index.oserrors import os_error_reason
from index.store import IndexWriteError
from ingest.manifest import ManifestError
from ingest.pipeline import IngestError, run_ingest


def parser() -> argparse.ArgumentParser:
    """The command-line options."""
    cli = settings.CommandParser(
        prog="python -m ingest",
        description="Indexe les rapports PDF (par défaut : le corpus d'exemple fourni).",
    )
    cli.add_argument("paths", nargs="*", type=Path, help="fichiers PDF ou dossiers à indexer")
    for name in ("index", "model", "file_timeout"):
        settings.add_flag(cli, name)
    cli.add_argument(
        "--download",
        action="store_true",
        help="télécharger d'abord les rapports officiels dans corpus/official puis les indexer",
    )
    return cli


def _download() -> list[Path]:
    """Fetch the official reports; their folder is what gets ingested."""
    from ingest.download import DownloadError, download_official

    destination = settings.CORPUS_DIR / "official"
    try:
        _, problems = download_official(settings.MANIFEST_PATH, destination)
    except DownloadError as exc:
        raise IngestError(f"Téléchargement impossible : {exc}") from exc
    for problem in problems:
        print(f"Avertissement : {problem}", file=sys.stderr)
    if not any(destination.glob("*.pdf")):
        raise IngestError(
            f"Aucun rapport officiel n'a pu être téléchargé dans {destination} (voir les "
            "avertissements ci-dessus). L'index existant et le corpus d'exemple restent intacts ; "
            "réessayez avec un accès à Internet, ou placez les PDF dans ce dossier à la main."
        )
    return [destination]


def main(argv: list[str] | None = None) -> int:
    """Run the ingestion; French message and exit code 1 on a user error or a refused file."""
    args = parser().parse_args(argv)
    try:
        paths = _download() if args.download else (args.paths or None)
        summary = run_ingest(paths, args.index, args.model, args.file_timeout)
    except (IngestError, ManifestError, EncoderError, IndexWriteError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        # Reading a PDF or the index, not writing the build (IndexWriteError says that).
        print(f"Erreur : lecture ou écriture impossible ({os_error_reason(exc)}) ; l'index "
              "existant n'a pas été modifié. Corrigez le fichier ou les droits, puis relancez "
              "python -m ingest.", file=sys.stderr)
        return 1
    print(summary.table())
    # A refused file is a user error too: the others are indexed, but scripts must notice.
    return 1 if summary.errors else 0


if __name__ == "__main__":
    sys.exit(main())
