"""Recommendations as a dataset, in a real browser (Debian's Chromium driven by Playwright against
`python -m web`): the policymaker's journeys, page heights and widths, axe-core; and, by HTML
parse, that every recommendation links to its own page wherever it appears."""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from docx import Document
from fastapi.testclient import TestClient
from playwright.sync_api import expect
from test_playwright import AXE_JS, browser, record_problems, require, shoot  # noqa: F401 (fixture)

from bench.recommendation_eval import LINEAGE_PAIRS, THEME_LABELS

DESKTOP = (1366, 900)
PHONE = (390, 844)
SIZES = {"bureau": DESKTOP, "telephone": PHONE}
SAMPLE_COUNT = 98
# The sample's 98 recommendations, every <details> closed, fit in this many desktop screens.
MAX_SCREENS = 6
CYBER = "cybersecurite"
CYBER_LABEL = "Cybersécurité et résilience"
SOURCE = "exemple-2017-r12"  # « Proposition n° 12 » of 2017, hand-labelled cybersecurity
# The open-data header, as README.md documents it (lower-case ASCII names, data.gouv.fr style).
HEADER = ["rapport_id", "annee", "rapport_titre", "numero", "libelle", "texte", "pages",
          "page_pdf", "section", "themes", "lien_permanent"]
CLOSE_ALL = "document.querySelectorAll('details').forEach(d => { d.open = false; })"
OPEN_ALL = "document.querySelectorAll('details').forEach(d => { d.open = true; })"
SCROLL_HEIGHT = "document.documentElement.scrollHeight"
SIDEWAYS = ("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
NEW_VIEWS = {
    "liste": "/recommandations",
    "liste-filtree": f"/recommandations?theme={CYBER}&report=2021",
    "liste-mots": "/recommandations?q=données+ouvertes",
    "liste-section": "/recommandations?" + urlencode({"section": "3. La donnée, une ressource du "
                                                     "territoire › 3.5 Souveraineté, sécurité et "
                                                     "hébergement des données"}),
    "liste-vide": "/recommandations?q=astrologie",
    "fiche": f"/recommandations/{SOURCE}",
    "theme": f"/recommandations/themes/{CYBER}",
}


def gold_themes() -> dict[str, list[str]]:
    """The hand-labelled themes of the sample recommendations."""
    return tomllib.loads(THEME_LABELS.read_text(encoding="utf-8"))["labels"]


@pytest.fixture()
def opened(browser, live_server: str) -> Iterator[Callable]:  # noqa: F811 (imported fixture)
    """Opens a fresh page at a viewport size; each records CSP violations and script errors."""
    contexts = []

    def open_page(size: tuple[int, int] = DESKTOP, bypass_csp: bool = False):
        context = browser.new_context(base_url=live_server, accept_downloads=True,
                                      viewport={"width": size[0], "height": size[1]},
                                      locale="fr-FR", bypass_csp=bypass_csp)
        contexts.append(context)
        return record_problems(context.new_page())

    yield open_page
    for context in contexts:
        context.close()


def listed_ids(page) -> list[str]:
    """The recommendation ids the browser page lists, in order."""
    return [item.get_attribute("id")[2:] for item in page.locator("li.recs-item").all()]


# ---------------------------------------------------------------- the policymaker's journeys


@pytest.mark.browser
def test_cybersecurity_across_three_editions_in_one_click_then_its_lineage(opened) -> None:
    page = opened()
    page.goto("/recommandations")
    clicks = 0
    page.get_by_role("navigation", name="Thème").get_by_role(
        "link", name=re.compile(f"^{CYBER_LABEL}")).click()
    clicks += 1
    page.wait_for_url(re.compile(f"theme={CYBER}"))
    assert clicks <= 2
    shown = listed_ids(page)
    wanted = {rec_id for rec_id, themes in gold_themes().items() if CYBER in themes}
    assert wanted <= set(shown), sorted(wanted - set(shown))
    years = [title.split()[0] for title in page.locator(".recs-report-title").all_inner_texts()]
    assert years == ["2017", "2018", "2021"]
    assert page.locator(".recs-count").inner_text().startswith(f"{len(shown)} recommandation")
    for width, height in SIZES.values():
        page.set_viewport_size({"width": width, "height": height})
        shoot(page, f"recommandations-cybersecurite-{width}x{height}")

    page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
    page.get_by_role("link", name="Fiche et filiation : Proposition n° 12 (2017)").click()
    page.wait_for_url(f"**/recommandations/{SOURCE}")
    lineage = page.get_by_role("region", name="Filiation dans les autres éditions")
    pairs = tomllib.loads(LINEAGE_PAIRS.read_text(encoding="utf-8"))["pair"]
    for year in ("2018", "2021"):
        edition = lineage.get_by_role("region", name=re.compile(f"^{year} · "))
        items = edition.locator(".lineage-item")
        assert items.count() >= 1
        for i in range(items.count()):
            assert re.search(r"proximité 0,\d\d", items.nth(i).inner_text())
        targets = [target for pair in pairs if pair["source"] == SOURCE
                   and str(pair["edition"]) == year for target in pair["targets"]]
        if targets:  # the hand-made counterpart comes first
            assert items.first.get_attribute("id")[2:] in targets
    assert lineage.locator(".lineage-why", has_text="Mots partagés").count() >= 2
    assert lineage.locator(".lineage-why", has_text="Thème commun").filter(
        has_text=CYBER_LABEL).count() >= 1
    shoot(page, "recommandation-filiation")

    page.get_by_role("link", name=f"Suivre ce thème sur 2017-2021 ({CYBER_LABEL})").click()
    page.wait_for_url(f"**/recommandations/themes/{CYBER}")
    table = page.get_by_role("table")
    headers = [h.split()[0] for h in table.get_by_role("columnheader").all_inner_texts()]
    assert headers == ["2017", "2018", "2021"]
    row = table.locator("tbody tr", has=page.get_by_role("link", name="Proposition n° 12"))
    assert row.count() == 1
    linked = row.locator("td a").all_inner_texts()
    assert len(linked) >= 2, linked  # the 2017 proposition chained to a later edition
    assert not page.problems, page.problems


@pytest.mark.browser
def test_the_csv_link_downloads_the_98_rows_in_the_open_data_shape(opened, tmp_path) -> None:
    page = opened()
    page.goto("/recommandations")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "recommandations.csv"
    with saved.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == HEADER
    assert len(rows) == SAMPLE_COUNT
    assert len({row["lien_permanent"] for row in rows}) == SAMPLE_COUNT
    gold = gold_themes()
    for row in rows:
        assert re.fullmatch(r"\d{4}", row["annee"]) and row["numero"].isdigit(), row
        rec_id = row["lien_permanent"].rsplit("/recommandations/", 1)[1]
        assert rec_id in gold and row["rapport_id"] == rec_id.rsplit("-r", 1)[0], row
        assert row["texte"] and row["libelle"] and row["themes"], row
    assert any("é" in row["texte"] for row in rows)  # UTF-8 read back as UTF-8


@pytest.mark.browser
def test_the_csv_link_of_a_filtered_page_exports_what_the_page_shows(opened, tmp_path) -> None:
    page = opened()
    page.goto(f"/recommandations?theme={CYBER}")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    saved = tmp_path / "filtre.csv"
    download.value.save_as(saved)
    with saved.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    exported = [row["lien_permanent"].rsplit("/", 1)[1] for row in rows]
    assert exported == listed_ids(page)
    assert all(CYBER in row["themes"].split(";") for row in rows)


# ---------------------------------------------------------------- heights, widths, accessibility


@pytest.mark.browser
def test_the_98_recommendations_fit_in_six_desktop_screens(opened) -> None:
    page = opened(DESKTOP)
    page.goto("/recommandations")
    assert len(listed_ids(page)) == SAMPLE_COUNT
    page.evaluate(CLOSE_ALL)
    height = page.evaluate(SCROLL_HEIGHT)
    print(f"/recommandations à {DESKTOP[0]}×{DESKTOP[1]} : {height} px "
          f"({height / DESKTOP[1]:.1f} écrans)")
    assert height <= MAX_SCREENS * DESKTOP[1], height


@pytest.mark.browser
def test_open_data_links_and_go_to_number_are_on_the_first_desktop_screen(opened) -> None:
    page = opened(DESKTOP)
    page.goto("/recommandations")
    for control in (page.get_by_role("link", name="CSV", exact=True),
                    page.get_by_role("link", name="JSON", exact=True),
                    page.get_by_role("spinbutton", name="Numéro")):
        expect(control).to_be_in_viewport(ratio=1)  # not clipped by the facets' own scroll
    page.get_by_role("combobox", name="Rapport").select_option(label="2018")
    page.get_by_role("spinbutton", name="Numéro").fill("9")
    page.get_by_role("button", name="Aller").click()
    page.wait_for_url("**/recommandations/exemple-2018-r9")


@pytest.mark.browser
def test_the_theme_table_reads_as_cards_on_a_phone(opened) -> None:
    page = opened(PHONE)
    page.goto(NEW_VIEWS["theme"])
    table = page.get_by_role("table").bounding_box()
    caption = page.locator(".lineage-table caption").bounding_box()
    assert caption["width"] >= 0.9 * table["width"], (caption, table)
    empty = page.locator("td.lineage-none").first
    dash = empty.locator("span").bounding_box()
    assert dash["y"] - empty.bounding_box()["y"] < dash["height"]  # « 2018 — » on one line


@pytest.mark.browser
@pytest.mark.parametrize("name", ["liste", "liste-filtree", "fiche", "theme"])
def test_no_sideways_scroll_on_a_phone_even_with_every_line_open(opened, name: str) -> None:
    page = opened(PHONE)
    page.goto(NEW_VIEWS[name])
    page.evaluate(CLOSE_ALL)
    if name == "liste":
        print(f"/recommandations à {PHONE[0]}×{PHONE[1]} : {page.evaluate(SCROLL_HEIGHT)} px")
    for script in (CLOSE_ALL, OPEN_ALL):
        page.evaluate(script)
        width, visible = page.evaluate(SIDEWAYS)
        assert width <= visible, f"{NEW_VIEWS[name]} : {width} px pour {visible} px visibles"
    assert not page.problems, page.problems


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(NEW_VIEWS))
def test_no_accessibility_violation_on_the_recommendation_pages(opened, name: str,
                                                               size: str) -> None:
    require(AXE_JS.exists(), f"axe-core absent ({AXE_JS})")
    page = opened(SIZES[size], bypass_csp=True)  # CSP bypassed only to inject axe
    page.goto(NEW_VIEWS[name])
    shoot(page, f"recommandations-{name}-{size}")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document)")
    violations = [f"{v['id']} ({v['impact']}): {v['help']} — "
                  f"{[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]
    assert not violations, "\n".join(violations)


# ---------------------------------------------------------------- every link goes to its page


class Links(HTMLParser):
    """The links of a page, by the article or list item (`id="r-…"`) they sit in."""

    def __init__(self) -> None:
        super().__init__()
        self.owner: list[str] = []
        self.by_owner: dict[str, list[str]] = {}
        self.all: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag in ("article", "li") and (attrs.get("id") or "").startswith("r-"):
            self.owner.append(attrs["id"][2:])
        elif tag in ("article", "li"):
            self.owner.append("")
        for name in ("href", "data-permalink"):
            if attrs.get(name):
                self.all.append(attrs[name])
                if self.owner and self.owner[-1]:
                    self.by_owner.setdefault(self.owner[-1], []).append(attrs[name])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("article", "li") and self.owner:
            self.owner.pop()


def links(client: TestClient, url: str) -> Links:
    """The parsed links of page `url` (asserting 200)."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    parser = Links()
    parser.feed(response.text)
    return parser


def is_recommendation(rec_id: str) -> bool:
    """Whether an id is one of the hand-labelled sample recommendations."""
    return rec_id in gold_themes()


def assert_own_page(found: Links, url: str) -> int:
    """Every recommendation on the page links to `/recommandations/<id>`, never to the passage
    permalink; returns how many recommendations the page shows."""
    shown = [rec_id for rec_id in found.by_owner if is_recommendation(rec_id)]
    for rec_id in shown:
        assert f"/recommandations/{rec_id}" in found.by_owner[rec_id], (url, rec_id)
    stale = [href for href in found.all if href.startswith("/passages/")
             and not href.startswith(f"{url}?")  # the page's own language switch
             and is_recommendation(href.rsplit("/", 1)[1].split("?")[0])]
    assert not stale, (url, stale)
    return len(shown)


QUESTION = "cybersécurité des capteurs et audit de sécurité"


@pytest.mark.parametrize("url", [
    f"/recherche?q={QUESTION}",
    f"/recherche?q={QUESTION}&kind=recommendation",
    f"/comparer?q={QUESTION}",
    "/recommandations",
    f"/recommandations/{SOURCE}",
    f"/passages/{SOURCE}",
])
def test_every_recommendation_on_a_page_links_to_its_own_page(client: TestClient,
                                                             url: str) -> None:
    assert assert_own_page(links(client, url), url) >= 1


def test_lineage_and_theme_tables_link_to_the_recommendation_pages(client: TestClient) -> None:
    page = client.get(f"/recommandations/{SOURCE}").text
    kin_ids = re.findall(r'<li class="lineage-item" id="k-([\w-]+)"', page)
    assert len(kin_ids) >= 2
    for kin_id in kin_ids:
        assert f'href="/recommandations/{kin_id}"' in page
    table = client.get(f"/recommandations/themes/{CYBER}").text
    cells = re.findall(r'<td data-year="\d{4}"><a href="([^"]+)"', table)
    assert cells and all(re.fullmatch(r"/recommandations/exemple-\d{4}-r\d+", c) for c in cells)


def test_the_reader_cites_a_recommendation_by_its_own_page(client: TestClient) -> None:
    page = client.get(f"/lire/exemple-2017?passage={SOURCE}").text
    assert "/recommandations/exemple-2017-r12" in page
    assert f"/passages/{SOURCE}" not in page  # BibTeX, RIS and Markdown citations included


def test_every_export_format_links_a_recommendation_to_its_own_page(client: TestClient) -> None:
    own = f"http://127.0.0.1:8000/recommandations/{SOURCE}"
    for path in ("/export", "/export.md", "/export.bib", "/export.ris"):
        text = client.get(path, params={"ids": SOURCE}).text
        assert own in text and f"/passages/{SOURCE}" not in text, path
    docx = Document(io.BytesIO(client.get("/export.docx", params={"ids": SOURCE}).content))
    targets = {rel.target_ref for rel in docx.part.rels.values() if rel.is_external}
    assert own in targets
    assert not any("/passages/" in target for target in targets)
    rows = list(csv.DictReader(io.StringIO(client.get("/recommandations.csv").text)))
    assert {row["lien_permanent"].rsplit("/recommandations/", 1)[1] for row in rows} == \
        set(gold_themes())
    records = json.loads(client.get("/recommandations.json").text)
    assert {record["lien_permanent"] for record in records} == \
        {row["lien_permanent"] for row in rows}


def test_the_api_gives_each_recommendation_its_page(client: TestClient) -> None:
    results = client.get("/api/search", params={"q": QUESTION}).json()["results"]
    columns = client.get("/api/compare", params={"q": QUESTION}).json()["columns"]
    items = results + [result for column in columns for result in column["results"]]
    recommendations = [item for item in items if item["kind"] == "recommendation"]
    assert recommendations
    for item in recommendations:
        assert item["permalink"] == f"/recommandations/{item['id']}"
    for item in items:
        if item["kind"] != "recommendation":
            assert item["permalink"] == f"/passages/{item['id']}"
