"""Assemble the flowables of a whole report from its parsed source."""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Spacer
from reportlab.platypus import Paragraph as RLParagraph

from . import flowables as fl
from . import source as src
from . import styles
from .columns import balanced
from .document import COLUMN_WIDTH, TEXT_HEIGHT, TEXT_WIDTH, NewPage, PartBreak
from .editions import Edition
from .sommaire import Sommaire

BANNER = ("CORPUS D'EXEMPLE — texte fictif écrit pour Territoires KB, "
          "ce n'est pas le rapport officiel")


def note_numbers(source: src.Source) -> dict[str, int]:
    """Printed footnote numbers: 1, 2, 3… in order of first call through the report."""
    numbers: dict[str, int] = {}
    for text in src.texts_of(source):
        for key in src.NOTE_CALL.findall(text):
            numbers.setdefault(key, len(numbers) + 1)
    return numbers


def cover(fields: dict[str, str]) -> list[Flowable]:
    """The cover page: title, subtitle, addressee, authors, date and the sample banner."""
    def line(key: str, style: object) -> list[Flowable]:
        return [RLParagraph(escape(fields[key]), style)] if fields.get(key) else []

    return [
        Spacer(1, 60),
        *line("titre", styles.COVER_TITLE),
        *line("sous-titre", styles.COVER_TEXT),
        RLParagraph(BANNER, styles.COVER_BANNER),
        *line("destinataire", styles.COVER_TEXT),
        *line("auteurs", styles.COVER_TEXT),
        RLParagraph(escape(", ".join(v for v in (fields.get("lieu"), fields.get("date")) if v)),
                    styles.COVER_TEXT),
    ]


class StoryBuilder:
    """Walks the source blocks and emits flowables, managing page breaks and templates."""

    def __init__(self, source: src.Source, edition: Edition,
                 page_label: Callable[[int], str], gap: float) -> None:
        self.source = source
        self.body = styles.body_style(gap)
        self.recommendation = styles.recommendation_style(edition.label_on_own_line, gap)
        self.edition = edition
        self.page_label = page_label  # printed number of a physical page, for the Sommaire
        self.numbers = note_numbers(source)
        self.story: list[Flowable] = cover(source.cover)
        self.fresh_page = False  # True right after a page break: no need for another one
        self.template = "body"
        self.columns_start = 0  # index in the story of the first flowable of the column block

    def build(self) -> list[Flowable]:
        """All flowables of the report, cover first."""
        self.new_page(zone="front", template="body")
        for block in self.source.blocks:
            self.add(block)
        return self.story

    def new_page(self, zone: str | None = None, part: src.Heading | None = None,
                 template: str | None = None) -> None:
        """Break the page (once), announcing the zone/part/template of the next one."""
        if self.fresh_page and isinstance(self.story[-1], NewPage):
            last = self.story.pop()
            zone = zone or last.zone
            part = part or last.part
            template = template or last.nextTemplate
        self.story.append(NewPage(zone=zone, part=part, nextTemplate=template))
        self.fresh_page = True

    def emit(self, *items: Flowable) -> None:
        """Append content flowables."""
        self.story.extend(items)
        self.fresh_page = False

    def add(self, block: src.Block) -> None:
        """Emit the flowables of one source block."""
        n = self.numbers
        if isinstance(block, src.Marker):
            self.marker(block.name)
        elif isinstance(block, src.Heading):
            if block.level == 1 and self.template == "body":
                self.open_part(block)
            self.emit(fl.heading(block, n))
        elif isinstance(block, src.Paragraph):
            self.emit(fl.body_paragraph(block, n, self.body))
        elif isinstance(block, src.Bullets):
            self.emit(*fl.bullets(block, n))
        elif isinstance(block, src.Epigraph):
            self.emit(fl.epigraph(block, n))
        elif isinstance(block, src.Numbered):
            self.emit(fl.numbered(block, self.edition, n, self.recommendation))
        elif isinstance(block, src.Table):
            width = COLUMN_WIDTH if self.template == "columns" else TEXT_WIDTH
            self.emit(fl.table(block, width, n))

    def open_part(self, part: src.Heading) -> None:
        """Start a part on a new page, or only if the page is nearly full (edition's habit)."""
        if self.fresh_page or self.edition.parts_open_pages:
            self.new_page(part=part)
        else:
            self.emit(PartBreak(part))

    def marker(self, name: str) -> None:
        """Handle a directive: zones, page breaks, Sommaire, two-column block."""
        if name in src.ZONES:
            self.new_page(zone=name)
        elif name == "pagebreak":
            self.new_page()
        elif name == "sommaire":
            title = src.Heading(1, "Sommaire")
            self.new_page(part=title)
            sommaire = fl.heading(title, self.numbers)
            sommaire.in_toc = False
            self.emit(sommaire, Sommaire(self.page_label))
            self.new_page()
        elif name == "columns":
            self.template = "columns"
            self.new_page(template="columns")
            self.columns_start = len(self.story)
        elif name == "endcolumns":
            self.template = "body"
            self.story[self.columns_start:] = balanced(self.story[self.columns_start:],
                                                       COLUMN_WIDTH, TEXT_HEIGHT)
            self.new_page(template="body")
