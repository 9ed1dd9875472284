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
from ingest.clean import (
    BLANK,
    BODY,
    COVER,
    TOC,
    CleanPage,
    assign_printed_labels,
    clean_document,
    mark_covers,
    page_role,
    parse_footnotes,
)
from ingest.parse import ParsedReport, parse_report
from ingest.pdf import Document, Line, Page

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


# Fixtures are built per test, not per module: mutmut (docs/mutation.md) links a rule to the tests
# that run it, and a module fixture runs it during the first test only.
@pytest.fixture
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


@pytest.fixture
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


# Rules on extracted lines (text, size, height), as ingest.pdf gives them: body text at 10 pt.
TEXT_SIZE = 10.0
WORDS = ["Les", "communes", "du", "territoire", "partagent", "leurs", "données", "de",
         "mobilité", "et", "d'énergie", "avec", "les", "habitants"]


def line(text: str, y: float, size: float = TEXT_SIZE) -> Line:
    return Line(text=text, size=size, bold=False, y=y, x=60.0)


def body_lines(seed: int, count: int = 6, top: float = 700.0) -> list[Line]:
    """`count` lines of running text that differ from page to page."""
    return [line(" ".join(WORDS[(seed + i) % len(WORDS):] + WORDS[:(seed + i) % len(WORDS)]),
                 top - 14 * i) for i in range(count)]


def texts(page: CleanPage) -> list[str]:
    return [kept.text for kept in page.lines]


def test_page_numbers_continue_in_arabic_and_roman_across_unnumbered_pages() -> None:
    following = {"12": "13", "i": "ii", "iii": "iv", "iv": "v", "viii": "ix", "ix": "x",
                 "xxxix": "xl", "xlix": "l", "lxxxix": "xc", "xcix": "c", "cccxcix": "cd",
                 "cdxcix": "d", "dcccxcix": "cm", "cmxcix": "m", "XIV": "XV", "MCMXCIX": "MM"}
    for printed, expected in following.items():
        pages = [CleanPage(index=5, label="", lines=[], printed_label=printed),
                 CleanPage(index=6, label="", lines=[])]
        assign_printed_labels(pages)
        assert [page.label for page in pages] == [printed, expected], printed


def test_pages_before_any_number_keep_their_physical_number_and_pdf_labels_stay() -> None:
    pages = [CleanPage(index=1, label="", lines=[]), CleanPage(index=2, label="A-3", lines=[]),
             CleanPage(index=3, label="", lines=[]), CleanPage(index=4, label="", lines=[],
                                                              printed_label="7")]
    assign_printed_labels(pages)
    assert [page.label for page in pages] == ["1", "A-3", "3", "7"]


def test_cleaned_lines_keep_the_boldness_that_tells_headings() -> None:
    heading = Line(text="Les données ouvertes", size=TEXT_SIZE, bold=True, y=720.0, x=60.0)
    [clean] = clean_document(Document(pages=[Page(index=1, label="", lines=[
        heading, *body_lines(0)])]))
    assert [kept.bold for kept in clean.lines] == [True] + [False] * 6


def test_a_document_without_text_is_blank_pages() -> None:
    pages = clean_document(Document(pages=[Page(index=1, label="", lines=[])]))
    assert [(page.role, page.label) for page in pages] == [(BLANK, "1")]


def test_a_note_is_the_small_numbered_block_under_the_text() -> None:
    page = Page(index=1, label="iv", lines=[
        line("Le texte courant de la page.", 700), line("1 Une note de bas de page.", 60, 7)])
    [clean] = clean_document(Document(pages=[page]))
    assert texts(clean) == ["Le texte courant de la page."]
    assert clean.footnotes == [(1, "Une note de bas de page.")] and clean.label == "iv"


def test_a_page_of_notes_only_keeps_them_all() -> None:
    notes = Page(index=2, label="", lines=[line("1 Première note.", 100, 7),
                                           line("2 Seconde note.", 88, 7)])
    pages = clean_document(Document(pages=[Page(index=1, label="", lines=body_lines(0)), notes]))
    assert pages[1].footnotes == [(1, "Première note."), (2, "Seconde note.")]
    assert pages[1].lines == []


def test_a_line_set_at_nine_tenths_of_the_body_size_is_text_not_a_note() -> None:
    small = line("3 exemples en petit corps.", 60, 9)
    page = Page(index=1, label="", lines=[*body_lines(0), small])
    [clean] = clean_document(Document(pages=[page]))
    assert clean.footnotes == [] and texts(clean)[-1] == "3 exemples en petit corps."


def test_the_body_size_is_the_size_that_carries_most_characters() -> None:
    # Body text at 12 pt: a numbered 10 pt line at the bottom is a note.
    lines = [Line(text=kept.text, size=12.0, bold=False, y=kept.y, x=kept.x)
             for kept in body_lines(0)]
    [clean] = clean_document(Document(pages=[Page(index=1, label="", lines=[
        *lines, line("1 Une note.", 60, 10.0)])]))
    assert clean.footnotes == [(1, "Une note.")]


def test_continuation_lines_join_their_note_across_a_hyphen_or_a_space() -> None:
    notes = parse_footnotes([line("12 Rapport d'activité de la ré-", 70, 7),
                             line("gie, 2017.", 62, 7), line("13 Voir", 54, 7),
                             line("l'annexe 2.", 46, 7)])
    assert notes == [(12, "Rapport d'activité de la régie, 2017."), (13, "Voir l'annexe 2.")]


def report(pages: int, jitter: tuple[float, ...] = (0.2, 1.4, -0.1, 0.8)) -> Document:
    """`pages` pages of text under a small header that names the current part and above a
    footer line and the page number, all at a height that moves by up to a point and a half."""
    return Document(pages=[
        Page(index=n, label="", lines=[
            line(f"Partie {n} : {WORDS[n % len(WORDS)]}", 800 + jitter[n % len(jitter)], 8),
            *body_lines(n),
            line(f"Rapport d'essai sur les territoires — édition {n}",
                 40 + jitter[n % len(jitter)]),
            line(f"{n + 11}", 28 + jitter[n % len(jitter)], 8),
        ]) for n in range(1, pages + 1)])


def test_running_headers_and_footers_go_and_give_the_printed_page_number() -> None:
    pages = clean_document(report(4))
    for n, page in enumerate(pages, start=1):
        assert texts(page) == [kept.text for kept in body_lines(n)], n
        assert page.label == str(n + 11)
        assert page.removed == [f"Partie {n} : {WORDS[n % len(WORDS)]}",
                                f"Rapport d'essai sur les territoires — édition {n}", f"{n + 11}"]


def test_a_line_recurring_at_the_edge_of_three_pages_is_a_running_line() -> None:
    pages = clean_document(report(3))
    assert all(not any("Rapport d'essai" in text for text in texts(page)) for page in pages)


def test_a_running_line_recurs_on_a_quarter_of_the_pages_with_text() -> None:
    # 16 pages: a top line on 4 of them is a running header, one on 3 of them is text.
    document = Document(pages=[
        Page(index=n, label="", lines=[
            *([line("Focus territoire", 780)] if n <= 4 else []),
            *([line("Zoom commune", 780)] if 5 <= n <= 7 else []),
            *body_lines(n)]) for n in range(1, 17)])
    pages = clean_document(document)
    assert all("Focus territoire" not in texts(page) for page in pages)
    assert ["Zoom commune" in texts(page) for page in pages[4:7]] == [True] * 3


def test_the_first_line_of_text_at_the_same_height_on_every_page_stays() -> None:
    pages = clean_document(Document(pages=[Page(index=n, label="", lines=body_lines(n))
                                           for n in range(1, 6)]))
    assert all(texts(page) == [kept.text for kept in body_lines(n)]
               for n, page in enumerate(pages, start=1))


def test_a_number_alone_inside_the_text_stays() -> None:
    lines = [*body_lines(0, 3), line("1200", 650), *body_lines(3, 3, top=636)]
    [clean] = clean_document(Document(pages=[Page(index=1, label="", lines=lines)]))
    assert "1200" in texts(clean)


def toc_line(n: int) -> Line:
    return line(f"Chapitre {n} : les données ouvertes ........ {10 * n}", 700 - 14 * n)


def test_a_contents_title_in_the_first_three_lines_makes_a_table_of_contents() -> None:
    for position in range(3):
        lines = body_lines(0, 5)
        lines.insert(position, line("Sommaire", 710))
        assert page_role(lines) == TOC, position
    lines = body_lines(0, 5)
    lines.insert(3, line("Table des matières", 710))
    assert page_role(lines) == BODY
    assert page_role([line("Sommaire", 700)]) == TOC


def test_a_page_of_dotted_leader_entries_is_a_table_of_contents() -> None:
    # Three entries among seven lines reach max(3, half); among eight they do not.
    assert page_role([toc_line(n) for n in range(3)] + body_lines(0, 4)) == TOC
    assert page_role([toc_line(n) for n in range(3)] + body_lines(0, 5)) == BODY
    assert page_role([toc_line(n) for n in range(2)] + body_lines(0, 2)) == BODY
    # Lines ending in numbers without leaders are a table of figures, not contents.
    assert page_role([line(f"Commune {n} : {100 * n} habitants {n}", 700 - 14 * n)
                      for n in range(1, 6)]) == BODY
    [clean] = clean_document(Document(pages=[Page(index=1, label="", lines=[
        toc_line(n) for n in range(1, 5)])]))
    assert clean.role == TOC


def words_page(index: int, words: int, role: str = BODY) -> CleanPage:
    text = " ".join((WORDS * 5)[:words])
    return CleanPage(index=index, label="", lines=[line(text, 700)] if words else [], role=role)


def test_a_leading_page_under_fifteen_running_words_is_a_cover() -> None:
    pages = [words_page(1, 0, BLANK), words_page(2, 14), words_page(3, 40)]
    mark_covers(pages, TEXT_SIZE)
    assert [page.role for page in pages] == [BLANK, COVER, BODY]
    pages = [words_page(1, 15), words_page(2, 40)]
    mark_covers(pages, TEXT_SIZE)
    assert [page.role for page in pages] == [BODY, BODY]
