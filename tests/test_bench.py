"""The bench entry points run on a tiny input and print every table they promise."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from index.settings import ROOT


def test_synthetic_vectors_are_unit_and_stay_near_their_seeds() -> None:
    from bench.synthetic import synthetic_vectors

    rng = np.random.default_rng(0)
    seeds = rng.standard_normal((20, 64)).astype(np.float32)
    seeds /= np.linalg.norm(seeds, axis=1, keepdims=True)
    vectors = synthetic_vectors(seeds, 500, seed=1)
    assert vectors.shape == (500, 64) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Every synthetic vector is closer to some seed than random unit vectors are (~0.13 here).
    assert float(np.median((vectors @ seeds.T).max(axis=1))) > 0.4
    assert np.array_equal(vectors, synthetic_vectors(seeds, 500, seed=1))


def test_synthetic_documents_drop_and_swap_some_stems() -> None:
    from bench.synthetic import synthetic_documents

    stems = [[f"mot{i}" for i in range(100)], [f"autre{i}" for i in range(100)]]
    documents = synthetic_documents(stems, 50, seed=3)
    assert len(documents) == 50
    vocabulary = {stem for doc in stems for stem in doc}
    assert all(set(doc) <= vocabulary and 60 <= len(doc) < 100 for doc in documents)


def test_exact_search_has_full_recall_and_ivf_is_measured(tmp_path: Path) -> None:
    from bench.scale import measure_vectors
    from bench.synthetic import Seeds, synthetic_vectors

    rng = np.random.default_rng(5)
    seed_vectors = rng.standard_normal((50, 32)).astype(np.float32)
    seed_vectors /= np.linalg.norm(seed_vectors, axis=1, keepdims=True)
    seeds = Seeds(seed_vectors, [["a"]] * 50)
    queries = synthetic_vectors(seed_vectors, 20, seed=9)
    flat, ivf = measure_vectors(seeds, queries, 3000, ["flat", "ivf-flat"], 1, tmp_path)
    assert [s.recall for s in flat.settings] == [1.0]
    assert flat.disk_mib > 3000 * 32 * 4 / 2**20 * 0.99
    assert ivf.params == "nlist=64" and [s.value for s in ivf.settings] == [8, 16, 32, 64]
    assert 0 < ivf.settings[0].recall <= ivf.settings[-1].recall == 1.0
    assert not list(tmp_path.iterdir())  # the scratch files are removed


def test_quick_bench_prints_its_query_and_scale_tables(small_index: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--index", str(small_index),
         "--only", "query,scale"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for title in ("## Recherche en processus", "## Taille de l'index sur disque",
                  "## Échelle, vecteurs — 2 000 extraits", "## Échelle, BM25",
                  "## Choix automatique de l'index"):
        assert title in done.stdout, f"table absente : {title}\n{done.stdout}"
    assert re.search(r"2 000 +flat \(metric=inner_product\) +flat \(exact\) +oui", done.stdout)


def test_peer_tables_set_our_index_beside_plain_bm25s(small_searcher, capsys) -> None:
    from bench.peers import bm25s_peer, bm25s_quality, our_peer, print_peer_speed, print_quality

    peers = [our_peer(small_searcher, 1), bm25s_peer(small_searcher, 1)]
    assert "essai-2021-r12" in peers[1].rank("audit de cybersécurité des capteurs")[:3]
    print_peer_speed(peers, 1, ["cybersécurité des capteurs", "éclairage public"])
    quality = bm25s_quality(small_searcher)
    print_quality({"systems": {}, "overall": {}}, "", quality)
    out = capsys.readouterr().out
    assert "## Pairs" in out and "territoires-kb" in out and "bm25s (seul)" in out
    assert "## Qualité" in out and "bm25s-seul" in out


def test_too_few_runs_is_a_french_usage_error() -> None:
    done = subprocess.run([sys.executable, "-m", "bench", "--runs", "2"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--runs doit valoir au moins 5" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_index_is_a_french_message_not_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bench", "--only", "query",
                           "--index", str(tmp_path / "absent")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "Aucun index dans" in done.stderr and "Traceback" not in done.stderr
