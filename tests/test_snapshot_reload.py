"""One build per request, and a new build that fails to load never replaces the served one.

A re-ingest that removes a report used to make `/comparer` answer 422 « Rapport inconnu »: the
comparison walked the old build's reports while each search read the new build. Here the swap
happens deterministically in the middle of a request: the real encoder, wrapped, makes the
searcher reload (onto a real new build written by `write_build`) at its first query encoding.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_api import rebuild_without

from index.store import BUILDS_DIR, CURRENT, MANIFEST_NAME, write_build
from search import Searcher
from search.searcher import LoadedIndex
from web.app import create_app
from web.reload import ReloadThrottle

QUESTION = "cybersécurité des capteurs urbains"
REMOVED = "essai-2021"


class ReloadingEncoder:
    """The real encoder, except that its first query encoding first runs `reload`: as if a
    re-ingest finished between two searches of one request."""

    def __init__(self, encoder) -> None:
        self.encoder = encoder
        self.reload = None

    def __getattr__(self, name: str):
        return getattr(self.encoder, name)

    def encode_query(self, text: str):
        reload, self.reload = self.reload, None
        if reload is not None:
            reload()
        return self.encoder.encode_query(text)


@pytest.fixture
def index_dir(tmp_path: Path, small_searcher: Searcher) -> Path:
    """A real index of the small records, each build keeping the same vectors."""
    reader = small_searcher.loaded.reader
    chunks = reader.chunks()
    write_build(tmp_path / "index", reader.manifest["encoder"], reader.reports(), chunks,
                reader.chunk_vectors([chunk.id for chunk in chunks]))
    return tmp_path / "index"


def swapping_searcher(index_dir: Path) -> Searcher:
    """A Searcher on the live build whose first query encoding reloads it; the build it will
    reload onto (without REMOVED) is already written."""
    opened = Searcher.open(index_dir)
    encoder = ReloadingEncoder(opened.loaded.encoder)
    searcher = Searcher(index_dir, LoadedIndex(opened.loaded.reader, encoder), None,
                        opened.fusion)
    encoder.reload = searcher.library.reload_if_changed
    rebuild_without(index_dir, REMOVED)
    return searcher


def test_compare_reads_the_build_it_started_on_when_a_reingest_removes_a_report(
        index_dir: Path) -> None:
    searcher = swapping_searcher(index_dir)
    responses = searcher.compare(QUESTION)
    assert set(responses) == {"essai-2017", REMOVED}
    assert all(r.report.id == rid for rid, response in responses.items()
               for r in response.results)
    assert responses[REMOVED].results
    assert searcher.library.info()["counts"]["reports"] == 1  # the swap did happen mid-comparison


@pytest.mark.parametrize("path", ["/api/compare", "/comparer"])
def test_comparison_routes_answer_from_one_build_during_a_reingest(index_dir: Path,
                                                                    path: str) -> None:
    app = create_app(index_dir)
    app.state.searcher = swapping_searcher(index_dir)
    with TestClient(app) as client:
        response = client.get(path, params={"q": QUESTION})
    assert response.status_code == 200, response.text
    assert app.state.searcher.library.info()["counts"]["reports"] == 1
    if path == "/api/compare":
        columns = response.json()["columns"]
        assert [column["report"]["id"] for column in columns] == ["essai-2017", REMOVED]
        assert all(column["results"] for column in columns)
    else:
        assert 'id="col-essai-2017"' in response.text and f'id="col-{REMOVED}"' in response.text


# ---------------------------------------------------------------- a build that fails to load


def publish_broken(index_dir: Path, name: str, change) -> Path:
    """A copy of the live build with `change` applied to its manifest, made live."""
    broken = index_dir / BUILDS_DIR / name
    shutil.copytree((index_dir / CURRENT).resolve(), broken)
    manifest = json.loads((broken / MANIFEST_NAME).read_text())
    change(manifest)
    (broken / MANIFEST_NAME).write_text(json.dumps(manifest))
    (index_dir / CURRENT).unlink()
    (index_dir / CURRENT).symlink_to(Path(BUILDS_DIR) / name)
    return broken


def bad_nprobe(manifest: dict) -> None:
    manifest["faiss"]["nprobe"] = "beaucoup"


def unknown_encoder(manifest: dict) -> None:
    manifest["encoder"]["name"] = "modele-inconnu"


def no_counts(manifest: dict) -> None:
    del manifest["counts"]


@pytest.mark.parametrize("change", [bad_nprobe, unknown_encoder, no_counts])
def test_a_build_that_fails_to_load_is_not_served_and_health_says_so(index_dir: Path,
                                                                     change) -> None:
    app = create_app(index_dir)
    now = [0.0]
    app.state.reload_throttle = ReloadThrottle(app.state.searcher, clock=lambda: now[0])
    with TestClient(app, raise_server_exceptions=False) as client:
        before = client.get("/api/search", params={"q": QUESTION}).json()
        old_build = client.get("/api/health").json()["build_id"]
        broken = publish_broken(index_dir, "99990101T000000000000Z", change)
        pages = []
        for second in range(1, 5):
            now[0] = float(second)
            pages += [client.get(path, params={"q": QUESTION})
                      for path in ("/api/search", "/recherche", "/comparer", "/api/health")]
        health = client.get("/api/health").json()
    assert [page.status_code for page in pages] == [200] * len(pages)
    assert pages[0].json() == before
    assert health["status"] == "degraded" and health["build_id"] == old_build
    assert health["reload_error"]["build_id"] == broken.name
    assert "python -m ingest" in health["reload_error"]["message"]


def test_a_failing_build_is_logged_once_retried_later_and_a_newer_one_loads(
        index_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    searcher = Searcher.open(index_dir)
    now = [0.0]
    throttle = ReloadThrottle(searcher, interval=1.0, clock=lambda: now[0])
    publish_broken(index_dir, "99990101T000000000000Z", bad_nprobe)
    attempts = []
    with caplog.at_level(logging.WARNING, logger="web.reload"):
        for second in range(1, 11):
            now[0] = float(second)
            before = searcher.library.reload_failure
            assert throttle.maybe_reload() is False
            if searcher.library.reload_failure is not before:
                attempts.append(second)
    assert attempts == [1, 2, 4, 8]  # retried after 1, 2, 4… seconds
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "nprobe" in caplog.records[0].getMessage()
    reader = searcher.loaded.reader  # a fixed, newer build: picked up at the next check
    kept = [chunk for chunk in reader.chunks() if chunk.report_id != REMOVED]
    write_build(index_dir, reader.manifest["encoder"],
                [report for report in reader.reports() if report.id != REMOVED], kept,
                reader.chunk_vectors([chunk.id for chunk in kept]))
    now[0] = 11.0
    assert throttle.maybe_reload() is True
    library = searcher.library
    assert library.reload_failure is None and library.info()["counts"]["reports"] == 1


def test_pointing_current_back_to_the_served_build_clears_the_failure(index_dir: Path) -> None:
    searcher = Searcher.open(index_dir)
    served = (index_dir / CURRENT).resolve()
    publish_broken(index_dir, "99990101T000000000000Z", no_counts)
    assert searcher.library.reload_if_changed() is False
    assert searcher.library.reload_failure is not None
    (index_dir / CURRENT).unlink()
    (index_dir / CURRENT).symlink_to(Path(BUILDS_DIR) / served.name)
    assert searcher.library.reload_if_changed() is False and searcher.library.reload_failure is None
