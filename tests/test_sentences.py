"""Sentence splitting: French boundaries, and time that grows linearly with the text."""

from __future__ import annotations

import time

from index.sentences import split_sentences
from ingest.reflow import Vocabulary, join_lines

# The most a 10 × longer input may take, in multiples of the baseline's time.
LINEAR = 20


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def _best_of_three(action) -> float:
    """The shortest of three timings of `action`: the least disturbed by a busy machine."""
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def dense_text(sentences: int) -> str:
    """One paragraph of short sentences, about 11 characters each."""
    return " ".join(f"Lot {i}." for i in range(sentences))


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = ("M. Dupont cite l'art. 12 et la p. 4 du rapport de L. Belot. Puis il conclut. "
            "Le projet… Il avance ! Vraiment ? Oui.")
    assert _sentences(text) == [
        "M. Dupont cite l'art. 12 et la p. 4 du rapport de L. Belot.", "Puis il conclut.",
        "Le projet…", "Il avance !", "Vraiment ?", "Oui.",
    ]


def test_a_run_of_dots_is_one_boundary_and_is_read_once() -> None:
    text = "Suspens" + "." * 50 + " Fin du texte" + "." * 50 + " Suite."
    assert _sentences(text) == ["Suspens" + "." * 50, "Fin du texte" + "." * 50, "Suite."]
    small, large = "a" + "." * 2_000 + "b", "a" + "." * 20_000 + "b"
    baseline = _best_of_three(lambda: split_sentences(small))
    # Each dot used to start a match that read the rest of the run: 100 × for 10 × the dots.
    assert _best_of_three(lambda: split_sentences(large)) <= LINEAR * baseline


def test_splitting_time_grows_linearly_with_the_text() -> None:
    small, large = dense_text(10_000), dense_text(100_000)
    assert len(split_sentences(large)) == 100_000
    baseline = _best_of_three(lambda: split_sentences(small))
    # 10 × the text: about 10 × the time (20 × leaves room for a busy machine); a quadratic
    # split took 100 ×.
    assert _best_of_three(lambda: split_sentences(large)) <= LINEAR * baseline


def test_joining_the_lines_of_a_huge_paragraph_is_linear() -> None:
    vocabulary = Vocabulary([])
    small = [f"ligne {i} de la délibération du conseil, votée à l'unani-" for i in range(2_000)]
    large = small * 10
    assert join_lines(small[:2], vocabulary).count("unani") == 2
    baseline = _best_of_three(lambda: join_lines(small, vocabulary))
    assert _best_of_three(lambda: join_lines(large, vocabulary)) <= LINEAR * baseline
