"""The recorded collection: which PDF files make the corpus, and how a run changes it.

Decisions:
- The collection is recorded in each build's manifest (`index.store`): one entry per report
  with its id, source file, SHA-256, the manifest entry it matched and the metadata the user
  gave (`--title`…). A run adds or updates the files it is given and keeps every other entry;
  `--replace` starts from an empty collection, `--remove` drops entries by id. With no file
  given, an empty collection gets the sample corpus; a recorded one is brought up to date.
- A file is read only when it is a regular file (a symlink is followed to one) of at most
  MAX_PDF_BYTES: a FIFO, a device or a socket is refused before it is opened, so nothing can
  block; hashing reads at most that many bytes.
- Identity: a file already recorded is found by its path. A file with the SHA-256 of a recorded
  report is refused, naming that report (unless that report's own file is gone: then it moved).
  A report id is the manifest's (by file name or SHA-256) or made from the file name; an id
  already taken gets a suffix (-2, -3…) and a message.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from index.records import Report
from index.settings import CORPUS_DIR
from ingest.manifest import slug

MAX_PDF_BYTES = 200 * 1024**2
OFFICIAL_DIR = CORPUS_DIR / "official"
CHECKSUMS = OFFICIAL_DIR / "checksums.json"
_BLOCK = 1 << 20


class CollectionError(Exception):
    """A request that cannot be applied to the collection; the message says what to do."""


@dataclass(frozen=True)
class Entry:
    """One report of the collection: its id, source file and what the user said about it."""

    id: str
    source: str
    sha256: str
    manifest_id: str = ""
    overrides: dict = field(default_factory=dict, hash=False)

    def to_json(self) -> dict:
        """The entry as recorded in a manifest (tuples as lists)."""
        return json.loads(json.dumps(asdict(self)))

    @classmethod
    def from_json(cls, data: dict) -> Entry:
        """An entry from its recorded form."""
        overrides = {key: tuple(value) if isinstance(value, list) else value
                     for key, value in data.get("overrides", {}).items()}
        return cls(id=data["id"], source=data["source"], sha256=data.get("sha256", ""),
                   manifest_id=data.get("manifest_id", ""), overrides=overrides)


@dataclass
class Found:
    """A PDF file a run was given: as named, resolved, and its SHA-256."""

    name: str
    path: Path
    sha256: str


@dataclass
class Plan:
    """The collection after a run, and what the run said about the files."""

    entries: list[Entry]
    refused: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    given: set[str] = field(default_factory=set)


def file_kind(mode: int) -> str:
    """The French name of a file type that is not a regular file."""
    for test, name in ((stat.S_ISFIFO, "un tube nommé (FIFO)"), (stat.S_ISCHR, "un périphérique"),
                       (stat.S_ISBLK, "un périphérique"), (stat.S_ISSOCK, "une socket"),
                       (stat.S_ISDIR, "un dossier")):
        if test(mode):
            return name
    return "un fichier spécial"


def inspect(path: Path) -> tuple[Path, str]:
    """(resolved path, SHA-256) of a regular file of bounded size; ValueError with the reason."""
    resolved = path.resolve()
    try:
        info = resolved.stat()
    except OSError as exc:
        raise ValueError(f"fichier introuvable ou inaccessible ({exc.strerror}).") from exc
    if not stat.S_ISREG(info.st_mode):
        where = f" (lien vers {resolved})" if path.is_symlink() else ""
        raise ValueError(f"n'est pas un fichier ordinaire mais {file_kind(info.st_mode)}{where} : "
                         "seuls les fichiers PDF sont lus.")
    if info.st_size > MAX_PDF_BYTES:
        raise ValueError(too_large())
    digest, size = hashlib.sha256(), 0
    # O_NONBLOCK: should the path be swapped for a FIFO after the check, opening cannot hang.
    try:
        descriptor = os.open(resolved, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise ValueError(f"lecture impossible ({exc.strerror}).") from exc
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ValueError("n'est plus un fichier ordinaire : ignoré.")
        while block := handle.read(_BLOCK):
            size += len(block)
            if size > MAX_PDF_BYTES:
                raise ValueError(too_large())
            digest.update(block)
    return resolved, digest.hexdigest()


def too_large() -> str:
    """The reason given for a file over the size limit."""
    return (f"fichier trop volumineux (plus de {MAX_PDF_BYTES // 1024**2} Mo) : "
            "réduisez-le ou découpez-le avant de l'indexer.")


def scan(paths: list[Path]) -> tuple[list[Found], list[tuple[str, str]]]:
    """The PDF files named or contained (recursively) in `paths`, and those refused, with why.

    CollectionError when a path does not exist or holds no PDF at all.
    """
    named: list[Path] = []
    for root in paths:
        if root.is_dir():
            named += sorted(p for p in root.rglob("*") if p.suffix.lower() == ".pdf")
        elif root.exists() or root.is_symlink():
            named.append(root)
        else:
            raise CollectionError(
                f"{root} n'existe pas. Indiquez un fichier PDF ou un dossier qui en contient, "
                "ou lancez `python -m ingest --download` pour récupérer les rapports officiels."
            )
    if not named:
        raise CollectionError(
            f"Aucun fichier PDF dans {', '.join(map(str, paths))}. Ajoutez-y les rapports, ou "
            "lancez `python -m ingest --download` pour récupérer les rapports officiels."
        )
    found, refused, seen = [], [], set()
    for path in named:
        try:
            resolved, digest = inspect(path)
        except ValueError as exc:
            refused.append((path.name, str(exc)))
            continue
        if resolved not in seen:
            seen.add(resolved)
            found.append(Found(path.name, resolved, digest))
    return found, refused


def official_checksums() -> dict[str, str]:
    """SHA-256 → file name of the official PDFs downloaded so far (corpus/official/)."""
    try:
        recorded = json.loads(CHECKSUMS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {digest: name for name, digest in recorded.items()} if isinstance(recorded, dict) else {}


def match_manifest(found: Found, known: list[Report]) -> Report | None:
    """The manifest entry of a file: by SHA-256, else by file name."""
    by_sha = {report.sha256: report for report in known if report.sha256}
    downloaded = official_checksums().get(found.sha256)
    for report in known:
        if downloaded and report.file == downloaded and not report.sample:
            by_sha.setdefault(found.sha256, report)
    if found.sha256 in by_sha:
        return by_sha[found.sha256]
    return next((report for report in known if report.file == found.path.name), None)


def free_id(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`… the first not in `taken`."""
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate


def refresh(entry: Entry) -> tuple[Entry, str | None]:
    """A recorded entry with the SHA-256 of its file today; a note when the file cannot be read
    (the report then stays as indexed)."""
    try:
        _, digest = inspect(Path(entry.source))
    except ValueError as exc:
        return entry, (f"{entry.id} ({entry.source}) : {exc} Les extraits déjà indexés sont "
                       f"gardés ; `python -m ingest --remove {entry.id}` pour le retirer.")
    return replace(entry, sha256=digest), None


def _check_request(base: list[Entry], found: list[Found], remove: tuple[str, ...],
                   overrides: dict | None) -> None:
    """CollectionError for ids to remove that are not indexed, or overrides for several PDFs."""
    unknown = [rid for rid in remove if rid not in {entry.id for entry in base}]
    if unknown:
        raise CollectionError(
            f"Aucun rapport « {', '.join(unknown)} » dans l'index ; "
            "`python -m ingest --list` donne les identifiants."
        )
    if overrides and len(found) != 1:
        raise CollectionError(
            "--title, --year, --authors et --commissioner s'appliquent à un seul PDF : "
            f"{len(found)} fichier(s) donné(s)."
        )


def _update(plan: Plan, i: int, overrides: dict | None, **changes: str) -> None:
    """Entry `i` of the plan given again, with new values and the options given now."""
    entry = plan.entries[i]
    plan.entries[i] = replace(entry, **changes, overrides={**entry.overrides, **(overrides or {})})
    plan.given.add(entry.id)


def _add_new(plan: Plan, item: Found, known: list[Report], overrides: dict | None) -> None:
    """A file the collection does not hold yet: its id from the manifest or its name, made
    free (with a note when it had to change)."""
    manifest = match_manifest(item, known)
    wanted = manifest.id if manifest else slug(item.path.stem)
    rid = free_id(wanted, {entry.id for entry in plan.entries})
    if rid != wanted:
        holder = next(e for e in plan.entries if e.id == wanted)
        plan.notes.append(f"« {item.name} » : l'identifiant {wanted} est déjà pris par "
                          f"{Path(holder.source).name} ; indexé sous {rid}.")
    plan.entries.append(Entry(rid, str(item.path), item.sha256, manifest.id if manifest else "",
                              dict(overrides or {})))
    plan.given.add(rid)


def _place(plan: Plan, item: Found, known: list[Report], overrides: dict | None,
           by_source: dict[str, int]) -> None:
    """One found file into the plan: an update of the entry recorded with its path
    (`by_source`), a moved file, a duplicate refused, or a new entry."""
    source = str(item.path)
    if source in by_source:
        _update(plan, by_source[source], overrides, sha256=item.sha256)
        return
    twin = next((e for e in plan.entries if e.sha256 == item.sha256), None)
    if twin is not None and Path(twin.source).exists():
        plan.refused.append((item.name, f"même contenu (SHA-256 {item.sha256[:12]}) que le "
                                        f"rapport « {twin.id} » déjà indexé ({twin.source}) : "
                                        "fichier ignoré."))
    elif twin is not None:
        _update(plan, plan.entries.index(twin), overrides, source=source)
        plan.notes.append(f"{twin.id} : fichier déplacé, désormais lu depuis {source}.")
    else:
        _add_new(plan, item, known, overrides)


def plan_collection(
    recorded: list[Entry],
    found: list[Found],
    known: list[Report],
    *,
    start_empty: bool = False,
    remove: tuple[str, ...] = (),
    overrides: dict | None = None,
) -> Plan:
    """The collection after adding or updating `found` to `recorded` (or to nothing)."""
    base = [] if start_empty else list(recorded)
    _check_request(base, found, remove, overrides)
    plan = Plan(entries=[entry for entry in base if entry.id not in remove], removed=list(remove))
    if remove and not plan.entries and not found:
        raise CollectionError(
            "Retirer tous les rapports laisserait l'index vide ; indexez d'autres PDF avec "
            "`python -m ingest --replace DOSSIER`."
        )
    by_source = {entry.source: i for i, entry in enumerate(plan.entries)}
    for item in found:
        _place(plan, item, known, overrides, by_source)
    for i, entry in enumerate(plan.entries):
        if entry.id not in plan.given:
            plan.entries[i], note = refresh(entry)
            plan.notes += [note] if note else []
    return plan


def listing(reports: list[Report], chunks_by_report: dict[str, list]) -> list[dict]:
    """One row per indexed report: what `python -m ingest --list` prints."""
    rows = []
    for report in reports:
        own = chunks_by_report.get(report.id, [])
        recommendations = sum(1 for chunk in own if chunk.kind == "recommendation")
        rows.append({
            "id": report.id, "title": report.title, "year": report.year,
            "pages": report.pages, "passages": len(own) - recommendations,
            "recommendations": recommendations,
            "expected_recommendations": report.expected_recommendations,
            "source": report.pdf_path, "sha256": report.sha256, "sample": report.sample,
            "provenance": dict(report.provenance),
        })
    return rows
