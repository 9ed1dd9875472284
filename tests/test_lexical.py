"""French analyzer properties and BM25 ranking over real stems."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from index.french import analyze, terms
from index.lexical import LexicalIndex


def test_inflections_and_missing_accents_meet_on_one_stem() -> None:
    assert analyze("données") == analyze("donnée") == analyze("Donnees") == analyze("DONNÉES")


def test_elisions_with_both_apostrophes_are_removed() -> None:
    for text in ["l'intelligence", "l’intelligence", "d'intelligence", "qu’intelligence",
                 "jusqu'intelligence", "lorsqu’intelligence", "puisqu'intelligence"]:
        assert analyze(text) == analyze("intelligence"), text


def test_stop_words_disappear_and_digits_stay() -> None:
    assert analyze("le la les de des et ou pour dans cette") == []
    assert analyze("en 2021, 53 recommandations") == ["2021", "53", *analyze("recommandations")]


def test_numbered_reference_keeps_its_number_whole() -> None:
    for text in ["n° 12", "N°12", "nº 12"]:
        assert analyze(text) == ["n12", "12"], text


def test_terms_keep_the_surface_form_and_its_span() -> None:
    text = "Ouvrir les Données publiques"
    found = terms(text)
    assert [t.surface for t in found] == ["Ouvrir", "Données", "publiques"]
    assert all(text[t.start:t.end] == t.surface for t in found)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_analyzer_is_idempotent_and_never_fails(text: str) -> None:
    stems = analyze(text)
    assert analyze(" ".join(stems)) == stems


def test_bm25_ranks_the_document_with_the_query_words_first(tmp_path) -> None:
    documents = [
        "Le vélo en ville et les pistes cyclables.",
        "Les données ouvertes des collectivités : open data et données personnelles.",
        "L'éclairage public consomme de l'électricité.",
    ]
    index = LexicalIndex.build([analyze(doc) for doc in documents])
    index.save(tmp_path / "lex")
    reloaded = LexicalIndex.load(tmp_path / "lex", len(documents))
    scores = reloaded.scores(analyze("donnée ouverte"))
    assert scores.shape == (3,)
    assert scores.argmax() == 1 and scores[0] == scores[2] == 0


def test_unknown_or_empty_query_scores_zero() -> None:
    index = LexicalIndex.build([analyze("Les données ouvertes."), []])
    assert not index.scores(analyze("zythum")).any()
    assert not index.scores([]).any()
