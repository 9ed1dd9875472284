"""Cleaning of real-looking report pages: footnote calls, page roles, headers, quotes, hyphens.

Each PDF here is written with reportlab the way real reports come out of pypdf (calls at the
size of the text, curly quotes read as ―‖, a running header, page 1 holding a title then
paragraphs) and read back by the real extraction.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from index.records import Report
from ingest.parse import ParsedReport, parse_report

BODY_SIZE, NOTE_SIZE, PITCH = 10, 7.5, 12.5
# A TrueType font, as in real reports: it carries « ― », « ‖ », « € », « œ ».
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
for _name, _file in (("Sans", "DejaVuSans.ttf"), ("Sans-Bold", "DejaVuSans-Bold.ttf")):
    pdfmetrics.registerFont(TTFont(_name, str(FONT_DIR / _file)))
FILLER = (
    "La mutualisation des plateformes de données entre communes voisines réduit les coûts de "
    "maintenance et facilite le partage des jeux de données ouverts avec les habitants."
)


def _report(path: Path) -> Report:
    return Report(id=path.stem, title=path.stem, year=0, file=path.name)


def write_page(pdf: canvas.Canvas, lines: list[str], notes: list[str], header: str = "",
               title: list[str] | None = None) -> None:
    """One A4 page: an optional header, a title set large, body lines, notes at the bottom."""
    y = A4[1] - 60
    if header:
        pdf.setFont("Sans", 8)
        pdf.drawString(60, A4[1] - 40, header)
    for line in title or []:
        pdf.setFont("Sans-Bold", 18)
        pdf.drawString(60, y, line)
        y -= 24
    pdf.setFont("Sans", BODY_SIZE)
    for line in lines:
        y -= PITCH
        pdf.drawString(60, y, line)
    y = 60 + len(notes) * 10
    pdf.setFont("Sans", NOTE_SIZE)
    for note in notes:
        pdf.drawString(60, y, note)
        y -= 10
    pdf.showPage()


def read(path: Path) -> ParsedReport:
    return parse_report(path, _report(path))


@pytest.fixture(scope="module")
def notes_pdf(tmp_path_factory: pytest.TempPathFactory) -> ParsedReport:
    """A page whose calls are printed at the size of the text, as pypdf reads many real PDFs."""
    path = tmp_path_factory.mktemp("notes") / "notes.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    write_page(pdf, [
        "La régie, créée en 20133, dessert 2 500 foyers et 15 millions d'usagers chaque année.",
        "Le marché mondial atteindrait 400 Md$32 selon une note de synthèse remise en 2013.",
        "La délibération n° 12 du conseil, votée en 2012 puis confirmée en 2013, le prévoit.",
        "Elle s'applique depuis 201712 à toutes les communes de la métropole.",
        *[FILLER[:90]] * 6,
    ], ["3 Délibération du conseil communautaire, mars 2013.",
        "12 Rapport d'activité de la régie, 2017.",
        "13 Voir l'annexe 2.",
        "32 Note de synthèse fictive, 2016."])
    pdf.save()
    return read(path)


def test_calls_glued_to_years_and_units_leave_the_text(notes_pdf) -> None:
    text = notes_pdf.doc.text
    assert "créée en 2013," in text
    assert "400 Md$ selon" in text
    assert "depuis 2017 à" in text
    assert [n for n, _ in notes_pdf.doc.pages[0].footnotes] == [3, 12, 13, 32]


def test_true_numbers_next_to_note_numbers_stay_whole(notes_pdf) -> None:
    text = notes_pdf.doc.text
    for number in ("2 500 foyers", "15 millions", "n° 12 du", "en 2012 puis", "en 2013, le",
                   "remise en 2013."):
        assert number in text


def test_a_raised_smaller_call_is_dropped_by_its_glyph(tmp_path: Path) -> None:
    path = tmp_path / "exposant.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    text = pdf.beginText(60, 700)
    text.setFont("Sans", BODY_SIZE)
    text.textOut("Le schéma directeur adopté en 2016")
    text.setFont("Sans", 6)
    text.setRise(4)
    text.textOut("7")
    text.setRise(0)
    text.setFont("Sans", BODY_SIZE)
    text.textLine(" couvre toutes les communes.")
    pdf.drawText(text)
    write_page(pdf, [FILLER[:90]] * 3, [])
    pdf.save()
    assert "adopté en 2016 couvre" in read(path).doc.text


THEMES = ["de la mobilité", "de l'éclairage", "des déchets", "de l'eau", "du haut débit"]
STAFF = ["dix", "douze", "quinze", "vingt", "trente"]
PARAGRAPH = [
    "La communauté de communes a ouvert en 2019 un entrepôt de données partagé avec ses",
    "vingt-deux communes membres : les relevés des compteurs d'eau, la fréquentation des",
    "déchetteries et les horaires des services y sont publiés chaque semaine, sous une",
    "licence ouverte, à destination des habitants comme des entreprises du territoire.",
]


@pytest.fixture(scope="module")
def report_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ParsedReport]:
    """Two six-page reports with a running header: one opening on a cover, one on its text."""
    folder = tmp_path_factory.mktemp("pages")
    header = "Étude territoire intelligent et donnée publique - Octobre 2021"
    written = {}
    for name, first in (("sans-couverture", None), ("avec-couverture", "cover")):
        path = folder / f"{name}.pdf"
        pdf = canvas.Canvas(str(path), pagesize=A4)
        if first == "cover":
            pdf.setFont("Sans-Bold", 22)
            pdf.drawString(60, 600, "Territoires connectés")
            pdf.setFont("Sans", 14)
            pdf.drawString(60, 570, "Rapport au ministre, octobre 2021")
            pdf.showPage()
            write_page(pdf, PARAGRAPH * 3, [], header)
        else:
            write_page(pdf, PARAGRAPH * 3, [], header,
                       title=["Des territoires connectés", "au service des habitants"])
        # Pages differ at their edges: lines repeated page after page are running headers.
        for theme, staff in zip(THEMES, STAFF, strict=True):
            write_page(pdf, [f"Le chapitre traite {theme} et de ses effets.", *PARAGRAPH,
                             f"L'unité chargée {theme} se com-", f"pose de {staff} agents.",
                             f"Le ―modèle‖ retenu pour {theme} est une régie."], [], header)
        pdf.save()
        written[name] = read(path)
    return written


def test_a_first_page_holding_a_title_then_paragraphs_is_kept(report_pages) -> None:
    parsed = report_pages["sans-couverture"]
    assert parsed.doc.pages[0].role == "body"
    assert parsed.skipped == []
    assert "un entrepôt de données partagé" in parsed.doc.pages[0].text


def test_a_cover_is_left_out_and_listed_with_its_reason(report_pages) -> None:
    parsed = report_pages["avec-couverture"]
    assert parsed.doc.pages[0].role == "cover"
    assert parsed.skipped == [(1, "couverture, 7 mots")]


def test_running_header_curly_quotes_and_hyphens_on_report_like_pages(report_pages) -> None:
    text = report_pages["sans-couverture"].doc.text
    assert "Octobre 2021" not in text
    for theme, staff in zip(THEMES, STAFF, strict=True):
        assert f"L'unité chargée {theme} se compose de {staff} agents." in text
        assert f"Le « modèle » retenu pour {theme} est une régie." in text
    assert "vingt-deux communes" in text
