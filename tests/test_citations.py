"""Complete citations: authors, title, commissioner, year, number, printed pages; four formats."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from index.records import RECOMMENDATION, Chunk, Report
from index.settings import SAMPLE_DIR
from web.citation import (
    Reference,
    bibtex,
    citation_markdown,
    citation_text,
    one_line,
    pdf_page_note,
    ris,
)

TRUTH = json.loads((SAMPLE_DIR / "ground_truth.json").read_text(encoding="utf-8"))["reports"]


def truth_recommendation(report_id: str, across_pages: bool) -> dict:
    """A recommendation of the sample's ground truth, on one printed page or across two."""
    return next(
        rec for rec in TRUTH[report_id]["recommendations"]
        if (rec["page_label"] != rec["page_label_end"]) == across_pages
    )


@pytest.mark.parametrize("report_id", ["exemple-2017", "exemple-2018", "exemple-2021"])
def test_a_recommendation_across_a_page_break_is_cited_pp_first_to_last(
    client, report_id: str
) -> None:
    rec = truth_recommendation(report_id, across_pages=True)
    body = client.get(f"/api/recommendations/{report_id}-r{rec['number']}").json()
    citation = body["recommendation"]["citation"]
    assert f"pp. {rec['page_label']}–{rec['page_label_end']}." in citation, citation


def test_a_citation_names_authors_title_commissioner_year_number_and_printed_page(
    client, searcher
) -> None:
    rec = truth_recommendation("exemple-2021", across_pages=False)
    report = searcher.library.report("exemple-2021")
    citation = client.get(f"/api/recommendations/exemple-2021-r{rec['number']}").json()[
        "recommendation"]["citation"]
    assert citation == (
        f"{report.authors[0]}, {report.title}, commanditaire : {report.commissioner}, 2021, "
        f"recommandation n° {rec['number']}, p. {rec['page_label']}."
    )


def test_a_roman_numbered_front_page_is_cited_by_its_printed_numeral(searcher) -> None:
    chunk = next(c for c in searcher.loaded.reader.chunks("exemple-2017")
                 if c.page_label in TRUTH["exemple-2017"]["page_labels"][1:4])
    ref = Reference.of(chunk, searcher.library.report("exemple-2017"))
    assert citation_text(ref).endswith(f", p. {chunk.page_label}.")
    assert re.fullmatch(r"[ivx]+", chunk.page_label)


def test_the_pdf_page_is_only_given_inside_the_sentence_that_explains_it(searcher) -> None:
    chunk = searcher.library.chunk("exemple-2017-r6")
    ref = Reference.of(chunk, searcher.library.report("exemple-2017"))
    assert str(chunk.page) not in citation_text(ref)
    note = pdf_page_note(ref)
    assert note.startswith(f"pp. {chunk.page_label}–{chunk.page_label_end} sont les numéros")
    assert f"pages {chunk.page} à {chunk.page_end}" in note
    english = pdf_page_note(ref, "en")
    assert "printed" in english and f"pages {chunk.page} to {chunk.page_end}" in english


def hostile_report() -> Report:
    """A manifest entry whose fields carry markup, braces and control characters."""
    return Report(
        id="essai",
        title="Titre {avec} 100 % & _souligné_\n# Faux titre",
        year=2020,
        authors=("Marie Curie", "Agence \u202enationale\u202c (ANCT)"),
        commissioner="Ministère\r\nTY  - JOUR",
        date="2020-05-04",
    )


# A recommendation printed on pages 8–9, the PDF's pages 10–11 (cover and front matter first).
RECOMMENDATION_6 = Chunk(
    id="exemple-2017-r6", report_id="essai", kind=RECOMMENDATION,
    text="Ouvrir les données de mobilité.", page=10, page_end=11, page_label="8",
    page_label_end="9", number=6, label="Proposition n° 6",
)


def hostile_reference() -> Reference:
    """The reference of a recommendation under the hostile report."""
    return Reference.of(RECOMMENDATION_6, hostile_report())


def test_every_field_is_put_on_one_line_without_control_characters() -> None:
    ref = hostile_reference()
    for text in (citation_text(ref), citation_markdown(ref, url="https://kb.exemple.fr/p")):
        assert "\n" not in text and "\r" not in text and "\u202e" not in text
    assert one_line("a\tb\x1b[31m\u2028c\u00ad") == "a b [31m c"


def test_markdown_citation_italicises_the_title_and_escapes_markup() -> None:
    text = citation_markdown(hostile_reference(), url="https://kb.exemple.fr/p")
    assert r"*Titre \{avec\} 100 % & \_souligné\_ \# Faux titre*" in text
    assert text.endswith(" <https://kb.exemple.fr/p>")


def test_bibtex_escapes_specials_and_keeps_organisations_whole() -> None:
    entry = bibtex(hostile_reference(), url="https://kb.exemple.fr/p")
    assert entry.startswith("@techreport{exemple-2017-r6,\n")
    assert r"title = {{Titre \{avec\} 100 \% \& \_souligné\_ \# Faux titre}}" in entry
    assert "author = {Marie Curie and {Agence nationale (ANCT)}}" in entry
    assert "pages = {8--9}" in entry and "year = {2020}" in entry
    assert entry.count("{") - entry.count(r"\{") == entry.count("}") - entry.count(r"\}")


def test_ris_is_one_record_per_excerpt_and_no_field_can_start_a_tag() -> None:
    record = ris(hostile_reference(), url="https://kb.exemple.fr/p")
    lines = record.split("\r\n")
    assert lines[0] == "TY  - RPRT" and lines[-2] == "ER  - " and lines[-1] == ""
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])
    assert "PB  - Ministère TY - JOUR" in lines
    assert [line for line in lines if line.startswith("TY")] == ["TY  - RPRT"]
    assert {"SP  - 8", "EP  - 9", "DA  - 2020/05/04", "AU  - Marie Curie"} <= set(lines)


def plain_report(*authors: str) -> Report:
    return Report(id="essai", title="Territoires connectés", year=2020, authors=authors,
                  commissioner="Ministère de la Cohésion", date="2020-05-04")


def plain_reference(*authors: str, page_end: int = 11, label_end: str = "9") -> Reference:
    """Recommendation 6 of a plain report, printed on pages 8–`label_end`."""
    chunk = replace(RECOMMENDATION_6, page_end=page_end, page_label_end=label_end)
    return Reference.of(chunk, plain_report(*authors))


def test_authors_are_joined_with_commas_and_a_final_and() -> None:
    cited = {
        (): "Territoires connectés, commanditaire",
        ("Anne Martin",): "Anne Martin, Territoires connectés, commanditaire",
        ("Anne Martin", "Paul Durand"): "Anne Martin et Paul Durand, Territoires",
        ("Anne Martin", "Paul Durand", "Léa Roux"): "Anne Martin, Paul Durand et Léa Roux, Terr",
    }
    for authors, start in cited.items():
        assert citation_text(plain_reference(*authors)).startswith(start), authors
    assert citation_text(plain_reference("A", "B"), "en").startswith("A and B, ")


def test_a_citation_spells_every_part_in_order() -> None:
    assert citation_text(plain_reference("Anne Martin")) == (
        "Anne Martin, Territoires connectés, commanditaire : Ministère de la Cohésion, 2020, "
        "proposition n° 6, pp. 8–9.")
    assert citation_text(plain_reference("Anne Martin", page_end=10, label_end="8"), "en") == (
        "Anne Martin, Territoires connectés, commissioned by Ministère de la Cohésion, 2020, "
        "proposition n° 6, p. 8.")


def test_the_pdf_page_note_names_the_printed_and_the_file_pages() -> None:
    assert pdf_page_note(plain_reference()) == (
        "pp. 8–9 sont les numéros imprimés sur les pages, ceux à citer ; le fichier PDF, qui "
        "compte aussi la couverture et les pages liminaires, les place en pages 10 à 11.")
    single = plain_reference(page_end=10, label_end="8")
    assert pdf_page_note(single) == (
        "p. 8 est le numéro imprimé sur la page, celui à citer ; le fichier PDF, qui compte "
        "aussi la couverture et les pages liminaires, la place en page 10.")
    assert pdf_page_note(single, "en").startswith("p. 8 is the")
    assert pdf_page_note(plain_reference(), "en").startswith("pp. 8–9 are the")


def test_an_excerpt_without_an_end_page_ends_on_its_first() -> None:
    ref = plain_reference(page_end=0, label_end="")
    assert (ref.last_page, ref.pdf_page_end, ref.spans_pages) == ("8", 10, False)


def test_a_citation_key_keeps_only_letters_digits_and_the_separators_bibtex_allows() -> None:
    chunk = replace(RECOMMENDATION_6, id="Essai_2017:R-6 (bis)/é")
    ref = Reference.of(chunk, plain_report())
    assert (ref.key, ref.report_id) == ("Essai_2017:R-6bis", "essai")


def test_bibtex_entry_of_a_plain_reference() -> None:
    assert bibtex(plain_reference("Anne Martin", page_end=10, label_end="8")) == (
        "@techreport{exemple-2017-r6,\n"
        "  author = {Anne Martin},\n"
        "  title = {{Territoires connectés}},\n"
        "  institution = {Ministère de la Cohésion},\n"
        "  type = {Rapport},\n"
        "  year = {2020},\n"
        "  pages = {8},\n"
        "  note = {Proposition n° 6; p. 8 est le numéro imprimé sur la page, celui à citer ; le "
        "fichier PDF, qui compte aussi la couverture et les pages liminaires, la place en page "
        "10.}\n"
        "}\n")
    english = bibtex(plain_reference("Anne Martin"), "en", url="https://kb.exemple.fr/p")
    assert "  type = {Report},\n" in english
    assert "  note = {Proposition n° 6; pp. 8–9 are " in english
    assert english.endswith("  url = {https://kb.exemple.fr/p}\n}\n")


def test_markdown_escapes_every_part_and_links_only_when_given_a_url() -> None:
    ref = Reference.of(RECOMMENDATION_6, replace(plain_report("Anne_Martin"),
                                                 commissioner="Ministère *de* la [Cohésion]"))
    assert citation_markdown(ref) == (
        r"Anne\_Martin, *Territoires connectés*, commanditaire : Ministère \*de\* la "
        r"\[Cohésion\], 2020, proposition n° 6, pp. 8–9.")
    assert citation_markdown(ref, "en", url="https://kb.exemple.fr/p").endswith(
        r"commissioned by Ministère \*de\* la \[Cohésion\], 2020, proposition n° 6, pp. 8–9. "
        "<https://kb.exemple.fr/p>")


def test_ris_record_of_a_plain_reference() -> None:
    assert ris(plain_reference("Anne Martin"), "en").split("\r\n") == [
        "TY  - RPRT", "AU  - Anne Martin", "TI  - Territoires connectés",
        "PB  - Ministère de la Cohésion", "PY  - 2020", "DA  - 2020/05/04", "SP  - 8", "EP  - 9",
        "N1  - Proposition n° 6",
        "N1  - pp. 8–9 are the numbers printed on the pages, the ones to cite; the PDF file, which "
        "also counts the cover and front matter, has them as pages 10 to 11.",
        "ID  - exemple-2017-r6", "ER  - ", ""]
