"""What differs between the three editions of the sample: recommendation style, headers, labels."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    """Typographic conventions of one edition of the report series."""

    year: int
    label_format: str  # how a recommendation label is printed, `{n}` is its number
    label_separator: str  # printed after the label, before the text (« – », « : », or nothing)
    label_on_own_line: bool  # 2017: a bold line, the text below in a grey box
    running_header: str | None  # None: the header is the title of the current part
    pdf_page_labels: bool  # write /PageLabels (else readers must read the printed footer)
    parts_open_pages: bool  # every part starts a new page (else only if this one is nearly full)

    def label(self, number: int) -> str:
        """The label of recommendation `number`, without its separator (« Proposition n° 3 »)."""
        return self.label_format.format(n=number)

    def printed_label(self, number: int) -> str:
        """The label as printed before the text, separator included (« Proposition 3 – »)."""
        return f"{self.label(number)} {self.label_separator}".strip()


EDITIONS = {
    2017: Edition(
        year=2017,
        label_format="Proposition n° {n}",
        label_separator="",
        label_on_own_line=True,
        running_header="De la smart city au territoire d'intelligence(s) — corpus d'exemple",
        pdf_page_labels=True,
        parts_open_pages=True,
    ),
    2018: Edition(
        year=2018,
        label_format="Proposition {n}",
        label_separator="–",
        label_on_own_line=False,
        running_header=None,
        pdf_page_labels=False,
        parts_open_pages=False,
    ),
    2021: Edition(
        year=2021,
        label_format="Recommandation n° {n}",
        label_separator=":",
        label_on_own_line=False,
        running_header="Territoires connectés — corpus d'exemple",
        pdf_page_labels=True,
        parts_open_pages=False,
    ),
}
