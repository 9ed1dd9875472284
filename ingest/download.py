"""Fetch the official report PDFs named in the manifest, safely, for users who have internet.

Each file is streamed with connect/read timeouts and a size cap into a temporary file beside its
destination, checked to start with `%PDF`, then renamed into place: an interrupted or refused
download never replaces a good file. The SHA-256 of each file is recorded on first download in
`checksums.json` beside the PDFs and checked on every later download.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import httpx

from ingest.collection import MAX_PDF_BYTES

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
MAX_BYTES = MAX_PDF_BYTES
CHECKSUMS = "checksums.json"


class DownloadError(Exception):
    """A download that could not be completed; the message says why in plain words."""


@dataclass(frozen=True)
class Target:
    """One official PDF to fetch: its report id, URL and file name."""

    report_id: str
    url: str
    file: str


def download_targets(manifest: Path) -> tuple[list[Target], list[str]]:
    """The PDFs the manifest links to, and notes on the reports it gives no direct link for."""
    try:
        entries = tomllib.loads(manifest.read_text(encoding="utf-8"))["report"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise DownloadError(f"Manifeste illisible : {manifest} ({exc}).") from exc
    targets, notes = [], []
    for entry in entries:
        if entry.get("download"):
            targets.append(Target(entry["id"], entry["download"], entry["file"]))
        else:
            page = (entry.get("urls") or ["(aucune)"])[0]
            notes.append(
                f"{entry['id']} : pas de lien direct confirmé vers le PDF. Téléchargez-le depuis "
                f"{page} et enregistrez-le sous corpus/official/{entry['file']}."
            )
    return targets, notes


def fetch_pdf(url: str, destination: Path, max_bytes: int = MAX_BYTES) -> str:
    """Stream `url` into `destination` atomically and return its SHA-256; raise DownloadError."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    timeout = httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT)
    fd, tmp_name = tempfile.mkstemp(prefix=".part-", dir=destination.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            digest = stream_into(url, out, timeout, max_bytes)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, destination)
        return digest
    finally:
        tmp.unlink(missing_ok=True)


def stream_into(url: str, out, timeout: httpx.Timeout, max_bytes: int) -> str:
    """Copy the body of `url` into `out`, enforcing the size cap and the PDF signature."""
    digest = hashlib.sha256()
    size = 0
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
            if response.status_code != 200:
                raise DownloadError(f"{url} a répondu HTTP {response.status_code}.")
            declared = int(response.headers.get("content-length") or 0)
            if declared > max_bytes:
                raise DownloadError(f"{url} annonce {declared} octets, au-delà de la limite.")
            for block in response.iter_bytes():
                if size == 0 and not block.startswith(b"%PDF"):
                    raise DownloadError(f"{url} ne renvoie pas un PDF (signature %PDF absente).")
                size += len(block)
                if size > max_bytes:
                    raise DownloadError(f"{url} dépasse la taille maximale ({max_bytes} octets).")
                digest.update(block)
                out.write(block)
    except httpx.TimeoutException as exc:
        raise DownloadError(f"{url} : délai dépassé ({exc.__class__.__name__}).") from exc
    except httpx.HTTPError as exc:
        raise DownloadError(f"{url} : échec du téléchargement ({exc}).") from exc
    if size == 0:
        raise DownloadError(f"{url} a renvoyé une réponse vide.")
    return digest.hexdigest()


def load_checksums(folder: Path) -> dict[str, str]:
    """The SHA-256 recorded for each file name of `folder`."""
    path = folder / CHECKSUMS
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def save_checksums(folder: Path, checksums: dict[str, str]) -> None:
    """Record the checksums atomically."""
    path = folder / CHECKSUMS
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(checksums, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def download_one(target: Target, dest: Path, checksums: dict[str, str]) -> Path:
    """Fetch one PDF; a file whose checksum differs from the recorded one is refused and removed."""
    path = dest / target.file
    candidate = dest / f".new-{target.file}"
    digest = fetch_pdf(target.url, candidate)
    expected = checksums.get(target.file)
    if expected and expected != digest:
        candidate.unlink(missing_ok=True)
        raise DownloadError(
            f"{target.report_id} : le fichier reçu ne correspond pas à la somme SHA-256 "
            "enregistrée "
            f"({expected[:12]}… attendu, {digest[:12]}… reçu). Le fichier existant est conservé ; "
            f"supprimez {dest / CHECKSUMS} si la publication a réellement changé."
        )
    os.replace(candidate, path)
    checksums[target.file] = digest
    return path


def download_official(manifest: Path, dest: Path) -> tuple[list[Path], list[str]]:
    """Download every official PDF the manifest links to; return the files and the problems."""
    targets, problems = download_targets(manifest)
    dest.mkdir(parents=True, exist_ok=True)
    checksums = load_checksums(dest)
    fetched = []
    for target in targets:
        try:
            fetched.append(download_one(target, dest, checksums))
        except DownloadError as exc:
            problems.append(f"{target.report_id} : {exc}")
    save_checksums(dest, checksums)
    return fetched, problems
