"""Small real PDFs for the ingestion tests, written with reportlab and pypdf.

Good reports have a running header, a printed page number in the footer, headings set larger
than the body and justified paragraphs; the bad ones are each broken in one realistic way.
"""

from __future__ import annotations

import os
from pathlib import Path

import pypdf
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

HEADER = "Rapport d'essai — Territoires connectés"
BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=8)
HEADING = ParagraphStyle(
    "heading", fontName="Helvetica-Bold", fontSize=15, leading=19, spaceBefore=6, spaceAfter=10
)
TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=22, leading=27, spaceAfter=6)

THEMES = [
    "la gouvernance des données publiques",
    "la mobilité partagée dans les zones rurales",
    "l'éclairage public piloté à distance",
    "la sobriété énergétique des bâtiments communaux",
    "l'inclusion numérique des habitants",
]


def _decorate(header: str):
    """A page callback that prints the running header and the page number."""

    def draw(pdf: canvas.Canvas, doc: SimpleDocTemplate) -> None:
        pdf.saveState()
        pdf.setFont("Helvetica", 8)
        pdf.drawString(72, A4[1] - 40, header)
        pdf.drawCentredString(A4[0] / 2, 30, str(doc.page))
        pdf.restoreState()

    return draw


def paragraph_about(theme: str, index: int) -> str:
    """A French paragraph of ordinary report prose about one theme."""
    return (
        f"Le chantier {index} porte sur {theme}. Les collectivités qui s'y engagent constatent "
        "que la réussite dépend moins de la technologie que de la coopération entre les services, "
        "les habitants et les entreprises du territoire. Une démarche progressive, évaluée chaque "
        f"année, permet d'ajuster les choix et de partager les résultats obtenus sur {theme}."
    )


def write_report(
    path: Path,
    sections: int = 3,
    paragraphs: int = 4,
    recommendations: int = 3,
    title: str = "Rapport d'essai",
    header: str = HEADER,
) -> Path:
    """A text report: numbered sections of prose, each closing with « Recommandation n° N : »."""
    story = [Paragraph(title, HEADING), PageBreak()]
    number = 0
    for s in range(1, sections + 1):
        theme = THEMES[(s - 1) % len(THEMES)]
        story.append(Paragraph(f"{s}. Le chantier de {theme}", HEADING))
        story += [Paragraph(paragraph_about(theme, s * 10 + p), BODY) for p in range(paragraphs)]
        for _ in range(recommendations):
            number += 1
            story.append(
                Paragraph(
                    f"Recommandation n° {number} : confier à chaque intercommunalité le suivi de "
                    f"{theme} et publier un bilan annuel ouvert.",
                    BODY,
                )
            )
        story.append(PageBreak())
    doc = SimpleDocTemplate(str(path), pagesize=A4, title=title, author="Territoires KB (tests)")
    doc.build(story, onFirstPage=_decorate(header), onLaterPages=_decorate(header))
    return path


def write_long_report(path: Path, pages: int = 500) -> Path:
    """A report of `pages` pages of prose, written page by page to keep memory flat."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in range(1, pages + 1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(72, A4[1] - 40, HEADER)
        pdf.drawCentredString(A4[0] / 2, 30, str(page))
        pdf.setFont("Helvetica", 10)
        text = pdf.beginText(72, A4[1] - 80)
        theme = THEMES[page % len(THEMES)]
        for line in range(45):
            text.textLine(f"Ligne {line} de la page {page} : observations sur {theme}.")
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return path


def write_encrypted(path: Path, source: Path, user_password: str) -> Path:
    """A copy of `source` encrypted (RC4-128); an empty user password opens without asking."""
    reader = pypdf.PdfReader(source)
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.encrypt(user_password=user_password, owner_password="proprietaire", algorithm="RC4-128")
    with path.open("wb") as out:
        writer.write(out)
    return path


def write_truncated(path: Path, source: Path, keep: float = 0.4) -> Path:
    """The first `keep` fraction of the bytes of `source`, as an interrupted download leaves it."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def write_random_bytes(path: Path, size: int = 20_000) -> Path:
    """Random bytes under a .pdf name."""
    path.write_bytes(os.urandom(size))
    return path


def write_zero_pages(path: Path) -> Path:
    """A well-formed PDF with no page at all."""
    with path.open("wb") as out:
        pypdf.PdfWriter().write(out)
    return path


def write_image_only(path: Path, pages: int = 2) -> Path:
    """A scan-like PDF: pages of drawn shapes and no text layer."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in range(pages):
        for row in range(30):
            pdf.rect(72, A4[1] - 100 - row * 20, 300 + (row * 37 + page) % 150, 8, fill=1)
        pdf.showPage()
    pdf.save()
    return path


def write_plain_report(
    path: Path,
    heading: str,
    opening: str,
    pages: int = 5,
    year_line: str = "",
    metadata_title: str | None = None,
    labels: tuple[str, ...] = ("Mesure",),
) -> Path:
    """A report as ordinary word processors lay it out: no cover — page 1 holds a two-line title
    and then running text (`opening`, with `year_line` after it, carrying a raised footnote call
    glued to a year) —, then prose pages each closing with one recommendation per label form."""
    story = [Paragraph(heading, TITLE), Paragraph("Rapport de travail", HEADING),
             Paragraph(opening, BODY)]
    if year_line:
        story.append(Paragraph(year_line, BODY))
    story.append(PageBreak())
    for page in range(2, pages + 1):
        theme = THEMES[page % len(THEMES)]
        story.append(Paragraph(f"{page - 1}. Le chantier de {theme}", HEADING))
        story += [Paragraph(paragraph_about(theme, page * 10 + p), BODY) for p in range(3)]
        for label in labels:
            story.append(Paragraph(f"{label} {page - 1} : confier le suivi de {theme} aux "
                                   "intercommunalités volontaires.", BODY))
        story.append(PageBreak())
    doc = SimpleDocTemplate(str(path), pagesize=A4, title=metadata_title or "",
                            author="Territoires KB (tests)")
    doc.build(story, onFirstPage=_decorate(HEADER), onLaterPages=_decorate(HEADER))
    return path
