"""The server-rendered pages: structure, French first, citations, escaping, errors, export."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from web.highlight import highlight
from web.i18n import CATALOGUE, LANGS

DEMO_QUESTION = "Quel élu référent avec une délégation à la donnée et au numérique"
DEMO_ID = "exemple-2021-r1"
PAGES = [
    "/",
    "/recherche?q=données+ouvertes",
    "/recommandations",
    "/recommandations/exemple-2018-r1",
    "/comparer?q=comité+d'éthique",
    "/rapports",
    "/docs",
]
PAYLOADS = [
    "<script>alert('x')</script>",
    '" onfocus="alert(1)" autofocus="',
    "javascript:alert(1)",
    "<img src=x onerror=alert(1)>",
]


class PageOutline(HTMLParser):
    """Headings, landmarks, labels and asset URLs of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def find(self, tag: str, **wanted: str) -> list[dict]:
        """Attributes of the `tag` elements having the `wanted` attribute values."""
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(attrs.get(k) == v for k, v in wanted.items())
        ]


def outline(text: str) -> PageOutline:
    """Parse a page."""
    parser = PageOutline()
    parser.feed(text)
    return parser


def get_page(client: TestClient, url: str, status: int = 200) -> str:
    """The HTML of `url`, checking the status."""
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_french_structured_and_local(client: TestClient, url: str) -> None:
    page = outline(get_page(client, url))
    assert page.find("html", lang="fr")
    assert page.find("a", href="#contenu"), "skip link"
    assert page.find("main", id="contenu")
    assert page.find("nav") and page.find("header") and page.find("footer")
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    jumps = [b - a for a, b in zip(page.headings, page.headings[1:], strict=False)]
    assert max(jumps, default=0) <= 1, f"heading levels skip on {url}: {page.headings}"
    for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
        for attrs in page.find(tag):
            if attrs.get(attribute):
                assert attrs[attribute].startswith("/"), f"non-local asset {attrs}"
    assert not any(tag == "script" and not attrs.get("src") for tag, attrs in page.tags)


@pytest.mark.parametrize("url", PAGES)
def test_every_form_control_has_a_label(client: TestClient, url: str) -> None:
    page = outline(get_page(client, url))
    labelled = {attrs.get("for") for attrs in page.find("label")}
    for tag in ("input", "select"):
        for attrs in page.find(tag):
            if attrs.get("type") in ("hidden", "radio", "checkbox"):
                continue  # radios and checkboxes sit inside their <label>
            assert attrs.get("id") in labelled, f"{tag} without label on {url}: {attrs}"


def test_sample_banner_is_shown_for_the_sample_corpus(client: TestClient) -> None:
    assert "Corpus d'exemple" in html.unescape(get_page(client, "/"))


def test_demo_question_shows_the_recommendation_first_with_its_citation(
    client: TestClient, searcher
) -> None:
    text = get_page(client, f"/recherche?q={DEMO_QUESTION}")
    first = text.split('<article class="card', 2)[1]
    assert f'id="r-{DEMO_ID}"' in first
    chunk = searcher.library.chunk(DEMO_ID)
    report = searcher.library.report("exemple-2021")
    citation = f"{report.title}, commanditaire : {report.commissioner}, 2021, " \
        f"recommandation n° 1, p. {chunk.page_label}."
    assert html.escape(citation, quote=False) in first or citation in html.unescape(first)
    assert f'href="/lire/exemple-2021?page={chunk.page}&amp;passage={DEMO_ID}"' in first
    assert "Lire le passage surligné dans le PDF : « Recommandation n° 1 (2021) »" in html.unescape(
        first
    )


def test_results_highlight_matched_terms(client: TestClient) -> None:
    text = get_page(client, "/recherche?q=comité+d'éthique+habitants")
    assert re.search(r"<mark>[^<]*(comit|habitant|éthique)", text, re.IGNORECASE)
    assert '<strong class="best">' in text


def test_filters_are_kept_in_the_shareable_url_and_form(client: TestClient) -> None:
    text = get_page(client, "/recherche?q=élu&report=exemple-2018&kind=recommendation&k=3")
    page = outline(text)
    assert page.find("input", type="checkbox", name="report", value="exemple-2018", checked="")
    assert not page.find("input", type="checkbox", name="report", value="exemple-2021", checked="")
    assert page.find("input", type="radio", value="recommendation", checked="")
    cards = re.findall(r'<article class="card card-(\w+)"', text)
    assert cards == ["recommendation"] * 3
    assert text.count("/lire/exemple-2018?page=") == 3
    more = unquote(html.unescape(re.search(r'<p class="more"><a [^>]*href="([^"]+)"', text)[1]))
    assert more == "/recherche?q=élu&report=exemple-2018&kind=recommendation&k=13#suite"


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("path", ["/recherche", "/comparer", "/recommandations"])
def test_payloads_in_queries_are_escaped(client: TestClient, path: str, payload: str) -> None:
    response = client.get(path, params={"q": payload})
    assert response.status_code == 200
    assert payload not in response.text or payload == "javascript:alert(1)"
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    assert 'href="javascript:' not in response.text and "onfocus=\"alert" not in response.text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_export_question_are_escaped(client: TestClient, payload: str) -> None:
    response = client.get("/export", params={"ids": DEMO_ID, "q": payload})
    assert response.status_code == 200
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    assert 'href="javascript:' not in response.text and "onfocus=\"alert" not in response.text


def test_highlight_escapes_text_and_marks_terms() -> None:
    out = str(highlight('<b onclick="x">Mobilités</b> & données. Fin.', ["mobilit"], "Fin."))
    assert out.startswith("&lt;b onclick=&#34;x&#34;&gt;<mark>Mobilités</mark>&lt;/b&gt; &amp;")
    assert out.endswith('<strong class="best">Fin.</strong>')


def test_highlight_ignores_accents_and_case_and_regex_characters() -> None:
    out = str(highlight("La DONNÉE publique (open data)", ["donnee", "(open", "a"], ""))
    assert "<mark>DONNÉE</mark>" in out and "<mark>(open</mark>" in out
    assert "<mark>a</mark>" not in out.lower()


@given(st.text(max_size=200), st.lists(st.text(max_size=8), max_size=4), st.text(max_size=30))
def test_highlight_never_loses_or_injects_text(text: str, terms: list[str], best: str) -> None:
    out = str(highlight(text, terms, best))
    stripped = re.sub(r"</?(mark|strong)[^>]*>", "", out)
    assert html.unescape(stripped) == text
    assert re.sub(r"</?(mark|strong)( class=\"best\")?>", "", out).count("<") == 0


def test_too_long_question_gets_a_polite_french_page(client: TestClient) -> None:
    text = get_page(client, "/recherche?q=" + "a" * 1001, status=422)
    assert 'role="alert"' in text and "1000 caractères" in html.unescape(text)
    assert outline(text).find("html", lang="fr")


def test_out_of_range_k_gets_a_polite_french_page(client: TestClient) -> None:
    text = get_page(client, "/recherche?q=données&k=500", status=422)
    assert "entre 1 et 100" in text


def test_unknown_pages_and_ids_get_a_french_404(client: TestClient) -> None:
    for url, words in [
        ("/nulle-part", "Cette page n'existe pas"),
        ("/passages/inconnu", "Passage introuvable"),
        ("/recommandations/exemple-2021-r999", "Recommandation introuvable"),
    ]:
        text = html.unescape(get_page(client, url, status=404))
        assert "Page introuvable" in text and words in text


def test_english_switch_sets_a_cookie_that_sticks(client: TestClient) -> None:
    try:
        response = client.get("/?lang=en")
        assert outline(response.text).find("html", lang="en")
        assert "Search the reports" in response.text
        assert client.cookies.get("lang") == "en"
        following = client.get("/rapports")
        assert outline(following.text).find("html", lang="en") and "The reports" in following.text
        back = client.get("/rapports?lang=fr")
        assert outline(back.text).find("html", lang="fr") and "Les rapports" in back.text
        assert client.cookies.get("lang") == "fr"
    finally:
        client.cookies.clear()  # the client is shared by the whole session


def test_catalogue_has_french_and_english_with_the_same_placeholders() -> None:
    for key, messages in CATALOGUE.items():
        assert set(messages) == set(LANGS), key
        placeholders = {lang: set(re.findall(r"{(\w+)}", messages[lang])) for lang in LANGS}
        assert placeholders["fr"] == placeholders["en"], key
        assert all(messages[lang].strip() for lang in LANGS), key


def test_compare_page_shows_three_columns_in_order(client: TestClient) -> None:
    text = get_page(client, "/comparer?q=comité+d'éthique")
    columns = re.findall(r'aria-labelledby="col-([\w-]+)"', text)
    assert columns == ["exemple-2017", "exemple-2018", "exemple-2021"]


def test_printable_export_lists_excerpts_with_citations_and_permalinks(
    client: TestClient,
) -> None:
    ids = f"{DEMO_ID},exemple-2018-r1"
    text = html.unescape(get_page(client, f"/export?ids={ids}&q=élu référent"))
    assert "Dossier documentaire" in text and "élu référent" in text
    assert text.count("<article class=\"export-item\">") == 2
    assert f"http://127.0.0.1:8000/recommandations/{DEMO_ID}" in text
    assert "http://127.0.0.1:8000/lire/exemple-2021?page=" in text
    assert ", 2021, recommandation n° 1, p. " in text and ", 2018, proposition 1, p. " in text


def test_stylesheet_has_print_and_phone_rules(client: TestClient) -> None:
    css = client.get("/static/site.css").text
    assert "@media print" in css and "@media (max-width" in css and ":focus-visible" in css


ENGLISH_PAGES = [
    "/",
    "/recherche?q=recommandation+n°+12+de+2021&kind=recommendation",
    "/recommandations",
    "/recommandations/exemple-2021-r1",
    "/comparer?q=données+ouvertes",
    "/rapports",
    f"/passages/{DEMO_ID}",
    f"/lire/exemple-2021?page=5&passage={DEMO_ID}",
    f"/export?ids={DEMO_ID},exemple-2018-r1&question=élu&question=&note=à+citer&note=",
    f"/export.md?ids={DEMO_ID}&question=élu",
    "/docs",
    "/nulle-part",
    "/recherche?q=données&k=500",
]
SHOWN_ATTRIBUTES = re.compile(r'(?:aria-label|title|placeholder|alt|data-t-[\w-]+)="([^"]*)"')


def french_only_fragments() -> set[str]:
    """Pieces of the French catalogue (between placeholders) that no English message has."""
    english = " ".join(messages["en"] for messages in CATALOGUE.values())
    return {
        piece
        for messages in CATALOGUE.values()
        if messages["fr"] != messages["en"]
        for piece in (part.strip(" :;.,()«»") for part in re.split(r"{\w+}", messages["fr"]))
        if len(piece) >= 6 and piece not in english
    }


def corpus_words(searcher) -> str:
    """Everything the corpus itself says (French text, labels, titles, names)."""
    parts = []
    for report in searcher.library.reports():
        parts += [report.title, report.subtitle, report.commissioner, *report.authors]
        for chunk in searcher.loaded.reader.chunks(report.id):
            parts += [chunk.text, chunk.label, *chunk.section]
    return "\n".join(parts)


@pytest.mark.parametrize("url", ENGLISH_PAGES)
def test_english_pages_keep_nothing_of_the_french_catalogue(
    client: TestClient, searcher, url: str
) -> None:
    response = client.get(url + ("&" if "?" in url else "?") + "lang=en")
    client.cookies.clear()  # the client is shared by the whole session
    shown = html.unescape(" ".join([re.sub(r"<[^>]+>", " ", response.text),
                                    *SHOWN_ATTRIBUTES.findall(response.text)]))
    shown = re.sub(r"\s+", " ", shown)
    corpus = corpus_words(searcher)
    left = sorted(piece for piece in french_only_fragments()
                  if piece in shown and piece not in corpus)
    assert not left, f"French left on {url} in English: {left}"
