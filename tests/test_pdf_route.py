"""`/pdf/<id>` serves the indexed file only: same SHA-256 as at indexing, never via a symlink.

A real index of the small records whose report points to a real PDF in the test's folder; the
file is then swapped, edited, replaced by a symbolic link or a FIFO, or removed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import small_records
from fastapi.testclient import TestClient

from index.settings import SAMPLE_DIR
from index.store import write_build
from search import Searcher
from web.app import create_app

REPORT = "essai-2021"


@pytest.fixture
def served(tmp_path: Path, small_searcher: Searcher):
    """(client, path of the indexed PDF, its bytes) over an index recording that PDF."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    pdf = folder / "essai-2021.pdf"
    shutil.copy(SAMPLE_DIR / "exemple-2021.pdf", pdf)
    data = pdf.read_bytes()
    reports, chunks = small_records()
    reports = [replace(r, pdf_path=str(pdf), sha256=hashlib.sha256(data).hexdigest())
               if r.id == REPORT else r for r in reports]
    reader = small_searcher.loaded.reader
    write_build(tmp_path / "index", reader.manifest["encoder"], reports, chunks,
                reader.chunk_vectors([chunk.id for chunk in chunks]))
    with TestClient(create_app(tmp_path / "index")) as client:
        yield client, pdf, data


def refused(response, status: int) -> bool:
    """A French error page naming the command that fixes it, without the file's bytes."""
    return (response.status_code == status and "python -m ingest" in response.text
            and response.headers["content-type"].startswith("text/html")
            and not response.content.startswith(b"%PDF"))


def test_the_indexed_pdf_is_served_whole_with_the_pdf_policy(served) -> None:
    client, _, data = served
    response = client.get(f"/pdf/{REPORT}")
    assert response.status_code == 200 and response.content == data
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-length"] == str(len(data))
    assert response.headers["content-security-policy"] == "frame-ancestors 'none'"
    assert 'filename="essai-2021.pdf"' in response.headers["content-disposition"]


def test_a_pdf_changed_since_indexing_is_refused_with_409(served) -> None:
    client, pdf, data = served
    pdf.write_bytes(data.replace(b"Corpus", b"Korpus", 1))
    assert refused(client.get(f"/pdf/{REPORT}"), 409)
    pdf.write_bytes(data)  # put back as indexed: served again
    assert client.get(f"/pdf/{REPORT}").content == data


@pytest.mark.parametrize("target", ["same-bytes", "/etc/passwd"])
def test_a_symbolic_link_in_place_of_the_pdf_is_never_followed(served, tmp_path: Path,
                                                               target: str) -> None:
    client, pdf, data = served
    elsewhere = tmp_path / "copie.pdf"
    elsewhere.write_bytes(data)
    pdf.unlink()
    pdf.symlink_to(elsewhere if target == "same-bytes" else Path(target))
    response = client.get(f"/pdf/{REPORT}")
    assert refused(response, 409)
    assert b"root:" not in response.content


def test_a_symbolic_link_in_the_folder_path_is_refused(served, tmp_path: Path) -> None:
    client, pdf, _ = served
    moved = tmp_path / "ailleurs"
    pdf.parent.rename(moved)
    pdf.parent.symlink_to(moved)
    assert refused(client.get(f"/pdf/{REPORT}"), 409)


def test_a_fifo_in_place_of_the_pdf_is_refused_without_blocking(served) -> None:
    client, pdf, _ = served
    pdf.unlink()
    os.mkfifo(pdf)
    assert refused(client.get(f"/pdf/{REPORT}"), 409)


def test_a_removed_pdf_is_a_404_naming_the_fix(served) -> None:
    client, pdf, _ = served
    pdf.unlink()
    response = client.get(f"/pdf/{REPORT}")
    assert refused(response, 404)
    assert str(pdf) not in response.text  # no server path is disclosed


def test_a_pdf_is_hashed_once_per_version_of_the_file(served) -> None:
    client, pdf, data = served
    files = client.app.state.pdf_files
    for _ in range(3):
        assert client.get(f"/pdf/{REPORT}").status_code == 200
    assert files.hashed == 1
    pdf.write_bytes(data)  # same bytes, new version of the file: hashed again, still served
    assert client.get(f"/pdf/{REPORT}").status_code == 200
    assert files.hashed == 2
