"""Every GET route answers HEAD; an unexpected failure is a French 500 page with the security
headers, never a bare « Internal Server Error »."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

PATH_VALUES = {"passage_id": "exemple-2021-r1", "rec_id": "exemple-2021-r1",
               "report_id": "exemple-2021", "theme_id": "cybersecurite"}
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy",
                    "x-frame-options")


def routes(entries: list) -> list:
    """The app's routes, those of included routers too (none is mounted under a prefix)."""
    found = []
    for entry in entries:
        included = getattr(entry, "original_router", None)
        found += routes(included.routes) if included is not None else [entry]
    return found


def get_urls(client: TestClient) -> list[str]:
    """One URL per GET route of the app, path parameters filled with real ids."""
    return [
        re.sub(r"{(\w+)}", lambda name: PATH_VALUES[name[1]], route.path)
        for route in routes(client.app.routes)
        if "GET" in (getattr(route, "methods", None) or ())
    ]


def test_every_get_route_answers_head_with_the_get_headers(client: TestClient) -> None:
    urls = get_urls(client)
    assert "/recherche" in urls and "/api/search" in urls and "/pdf/exemple-2021" in urls
    for url in [*urls, "/static/site.css"]:
        got, head = client.get(url), client.head(url)
        assert head.status_code == got.status_code != 405, url
        assert head.headers["content-type"] == got.headers["content-type"], url
        assert head.content == b"", url
        if "content-length" in got.headers:
            assert head.headers["content-length"] == got.headers["content-length"], url


@pytest.fixture()
def failing_search(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """The shared app, with the search engine failing unexpectedly."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("panne simulée du moteur")

    # Each request searches a snapshot of the app's Searcher: the class is what they share.
    monkeypatch.setattr(type(client.app.state.searcher), "search", broken)
    return client


def test_an_unexpected_error_is_a_french_page_with_the_security_headers(
    failing_search: TestClient,
) -> None:
    response = failing_search.get("/recherche?q=données")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    for name in SECURITY_HEADERS:
        assert name in response.headers, name
    text = html.unescape(response.text)
    assert '<html lang="fr">' in text and "Erreur du serveur" in text and 'role="alert"' in text
    assert "panne simulée" not in text and "Traceback" not in text


def test_an_unexpected_api_error_is_json_with_the_security_headers(
    failing_search: TestClient,
) -> None:
    response = failing_search.get("/api/search?q=données")
    assert response.status_code == 500
    assert "erreur inattendue" in response.json()["detail"].lower()
    assert "content-security-policy" in response.headers
