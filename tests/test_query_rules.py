"""Rules of query understanding (search/query.py), each pinned on a question that breaks it."""

from __future__ import annotations

from index.records import RECOMMENDATION, Report
from search.query import ENGLISH, FRENCH, detect_language, parse_query

REPORTS = [
    Report(id="essai-2017", title="Territoires d'intelligence : rapport d'essai", year=2017,
           aliases=("Belot", "Luc Belot")),
    Report(id="essai-2021", title="Territoires connectés : étude d'essai — Rapport au Premier "
           "ministre", year=2021, aliases=("DGE",)),
]


def test_each_function_word_counts_once_and_a_tie_is_french() -> None:
    # « the », « of » against « des »: two English words beat one French word…
    assert detect_language("the map of des communes") == ENGLISH
    # …and one against one is a tie, which goes to French.
    assert detect_language("the carte des communes") == FRENCH


def test_a_diacritic_or_an_elision_weighs_two_french_words() -> None:
    assert detect_language("the rôle of") == FRENCH
    assert detect_language("what is the café") == ENGLISH
    assert detect_language("the cost of l'Etat") == FRENCH
    assert detect_language("what is the budget of l'Etat") == ENGLISH
    # Both signals add up, on top of the French function words.
    assert detect_language("what is the role of the « ville » for l'Etat et les régions") == FRENCH


def test_every_alias_of_a_report_names_it() -> None:
    assert parse_query("Belot et les données", REPORTS).reports == ["essai-2017"]
    assert parse_query("ce que dit Luc Belot", REPORTS).reports == ["essai-2017"]


def test_words_naming_a_report_are_not_search_words() -> None:
    assert parse_query("Luc Belot données", REPORTS).stems == ["don"]
    assert parse_query("rapport de 2021 sur les capteurs", REPORTS).stems == ["capteur"]


def test_a_report_year_the_index_lacks_stays_a_search_word() -> None:
    parsed = parse_query("les capteurs du rapport 2030", REPORTS)
    assert parsed.reports == [] and parsed.stems == ["capteur", "2030"]


def test_english_function_words_leave_no_trace_in_the_stems() -> None:
    assert parse_query("what was paid by mobile phone in Dakar", []).stems == [
        "paid", "mobil", "phon", "dakar"]


def test_an_alias_and_a_bare_year_next_to_a_number_each_name_a_report() -> None:
    assert parse_query("proposition 12 Belot 2021", REPORTS).reports == [
        "essai-2017", "essai-2021"]


def test_a_title_subtitle_does_not_name_the_report() -> None:
    assert parse_query("rapport au Premier ministre sur l'éclairage", REPORTS).reports == []


def test_the_last_title_words_alone_do_not_name_the_report() -> None:
    # Runs are whole: the title's two last stems, or its last one, are no run of three.
    for text in ["essai", "une étude d'essai", "la nouvelle étude d'essai"]:
        assert parse_query(text, REPORTS).reports == [], text
    assert parse_query("capteurs connectés étude d'essai", REPORTS).reports == ["essai-2021"]


def test_a_numbered_reference_sets_number_and_kind() -> None:
    parsed = parse_query("proposition n°5", REPORTS)
    assert (parsed.text, parsed.number, parsed.kind) == ("proposition n°5", 5, RECOMMENDATION)
    plain = parse_query("les données", REPORTS)
    assert (plain.number, plain.kind) == (None, None)


def test_detected_references_are_shown_back_under_their_names() -> None:
    assert parse_query("recommandation 12 DGE", REPORTS).detected() == {
        "reports": ["essai-2021"], "number": 12, "kind": RECOMMENDATION, "lang": FRENCH,
        "seeks_recommendations": True, "expansions": [],
    }
