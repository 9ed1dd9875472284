"""Read the corpus manifests (TOML) into Reports, and describe PDFs no manifest knows.

A manifest is a list of `[[report]]` tables; keys that `Report` does not know (download,
to_verify, …) are ignored. Every pattern must compile. A PDF that no manifest lists gets a
Report named after its file, with the label patterns of every edition plus the usual French
forms of `[generic]` in corpus/reports.toml; `ingest.metadata` then reads its title and year
from the PDF. A `<name>.toml` beside a PDF (a sidecar) overrides any field but the identity.
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
_TUPLES = ("authors", "urls", "patterns")
# What a sidecar may set: the manifest keys, but never the report's identity or origin.
SIDECAR_KEYS = ("title", "subtitle", "year", "authors", "commissioner", "date", "urls", "pages",
                "expected_recommendations", "label", "patterns")
_TYPES = {"year": int, "pages": int, "expected_recommendations": int, "authors": list,
          "urls": list, "patterns": list}


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
    check_patterns(values.get("patterns", ()), f"{where} ({entry['id']})")
    try:
        return Report(**values)
    except TypeError as exc:
        raise ManifestError(f"{where} : entrée invalide ({exc}).") from exc


def check_patterns(patterns: tuple[str, ...] | list[str], where: str) -> None:
    """ManifestError unless every pattern compiles and captures the number."""
    for pattern in patterns:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ManifestError(f"{where} : motif invalide {pattern!r} ({exc}).") from exc
        if compiled.groups < 1:
            raise ManifestError(
                f"{where} : le motif {pattern!r} doit capturer le numéro entre parenthèses, "
                "par exemple (\\d{1,2})."
            )


def _read_toml(path: Path, what: str) -> dict:
    """A TOML file as a dict; ManifestError naming the file, the place and the fix."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestError(f"{what} illisible : {path} ({exc.strerror}).") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(
            f"{what} mal formé : {path} — {exc}. Corrigez la syntaxe TOML à cet endroit."
        ) from exc


def read_manifest(path: Path) -> list[Report]:
    """The reports of one manifest file."""
    data = _read_toml(path, "Manifeste")
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


def generic_patterns(path: Path = MANIFEST_PATH) -> tuple[str, ...]:
    """The usual French recommendation labels tried on a PDF no manifest describes."""
    patterns = tuple(_read_toml(path, "Manifeste").get("generic", {}).get("patterns", ()))
    check_patterns(patterns, f"{path}, [generic]")
    return patterns


def slug(text: str) -> str:
    """A URL-safe lower-case identifier made from a file name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "rapport"


def unknown_report(path: Path, known: list[Report], generic: tuple[str, ...] = ()) -> Report:
    """A Report for a PDF no manifest lists: id from its file name, every known pattern."""
    patterns = tuple(dict.fromkeys([p for report in known for p in report.patterns] + [*generic]))
    return Report(id=slug(path.stem), title=path.stem, year=0, patterns=patterns, file=path.name)


def sidecar_path(pdf: Path) -> Path:
    """Where the metadata overrides of a PDF live: `<name>.toml` beside it."""
    return pdf.with_suffix(".toml")


def read_sidecar(pdf: Path) -> dict:
    """The overrides of the sidecar of `pdf` ({} when there is none), checked."""
    path = sidecar_path(pdf)
    if not path.is_file():
        return {}
    data = _read_toml(path, "Fichier de métadonnées")
    return check_overrides(data, str(path))


def check_overrides(data: dict, where: str) -> dict:
    """Overrides as Report values: known keys, right types; ManifestError naming `where`."""
    unknown = sorted(set(data) - set(SIDECAR_KEYS))
    if unknown:
        raise ManifestError(
            f"{where} : clé(s) inconnue(s) {', '.join(unknown)} ; clés possibles : "
            f"{', '.join(SIDECAR_KEYS)}."
        )
    values = {}
    for key, value in data.items():
        wanted = _TYPES.get(key, str)
        if not isinstance(value, wanted) or isinstance(value, bool):
            raise ManifestError(f"{where} : « {key} » doit être {_TYPE_NAMES[wanted]}.")
        if wanted is list and not all(isinstance(item, str) for item in value):
            raise ManifestError(f"{where} : « {key} » doit être une liste de textes.")
        values[key] = tuple(value) if wanted is list else value
    if "year" in values and not 1900 <= values["year"] <= 2100:
        raise ManifestError(f"{where} : année {values['year']} invalide (entre 1900 et 2100).")
    check_patterns(values.get("patterns", ()), where)
    return values


_TYPE_NAMES = {int: "un nombre entier", str: "un texte", list: "une liste de textes"}
