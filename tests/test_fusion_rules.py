"""Rules of the fusion (search/fusion.py): reference boosts, duplicate folding, which twin stays."""

from __future__ import annotations

import pytest

from index.records import PASSAGE, RECOMMENDATION, Chunk
from search.fusion import (
    EXACT_REFERENCE_BOOST,
    FusionSettings,
    boost_references,
    collapse_duplicates,
    convex_fusion,
    is_duplicate,
    keeps_over,
    overlap,
)


def chunk(name: str, kind: str = PASSAGE, part: str = "corps", report: str = "r") -> Chunk:
    return Chunk(id=name, report_id=report, kind=kind, text=name, page=1, page_end=1,
                 page_label="1", page_label_end="1", part=part)


def stems_of(*sets: set[str]):
    """A row → stems lookup over the given stem sets, row i holding sets[i]."""
    table = [frozenset(words) for words in sets]
    return table.__getitem__


def test_exact_references_come_first_in_their_fused_order() -> None:
    # Rows 3 and 4 are recommendation 12 of two reports; row 9, a passage, scores best.
    boosted = boost_references({3: 0.2, 4: 0.7, 9: 1.0}, [3, 4], set(), 1.0)
    assert sorted(boosted, key=boosted.get, reverse=True) == [4, 3, 9]


def test_an_exact_reference_no_list_found_still_comes_first_but_after_found_ones() -> None:
    boosted = boost_references({4: 0.5, 9: 1.0}, [4, 8], set(), 1.0)
    assert sorted(boosted, key=boosted.get, reverse=True) == [4, 8, 9]
    assert boosted[8] == EXACT_REFERENCE_BOOST


def test_recommendations_are_multiplied_by_the_favour() -> None:
    assert boost_references({1: 0.4, 2: 0.5}, [], {1}, 2.0) == {1: 0.8, 2: 0.5}


def test_a_weight_per_candidate_list_is_required() -> None:
    with pytest.raises(ValueError):
        convex_fusion([{1: 1.0}, {1: 0.5}, {2: 0.3}], [0.5, 0.5])


def test_a_recommendation_boost_below_one_is_refused_in_french() -> None:
    with pytest.raises(ValueError, match="recommendation_boost doit valoir au moins 1, pas 0.5"):
        FusionSettings(lexical_weight=0.5, lexical_weight_en=0.3, sentence_weight=0.5,
                       recommendation_boost=0.5)


def test_chunks_without_stems_share_nothing() -> None:
    assert overlap(frozenset(), frozenset({"don"})) == 0.0
    assert not is_duplicate(4, 5, chunk("a"), chunk("b"), stems_of(*[set()] * 6))


def test_adjacent_windows_sharing_half_their_stems_are_one() -> None:
    stems = stems_of(*[set()] * 4, {"a", "b", "c", "d"}, {"a", "b", "x", "y"}, {"a", "b", "x", "y"})
    assert is_duplicate(4, 5, chunk("p4"), chunk("p5"), stems)
    # Two rows apart, the same share is no window overlap (and below the repeat threshold).
    assert not is_duplicate(4, 6, chunk("p4"), chunk("p6"), stems)


def test_a_repeat_shares_four_fifths_of_the_shorter_chunk_at_half_its_size_or_more() -> None:
    five = {"a", "b", "c", "d", "e"}
    ten = five | {"f", "g", "h", "i", "j"}
    synthesis, body = chunk("s", part="synthese"), chunk("b")
    # Rows far apart: a synthesis sentence repeated in the body.
    assert is_duplicate(0, 5, synthesis, body, stems_of({"a", "b", "c", "d", "z"}, *[set()] * 4,
                                                        five))
    assert is_duplicate(0, 5, synthesis, body, stems_of(five, *[set()] * 4, ten))
    # Under half the size, the short one is a summary of the long one, not a repeat.
    assert not is_duplicate(0, 5, synthesis, body,
                            stems_of({"a", "b", "c", "d"}, *[set()] * 4, ten | {"k"}))
    assert not is_duplicate(0, 5, synthesis, body,
                            stems_of({"a", "b", "c", "y", "z"}, *[set()] * 4, five))


def test_between_twins_the_recommendation_then_the_body_text_stays() -> None:
    recommendation = chunk("r", kind=RECOMMENDATION, part="synthese")
    assert keeps_over(recommendation, chunk("p"))
    assert not keeps_over(chunk("p"), recommendation)
    assert keeps_over(chunk("b"), chunk("s", part="synthese"))
    assert not keeps_over(chunk("s", part="synthese"), chunk("b"))
    # Equal rank: the better-ranked twin stays.
    assert not keeps_over(chunk("b1"), chunk("b2"))


def test_a_part_the_priority_list_does_not_know_comes_last() -> None:
    assert keeps_over(chunk("s", part="synthese"), chunk("x", part="autre"))
    assert not keeps_over(chunk("x", part="autre"), chunk("s", part="synthese"))
    assert not keeps_over(chunk("x", part="autre"), chunk("y", part="autre"))


def test_collapsing_keeps_at_most_the_limit() -> None:
    chunks = [chunk(f"p{i}") for i in range(6)]
    stems = stems_of(*[{f"w{i}"} for i in range(6)])
    assert collapse_duplicates(range(6), chunks.__getitem__, stems, 2) == [0, 1]
