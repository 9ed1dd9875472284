"""Title and year of a PDF that no manifest describes, each with where it came from.

Rules, in order (the first that gives a value wins; `Report.provenance` records which):
- Title: the PDF's Title field, unless it is empty or a tool's placeholder (« untitled »,
  « (anonymous) », « Microsoft Word - x.docx », the file name); else the largest heading of the
  first pages (a block set larger than the body text, at most `_TITLE_MAX_CHARS` long); else the
  file name.
- Year: a date in the first pages' text — a month and a year (« octobre 2021 », also with a
  note call glued to it, « octobre 20213 ») first, else a year alone (« 2017 »); else a year in
  the file name; else the year of the PDF's creation date, which only tells when the file was
  written: a guess, shown as such.
Values given by the user (`--title`…, a sidecar) or by a manifest are never replaced.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from index.records import Report
from index.text import single_line
from ingest.parse import ParsedReport

FIRST_PAGES = 3
_TITLE_MAX_CHARS = 200
_MONTHS = ("janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
           "novembre|décembre|decembre")
_YEAR = r"(19[89]\d|20\d\d)"
_MONTH_YEAR = re.compile(rf"\b(?:{_MONTHS})\s+{_YEAR}(?:\d{{1,2}})?\b", re.IGNORECASE)
_YEAR_ALONE = re.compile(rf"(?<![\d,.]){_YEAR}(?![\d,])")
_PLACEHOLDER_TITLE = re.compile(
    r"^(untitled|sans titre|\(?anonymous\)?|document\d*|microsoft (word|powerpoint) ?-.*"
    r"|.*\.(docx?|odt|pdf))$",
    re.IGNORECASE,
)
# The fields whose origin /rapports shows.
DESCRIBED = ("title", "year", "authors", "commissioner")


def usable_title(title: str, path: Path) -> bool:
    """Whether a PDF's Title field names the report rather than a file or a placeholder."""
    title = title.strip()
    return (len(title) >= 4 and _PLACEHOLDER_TITLE.match(title) is None
            and title.casefold() != path.stem.casefold())


def largest_heading(parsed: ParsedReport, pages: int = FIRST_PAGES) -> str:
    """The text of the block set in the largest font on the first pages, if larger than body."""
    doc = parsed.doc
    candidates = [block for block in doc.blocks if block.page <= pages
                  and block.size > doc.body_size
                  and 3 <= len(doc.block_text(block).strip()) <= _TITLE_MAX_CHARS]
    if not candidates:
        return ""
    best = max(candidates, key=lambda block: block.size)  # the first of the largest
    return " ".join(doc.block_text(best).split())


def year_in_text(text: str) -> int | None:
    """The year of the first date in `text`: a month and a year first, else a year alone."""
    match = _MONTH_YEAR.search(text) or _YEAR_ALONE.search(text)
    return int(match.group(1)) if match else None


def first_pages_text(parsed: ParsedReport, pages: int = FIRST_PAGES) -> str:
    """The cleaned text of the first pages."""
    return "\n\n".join(page.text for page in parsed.doc.pages[:pages])


def describe(parsed: ParsedReport, path: Path, given: dict[str, str]) -> Report:
    """The parsed report with title and year filled in from the PDF where nobody gave them.

    `given` maps the fields already set (by a manifest or the user) to their provenance.
    """
    report = parsed.report
    values: dict = {}
    provenance = dict(given)
    if "title" not in given:
        if usable_title(parsed.title, path):
            values["title"], provenance["title"] = parsed.title.strip(), "pdf-metadata"
        elif heading := largest_heading(parsed):
            values["title"], provenance["title"] = heading, "heading"
        else:
            values["title"], provenance["title"] = single_line(path.stem), "file-name"
    if "year" not in given:
        for year, origin in ((year_in_text(first_pages_text(parsed)), "text"),
                             (year_in_text(path.stem), "file-name"),
                             (parsed.creation_year, "pdf-date")):
            if year:
                values["year"], provenance["year"] = year, origin
                break
    return replace(report, **values, provenance=provenance)
