"""`python -m ingest [PDF or folder ...]`: add reports to the index, or bring it up to date.

Exit codes: `index.cli.ExitCode` (0 when everything asked was done; 1 when a file was refused
or could not be read, or nothing could be done — the index is then left as it was; 2 for a usage
error).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

from index.cli import CommandParser, ExitCode
from index.encoders import EncoderError
from index.oserrors import os_error_reason
from index.settings import INDEX, MANIFEST_PATH, MODEL, Setting, number
from index.store import IndexIncompatible, IndexMissing, IndexWriteError, open_index
from ingest.collection import OFFICIAL_DIR, listing
from ingest.manifest import ManifestError
from ingest.pipeline import IngestError, run_ingest

# The budget run_ingest gives each PDF's worker process before it is killed.
FILE_TIMEOUT = Setting(
    "file_timeout",
    "--file-timeout",
    "KB_FILE_TIMEOUT",
    120.0,
    "temps maximal d'extraction d'un PDF, en secondes",
    number,
)


def year(text: str) -> int:
    """An argparse type: a year between 1900 and 2100."""
    if not text.isdigit() or not 1900 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"{text!r} n'est pas une année (entre 1900 et 2100)")
    return int(text)


def build_parser(environ: Mapping[str, str] = os.environ) -> CommandParser:
    """The command-line options and settings."""
    cli = CommandParser(
        prog="python -m ingest",
        environ=environ,
        description="Ajoute des rapports PDF à l'index, ou met à jour ceux qu'il contient (sans "
        "chemin ; un index vide reçoit le corpus d'exemple).",
    )
    cli.add_argument("paths", nargs="*", type=Path,
                     help="fichiers PDF ou dossiers à ajouter ou mettre à jour")
    cli.add_settings(INDEX, MODEL, FILE_TIMEOUT)
    cli.add_argument(
        "--download",
        action="store_true",
        help="télécharger d'abord les rapports officiels dans corpus/official puis les indexer",
    )
    cli.add_argument("--replace", action="store_true",
                     help="l'index ne garde que les PDF donnés (sans chemin : le corpus d'exemple)")
    cli.add_argument("--remove", nargs="+", default=[], metavar="ID",
                     help="retirer de l'index les rapports de ces identifiants")
    cli.add_argument("--list", action="store_true", help="lister les rapports de l'index")
    cli.add_argument("--json", action="store_true", help="avec --list : sortie JSON")
    metadata = cli.add_argument_group("métadonnées du PDF ajouté (remplacent celles lues)")
    metadata.add_argument("--title", help="titre du rapport")
    metadata.add_argument("--year", type=year, help="année du rapport")
    metadata.add_argument("--authors", action="append", metavar="AUTEUR",
                          help="auteur (répétable)")
    metadata.add_argument("--commissioner", help="commanditaire du rapport")
    return cli


def _download() -> list[Path]:
    """Fetch the official reports; their folder is what gets ingested."""
    from ingest.download import DownloadError, download_official

    try:
        _, problems = download_official(MANIFEST_PATH, OFFICIAL_DIR)
    except DownloadError as exc:
        raise IngestError(f"Téléchargement impossible : {exc}") from exc
    for problem in problems:
        print(f"Avertissement : {problem}", file=sys.stderr)
    if not any(OFFICIAL_DIR.glob("*.pdf")):
        raise IngestError(
            f"Aucun rapport officiel n'a pu être téléchargé dans {OFFICIAL_DIR} (voir les "
            "avertissements ci-dessus). L'index existant et le corpus d'exemple restent intacts ; "
            "réessayez avec un accès à Internet, ou placez les PDF dans ce dossier à la main."
        )
    return [OFFICIAL_DIR]


def list_reports(index_dir: Path, as_json: bool) -> str:
    """The indexed reports, as a table or a JSON array."""
    reader = open_index(index_dir)
    by_report = defaultdict(list)
    for chunk in reader.chunks():
        by_report[chunk.report_id].append(chunk)
    rows = listing(reader.reports(), by_report)
    if as_json:
        return json.dumps(rows, ensure_ascii=False, indent=2)
    lines = [f"{'id':<22} {'année':>5} {'pages':>5} {'extraits':>8} {'recomm.':>7}  "
             f"{'sha256':<12}  {'fichier':<28} titre"]
    for row in rows:
        lines.append(
            f"{row['id']:<22} {row['year'] or '?':>5} {row['pages'] or '?':>5} "
            f"{row['passages']:>8} {row['recommendations']:>7}  {row['sha256'][:12]:<12}  "
            f"{Path(row['source']).name:<28} {row['title']}"
        )
    return "\n".join(lines)


def checked_overrides(cli: CommandParser, args: argparse.Namespace) -> dict:
    """The metadata given for the added PDF, once the options are known to go together (a
    usage error otherwise)."""
    overrides = {key: getattr(args, key) for key in ("title", "year", "authors", "commissioner")
                 if getattr(args, key) is not None}
    if "authors" in overrides:
        overrides["authors"] = tuple(overrides["authors"])
    if args.json and not args.list:
        cli.error("--json ne s'emploie qu'avec --list")
    if args.list and (args.paths or args.remove or args.download or args.replace or overrides):
        cli.error("--list ne se combine qu'avec --json et --index")
    if overrides and not (args.paths or args.download):
        cli.error("--title, --year, --authors et --commissioner accompagnent un PDF à ajouter")
    return overrides


def main(argv: list[str] | None = None) -> int:
    """Run the ingestion; French message and exit code 1 on a user error or a refused file."""
    cli = build_parser()
    args = cli.parse_args(argv)
    overrides = checked_overrides(cli, args)
    try:
        if args.list:
            print(list_reports(args.index, args.json))
            return ExitCode.SUCCESS
        paths = _download() if args.download else (args.paths or None)
        summary = run_ingest(paths, args.index, args.model, args.file_timeout,
                             replace_all=args.replace, remove=tuple(args.remove),
                             overrides=overrides or None)
    except (IngestError, ManifestError, EncoderError, IndexMissing, IndexIncompatible,
            IndexWriteError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return ExitCode.FAILURE
    except OSError as exc:
        # Reading a PDF or the index, not writing the build (IndexWriteError says that).
        print(f"Erreur : lecture ou écriture impossible ({os_error_reason(exc)}) ; l'index "
              "existant n'a pas été modifié. Corrigez le fichier ou les droits, puis relancez "
              "python -m ingest.", file=sys.stderr)
        return ExitCode.FAILURE
    print(summary.table())
    # A refused file is a user error too: the others are indexed, but scripts must notice.
    return ExitCode.FAILURE if summary.errors else ExitCode.SUCCESS


if __name__ == "__main__":
    sys.exit(main())
