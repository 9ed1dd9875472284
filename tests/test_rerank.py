"""The optional cross-encoder reranker: a tiny CrossEncoder built and saved locally (random
weights: the plumbing is under test, not the quality), loaded by sentence-transformers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from index.settings import ROOT
from search import Searcher
from search.rerank import RerankerError, load_reranker, optional_reranker

WORDS = ("données", "ouvertes", "collectivités", "mobilité", "énergie", "éclairage", "public",
         "cybersécurité", "capteurs", "communes", "rurales", "mutualisation", "ingénierie",
         "financement", "projets", "élus")


@pytest.fixture(scope="module")
def cross_encoder_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-layer BERT cross-encoder with random weights, saved like a hub model."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    directory = tmp_path_factory.mktemp("cross-encoder")
    vocab = directory / "vocab.txt"
    letters = sorted(set("".join(WORDS)) | set("abcdefghijklmnopqrstuvwxyz'"))
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS,
                                *letters, *(f"##{c}" for c in letters)]) + "\n",
                     encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab), do_lower_case=True)
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=16, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=32, num_labels=1)
    torch.manual_seed(0)
    BertForSequenceClassification(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def test_reranked_order_follows_the_cross_encoder_scores(small_searcher: Searcher,
                                                         cross_encoder_dir: Path) -> None:
    reranker = load_reranker(str(cross_encoder_dir), depth=4)
    question = "données des communes rurales"
    plain = small_searcher.search(question, k=6)
    reranked = small_searcher.with_reranker(reranker).search(question, k=6)
    head = [result.chunk for result in reranked.results[:4]]
    judged = reranker.scores(question, [chunk.text for chunk in head])
    assert list(judged) == sorted(judged, reverse=True)
    assert [result.score for result in reranked.results[:4]] == pytest.approx(list(judged))
    # The same candidates as the fusion's first four, in the model's order; the rest below.
    assert {c.id for c in head} == {r.chunk.id for r in plain.results[:4]}
    assert [r.chunk.id for r in reranked.results[4:]] == [r.chunk.id for r in plain.results[4:]]


def test_exact_references_stay_first_when_reranked(small_searcher: Searcher,
                                                   cross_encoder_dir: Path) -> None:
    reranked = small_searcher.with_reranker(load_reranker(str(cross_encoder_dir), depth=5))
    assert reranked.search("recommandation 12 de 2021", k=3).results[0].chunk.id == (
        "essai-2021-r12")


def test_a_model_that_cannot_load_is_a_clear_message_and_search_still_answers(
        small_index: Path, tmp_path: Path) -> None:
    missing = tmp_path / "pas-de-modele"
    with pytest.raises(RerankerError, match="n'a pas pu être chargé.*KB_RERANKER"):
        load_reranker(str(missing), depth=5)
    assert optional_reranker("", 30) == (None, None)
    reranker, warning = optional_reranker(str(missing), 30)
    assert reranker is None and "continue sans reclassement" in warning
    done = subprocess.run(
        [sys.executable, "-m", "search", "données", "--index", str(small_index), "--json",
         "--reranker", str(missing)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "reclassement" in done.stderr and "Traceback" not in done.stderr
    assert json.loads(done.stdout)["results"]


def test_eval_measures_a_reranker(sample_index: Path, cross_encoder_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.eval", "--index", str(sample_index), "--json",
         "--systems", "hybrid", "--split", "heldout", "--reranker", str(cross_encoder_dir),
         "--rerank-depth", "10"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data["systems"]) == {"hybrid", "rerank"}
    assert data["splits"]["heldout"]["systems"]["rerank"]["fr"]["n"] > 0
