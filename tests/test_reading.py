"""Reading and citing without a browser: links never from the Host header, the search page's
counts, « more results » and JSON twins, and every export in English."""

from __future__ import annotations

import html
import io
import re

import pytest
from docx import Document
from fastapi.testclient import TestClient
from test_html import DEMO_QUESTION, corpus_words, french_only_fragments
from test_routes import get_urls

from web.params import MAX_K

BRIEF = ("ids=exemple-2021-r1,exemple-2017-r6&question=Quel+élu+%3F&question=Données"
         "&note=À+citer&note=")
EXPORTS = [f"/export{ext}?{BRIEF}" for ext in ("", ".md", ".docx", ".bib", ".ris")]
JSON_TWIN = re.compile(r'<link rel="alternate" type="application/json" href="([^"]+)">')


def test_no_page_or_export_takes_a_link_from_the_host_header(client: TestClient) -> None:
    urls = [url for url in get_urls(client) if not url.startswith("/export")] + EXPORTS + [
        "/lire/exemple-2017?page=12&passage=exemple-2017-r6", "/recherche?q=données"]
    assert len(urls) > 20
    for url in urls:
        response = client.get(url, headers={"Host": "evil.example"})
        assert response.status_code in (200, 404, 422), url
        body = response.content
        if url.startswith("/export.docx"):
            body = b" ".join(rel.target_ref.encode() for rel in Document(
                io.BytesIO(body)).part.rels.values() if rel.is_external)
            assert b"http://127.0.0.1:8000/recommandations/exemple-2021-r1" in body
        assert b"evil.example" not in body, url


def cards(text: str) -> list[tuple[str, str]]:
    """(id, year) of each result card of a search page."""
    return re.findall(r'<article class="card card-\w+" id="r-([\w-]+)".*?'
                      r'<span class="card-year">(\d{4})</span>', text, re.DOTALL)


def test_counts_per_report_and_kind_are_those_of_the_best_hundred(client: TestClient) -> None:
    text = client.get("/recherche", params={"q": "données ouvertes"}).text
    counts = dict(re.findall(r'value="([\w-]+)"(?: checked)?> [^<]*<span class="facet-count">'
                             r'\((\d+)\)</span>', text))
    assert set(counts) == {"exemple-2017", "exemple-2018", "exemple-2021", "all", "passage",
                           "recommendation"}
    every = client.get("/recherche", params={"q": "données ouvertes", "k": MAX_K}).text
    shown = cards(every)
    assert len(shown) == int(counts["all"]) == MAX_K
    for report_id in ("exemple-2017", "exemple-2018", "exemple-2021"):
        assert sum(1 for _, year in shown if report_id.endswith(year)) == int(counts[report_id])
    recommendations = every.count('<article class="card card-recommendation"')
    assert recommendations == int(counts["recommendation"]) > 0
    assert int(counts["passage"]) == MAX_K - recommendations


def test_more_results_go_ten_by_ten_up_to_the_maximum(client: TestClient) -> None:
    text = client.get("/recherche", params={"q": "données ouvertes", "k": MAX_K - 10}).text
    more = html.unescape(re.search(r'<p class="more"><a [^>]*href="([^"]+)"', text)[1])
    assert more.endswith(f"k={MAX_K}#suite")
    last = client.get(more.split("#")[0]).text
    assert len(cards(last)) == MAX_K and '<p class="more">' not in last
    first_new = last.index('<span id="suite"')
    assert len(cards(last[first_new:])) == 10  # the page jumps to where the list stopped
    assert client.get("/recherche", params={"q": "x", "k": MAX_K + 1}).status_code == 422


@pytest.mark.parametrize("url", [
    "/", f"/recherche?q={DEMO_QUESTION}&report=exemple-2021&kind=recommendation", "/comparer",
    "/comparer?q=données+ouvertes", "/recommandations?report=exemple-2018",
    "/recommandations/exemple-2021-r1", "/rapports", "/glossaire", "/passages/exemple-2021-r1",
    "/lire/exemple-2017?page=12&passage=exemple-2017-r6", f"/export?{BRIEF}", "/docs",
    "/nulle-part",
])
def test_every_page_links_its_json_twin(client: TestClient, url: str) -> None:
    text = client.get(url).text
    twin = html.unescape(JSON_TWIN.search(text)[1])
    assert f'href="{html.escape(twin)}" type="application/json"' in text  # the footer link
    response = client.get(twin)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    if url.startswith("/recherche"):
        assert [r["id"] for r in response.json()["results"]] == [i for i, _ in cards(text)]


ENGLISH_EXTRA = [*EXPORTS[2:], "/glossaire", "/recommandations/themes/donnees-ouverture",
                 "/lire/exemple-2021?page=5&passage=exemple-2021-r1"]


@pytest.mark.parametrize("url", ENGLISH_EXTRA)
def test_english_exports_and_pages_keep_nothing_of_the_french_catalogue(
    client: TestClient, searcher, url: str
) -> None:
    response = client.get(url + "&lang=en" if "?" in url else url + "?lang=en")
    client.cookies.clear()  # the client is shared by the whole session
    assert response.status_code == 200, url
    if url.startswith("/export.docx"):
        shown = " ".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    else:
        shown = html.unescape(re.sub(r"<[^>]+>", " ", response.text))
        shown += " ".join(re.findall(r'(?:aria-label|title|data-[\w-]+)="([^"]*)"', response.text))
    shown = re.sub(r"\s+", " ", shown)
    corpus = corpus_words(searcher)
    left = sorted(piece for piece in french_only_fragments()
                  if piece in shown and piece not in corpus)
    assert not left, f"French left on {url} in English: {left}"


@pytest.mark.parametrize("url", [
    "/export?ids=exemple-2017-r6", "/export.md?ids=exemple-2017-r6",
    "/export.docx?ids=exemple-2017-r6", "/passages/exemple-2017-r6",
    "/recherche?q=donnée+d'intérêt+territorial", "/recommandations/exemple-2017-r6",
])
def test_the_pdf_page_is_only_given_inside_the_sentence_that_explains_it(
    client: TestClient, searcher, url: str
) -> None:
    chunk = searcher.library.chunk("exemple-2017-r6")  # printed pp. 8–9, pages 12–13 of the file
    assert (chunk.page_label, chunk.page) == ("8", 12)
    response = client.get(url)
    if url.startswith("/export.docx"):
        text = " ".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    else:
        page = response.text
        if not url.startswith("/export"):  # the excerpt's card, not the other results
            page = re.search(r'<article [^>]*id="r-exemple-2017-r6".*?</article>', page,
                             re.DOTALL)[0]
        text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    text = re.sub(r"\s+", " ", text)
    note = "les place en pages 12 à 13."
    text = re.sub(r"https?://\S+|/(?:lire|pdf)/\S+", " ", text)  # links carry the file page
    assert text.count("pp. 8–9") >= 2  # the printed pages, in the citation and beside it
    outside = re.sub(r"pp\. 8–9 sont les numéros imprimés[^.]*" + re.escape(note), " ", text)
    assert not re.search(r"\bp(?:\.|ages?) 1[23]\b|PDF[^.]{0,30}\b1[23]\b", outside), url
