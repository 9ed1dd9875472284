"""Every page that has a JSON twin: the twin (the page's own `<link rel="alternate">`) carries
every id, title, number, page, citation and link the page shows (real app, sample index)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

# Pages with a twin, each with data of every kind its template shows.
PAGES = [
    "/recherche?q=données+ouvertes&k=5",
    "/recherche?q=recommandation+n°+12+du+rapport+2021",
    "/comparer?q=comité+d'éthique",
    "/recommandations",
    "/recommandations?theme=cybersecurite&q=données",
    "/recommandations/exemple-2018-r1",
    "/recommandations/exemple-2021-r12",
    "/recommandations/themes/gouvernance",
    "/passages/{passage}",
    "/rapports",
    "/glossaire",
]
# Classes of the elements whose whole text the twin must hold as one value.
TEXT_CLASSES = {"citation-text", "card-report", "card-year", "recs-first", "lineage-text",
                "lineage-cell-text", "subtitle", "glossary-term", "glossary-definition",
                "facet-label", "facet-count", "recs-citation", "lineage-table-title"}
# What a page shows that its twin leaves out on purpose: the search page's counts per report and
# kind come from a second, wider search (MAX_K results) the API does not run on every call.
NOT_IN_TWIN = {"/recherche": {"facet-count"}}
# Element ids a page gives its cards, items and lineage entries: prefix + the record's id.
ID_PREFIXES = ("r-", "k-", "t-", "cit-")
# Links that name a record (a permalink, the reader, a PDF): the twin must hold each; a link to
# a theme's page, the theme's id.
RECORD_LINK = re.compile(r"^/(passages|recommandations|lire|pdf)/")
THEME_LINK = re.compile(r"^/recommandations/themes/([^/?#]+)$")


class PageData(HTMLParser):
    """What the main part of a page shows: texts by class, record ids, record links, pages."""

    VOID = {"input", "br", "img", "link", "meta", "hr", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.twin = ""
        self.texts: list[tuple[str, str]] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.pages: list[str] = []
        self.open: list[tuple[str, str, list[str]]] = []
        self.in_main = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "link" and attributes.get("rel") == "alternate":
            self.twin = attributes["href"]
        self.in_main = self.in_main or tag == "main"
        if not self.in_main or tag in self.VOID:
            return
        element_id = attributes.get("id", "")
        if element_id.startswith(ID_PREFIXES):
            self.ids.append(element_id.split("-", 1)[1])
        if tag == "a" and RECORD_LINK.match(attributes.get("href", "")):
            self.links.append(attributes["href"])
        classes = set(attributes.get("class", "").split()) & (TEXT_CLASSES | {"card-page"})
        self.open.append((tag, " ".join(sorted(classes)), []))

    def handle_data(self, data: str) -> None:
        for _, _, buffer in self.open:
            buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        self.in_main = self.in_main and tag != "main"
        while self.open:
            name, wanted, buffer = self.open.pop()
            # « · Titre »: the separator a narrow screen hides with the title is not data.
            text = " ".join("".join(buffer).split()).removeprefix("· ")
            if wanted == "card-page":
                self.pages.append(text)
            elif wanted:
                self.texts.append((wanted, text))
            if name == tag:
                return


def values(data: object) -> set[str]:
    """Every scalar of a JSON document, as text (numbers and strings alike)."""
    if isinstance(data, dict):
        return set().union(*map(values, data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*map(values, data)) if data else set()
    return {" ".join(str(data).split())}


def page_data(client: TestClient, url: str) -> tuple[PageData, dict | list]:
    """What the page at `url` shows, and the JSON of the twin it links."""
    page = client.get(url)
    assert page.status_code == 200, url
    parsed = PageData()
    parsed.feed(page.text)
    assert parsed.twin.startswith("/api/"), f"{url} n'a pas de double JSON : {parsed.twin}"
    twin = client.get(parsed.twin)
    assert twin.status_code == 200, parsed.twin
    return parsed, twin.json()


@pytest.fixture(scope="module")
def passage_id(searcher) -> str:
    """A body passage of the sample index."""
    return searcher.search("données ouvertes", k=1, kind="passage").results[0].chunk.id


@pytest.mark.parametrize("url", PAGES)
def test_the_json_twin_holds_what_the_page_shows(
    client: TestClient, url: str, passage_id: str
) -> None:
    parsed, twin = page_data(client, url.format(passage=passage_id))
    held = values(twin)
    assert parsed.texts or parsed.ids, f"{url} : rien de lu sur la page"
    left_out = NOT_IN_TWIN.get(url.partition("?")[0], set())
    missing = [text for kind, text in parsed.texts if kind not in left_out and text not in held]
    missing += [f"id {record_id}" for record_id in parsed.ids if record_id not in held]
    for link in map(unquote, parsed.links):
        theme = THEME_LINK.match(link)
        if (theme.group(1) if theme else link) not in held:
            missing.append(f"lien {link}")
    for shown in parsed.pages:
        # « p. 12 » or « pp. 12–13 »: the printed first and last pages.
        missing += [f"page {page}" for page in re.split("[–-]", re.sub(r"^pp?\. ", "", shown))
                    if page not in held]
    assert not missing, f"{url} montre ce que {parsed.twin} n'a pas : {missing[:5]}"


def test_a_page_detail_missing_from_the_twin_is_caught(client: TestClient) -> None:
    parsed, twin = page_data(client, "/recommandations/exemple-2018-r1")
    twin["recommendation"].pop("citation", None)
    assert any(text not in values(twin) for _, text in parsed.texts)
