"""Find the headings of a report, the section path of every block and its zone.

Decisions:
- A heading is a block on a body or table-of-contents page set at least 0.75 pt larger than
  the running text, short (≤ 250 characters), that is not a recommendation label. Its level is
  the rank of its font size among the heading sizes of the document (largest = 1): numbering
  is not reliable for levels, since a synthesis often repeats « 1. … » as second-level titles.
  The title keeps its printed number (« 2.3 Données »).
- A section runs from its heading to the last block before the next heading of the same or a
  higher level; its path is the titles of the enclosing headings, outermost first.
- Zones (`Chunk.part`): everything before the first level-1 heading of the body, every page with
  a roman page label, and level-1 headings such as « Avant-propos », « Remerciements », « Note de
  l'auteur », « Préface », « Lettre de mission » are « front »; a level-1 « Synthèse » / « Résumé »
  / « Liste des propositions » opens « synthese »; « Annexe … » opens « annexe » (lists of people
  interviewed live there) and lasts to the end; any other level-1 heading opens « corps ».
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.clean import BODY, TOC
from ingest.reflow import DocumentText

_HEADING_DELTA = 0.75
_HEADING_MAX_CHARS = 250
_ROMAN_LABEL = re.compile(r"^[ivxlcdm]+$", re.IGNORECASE)
_SYNTHESIS = re.compile(
    r"^(synth[èe]se|r[ée]sum[ée]|liste des (propositions|recommandations)|"
    r"(les |principales )?(propositions|recommandations) du rapport)",
    re.IGNORECASE,
)
_ANNEX = re.compile(r"^annexes?\b", re.IGNORECASE)
_FRONT = re.compile(
    r"^(avant-propos|pr[ée]face|remerciements|note (de l'auteur|liminaire)|lettre de mission|"
    r"sommaire|table des mati[èe]res|comit[ée] de pilotage)",
    re.IGNORECASE,
)


@dataclass
class Section:
    """One heading and the pages its section covers."""

    title: str
    level: int
    part: str
    page_start: int
    page_end: int
    label_start: str
    label_end: str
    path: tuple[str, ...]


@dataclass
class Structure:
    """Headings, sections, and the section path and zone of every block."""

    headings: dict[int, int] = field(default_factory=dict)  # block index → level
    sections: list[Section] = field(default_factory=list)
    paths: list[tuple[str, ...]] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)


def _heading_candidates(doc: DocumentText, is_recommendation: Callable[[str], bool]) -> list[int]:
    """Indexes of the blocks that look like headings."""
    found = []
    for i, block in enumerate(doc.blocks):
        text = doc.block_text(block)
        if (
            block.role in (BODY, TOC)
            and block.size >= doc.body_size + _HEADING_DELTA
            and len(text) <= _HEADING_MAX_CHARS
            and not is_recommendation(text)
        ):
            found.append(i)
    return found


def _levels(doc: DocumentText, candidates: list[int]) -> dict[int, int]:
    """The level of each heading: the rank of its size among heading sizes."""
    sizes = sorted({round(doc.blocks[i].size * 2) / 2 for i in candidates}, reverse=True)
    return {i: sizes.index(round(doc.blocks[i].size * 2) / 2) + 1 for i in candidates}


def part_after_heading(title: str, label: str, current: str) -> str:
    """The zone a level-1 heading opens, given its page label and the zone before it."""
    if _ROMAN_LABEL.match(label) or _FRONT.match(title):
        return "front"
    if _SYNTHESIS.match(title):
        return "synthese"
    if _ANNEX.match(title):
        return "annexe"
    # Annexes close a report: what follows them (glossary, index) is annex matter too.
    return "annexe" if current == "annexe" else "corps"


def analyse_structure(doc: DocumentText, is_recommendation: Callable[[str], bool]) -> Structure:
    """Headings, sections (with page ranges), section path and zone of every block."""
    levels = _levels(doc, _heading_candidates(doc, is_recommendation))
    structure = Structure(headings=levels)
    labels = {page.index: page.label for page in doc.pages}
    open_sections: list[Section] = []
    part = "front"
    for i, block in enumerate(doc.blocks):
        if i in levels:
            title = " ".join(doc.block_text(block).split())
            level = levels[i]
            while open_sections and open_sections[-1].level >= level:
                open_sections.pop()
            if level == 1:
                part = part_after_heading(title, labels[block.page], part)
            path = tuple(s.title for s in open_sections) + (title,)
            section = Section(title, level, part, block.page, block.page_end,
                              labels[block.page], labels[block.page_end], path)
            structure.sections.append(section)
            open_sections.append(section)
        for section in open_sections:
            section.page_end = max(section.page_end, block.page_end)
            section.label_end = labels[section.page_end]
        structure.paths.append(open_sections[-1].path if open_sections else ())
        structure.parts.append(part)
    return structure
