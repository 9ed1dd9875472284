"""Read the corpus manifests (TOML) into Reports, and describe PDFs no manifest knows.

A manifest is a list of `[[report]]` tables; keys that `Report` does not know (download,
to_verify, …) are ignored. Every pattern must compile. A PDF that no manifest lists gets a
Report from its file name and metadata: title from the PDF's Title (else the file name), year
from its creation date (else the first plausible year in the text), and every label pattern of
the known manifests.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import fields
from pathlib import Path

from index.records import Report
from index.settings import MANIFEST_PATH, SAMPLE_DIR

_FIELDS = {f.name for f in fields(Report)}
_TUPLES = ("authors", "urls", "patterns", "aliases")
_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")


class ManifestError(Exception):
    """A manifest that cannot be used; the message names the file, the line and the fix."""


def _report_from_entry(entry: dict, path: Path, position: int) -> Report:
    """One `[[report]]` table as a Report, validated."""
    where = f"{path}, rapport n° {position}"
    missing = [key for key in ("id", "title", "year") if key not in entry]
    if missing:
        raise ManifestError(f"{where} : champ(s) obligatoire(s) absent(s) : {', '.join(missing)}.")
    values = {key: value for key, value in entry.items() if key in _FIELDS}
    for key in _TUPLES:
        if key in values:
            values[key] = tuple(values[key])
    for pattern in values.get("patterns", ()):
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ManifestError(
                f"{where} ({entry['id']}) : motif invalide {pattern!r} ({exc})."
            ) from exc
        if compiled.groups < 1:
            raise ManifestError(
                f"{where} ({entry['id']}) : le motif {pattern!r} doit capturer le numéro "
                "entre parenthèses, par exemple (\\d{1,2})."
            )
    try:
        return Report(**values)
    except TypeError as exc:
        raise ManifestError(f"{where} : entrée invalide ({exc}).") from exc


def read_manifest(path: Path) -> list[Report]:
    """The reports of one manifest file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestError(f"Manifeste illisible : {path} ({exc.strerror}).") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(
            f"Manifeste mal formé : {path} — {exc}. Corrigez la syntaxe TOML à cet endroit."
        ) from exc
    entries = data.get("report", [])
    if not isinstance(entries, list):
        raise ManifestError(f"{path} : « report » doit être une liste de tables [[report]].")
    return [_report_from_entry(entry, path, i + 1) for i, entry in enumerate(entries)]


def load_reports(paths: list[Path] | None = None) -> list[Report]:
    """The reports of the official and sample manifests (or of `paths`); ids must be unique."""
    reports: list[Report] = []
    for path in paths or [MANIFEST_PATH, SAMPLE_DIR / "reports.toml"]:
        reports += read_manifest(path)
    ids = [report.id for report in reports]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ManifestError(f"Identifiant(s) de rapport en double : {', '.join(duplicates)}.")
    return reports


def slug(text: str) -> str:
    """A URL-safe lower-case identifier made from a file name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "rapport"


def guess_year(creation_year: int | None, text: str) -> int:
    """The report's year: from the PDF creation date, else the first plausible year in its text."""
    if creation_year:
        return creation_year
    match = _YEAR.search(text)
    return int(match.group(1)) if match else 0


def unknown_report(path: Path, known: list[Report]) -> Report:
    """A Report for a PDF no manifest lists: id from its file name, every known pattern."""
    patterns = tuple(dict.fromkeys(p for report in known for p in report.patterns))
    return Report(id=slug(path.stem), title=path.stem, year=0, patterns=patterns, file=path.name)
