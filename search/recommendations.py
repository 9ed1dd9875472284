"""Browsing the recommendations as records: filters that combine, and facet counts.

Each facet (report, theme, section) is counted over the recommendations that pass every
*other* filter, so its counts say what choosing one of its values would leave.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from index.records import Chunk
from search.results import section_path

FACETS = ("report", "theme", "section")


@dataclass(frozen=True)
class RecommendationFilter:
    """What the reader asked for; None or empty means no constraint."""

    reports: tuple[str, ...] | None = None
    theme: str | None = None
    section: str | None = None
    stems: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Browse:
    """The matching rows in reading order and, per facet, (value, count) in first-seen order."""

    rows: list[int]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def browse(chunks: Sequence[Chunk], rows: Sequence[int], wanted: RecommendationFilter,
           themes: Callable[[str], tuple[str, ...]],
           stems: Callable[[int], frozenset[str]]) -> Browse:
    """Filter the recommendation `rows` (reading order) and count each facet's values."""
    def values(row: int) -> dict[str, tuple[str, ...]]:
        chunk = chunks[row]
        return {"report": (chunk.report_id,), "theme": themes(chunk.id),
                "section": (section_path(chunk),)}

    chosen = {"report": wanted.reports, "theme": (wanted.theme,) if wanted.theme else None,
              "section": (wanted.section,) if wanted.section else None}
    kept = [row for row in rows if wanted.stems <= stems(row)]
    described = [(row, values(row)) for row in kept]

    def passes(facet_values: dict[str, tuple[str, ...]], skip: str | None) -> bool:
        return all(chosen[name] is None or set(chosen[name]) & set(facet_values[name])
                   for name in FACETS if name != skip)

    facets: dict[str, list[tuple[str, int]]] = {}
    for name in FACETS:
        counts: dict[str, int] = {}
        for _, facet_values in described:
            if passes(facet_values, name):
                for value in facet_values[name]:
                    counts[value] = counts.get(value, 0) + 1
        facets[name] = list(counts.items())
    return Browse([row for row, facet_values in described if passes(facet_values, None)],
                  facets)
