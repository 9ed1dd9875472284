"""The Library: reading one index's live build, safe to share between threads.

It holds the served build (a `search.searcher.LoadedIndex`), lists its reports, gives chunks by
id with their neighbours, browses the recommendations, their themes and lineage, resolves PDF
paths, and swaps to a new live build when one becomes `current`: a build in use stays whole
for whoever holds it, and a build that fails to load, for whatever reason, is never served (the
old one stays and the failure is kept in `reload_failure`). Searching is the Searcher's job.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from index.encoders import EncoderError
from index.french import analyze
from index.records import Chunk, Report
from index.store import IndexIncompatible, IndexMissing, ingest_command, live_build
from index.themes import ThemeTable
from search.lineage import Kin
from search.recommendations import Browse, RecommendationFilter, browse
from search.results import QueryError

if TYPE_CHECKING:
    from search.searcher import LoadedIndex


def matching_reports(key: str, reports: dict[str, Report]) -> list[str]:
    """Ids of the reports named by an id or a year."""
    key = str(key).strip()
    return [rid for rid, report in reports.items() if key in (rid, str(report.year))]


def resolve_reports(wanted: list[str], reports: dict[str, Report]) -> list[str]:
    """Report ids for a filter given as ids or years; QueryError naming the known ones."""
    resolved: list[str] = []
    for item in wanted:
        key = str(item).strip()
        matches = matching_reports(key, reports)
        if not matches:
            known = ", ".join(f"{rid} ({report.year})" for rid, report in reports.items())
            raise QueryError(f"Rapport inconnu : « {key} ». Rapports disponibles : {known}.")
        resolved += [rid for rid in matches if rid not in resolved]
    return resolved


@dataclass(frozen=True)
class ReloadFailure:
    """A newer live build that could not be loaded (the previous one is still served)."""

    build: Path
    message: str


def failure_message(index_dir: Path, build: Path, exc: Exception) -> str:
    """The French line telling why `build` was not loaded, and the command that fixes it."""
    if isinstance(exc, IndexMissing | IndexIncompatible):
        return str(exc)
    detail = str(exc).rstrip(".") if isinstance(exc, EncoderError) else (
        f"{type(exc).__name__} : {exc}")
    return (f"La construction « {build.name} » de l'index « {index_dir} » ne se charge pas "
            f"({detail}). Reconstruisez-le avec : {ingest_command(index_dir)}")


class Library:
    """The served build of an index directory and what a reader browses in it; `load` reads the
    live build again (`reload_if_changed`)."""

    def __init__(self, index_dir: Path, loaded: LoadedIndex, load: Callable[[], LoadedIndex],
                 reload_failure: ReloadFailure | None = None) -> None:
        self.index_dir = Path(index_dir)
        self._loaded = loaded
        self._load = load
        self.reload_failure = reload_failure
        self._reload_lock = threading.Lock()

    @property
    def loaded(self) -> LoadedIndex:
        """The build served right now."""
        return self._loaded

    def snapshot(self) -> Library:
        """A Library held on the build served right now, whatever reloads come after."""
        return Library(self.index_dir, self._loaded, self._load, self.reload_failure)

    def reports(self) -> list[Report]:
        """The indexed reports."""
        return list(self._loaded.reports.values())

    def report(self, report_id: str) -> Report | None:
        """One report by id, or None."""
        return self._loaded.reports.get(report_id)

    def chunk(self, chunk_id: str) -> Chunk | None:
        """One chunk by id, or None."""
        loaded = self._loaded
        row = loaded.reader.row_of_id.get(chunk_id)
        return None if row is None else loaded.chunks[row]

    def neighbours(self, chunk_id: str, before: int = 1, after: int = 1) -> list[Chunk]:
        """Chunks just before and after one chunk in its report's reading order (not itself)."""
        loaded = self._loaded
        row = loaded.reader.row_of_id.get(chunk_id)
        if row is None:
            return []
        report_id = loaded.chunks[row].report_id
        first = max(0, row - max(0, before))
        window = range(first, min(len(loaded.chunks), row + max(0, after) + 1))
        return [loaded.chunks[i] for i in window
                if i != row and loaded.chunks[i].report_id == report_id]

    def themes(self) -> ThemeTable:
        """The themes of the build and of each recommendation."""
        return self._loaded.themes

    def browse_recommendations(self, reports: list[str] | None = None, theme: str | None = None,
                               section: str | None = None, q: str | None = None
                               ) -> tuple[list[Chunk], Browse]:
        """Recommendations in reading order within reports (ids or years), a theme, a section
        path and containing every word of `q`, with the facet counts; QueryError for an
        unknown report or theme."""
        loaded = self._loaded
        if theme and loaded.themes.theme(theme) is None:
            known = ", ".join(t.id for t in loaded.themes.themes) or "aucun"
            raise QueryError(f"Thème inconnu : « {theme} ». Thèmes disponibles : {known}.")
        wanted = RecommendationFilter(
            reports=tuple(resolve_reports(reports, loaded.reports)) if reports else None,
            theme=theme or None,
            section=section or None,
            stems=frozenset(analyze(q)) if q else frozenset(),
        )
        found = browse(loaded.chunks, loaded.lineage.rows, wanted, loaded.themes.of,
                       loaded.stems)
        return [loaded.chunks[row] for row in found.rows], found

    def lineage(self, chunk_id: str, per_edition: int = 3) -> dict[str, list[tuple[Chunk, Kin]]]:
        """For each other report, its recommendations closest to this one, best first."""
        loaded = self._loaded
        row = loaded.reader.row_of_id.get(chunk_id)
        if row not in loaded.recommendation_rows:
            return {}
        return {report_id: [(loaded.chunks[kin.row], kin) for kin in kins]
                for report_id, kins in loaded.lineage.kin(row, per_edition).items()}

    def theme_lineage(self, theme_id: str) -> list[dict[str, Chunk]]:
        """The recommendations of a theme chained across reports: one dict per table row."""
        loaded = self._loaded
        rows = [row for row in loaded.lineage.rows if theme_id in loaded.themes.of(
            loaded.chunks[row].id)]
        return [{report_id: loaded.chunks[row] for report_id, row in chain.items()}
                for chain in loaded.lineage.chains(rows)]

    def info(self) -> dict:
        """What the index holds and how it was built."""
        manifest = self._loaded.reader.manifest
        counts = manifest["counts"]
        return {
            "encoder": dict(manifest["encoder"]),
            "counts": {name: counts[name] for name in ("reports", "passages", "recommendations")},
            "built_at": manifest["built_at"],
            "build_id": manifest["build_id"],
            "sample": manifest["sample"],
        }

    def pdf_path(self, report_id: str) -> Path | None:
        """The PDF file the report was indexed from, when it is still on disk."""
        report = self._loaded.reports.get(report_id)
        if report is None or not report.pdf_path:
            return None
        path = Path(report.pdf_path)
        return path if path.is_file() else None

    def reload_if_changed(self, retry: bool = True) -> bool:
        """Switch to a new live build if there is one; whoever holds the old one keeps it.

        A build that fails to load is recorded in `reload_failure` and the served build stays;
        with `retry=False` that same build is not tried again (a newer one always is).
        """
        live = live_build(self.index_dir)
        if live == self._loaded.reader.path:
            self.reload_failure = None  # `current` points back to the served build
        if live in (None, self._loaded.reader.path):
            return False
        failed = self.reload_failure
        if not retry and failed is not None and failed.build == live:
            return False
        with self._reload_lock:
            live = live_build(self.index_dir)
            if live in (None, self._loaded.reader.path):
                return False
            try:
                loaded = self._load()
            except Exception as exc:  # noqa: BLE001 - no broken build may replace a working one
                self.reload_failure = ReloadFailure(live, failure_message(self.index_dir, live,
                                                                          exc))
                return False
            self._loaded, self.reload_failure = loaded, None
            return True
