"""The official-report downloader, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.download import CHECKSUMS, DownloadError, download_official, fetch_pdf

PDF_BODY = b"%PDF-1.4\n" + b"0" * 5000 + b"\n%%EOF\n"


class CorpusHandler(http.server.BaseHTTPRequestHandler):
    """Serves a PDF, a non-PDF, a truncated body and 404s; `pdf_body` can be swapped by a test."""

    pdf_body = PDF_BODY

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path == "/rapport.pdf":
            self.reply(self.pdf_body)
        elif self.path == "/page.html":
            self.reply(b"<html><body>Pas un PDF</body></html>", "text/html")
        elif self.path == "/tronque.pdf":
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(PDF_BODY)))
            self.end_headers()
            self.wfile.write(PDF_BODY[:1000])
        else:
            self.send_error(404)

    def reply(self, body: bytes, content_type: str = "application/pdf") -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        """Keep the test output quiet."""


@pytest.fixture()
def server() -> Iterator[str]:
    CorpusHandler.pdf_body = PDF_BODY
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CorpusHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def write_manifest(path: Path, entries: list[tuple[str, str]]) -> Path:
    """A manifest with one report per (id, download URL)."""
    blocks = [
        f'[[report]]\nid = "{rid}"\ntitle = "T"\nyear = 2020\nfile = "{rid}.pdf"\n'
        f'urls = ["https://exemple.gouv.fr/{rid}"]\ndownload = "{url}"\n'
        for rid, url in entries
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def test_downloads_pdf_and_records_checksum(server: str, tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "reports.toml", [("a", f"{server}/rapport.pdf")])
    dest = tmp_path / "official"
    files, problems = download_official(manifest, dest)
    assert problems == []
    assert files == [dest / "a.pdf"]
    assert (dest / "a.pdf").read_bytes() == PDF_BODY
    recorded = json.loads((dest / CHECKSUMS).read_text())
    assert recorded == {"a.pdf": hashlib.sha256(PDF_BODY).hexdigest()}
    assert sorted(p.name for p in dest.iterdir()) == ["a.pdf", CHECKSUMS]


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/page.html", "signature %PDF"), ("/tronque.pdf", "échec"), ("/absent.pdf", "HTTP 404")],
)
def test_refuses_bad_responses_without_leaving_files(
    server: str, tmp_path: Path, path: str, reason: str
) -> None:
    manifest = write_manifest(tmp_path / "reports.toml", [("a", f"{server}{path}")])
    dest = tmp_path / "official"
    files, problems = download_official(manifest, dest)
    assert files == []
    assert len(problems) == 1 and reason in problems[0]
    assert sorted(p.name for p in dest.iterdir()) == [CHECKSUMS]


def test_one_failure_does_not_stop_the_others(server: str, tmp_path: Path) -> None:
    manifest = write_manifest(
        tmp_path / "reports.toml",
        [("bad", f"{server}/absent.pdf"), ("good", f"{server}/rapport.pdf")],
    )
    files, problems = download_official(manifest, tmp_path / "official")
    assert [f.name for f in files] == ["good.pdf"]
    assert len(problems) == 1 and problems[0].startswith("bad")


def test_changed_file_is_refused_and_previous_kept(server: str, tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "reports.toml", [("a", f"{server}/rapport.pdf")])
    dest = tmp_path / "official"
    download_official(manifest, dest)
    CorpusHandler.pdf_body = b"%PDF-1.4\nautre contenu\n%%EOF\n"
    files, problems = download_official(manifest, dest)
    assert files == [] and "SHA-256" in problems[0]
    assert (dest / "a.pdf").read_bytes() == PDF_BODY


def test_size_cap(server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="taille maximale|au-delà"):
        fetch_pdf(f"{server}/rapport.pdf", tmp_path / "x.pdf", max_bytes=100)
    assert list(tmp_path.iterdir()) == []


def test_unreachable_host_fails_fast(tmp_path: Path) -> None:
    # Port 9 (discard) on loopback is closed here: the connection is refused at once.
    with pytest.raises(DownloadError):
        fetch_pdf("http://127.0.0.1:9/rapport.pdf", tmp_path / "x.pdf")


def test_reports_without_direct_link_are_explained(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "reports.toml", [("a", "")])
    files, problems = download_official(manifest, tmp_path / "official")
    assert files == []
    assert "https://exemple.gouv.fr/a" in problems[0] and "corpus/official/a.pdf" in problems[0]


def test_official_manifest_has_a_target_and_explains_the_rest() -> None:
    from index.settings import MANIFEST_PATH
    from ingest.download import download_targets

    targets, notes = download_targets(MANIFEST_PATH)
    assert [t.report_id for t in targets] == ["meae-2018"]
    assert all(t.url.startswith("https://") and t.url.endswith(".pdf") for t in targets)
    assert len(notes) == 2
