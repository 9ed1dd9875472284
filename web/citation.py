"""Copy-ready citations: « Titre du rapport, 2021, p. 34 »."""

from __future__ import annotations


def page_span(first: str, last: str = "") -> str:
    """« p. 34 », or « pp. 34-35 » when the excerpt runs over several printed pages."""
    if last and last != first:
        return f"pp. {first}-{last}"
    return f"p. {first}"


def citation(title: str, year: int, first_page: str, last_page: str = "") -> str:
    """The citation of an excerpt: report title, year, printed page(s)."""
    return f"{title}, {year}, {page_span(first_page, last_page)}"
