"""Complete citations: authors, title, commissioner, year, number, printed pages; four formats."""

from __future__ import annotations

import json
import re

import pytest

from index.records import Report
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


def hostile_reference(searcher) -> Reference:
    """The reference of a real chunk under the hostile report."""
    return Reference.of(searcher.library.chunk("exemple-2017-r6"), hostile_report())


def test_every_field_is_put_on_one_line_without_control_characters(searcher) -> None:
    ref = hostile_reference(searcher)
    for text in (citation_text(ref), citation_markdown(ref, url="https://kb.exemple.fr/p")):
        assert "\n" not in text and "\r" not in text and "\u202e" not in text
    assert one_line("a\tb\x1b[31m\u2028c\u00ad") == "a b [31m c"


def test_markdown_citation_italicises_the_title_and_escapes_markup(searcher) -> None:
    text = citation_markdown(hostile_reference(searcher), url="https://kb.exemple.fr/p")
    assert r"*Titre \{avec\} 100 % & \_souligné\_ \# Faux titre*" in text
    assert text.endswith(" <https://kb.exemple.fr/p>")


def test_bibtex_escapes_specials_and_keeps_organisations_whole(searcher) -> None:
    entry = bibtex(hostile_reference(searcher), url="https://kb.exemple.fr/p")
    assert entry.startswith("@techreport{exemple-2017-r6,\n")
    assert r"title = {{Titre \{avec\} 100 \% \& \_souligné\_ \# Faux titre}}" in entry
    assert "author = {Marie Curie and {Agence nationale (ANCT)}}" in entry
    assert "pages = {8--9}" in entry and "year = {2020}" in entry
    assert entry.count("{") - entry.count(r"\{") == entry.count("}") - entry.count(r"\}")


def test_ris_is_one_record_per_excerpt_and_no_field_can_start_a_tag(searcher) -> None:
    record = ris(hostile_reference(searcher), url="https://kb.exemple.fr/p")
    lines = record.split("\r\n")
    assert lines[0] == "TY  - RPRT" and lines[-2] == "ER  - " and lines[-1] == ""
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])
    assert "PB  - Ministère TY - JOUR" in lines
    assert [line for line in lines if line.startswith("TY")] == ["TY  - RPRT"]
    assert {"SP  - 8", "EP  - 9", "DA  - 2020/05/04", "AU  - Marie Curie"} <= set(lines)
